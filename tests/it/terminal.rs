//! Behaviour that needs a real terminal: the hidden token prompt, tables and progress, and
//! what server text may do there.
#![cfg(unix)]

use crate::common::*;

/// rexpect turns echo off by itself, which would hide a plain `read_line`; `stty echo` first
/// makes the test fail unless kopai switches echo off on its own.
#[test]
fn the_token_prompt_does_not_echo() {
    typed_token_is_not_echoed(
        &["login", "--no-verify"],
        "Token: ",
        "Logged in. Token: ",
        TOKEN,
    );
}

/// `login --ingest` asks for the ingest token as `login` asks for the CLI token: hidden.
#[test]
fn the_ingest_token_prompt_does_not_echo() {
    typed_token_is_not_echoed(
        &["login", "--ingest"],
        "Ingest token: ",
        "Ingest token saved: ",
        "kpi_ingest_0123456789abcdefghijklmnopq",
    );
}

/// Runs kopai with `args` on a terminal with echo on, types `token` at `prompt`, and checks
/// that it was never shown, that its prefix follows `done`, and that it was saved.
fn typed_token_is_not_echoed(args: &[&str], prompt: &str, done: &str, token: &str) {
    let sb = Sandbox::new();
    let mut cmd = std::process::Command::new("sh");
    cmd.args(["-c", "stty echo; exec \"$@\"", "sh"])
        .arg(env!("CARGO_BIN_EXE_kopai"))
        .args(args);
    sb.configure(&mut cmd);

    let mut session = rexpect::session::spawn_command(cmd, Some(10_000)).expect("pty");
    session.exp_string(prompt).expect("prompt");
    session.send_line(token).expect("typed");
    let shown = session.exp_string(done).expect("saved");
    let rest = session.exp_eof().expect("exits");
    assert!(!shown.contains(token), "the token was echoed: {shown:?}");
    assert!(!rest.contains(token), "the token was printed: {rest:?}");
    assert!(rest.starts_with(&token[..10]), "{rest:?}");
    assert!(read(&sb.local_rc()).contains(token));
}

/// The server that will get the token is named before the token is asked for.
#[test]
fn login_names_the_server_before_the_prompt() {
    let sb = Sandbox::new();
    let mut cmd = sb.process();
    cmd.args(["login", "--no-verify", "--url", "http://127.0.0.1:9"]);
    let mut session = rexpect::session::spawn_command(cmd, Some(10_000)).expect("pty");
    let before = session.exp_string("Token: ").expect("prompt");
    assert!(
        before.contains("Logging in to http://127.0.0.1:9"),
        "{before:?}"
    );
    session.send_line(TOKEN).expect("typed");
    let rest = session.exp_eof().expect("exits");
    assert!(!rest.contains("Logging in"), "said twice: {rest:?}");
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
/// on stderr, erased once it is done (not at all with `-q`).
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

    let screen = |extra: &[&str]| {
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
        ])
        .args(extra);
        sb.configure(&mut cmd);
        let mut session = rexpect::session::spawn_command(cmd, Some(10_000)).expect("pty");
        session.exp_eof().expect("exits")
    };
    let shown = screen(&[]);
    assert!(shown.contains("\rFetched 8 rows"), "{shown:?}");
    assert!(shown.contains("\r\x1b[K"), "progress erased: {shown:?}");
    assert!(
        shown.contains("TIME") && shown.contains("DURATION"),
        "{shown:?}"
    );
    assert!(!shown.contains("\"SpanId\""), "not JSON: {shown:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);

    // -q: the same table, no progress.
    let quiet = screen(&["-q"]);
    assert!(!quiet.contains("Fetched"), "{quiet:?}");
    assert!(!quiet.contains("\r\x1b[K"), "{quiet:?}");
    assert!(
        quiet.contains("TIME") && quiet.contains("DURATION"),
        "{quiet:?}"
    );
}

/// Server text that would drive a terminal (an OSC title, a bell, a right-to-left override)
/// is neutralised in every format a person reads there: the table, the waterfall and CSV.
#[tokio::test]
async fn escape_sequences_from_the_server_never_reach_the_terminal() {
    const TRACE: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
    let span = serde_json::json!([{
        "TraceId": TRACE,
        "SpanId": "00f067aa0ba902b7",
        "ParentSpanId": "",
        "SpanName": "a\u{1b}]0;pwned\u{7}b\u{202e}c",
        "ServiceName": "checkout-api",
        "SpanKind": "SPAN_KIND_SERVER",
        "StatusCode": "STATUS_CODE_OK",
        "Timestamp": "1795820400000000000",
        "Duration": "1000000"
    }]);
    let page = serde_json::json!({"data": span, "nextCursor": null}).to_string();
    let search = serve("POST", "/signals/traces/search", json_response(&page)).await;
    let get = serve(
        "GET",
        &format!("/signals/traces/{TRACE}"),
        json_response(&span.to_string()),
    )
    .await;
    let cases: [(&str, Vec<&str>); 3] = [
        (&search.uri(), vec!["traces", "search"]),
        (&get.uri(), vec!["traces", "get", TRACE]),
        (&search.uri(), vec!["traces", "search", "-o", "csv"]),
    ];
    for (url, args) in cases {
        let sb = Sandbox::new();
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kopai"));
        cmd.args(&args).args(["--url", url, "--token", TOKEN]);
        sb.configure(&mut cmd);
        cmd.env("NO_COLOR", "1").env("COLUMNS", "200");
        let mut session = rexpect::session::spawn_command(cmd, Some(10_000)).expect("pty");
        // rexpect hands back each byte as one character.
        let screen: String = session.exp_eof().expect("exits");
        let bytes: Vec<u8> = screen.chars().map(|c| c as u8).collect();
        let screen = String::from_utf8(bytes).expect("UTF-8 on the terminal");
        assert!(
            screen.contains("a\u{fffd}]0;pwned\u{fffd}b\u{fffd}c"),
            "{args:?}: {screen:?}"
        );
        assert!(!screen.contains('\u{1b}'), "{args:?}: {screen:?}");
        assert!(!screen.contains('\u{7}'), "{args:?}: {screen:?}");
        assert!(!screen.contains('\u{202e}'), "{args:?}: {screen:?}");
    }
}

/// CSV and TSV on a terminal: a line break or tab inside a value becomes a space (as in a
/// table), so a row stays one line on the screen.
#[tokio::test]
async fn csv_on_a_terminal_keeps_each_row_on_one_line() {
    let page = r#"{"data":[{"Body":"one\ntwo\tthree\r\nfour"}],"nextCursor":null}"#;
    let server = serve("POST", "/signals/logs/search", json_response(page)).await;
    for format in ["csv", "tsv"] {
        let sb = Sandbox::new();
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kopai"));
        cmd.args(["logs", "search", "-o", format, "--url", &server.uri()]);
        sb.configure(&mut cmd);
        let mut session = rexpect::session::spawn_command(cmd, Some(10_000)).expect("pty");
        let screen = session.exp_eof().expect("exits");
        assert!(
            screen.contains("\none two three  four\r"),
            "{format}: {screen:?}"
        );
    }
}

/// On a terminal a table has a bold header, unless `--color never` says otherwise; `-q`
/// leaves the hint about more pages out and the table in.
#[tokio::test]
async fn color_never_and_quiet_on_a_terminal() {
    let server = serve_fixture("POST", "/signals/traces/search", "traces-search-page1.json").await;
    let screen = |extra: &[&str]| {
        let sb = Sandbox::new();
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kopai"));
        cmd.args(["traces", "search", "--url", &server.uri(), "--token", TOKEN])
            .args(extra);
        sb.configure(&mut cmd);
        let mut session = rexpect::session::spawn_command(cmd, Some(10_000)).expect("pty");
        session.exp_eof().expect("exits")
    };
    let coloured = screen(&[]);
    assert!(coloured.contains("\x1b[1mTIME"), "{coloured:?}");
    let plain = screen(&["--color", "never"]);
    assert!(plain.contains("TIME"), "{plain:?}");
    assert!(!plain.contains('\x1b'), "{plain:?}");
    let quiet = screen(&["-q", "--limit", "8"]);
    assert!(quiet.contains("TIME"), "{quiet:?}");
    assert!(!quiet.contains("hint:"), "{quiet:?}");
    let loud = screen(&["--limit", "8"]);
    assert!(loud.contains("hint: there are more results"), "{loud:?}");
}
