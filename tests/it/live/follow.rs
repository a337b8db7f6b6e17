//! `--follow`: the newest rows first, then each new row once, through bursts, server errors,
//! a rejected token and Ctrl-C.

use super::*;

#[test]
fn follow_prints_the_newest_rows_oldest_first_then_each_new_row_once() {
    let fake = Fake::default();
    fake.add((1..=5).map(|n| span(n, n * 10)));
    let (_rt, server) = serve_fake(&fake, TRACES_SEARCH);
    let sb = Sandbox::new();
    let args = words("traces search --follow --json --limit 3 --interval 50ms -s checkout-api");
    let kopai = spawn(&sb, &server.uri(), &args);

    // The newest three, oldest first; JSON means NDJSON with --follow.
    let first = kopai.lines(3);
    assert_eq!(span_ids(&first), ids(&[3, 4, 5]));
    assert_eq!(
        parse(&first[0]),
        span(3, 30),
        "the row as the server sent it"
    );
    let sent = fake.wait_for_requests(2);
    assert_eq!(
        sent[0],
        json!({"serviceName": "checkout-api", "limit": 3, "sortOrder": "DESC"})
    );
    // Then polls oldest first, looking back (--lag) but not before the rows shown: the older
    // rows were there already and are not new.
    assert_eq!(
        sent[1],
        json!({
            "serviceName": "checkout-api",
            "timestampMin": (T0 + 31).to_string(),
            "limit": 3,
            "sortOrder": "ASC"
        })
    );

    // Rows arrive between polls: two in one nanosecond, one with the watermark's own time.
    fake.add([span(6, 50), span(7, 60), span(8, 60)]);
    assert_eq!(span_ids(&kopai.lines(3)), ids(&[6, 7, 8]));
    fake.wait_for_more_requests(2);
    fake.add([span(9, 70)]);
    assert_eq!(span_ids(&kopai.lines(1)), ids(&[9]));
    // Two more polls in which nothing is new: nothing may be printed twice.
    let sent = fake.wait_for_more_requests(2);
    assert_eq!(sent.last().unwrap()["timestampMin"], (T0 + 31).to_string());

    let ended = kopai.interrupt_cleanly();
    assert_eq!(ended.stderr, "");
}

#[test]
fn since_sets_the_start_and_every_row_since_is_printed() {
    let fake = Fake::default();
    fake.add((1..=4).map(|n| span(n, n)));
    let (_rt, server) = serve_fake(&fake, TRACES_SEARCH);
    let sb = Sandbox::new();
    let since = (T0 + 2).to_string();
    let mut args = words("traces search --follow -o ndjson --interval 50ms --timestamp-min");
    args.push(&since);
    let kopai = spawn(&sb, &server.uri(), &args);
    assert_eq!(span_ids(&kopai.lines(3)), ids(&[2, 3, 4]));
    let sent = fake.wait_for_requests(2);
    // Without --limit a poll asks for the largest pages: it reads the whole look-back.
    assert_eq!(
        sent[0],
        json!({"timestampMin": since, "limit": 1000, "sortOrder": "ASC"})
    );
    // Looking back 30 s from the newest row, but never before the start.
    assert_eq!(sent[1]["timestampMin"], since);
    kopai.interrupt_cleanly();
}

#[test]
fn a_burst_larger_than_a_page_is_walked_page_by_page_and_loses_nothing() {
    let fake = Fake::default();
    fake.add([span(1, 0)]);
    let (_rt, server) = serve_fake(&fake, TRACES_SEARCH);
    let sb = Sandbox::new();
    let args = words("traces search --follow --json --limit 2 --interval 50ms");
    let kopai = spawn(&sb, &server.uri(), &args);
    assert_eq!(span_ids(&kopai.lines(1)), ids(&[1]));
    fake.wait_for_requests(2);

    // Seven rows at once, three of them in the watermark's nanosecond and two sharing another.
    fake.add([
        span(2, 0),
        span(3, 0),
        span(4, 0),
        span(5, 5),
        span(6, 5),
        span(7, 9),
        span(8, 12),
    ]);
    assert_eq!(span_ids(&kopai.lines(7)), ids(&[2, 3, 4, 5, 6, 7, 8]));
    let sent = fake.wait_for_more_requests(2);
    assert!(
        sent.iter().any(|b| b.get("cursor").is_some()),
        "a full page made it follow nextCursor: {sent:?}"
    );
    kopai.interrupt_cleanly();
}

#[test]
fn rows_without_a_timestamp_are_skipped_with_one_warning() {
    let fake = Fake::default();
    let mut untimed = span(9, 0);
    untimed["Timestamp"] = Value::Null;
    fake.add([untimed, span(1, 0)]);
    let (_rt, server) = serve_fake(&fake, TRACES_SEARCH);
    let sb = Sandbox::new();
    let args = words("traces search --follow -o ndjson --interval 50ms");
    let kopai = spawn(&sb, &server.uri(), &args);
    assert_eq!(span_ids(&kopai.lines(1)), ids(&[1]));
    fake.wait_for_more_requests(2);
    fake.add([span(2, 5)]);
    assert_eq!(span_ids(&kopai.lines(1)), ids(&[2]));
    let ended = kopai.interrupt_cleanly();
    assert_eq!(
        ended.stderr,
        "warning: skipping rows without a valid Timestamp: they cannot be placed in time\n"
    );
}

#[test]
fn log_records_of_one_nanosecond_are_told_apart_by_their_content() {
    let fake = Fake::default();
    let (_rt, server) = serve_fake(&fake, LOGS_SEARCH);
    let sb = Sandbox::new();
    let args = words("logs search --follow -o ndjson --interval 50ms");
    let kopai = spawn(&sb, &server.uri(), &args);
    fake.wait_for_requests(2); // nothing yet: the tail was empty, the first poll too

    fake.add([log("payment accepted", 7)]);
    assert_eq!(parse(&kopai.line())["Body"], "payment accepted");
    fake.wait_for_more_requests(1);
    // Later, the same nanosecond: another record, and a second record identical to the first.
    fake.add([log("receipt sent", 7), log("payment accepted", 7)]);
    let bodies: Vec<Value> = kopai
        .lines(2)
        .iter()
        .map(|l| parse(l)["Body"].clone())
        .collect();
    assert_eq!(bodies, [json!("receipt sent"), json!("payment accepted")]);
    fake.wait_for_more_requests(2);
    kopai.interrupt_cleanly();
}

#[test]
fn server_errors_are_retried_with_one_message_and_no_gap_or_duplicate() {
    let fake = Fake::default();
    fake.add([span(1, 0)]);
    let (_rt, server) = serve_fake(&fake, TRACES_SEARCH);
    let sb = Sandbox::new();
    let args = words("traces search --follow --json --interval 50ms");
    let kopai = spawn(&sb, &server.uri(), &args);
    assert_eq!(span_ids(&kopai.lines(1)), ids(&[1]));
    fake.wait_for_requests(2);

    fake.fail_next(&[503, 502, 429, 500]);
    fake.add([span(2, 0), span(3, 1)]);
    assert_eq!(span_ids(&kopai.lines(2)), ids(&[2, 3]));
    fake.wait_for_more_requests(1);
    fake.add([span(4, 2)]);
    assert_eq!(span_ids(&kopai.lines(1)), ids(&[4]));
    let ended = kopai.interrupt_cleanly();
    assert_eq!(
        ended.stderr.matches("retrying").count(),
        1,
        "said once: {}",
        ended.stderr
    );
    assert!(ended.stderr.contains("(HTTP 503)"), "{}", ended.stderr);
}

#[test]
fn a_rejected_token_ends_follow_with_exit_4() {
    let fake = Fake::default();
    fake.add([span(1, 0)]);
    let (_rt, server) = serve_fake(&fake, TRACES_SEARCH);
    let sb = Sandbox::new();
    let args = words("traces search --follow --json --interval 50ms");
    let kopai = spawn(&sb, &server.uri(), &args);
    assert_eq!(span_ids(&kopai.lines(1)), ids(&[1]));
    fake.fail_next(&[401]);
    let ended = kopai.end();
    assert_eq!(ended.code, Some(4), "stderr: {}", ended.stderr);
    assert!(ended.rest.is_empty());
    let error = parse(ended.stderr.trim());
    assert_eq!(error["error"]["name"], "AuthError");
    assert_eq!(error["error"]["status"], 401);
}

#[test]
fn ctrl_c_ends_a_table_cleanly_with_every_row_printed() {
    let fake = Fake::default();
    fake.add((1..=2).map(|n| span(n, n)));
    let (_rt, server) = serve_fake(&fake, TRACES_SEARCH);
    let sb = Sandbox::new();
    let args = words("traces search --follow -t --interval 50ms");
    let kopai = spawn(&sb, &server.uri(), &args);
    let header = kopai.line();
    assert!(header.starts_with("TIME "), "{header}");
    assert!(kopai.line().contains("span 1"));
    assert!(kopai.line().contains("span 2"));
    fake.wait_for_requests(2);
    fake.add([span(3, 3)]);
    let row = kopai.line();
    assert!(row.contains("span 3"), "{row}");
    assert_eq!(
        row.find("span 3"),
        header.find("NAME"),
        "columns hold still"
    );
    kopai.interrupt_cleanly();
}

#[test]
fn ctrl_c_before_anything_arrived_still_ends_cleanly() {
    let fake = Fake::default();
    let (_rt, server) = serve_fake(&fake, LOGS_SEARCH);
    let sb = Sandbox::new();
    let kopai = spawn(&sb, &server.uri(), &words("logs search --follow -o csv"));
    fake.wait_for_requests(1);
    let ended = kopai.interrupt_cleanly();
    assert_eq!(ended.stderr, "");
}

/// On a terminal: a table without being asked, and Ctrl-C typed at the keyboard (the terminal
/// sends SIGINT to kopai) ends it with 130. (How the table fits the width is the table's business,
/// tested with it.)
#[cfg(unix)]
#[test]
fn on_a_terminal_follow_prints_a_table_until_ctrl_c() {
    use rexpect::process::WaitStatus;

    let fake = Fake::default();
    fake.add([span(1, 1)]);
    let (_rt, server) = serve_fake(&fake, TRACES_SEARCH);
    let sb = Sandbox::new();
    let mut cmd = sb.process();
    cmd.args(words("traces search --follow --interval 50ms"))
        .args(["--url", &server.uri(), "--token", TOKEN])
        .env("COLUMNS", "200");
    let mut session = rexpect::session::spawn_command(cmd, Some(15_000)).expect("pty");
    let header = session.exp_string("span 1").expect("the first row");
    assert!(
        header.contains("TIME") && header.contains("DURATION"),
        "{header:?}"
    );
    fake.wait_for_requests(2);
    fake.add([span(2, 2)]);
    session.exp_string("span 2").expect("a new row");
    session.send_control('c').expect("Ctrl-C");
    let rest = session.exp_eof().expect("ends");
    let status = session.process().wait().expect("exit status");
    assert!(
        matches!(status, WaitStatus::Exited(_, 130)),
        "{status:?}: {rest:?}"
    );
    assert!(!rest.contains("span"), "nothing printed twice: {rest:?}");
}

/// A failing server's title is shown in the retry warning without its escape sequences.
#[tokio::test]
async fn the_retry_warning_strips_escape_sequences() {
    let server = MockServer::start().await;
    let problem = r#"{"title":"\u001b]0;PWNED\u0007\u001b[2J","detail":"x\u001b[31mred"}"#;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_raw(problem, "application/json"))
        .mount(&server)
        .await;
    let out = kopai_at(
        &server.uri(),
        &words("logs search --wait 300ms --interval 50ms --table"),
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("warning: "), "{}", out.stderr);
    assert!(!out.stderr.contains('\u{1b}'), "{:?}", out.stderr);
    assert!(!out.stderr.contains('\u{7}'), "{:?}", out.stderr);
}

/// `logs search --follow` on a terminal prints the same lines as a search: time, service,
/// severity and body, each new record once as it arrives.
#[cfg(unix)]
#[test]
fn on_a_terminal_logs_follow_prints_lines() {
    let fake = Fake::default();
    fake.add([log("first record", 1)]);
    let (_rt, server) = serve_fake(&fake, LOGS_SEARCH);
    let sb = Sandbox::new();
    let mut cmd = sb.process();
    cmd.args(words("logs search --follow --interval 50ms --utc"))
        .args(["--url", &server.uri(), "--token", TOKEN])
        .env("COLUMNS", "80")
        .env("NO_COLOR", "1")
        .env("KOPAI_TEST_TODAY", "2026-11-27");
    let mut session = rexpect::session::spawn_command(cmd, Some(15_000)).expect("pty");
    session
        .exp_string("23:00:00.000Z payment-service INFO  first record")
        .expect("the first record as a line");
    fake.wait_for_requests(2);
    fake.add([log("second record", 2)]);
    session
        .exp_string("23:00:00.000Z payment-service INFO  second record")
        .expect("a new record as a line");
    session.send_control('c').expect("Ctrl-C");
    let rest = session.exp_eof().expect("ends");
    assert!(!rest.contains("record"), "nothing printed twice: {rest:?}");
    assert!(!rest.contains("TIME"), "no table: {rest:?}");
}
