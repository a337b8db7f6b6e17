//! `--wait`: poll until a row matches, ride out a failing or unreachable server, exit 5 when
//! nothing matched; and the live flags' own checks.

use super::*;

#[test]
fn wait_polls_until_a_row_matches_then_prints_as_usual() {
    let fake = Fake::default();
    let (_rt, server) = serve_fake(&fake, TRACES_SEARCH);
    let sb = Sandbox::new();
    let args = words("traces search --wait 20s --interval 50ms --json --limit 5");
    let kopai = spawn(&sb, &server.uri(), &args);
    let sent = fake.wait_for_requests(2);
    assert_eq!(sent[0], json!({"limit": 1}), "a cheap probe");
    fake.add([span(1, 1), span(2, 2)]);
    let ended = kopai.end();
    assert_eq!(ended.code, Some(0), "stderr: {}", ended.stderr);
    let printed: Value = serde_json::from_str(&ended.rest.join("\n")).unwrap();
    assert_eq!(printed, json!([span(2, 2), span(1, 1)]));
    assert_eq!(fake.requests().last().unwrap(), &json!({"limit": 5}));
}

#[test]
fn wait_rides_out_a_failing_server() {
    let fake = Fake::default();
    fake.fail_next(&[503, 503]);
    fake.add([span(1, 1)]);
    let (_rt, server) = serve_fake(&fake, LOGS_SEARCH);
    let sb = Sandbox::new();
    let args = words("logs search --wait 20s --interval 50ms -o ndjson");
    let ended = spawn(&sb, &server.uri(), &args).end();
    assert_eq!(ended.code, Some(0), "stderr: {}", ended.stderr);
    assert_eq!(ended.rest.len(), 1);
    assert_eq!(
        ended.stderr.matches("retrying").count(),
        1,
        "{}",
        ended.stderr
    );
}

#[test]
fn wait_without_a_match_exits_5() {
    let fake = Fake::default();
    let (_rt, server) = serve_fake(&fake, TRACES_SEARCH);
    let sb = Sandbox::new();
    let started = Instant::now();
    let args = words("traces search --wait 300ms --interval 50ms -t");
    let ended = spawn(&sb, &server.uri(), &args).end();
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(ended.code, Some(5), "stderr: {}", ended.stderr);
    assert!(ended.rest.is_empty(), "nothing on stdout: {:?}", ended.rest);
    assert_eq!(ended.stderr, "error: no matching rows after 300ms\n");
    assert!(
        fake.requests().len() >= 2,
        "polled again at the deadline: {:?}",
        fake.requests()
    );

    // In JSON, the error is one JSON object.
    let ended = spawn(
        &sb,
        &server.uri(),
        &words("traces search --wait 100ms --json"),
    )
    .end();
    assert_eq!(ended.code, Some(5));
    assert_eq!(
        parse(ended.stderr.trim()),
        json!({"error": {"name": "NoMatchError", "message": "no matching rows after 100ms"}})
    );
}

#[test]
fn wait_ends_at_once_on_a_rejected_token() {
    let fake = Fake::default();
    fake.fail_next(&[403]);
    let (_rt, server) = serve_fake(&fake, TRACES_SEARCH);
    let sb = Sandbox::new();
    let ended = spawn(&sb, &server.uri(), &words("traces search --wait 20s -t")).end();
    assert_eq!(ended.code, Some(4), "stderr: {}", ended.stderr);
    assert_eq!(fake.requests().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Usage

#[test]
fn live_flags_are_checked_before_any_request() {
    let sb = Sandbox::new();
    let cases: &[(&str, &str)] = &[
        (
            "logs search --follow --aggregate count --group-by k",
            "--follow does not work with --aggregate",
        ),
        (
            "traces search -o csv --json",
            "'--output <FORMAT>' cannot be used with '--json'",
        ),
        (
            "logs search -t --output ndjson",
            "'--table' cannot be used with '--output",
        ),
        (
            "traces search -o xml",
            "invalid value 'xml' for '--output <FORMAT>'",
        ),
        (
            "traces search --follow --all",
            "'--follow' cannot be used with '--all'",
        ),
        (
            "logs search --follow --wait 5s",
            "cannot be used with '--wait",
        ),
        (
            "traces summaries --follow",
            "unexpected argument '--follow'",
        ),
        (
            "logs search --wait 5",
            "invalid value '5' for '--wait <DURATION>'",
        ),
        (
            "traces search --interval 1s",
            "--interval works only with --follow or --wait",
        ),
    ];
    for &(line, message) in cases {
        let mut cmd = sb.kopai();
        cmd.args(words(line)).args(["--url", "http://127.0.0.1:9"]);
        let out = run(&mut cmd);
        assert_eq!(out.code, 2, "{line}: {}", out.stderr);
        assert!(out.stderr.contains(message), "{line}: {}", out.stderr);
        assert_eq!(out.stdout, "");
    }
}

// ---------------------------------------------------------------------------------------------
// Output formats, from captured responses

#[test]
fn wait_rides_out_an_unreachable_server_and_then_reports_it() {
    let sb = Sandbox::new();
    let mut cmd = sb.kopai();
    // Port 1 on this machine: nothing listens, the connection is refused at once.
    cmd.args(words(
        "logs search --wait 300ms --interval 50ms -t --url http://127.0.0.1:1",
    ));
    let out = run(&mut cmd);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    assert_eq!(out.stderr.matches("retrying").count(), 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("error: could not connect to http://127.0.0.1:1/signals/logs/search"),
        "{}",
        out.stderr
    );
}

#[test]
fn wait_works_with_the_grouped_endpoints_too() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let counts = r#"{"data":[{"groups":{"k":"v"},"value":3}],"nextCursor":null}"#;
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        // Empty at first, then one group.
        Mock::given(method("POST"))
            .and(path("/signals/logs/aggregate"))
            .respond_with(json_response(EMPTY_PAGE))
            .up_to_n_times(2)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/signals/logs/aggregate"))
            .respond_with(json_response(counts))
            .with_priority(2)
            .mount(&server)
            .await;
        server
    });
    let sb = Sandbox::new();
    let mut cmd = sb.kopai();
    cmd.args(words(
        "logs search --aggregate count --group-by k --wait 20s --interval 50ms -o csv",
    ))
    .args(["--url", &server.uri()]);
    let out = run(&mut cmd);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "k,value\r\nv,3\r\n");
}
