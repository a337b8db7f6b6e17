//! The daily reminder that a saved token nears its 90 days: on a terminal only, once a day,
//! naming the `kopai login` that renews it. Run through a pseudo-terminal.
#![cfg(unix)]

use std::fs;
use std::path::PathBuf;

use crate::common::*;

fn days_ago(days: i64) -> String {
    (jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * days)).to_string()
}

fn reminder_file(sb: &Sandbox) -> PathBuf {
    sb.home.join(".cache/kopai/token-age-warned")
}

/// `kopai ARGS` on a terminal; everything it printed there.
fn on_terminal(sb: &Sandbox, args: &[&str]) -> String {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kopai"));
    cmd.args(args);
    sb.configure(&mut cmd);
    cmd.env("NO_COLOR", "1");
    screen(cmd)
}

/// What `cmd` printed on a terminal (rexpect hands back each byte as one character).
fn screen(cmd: std::process::Command) -> String {
    let mut session = rexpect::session::spawn_command(cmd, Some(10_000)).expect("pty");
    let bytes: Vec<u8> = session
        .exp_eof()
        .expect("exits")
        .chars()
        .map(|c| c as u8)
        .collect();
    String::from_utf8(bytes).expect("UTF-8 on the terminal")
}

/// A sandbox whose ./.kopairc holds a token for `url` saved 80 days ago.
fn saved_80_days_ago(url: &str) -> Sandbox {
    let sb = Sandbox::new();
    write_private(
        &sb.local_rc(),
        &format!(
            r#"{{"url": "{url}", "token": "{TOKEN}", "savedAt": "{}"}}"#,
            days_ago(80)
        ),
    );
    sb
}

#[tokio::test]
async fn every_command_warns_once_a_day_on_a_terminal() {
    let server = accepting_server().await;
    let sb = saved_80_days_ago(&server.uri());
    let expected = "warning: this token expires in about 10 days (CLI tokens last 90); \
                    create a new one (Settings → Access Tokens) and run `kopai login`";

    // In a pipe: no warning, and nothing remembered.
    let out = run(sb.kopai().args(["traces", "search"]));
    assert_ok(&out);
    assert!(!out.stderr.contains("expires"), "{}", out.stderr);
    assert!(!reminder_file(&sb).exists());

    let screen = on_terminal(&sb, &["traces", "search"]);
    assert!(screen.contains(expected), "{screen:?}");
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(reminder_file(&sb))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode, 0o600);

    // The same day: not again.
    let screen = on_terminal(&sb, &["traces", "search"]);
    assert!(!screen.contains("expires"), "{screen:?}");

    // A day later (the last reminder moved back 25 hours): again.
    let yesterday = jiff::Timestamp::now().as_second() - 25 * 3600;
    fs::write(reminder_file(&sb), format!("{yesterday}\n")).unwrap();
    let screen = on_terminal(&sb, &["traces", "search"]);
    assert!(screen.contains(expected), "{screen:?}");

    // -q silences it.
    fs::remove_file(reminder_file(&sb)).unwrap();
    let screen = on_terminal(&sb, &["traces", "search", "-q"]);
    assert!(!screen.contains("expires"), "{screen:?}");
}

#[tokio::test]
async fn the_reminder_names_the_profile_and_file_to_renew() {
    let server = accepting_server().await;
    let sb = Sandbox::new();
    let rc = format!(
        r#"{{"profiles": {{"staging": {{"url": "{}", "token": "{TOKEN}", "savedAt": "{}"}}}}}}"#,
        server.uri(),
        days_ago(95)
    );
    write_private(&sb.home_rc(), &rc);
    let screen = on_terminal(&sb, &["traces", "search", "--profile", "staging"]);
    assert!(
        screen.contains(
            "warning: this token was saved 95 days ago and CLI tokens expire after 90 days; \
             create a new one (Settings → Access Tokens) and run `kopai login --global --profile staging`"
        ),
        "{screen:?}"
    );

    let named = sb.cwd.join("my config.json");
    write_private(&named, &rc);
    fs::remove_file(reminder_file(&sb)).unwrap();
    let screen = on_terminal(
        &sb,
        &[
            "traces",
            "search",
            "--profile",
            "staging",
            "--config",
            "my config.json",
        ],
    );
    let expected = format!(
        "run `kopai login --config '{}' --profile staging`",
        named.display()
    );
    assert!(screen.contains(&expected), "{screen:?}");
}

#[tokio::test]
async fn an_unwritable_cache_never_stops_a_command() {
    let server = accepting_server().await;
    let sb = saved_80_days_ago(&server.uri());
    // A file where the cache directory should be.
    write(&sb.home.join(".cache"), "not a directory");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kopai"));
    cmd.args(["traces", "search"]);
    sb.configure(&mut cmd);
    let screen = screen(cmd);
    assert!(screen.contains("expires in about 10 days"), "{screen:?}");
    assert!(!screen.contains("error:"), "{screen:?}");
}
