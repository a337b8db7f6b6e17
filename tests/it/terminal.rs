//! Behaviour that needs a real terminal: the hidden token prompt.
#![cfg(unix)]

use crate::common::*;

/// rexpect turns echo off by itself, which would hide a plain `read_line`; `stty echo` first
/// makes the test fail unless kopai switches echo off on its own.
#[test]
fn the_token_prompt_does_not_echo() {
    let sb = Sandbox::new();
    let mut cmd = std::process::Command::new("sh");
    cmd.args(["-c", "stty echo; exec \"$@\"", "sh"])
        .arg(env!("CARGO_BIN_EXE_kopai"))
        .args(["login", "--no-verify"]);
    sb.configure(&mut cmd);

    let mut session = rexpect::session::spawn_command(cmd, Some(10_000)).expect("pty");
    session.exp_string("Token: ").expect("prompt");
    session.send_line(TOKEN).expect("typed");
    let shown = session.exp_string("Logged in. Token: ").expect("logged in");
    let rest = session.exp_eof().expect("exits");
    assert!(!shown.contains(TOKEN), "the token was echoed: {shown:?}");
    assert!(!rest.contains(TOKEN), "the token was printed: {rest:?}");
    assert!(rest.starts_with(PREFIX), "{rest:?}");
    assert!(read(&sb.local_rc()).contains(TOKEN));
}

#[test]
fn a_plain_read_would_have_echoed() {
    // Guards the guard: with echo on, what is typed does come back.
    let mut cmd = std::process::Command::new("sh");
    cmd.args(["-c", "stty echo; echo ready; read line; echo done"]);
    let mut session = rexpect::session::spawn_command(cmd, Some(10_000)).expect("pty");
    session.exp_string("ready").expect("ready");
    session.send_line("visible-text").expect("typed");
    let shown = session.exp_string("done").expect("done");
    assert!(shown.contains("visible-text"), "{shown:?}");
}

/// On a terminal, a query prints a table without being asked, and `--all` shows its progress
/// on stderr, erased once it is done.
#[tokio::test]
async fn a_terminal_gets_a_table_and_a_progress_line() {
    use wiremock::matchers::{body_partial_json, method};
    use wiremock::{Mock, MockServer};

    let server = MockServer::start().await;
    let page1 = fixture("traces-search-page1.json");
    let cursor: serde_json::Value =
        serde_json::from_str::<serde_json::Value>(&page1).unwrap()["nextCursor"].clone();
    Mock::given(method("POST"))
        .and(body_partial_json(serde_json::json!({ "cursor": cursor })))
        .respond_with(json_response(EMPTY_PAGE))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(json_response(&page1))
        .with_priority(2)
        .mount(&server)
        .await;

    let sb = Sandbox::new();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kopai"));
    cmd.args([
        "traces",
        "search",
        "--all",
        "--url",
        &server.uri(),
        "--token",
        TOKEN,
    ]);
    sb.configure(&mut cmd);
    let mut session = rexpect::session::spawn_command(cmd, Some(10_000)).expect("pty");
    let screen = session.exp_eof().expect("exits");
    assert!(screen.contains("\rFetched 8 rows"), "{screen:?}");
    assert!(screen.contains("\r\x1b[K"), "progress erased: {screen:?}");
    assert!(
        screen.contains("TIME") && screen.contains("DURATION"),
        "{screen:?}"
    );
    assert!(!screen.contains("\"SpanId\""), "not JSON: {screen:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}
