//! `kopai login --ingest` and `logout --ingest`: the ingest token saved and removed with the
//! same care as the CLI token, never touching the CLI token, the URL or anything else.

use std::fs;

use crate::common::*;

const INGEST: &str = "kpi_ingest_0123456789abcdefghijklmnopq";
const INGEST_PREFIX: &str = "kpi_ingest...";

/// A file with the CLI token, its age, unknown keys and a named profile, in an odd key order.
const BEFORE: &str = r#"{
  "team": "payments",
  "token": "kpi_live_0123456789abcdefghijklmnopqrstuv",
  "nested": {"z": [1, 2.50], "a": null},
  "url": "http://127.0.0.1:9",
  "savedAt": "2026-11-30T10:00:00Z",
  "profiles": {"staging": {"url": "http://127.0.0.1:7", "x": 1}}
}"#;

#[test]
fn login_ingest_saves_only_the_ingest_token() {
    let sb = Sandbox::new();
    write_private(&sb.local_rc(), BEFORE);
    let out = login_ingest(&sb, &[], format!("  {INGEST}  \n"));
    assert_ok(&out);
    assert_eq!(out.stdout, format!("Ingest token saved: {INGEST_PREFIX}\n"));
    assert_eq!(
        sb.scrub(&out.stderr),
        "Saved as ingest_token in [CWD]/.kopairc\n"
    );
    assert_no_secret(&out, INGEST);
    // Nothing else moved: the CLI token, its URL and age, unknown keys, their order and the
    // numbers as written; the ingest token goes last at the top level.
    insta::assert_snapshot!(read(&sb.local_rc()));
    assert_private(&sb.local_rc());
}

#[test]
fn login_ingest_with_a_profile_saves_under_it() {
    let sb = Sandbox::new();
    write_private(&sb.local_rc(), BEFORE);
    let out = login_ingest(&sb, &["--profile", "staging"], INGEST);
    assert_ok(&out);
    assert_eq!(
        sb.scrub(&out.stderr),
        "Saved as ingest_token in [CWD]/.kopairc, profile staging\n"
    );
    let config = saved(&sb.local_rc());
    assert_eq!(
        config["profiles"],
        serde_json::json!({"staging": {"url": "http://127.0.0.1:7", "x": 1, "ingest_token": INGEST}})
    );
    assert!(config.get("ingest_token").is_none());
    assert_eq!(config["token"], TOKEN);

    // A profile the file does not have yet is added, as `login` adds one.
    let out = login_ingest(&sb, &["--profile", "ci"], INGEST);
    assert_ok(&out);
    assert_eq!(
        saved(&sb.local_rc())["profiles"]["ci"],
        serde_json::json!({"ingest_token": INGEST})
    );
}

/// The file is created 0600 when there is none, and made 0600 when it was not.
#[cfg(unix)]
#[test]
fn login_ingest_writes_a_private_file() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    let out = login_ingest(&sb, &["--global"], INGEST);
    assert_ok(&out);
    assert_eq!(
        read(&sb.home_rc()),
        format!("{{\n  \"ingest_token\": \"{INGEST}\"\n}}\n")
    );
    assert_private(&sb.home_rc());
    assert!(!sb.local_rc().exists());

    write(&sb.local_rc(), r#"{"url": "http://127.0.0.1:9"}"#);
    fs::set_permissions(sb.local_rc(), fs::Permissions::from_mode(0o644)).unwrap();
    assert_ok(&login_ingest(&sb, &[], INGEST));
    assert_private(&sb.local_rc());
}

#[cfg(unix)]
#[test]
fn login_ingest_keeps_a_symlink() {
    let sb = Sandbox::new();
    let real = sb.home.join("dotfiles/kopairc.json");
    write(&real, r#"{"url": "http://127.0.0.1:9", "keep": true}"#);
    std::os::unix::fs::symlink(&real, sb.local_rc()).unwrap();
    let out = login_ingest(&sb, &[], INGEST);
    assert_ok(&out);
    assert!(fs::symlink_metadata(sb.local_rc())
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        read(&real),
        format!(
            "{{\n  \"url\": \"http://127.0.0.1:9\",\n  \"keep\": true,\n  \"ingest_token\": \"{INGEST}\"\n}}\n"
        )
    );
    // The temp file went next to the target, and is gone.
    assert_eq!(fs::read_dir(real.parent().unwrap()).unwrap().count(), 1);
}

#[test]
fn login_ingest_refuses_what_it_cannot_save() {
    let sb = Sandbox::new();
    write_private(&sb.local_rc(), BEFORE);
    let cases: [(&[&str], &str, &str); 4] = [
        (
            &[],
            "",
            "error: no ingest token: stdin is not a terminal and is empty\n\
             hint: pipe it in (`echo \"$KOPAI_INGEST_TOKEN\" | kopai login --ingest`)\n",
        ),
        (
            &[],
            "\n",
            "error: the ingest token from stdin: Token cannot be empty.\n",
        ),
        (
            &[],
            "kpi_ingest_0123 4567\n",
            "error: the ingest token from stdin: the token contains whitespace at character 16; \
             paste it again without it\n",
        ),
        (
            &["--token", INGEST],
            INGEST,
            "error: --token gives the CLI token; `kopai login --ingest` reads the ingest token \
             from the prompt or stdin\n\
             hint: pipe it in (`echo \"$KOPAI_INGEST_TOKEN\" | kopai login --ingest`)\n",
        ),
    ];
    for (flags, stdin, stderr) in cases {
        let out = login_ingest(&sb, flags, stdin);
        assert_eq!(out.code, 2, "{stdin:?}: {}", out.stderr);
        assert_eq!(out.stdout, "");
        assert_eq!(out.stderr, stderr);
        assert_no_secret(&out, INGEST);
    }
    assert_eq!(read(&sb.local_rc()), BEFORE, "file changed");

    // A file kopai cannot parse is never overwritten.
    write(&sb.local_rc(), "{\"token\": 5}");
    let out = login_ingest(&sb, &[], INGEST);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert_eq!(read(&sb.local_rc()), "{\"token\": 5}");
}

/// The CLI token is read-only: saving it as the ingest token is almost certainly a mistake.
#[test]
fn the_cli_token_as_ingest_token_is_warned_about() {
    let sb = Sandbox::new();
    write_private(&sb.local_rc(), BEFORE);
    let out = login_ingest(&sb, &[], TOKEN);
    assert_ok(&out);
    assert!(
        out.stderr.starts_with(
            "warning: this is the CLI token, which is read-only and cannot ingest (only a local \
             server, which accepts any token, takes it); saving it anyway\n"
        ),
        "{}",
        out.stderr
    );
    assert_no_secret(&out, TOKEN);
    assert_eq!(saved(&sb.local_rc())["ingest_token"], TOKEN);

    let out = run(sb
        .kopai()
        .args(["login", "--ingest"])
        .env("KOPAI_INGEST_TOKEN", INGEST)
        .write_stdin(INGEST));
    assert_ok(&out);
    assert_eq!(
        sb.scrub(&out.stderr),
        "Saved as ingest_token in [CWD]/.kopairc\n\
         note: KOPAI_INGEST_TOKEN is set and takes precedence over the saved ingest token\n"
    );
}

#[test]
fn logout_ingest_removes_only_the_ingest_token() {
    let sb = Sandbox::new();
    write_private(&sb.local_rc(), BEFORE);
    assert_ok(&login_ingest(&sb, &[], INGEST));

    let out = run(sb.kopai().args(["logout", "--ingest"]));
    assert_ok(&out);
    assert_eq!(out.stdout, "Ingest token removed.\n");
    assert_eq!(
        sb.scrub(&out.stderr),
        "Removed the ingest token from [CWD]/.kopairc. It stays valid on the server until it \
         expires; revoke it in the dashboard (Settings → Access Tokens) if it may have leaked.\n"
    );
    // Back to the file as it was, byte for byte but for the pretty-printing of the first save.
    assert_eq!(
        saved(&sb.local_rc()),
        serde_json::from_str::<serde_json::Value>(BEFORE).unwrap()
    );
    assert_eq!(
        keys(&saved(&sb.local_rc())),
        ["team", "token", "nested", "url", "savedAt", "profiles"]
    );

    let out = run(sb.kopai().args(["logout", "--ingest"]));
    assert_ok(&out);
    assert_eq!(out.stdout, "No ingest token saved.\n");
}

/// Plain `logout` removes the CLI token only: the ingest token is another credential, used by
/// `send` and `exec` in scripts that never log in.
#[test]
fn plain_logout_keeps_the_ingest_token_and_says_so() {
    let sb = Sandbox::new();
    write_private(&sb.local_rc(), BEFORE);
    assert_ok(&login_ingest(&sb, &[], INGEST));
    let out = run(sb.kopai().arg("logout"));
    assert_ok(&out);
    assert_eq!(out.stdout, "Logged out.\n");
    assert!(
        out.stderr
            .ends_with("note: the ingest token is kept; `kopai logout --ingest` removes it\n"),
        "{}",
        out.stderr
    );
    let config = saved(&sb.local_rc());
    assert!(config.get("token").is_none());
    assert_eq!(config["ingest_token"], INGEST);
}

#[test]
fn logout_ingest_points_at_the_global_one() {
    let sb = Sandbox::new();
    write_private(
        &sb.home_rc(),
        &format!(r#"{{"profiles": {{"ci": {{"ingest_token": "{INGEST}"}}}}}}"#),
    );
    write_private(&sb.local_rc(), r#"{"profiles": {"ci": {}}}"#);
    let out = run(sb.kopai().args(["logout", "--ingest", "--profile", "ci"]));
    assert_ok(&out);
    assert_eq!(out.stdout, "No ingest token saved.\n");
    assert_eq!(
        out.stderr,
        "note: there is no ingest token in ./.kopairc, but ~/.kopairc holds one; run \
         `kopai logout --global --ingest --profile ci` to remove it\n"
    );
    let out = run(sb
        .kopai()
        .args(["logout", "--ingest", "--global", "--profile", "ci"]));
    assert_ok(&out);
    assert_eq!(
        saved(&sb.home_rc()),
        serde_json::json!({"profiles": {"ci": {}}})
    );
}

#[cfg(unix)]
fn assert_private(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    let mode = fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{}", path.display());
}

#[cfg(not(unix))]
fn assert_private(_path: &std::path::Path) {}

fn login_ingest(sb: &Sandbox, flags: &[&str], stdin: impl Into<Vec<u8>>) -> Output {
    run(sb
        .kopai()
        .args(["login", "--ingest"])
        .args(flags)
        .write_stdin(stdin))
}

/// What `login --ingest --profile` saved is the token `kopai send --profile` sends with; once
/// `logout --ingest` removed it, the span goes without one.
#[tokio::test]
async fn send_uses_the_ingest_token_login_saved_until_logout() {
    let server = crate::send::receiver(wiremock::ResponseTemplate::new(200)).await;
    let sb = Sandbox::new();
    write_private(&sb.local_rc(), BEFORE);
    assert_ok(&login_ingest(&sb, &["--profile", "staging"], INGEST));
    let send = || {
        run(sb.kopai().args([
            "send",
            "span",
            "--name",
            "a",
            "--profile",
            "staging",
            "--otlp-url",
            &server.uri(),
        ]))
    };
    let out = send();
    assert_ok(&out);
    assert_no_secret(&out, INGEST);
    let authorization = |i: usize, sent: &[wiremock::Request]| {
        sent[i]
            .headers
            .get("authorization")
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(authorization(0, &sent), Some(format!("Bearer {INGEST}")));

    assert_ok(&run(sb.kopai().args([
        "logout",
        "--ingest",
        "--profile",
        "staging",
    ])));
    let out = send();
    assert_ok(&out);
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(authorization(1, &sent), None, "the removed token was sent");
}
