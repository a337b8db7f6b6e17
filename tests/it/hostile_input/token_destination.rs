//! A repository's ./.kopairc naming the server: kopai says where it sends the token.

use super::*;

#[tokio::test]
async fn a_token_sent_to_a_url_from_the_working_directory_is_announced_once() {
    let server = accepting_server().await;
    let sb = Sandbox::new();
    write(&sb.local_rc(), &format!(r#"{{"url":"{}"}}"#, server.uri()));

    let out = run(sb
        .kopai()
        .args(["traces", "search", "--json"])
        .env("KOPAI_TOKEN", TOKEN));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let note = format!(
        "note: sending the token from KOPAI_TOKEN to {} (url from ./.kopairc)\n",
        server.uri()
    );
    assert_eq!(out.stderr, note);

    let out = run(sb.kopai().args(["whoami", "--token", TOKEN]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr.matches("note: sending the token").count(),
        1,
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("from --token to"), "{}", out.stderr);
    assert_no_secret(&out, TOKEN);

    // Nothing is sent: nothing to say.
    let out = run(sb.kopai().args(["whoami", "--no-verify", "--token", TOKEN]));
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    let out = run(sb.kopai().args(["open"]).env("KOPAI_TOKEN", TOKEN));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stderr.contains("note:"), "{}", out.stderr);

    // Pinned by KOPAI_URL (the README's CI recipe), or token and URL from the same file:
    // nothing to say.
    let out = run(sb
        .kopai()
        .args(["traces", "search", "--json"])
        .env("KOPAI_TOKEN", TOKEN)
        .env("KOPAI_URL", server.uri()));
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    write_private(
        &sb.local_rc(),
        &format!(r#"{{"url":"{}","token":"{TOKEN}"}}"#, server.uri()),
    );
    let out = run(sb.kopai().args(["traces", "search", "--json"]));
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
}

#[tokio::test]
async fn login_shows_the_url_it_sends_the_token_to() {
    let server = accepting_server().await;
    let sb = Sandbox::new();
    write(&sb.local_rc(), &format!(r#"{{"url":"{}"}}"#, server.uri()));
    let out = run(sb.kopai().args(["login"]).write_stdin(TOKEN));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        sb.scrub(&out.stderr).starts_with(&format!(
            "Logging in to {} (url from [CWD]/.kopairc)\n",
            server.uri()
        )),
        "{}",
        out.stderr
    );
    assert_eq!(requests(&server).await.len(), 1);
}
