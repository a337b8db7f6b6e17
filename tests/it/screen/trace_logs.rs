//! `traces get ID --logs`: the trace's log records in the waterfall, under their spans.

use super::*;

const LOGS_SEARCH: &str = "/signals/logs/search";

/// The captured records of this trace, and a few built here: one before any span, one with no
/// span, one of a span the trace lacks, one of several lines, one with an escape sequence.
fn trace_logs() -> Vec<Value> {
    let mut logs: Vec<Value> = data("logs-search-error.json")
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["TraceId"] == TRACE_ID)
        .cloned()
        .collect();
    let record = |ns: &str, span: &str, severity: &str, number: u8, body: &str| {
        json!({"Timestamp": ns, "Body": body, "SeverityText": severity,
               "SeverityNumber": number, "SpanId": span, "TraceId": TRACE_ID})
    };
    logs.extend([
        record(
            "1795820420000000000",
            "",
            "",
            9,
            "request received\nheaders: 12",
        ),
        record(
            "1795820420036000000",
            "c5d6e7f8091a2b3c",
            "INFO",
            9,
            "charging card visa **** 4242 for 999.50 EUR after the fraud check",
        ),
        record(
            "1795820420500000000",
            "C5D6E7F8091A2B3C",
            "warn",
            13,
            "retrying charge",
        ),
        record(
            "1795820421515000000",
            "0123456789abcdef",
            "DEBUG",
            5,
            "span not in trace",
        ),
        record(
            "1795820420450000000",
            "e7f8091a2b3c4d5e",
            "INFO",
            9,
            "score \u{1b}]0;pwned\u{7}\u{1b}[2J0.12",
        ),
    ]);
    logs
}

async fn server_with(logs: &[Value]) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/signals/traces/{TRACE_ID}")))
        .respond_with(json_response(&fixture("traces-get.json")))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(LOGS_SEARCH))
        .and(body_partial_json(json!({"traceId": TRACE_ID})))
        .respond_with(json_response(
            &json!({"data": logs, "nextCursor": null}).to_string(),
        ))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn logs_sit_under_their_spans_at_their_time() {
    let server = server_with(&trace_logs()).await;
    for columns in [60, 80, 120] {
        let line = format!("traces get {TRACE_ID} --logs");
        let shown = screen(&server.uri(), &line, columns, "UTC", &[]);
        assert_fits(&shown, columns as usize);
        assert!(!shown.contains('\u{1b}'), "{shown:?}");
        assert!(shown.contains("7 spans"), "{shown}");
        assert!(shown.contains("7 logs"), "{shown}");
        let lines = visible(&shown);
        let at = |text: &str| {
            lines
                .iter()
                .position(|l| l.contains(text))
                .unwrap_or_else(|| panic!("{text:?} at {columns}:\n{shown}"))
        };
        // The record of charge-card's start is under it, before its first child; its retry
        // comes after that child's subtree, by time; one with no span leads the trace.
        assert!(
            at("request received …") < at("1.52 s  POST /checkout"),
            "{shown}"
        );
        assert!(at("charge-card") < at("charging card"), "{shown}");
        assert!(at("charging card") < at("fraud-check"), "{shown}");
        assert!(at("fraud-check") < at("retrying charge"), "{shown}");
        assert!(at("POST /charge responded 502") < at("upstream payment-service"));
        let charge_card = &lines[at("charge-card")];
        let retry = &lines[at("retrying charge")];
        let indent = |l: &str| l[20..].len() - l[20..].trim_start().len();
        assert_eq!(indent(retry), indent(charge_card) + 2, "{shown}");
        assert!(retry.starts_with("  500 ms"), "{shown}");
        let shown = shown.replace(&server.uri(), "[SERVER]");
        insta::assert_snapshot!(format!("traces_get_logs_{columns}"), shown);
    }
    let asked: Vec<Value> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == LOGS_SEARCH)
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(
        asked[0],
        json!({"traceId": TRACE_ID, "limit": 1000, "sortOrder": "ASC"})
    );
}

#[tokio::test]
async fn a_full_page_of_logs_says_it_may_not_be_all_and_folds_hide_their_spans_logs() {
    let logs: Vec<Value> = (0..1000)
        .map(|i| {
            json!({"Timestamp": (1_795_820_420_040_000_000u64 + i).to_string(),
                   "Body": format!("poll {i}"), "SeverityText": "DEBUG", "SeverityNumber": 5,
                   "SpanId": "d6e7f8091a2b3c4d", "TraceId": TRACE_ID})
        })
        .collect();
    let server = server_with(&logs).await;
    let line = format!("traces get {TRACE_ID} --logs --no-pager");
    let shown = screen(&server.uri(), &line, 80, "UTC", &[]);
    assert_fits(&shown, 80);
    assert!(shown.contains("poll 999"), "{shown}");
    let words = visible(&shown)
        .iter()
        .flat_map(|l| owned_words(l))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        words.contains(&format!(
            "Only the first 1,000 logs of this trace are shown; all of them: kopai logs \
             search --trace-id {TRACE_ID}"
        )),
        "{shown}"
    );
    // Their span (a client POST, an error) kept by --errors; hidden by --depth 2, with them.
    let shown = screen(&server.uri(), &format!("{line} --depth 2"), 80, "UTC", &[]);
    assert!(!shown.contains("poll 1"), "{shown}");
    assert!(
        shown.contains("4 of 7 spans hidden by --depth 2, and 1,000 logs"),
        "{shown}"
    );
}

#[tokio::test]
async fn logs_are_for_the_waterfall_not_the_data() {
    let server = server_with(&trace_logs()).await;
    for extra in [vec!["--json"], vec!["-f", "SpanName"], vec!["-o", "ndjson"]] {
        let out = run(Sandbox::new()
            .kopai()
            .args(["traces", "get", TRACE_ID, "--logs", "--url", &server.uri()])
            .args(&extra));
        assert_eq!(out.code, 2, "{extra:?}: {}", out.stderr);
        assert_eq!(out.stdout, "");
        assert!(
            out.stderr
                .contains("--logs adds the trace's logs to the waterfall"),
            "{}",
            out.stderr
        );
        assert!(
            out.stderr
                .contains(&format!("kopai logs search --trace-id {TRACE_ID} --json")),
            "{}",
            out.stderr
        );
    }
    // In a pipe, -t draws it.
    let out = run(Sandbox::new().kopai().args([
        "traces",
        "get",
        TRACE_ID,
        "--logs",
        "-t",
        "--url",
        &server.uri(),
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("· WARN  retrying charge"),
        "{}",
        out.stdout
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn logs_that_fail_leave_the_waterfall_drawn_and_say_why() {
    let spans_only = || async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(format!("/signals/traces/{TRACE_ID}")))
            .respond_with(json_response(&fixture("traces-get.json")))
            .mount(&server)
            .await;
        server
    };
    // A server without the route (wiremock's bare 404), and one answering nonsense.
    let missing = spans_only().await;
    let nonsense = spans_only().await;
    Mock::given(method("POST"))
        .and(path(LOGS_SEARCH))
        .respond_with(json_response(r#"{"rows": []}"#))
        .mount(&nonsense)
        .await;
    for (server, why) in [
        (&missing, "Not Found (HTTP 404)"),
        (&nonsense, "unexpected response from"),
    ] {
        let out = run(Sandbox::new().kopai().args([
            "traces",
            "get",
            TRACE_ID,
            "--logs",
            "-t",
            "--url",
            &server.uri(),
        ]));
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(out.stdout.contains("7 spans"), "{}", out.stdout);
        assert!(out.stdout.contains("fraud-check"), "{}", out.stdout);
        assert!(!out.stdout.contains("logs"), "{}", out.stdout);
        let warning =
            format!("warning: the trace's logs are not shown: POST {LOGS_SEARCH} failed: {why}");
        assert!(out.stderr.starts_with(&warning), "{}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    }
}

#[tokio::test]
async fn a_log_without_a_time_has_no_offset() {
    let record = json!({"Body": "timeless", "SeverityText": "INFO", "SeverityNumber": 9,
                        "SpanId": "", "TraceId": TRACE_ID});
    let server = server_with(&[record]).await;
    let line = format!("traces get {TRACE_ID} --logs");
    let shown = screen(&server.uri(), &line, 80, "UTC", &[]);
    let lines = visible(&shown);
    let timeless = lines.iter().find(|l| l.contains("timeless"));
    assert!(
        timeless.is_some_and(|l| l.starts_with("       ?            · INFO  timeless")),
        "{shown}"
    );
}

/// The waterfall marks a record as an error as log lines colour it (7d27a2c): by
/// OpenTelemetry's number where it is 1 to 24, else by the text, CRITICAL included; a number
/// past 24 says nothing.
#[tokio::test]
async fn a_record_is_an_error_by_its_severity_as_log_lines_have_it() {
    let record = |ns: &str, text: &str, number: Value, body: &str| {
        json!({"Timestamp": ns, "Body": body, "SeverityText": text,
               "SeverityNumber": number, "SpanId": "", "TraceId": TRACE_ID})
    };
    let server = server_with(&[
        record("1795820420001000000", "CRITICAL", Value::Null, "disk full"),
        record("1795820420002000000", "INFO", json!(99), "not loud"),
        record("1795820420003000000", "", json!(21), "numbered"),
        record("1795820420004000000", "notice", json!(13), "by number"),
    ])
    .await;
    let line = format!("traces get {TRACE_ID} --logs --color always");
    let shown = screen(&server.uri(), &line, 120, "UTC", &[]);
    let lines = visible(&shown);
    let of = |body: &str| {
        lines
            .iter()
            .find(|l| l.contains(body))
            .unwrap_or_else(|| panic!("{body:?}: {shown:?}"))
            .clone()
    };
    let red = "\x1b[31m";
    assert!(
        of("disk full").contains(&format!("{red}· CRITICAL")),
        "{shown:?}"
    );
    assert!(!of("not loud").contains('\x1b'), "{shown:?}");
    assert!(
        of("numbered").contains(&format!("{red}· FATAL")),
        "{shown:?}"
    );
    assert!(!of("by number").contains('\x1b'), "{shown:?}");
    assert!(of("by number").contains("· NOTICE"), "{shown:?}");
}
