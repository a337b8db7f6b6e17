//! Errors never echo a token or a URL password, wherever it was typed or saved.

use super::*;

#[test]
fn usage_errors_redact_tokens() {
    for args in [
        vec!["login", TOKEN],
        vec!["whoami", TOKEN],
        vec!["traces", "search", "--json", TOKEN],
        vec!["traces", "search", "--table", TOKEN],
        vec!["traces", "search", "--limit", TOKEN],
    ] {
        let sb = Sandbox::new();
        let out = run(sb.kopai().args(&args));
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert_no_secret(&out, TOKEN);
        assert_no_secret(&out, &TOKEN[..12]);
        assert!(
            out.stderr.contains("[REDACTED]"),
            "{args:?}: {}",
            out.stderr
        );
    }
}

#[test]
fn usage_errors_redact_the_token_flag_and_env_values_whatever_they_look_like() {
    let secret = "correct-horse-battery";
    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args(["whoami", "--token", secret, &format!("x{secret}")]));
    assert_eq!(out.code, 2);
    assert_no_secret(&out, secret);
    let out = run(sb
        .kopai()
        .args(["whoami", &format!("x{secret}")])
        .env("KOPAI_TOKEN", secret));
    assert_eq!(out.code, 2);
    assert_no_secret(&out, secret);
    let out = run(sb
        .kopai()
        .args(["whoami", &format!("--token={secret}"), secret]));
    assert_eq!(out.code, 2);
    assert_no_secret(&out, secret);
}

#[test]
fn url_passwords_are_never_echoed() {
    for url in [
        "http://user:SECRETPW@ho st",
        "ftp://user:SECRETPW@host",
        "http://user:SECRETPW@host/?q=1",
        "http://user:SECRETPW@host",
    ] {
        let sb = Sandbox::new();
        let out = run(sb.kopai().args(["whoami", "--no-verify", "--url", url]));
        assert_eq!(out.code, 2, "{url}: {}", out.stderr);
        assert!(!out.stderr.contains("SECRETPW"), "{}", out.stderr);
        let out = run(sb.kopai().args(["whoami", url]));
        assert_eq!(out.code, 2, "{url}: {}", out.stderr);
        assert!(!out.stderr.contains("SECRETPW"), "{}", out.stderr);
    }
}

/// Found by tests/proptests.rs: a hand-edited savedAt holding the token was echoed whole.
#[test]
fn a_token_in_saved_at_is_not_echoed() {
    let sb = Sandbox::new();
    write_private(
        &sb.local_rc(),
        &format!(r#"{{"token":"{TOKEN}","savedAt":"{TOKEN}"}}"#),
    );
    let out = run(sb.kopai().args(["whoami", "--no-verify"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("ignoring savedAt `[REDACTED]`"),
        "{}",
        out.stderr
    );
    assert_no_secret(&out, TOKEN);
}
