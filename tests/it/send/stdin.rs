//! `kopai send --stdin`: OTLP JSON export requests, one per line, each sent as it is (JSON,
//! gzipped) to its signal's route; a bad line is exit 2 naming its number, and sends nothing.

use crate::common::*;

use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{gunzip, INGEST};

const SPANS: &str = r#"{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"ci"}}]},"scopeSpans":[{"spans":[{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7","name":"a","startTimeUnixNano":"1795820420000000000","endTimeUnixNano":"1795820420120000000"},{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b8","name":"b"}]}]}]}"#;
const LOGS: &str = r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"severityNumber":9,"body":{"stringValue":"hello"}}]}]}]}"#;
const METRICS: &str = r#"{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"g","gauge":{"dataPoints":[{"asInt":"1"},{"asDouble":2.5}]}},{"name":"s","sum":{"dataPoints":[{"asInt":"3"}],"aggregationTemporality":1,"isMonotonic":true}}]}]}]}"#;

/// A collector taking gzipped OTLP JSON on all three routes, answering `response`.
async fn json_receiver(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    for route in ["/v1/traces", "/v1/logs", "/v1/metrics"] {
        Mock::given(method("POST"))
            .and(path(route))
            .and(header("content-type", "application/json"))
            .and(header("content-encoding", "gzip"))
            .respond_with(response.clone())
            .mount(&server)
            .await;
    }
    server
}

fn send_stdin(server: &MockServer, extra: &[&str], input: &str) -> Output {
    run(Sandbox::new()
        .kopai()
        .args(["send", "--stdin", "--otlp-url", &server.uri()])
        .args(extra)
        .env("KOPAI_INGEST_TOKEN", INGEST)
        .write_stdin(input.to_owned()))
}

/// What the server got: each request's path and its body gunzipped.
async fn bodies(server: &MockServer) -> Vec<(String, String)> {
    requests(server)
        .await
        .iter()
        .map(|request| {
            assert_eq!(
                request.headers["authorization"].to_str().unwrap(),
                format!("Bearer {INGEST}")
            );
            let body = String::from_utf8(gunzip(&request.body)).expect("UTF-8 JSON");
            (request.url.path().to_owned(), body)
        })
        .collect()
}

#[tokio::test]
async fn each_line_goes_as_it_is_to_its_signals_route() {
    let server = json_receiver(ResponseTemplate::new(200)).await;
    // Mixed signals, a blank line, a line of spaces and a CRLF line ending.
    let input = format!("{SPANS}\n\n{LOGS}\r\n   \n{METRICS}\n");
    let out = send_stdin(&server, &[], &input);
    assert_ok(&out);
    assert_no_secret(&out, INGEST);
    assert_eq!(
        out.stdout,
        "line 1: 2 spans (traces)\nline 3: 1 log record (logs)\nline 5: 3 data points (metrics)\n"
    );
    assert_eq!(out.stderr, "");
    let sent = bodies(&server).await;
    let expected = [
        ("/v1/traces", SPANS),
        ("/v1/logs", LOGS),
        ("/v1/metrics", METRICS),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(p, b)| (p.to_string(), b.to_string()))
        .collect();
    assert_eq!(sent, expected);
}

#[tokio::test]
async fn signal_names_what_every_line_must_be() {
    let server = json_receiver(ResponseTemplate::new(200)).await;
    let out = send_stdin(&server, &["--signal", "logs"], &format!("{LOGS}\n{LOGS}"));
    assert_ok(&out);
    let sent = bodies(&server).await;
    assert_eq!(sent.len(), 2);
    assert!(sent
        .iter()
        .all(|(route, body)| route == "/v1/logs" && body == LOGS));

    let out = send_stdin(
        &server,
        &["--signal", "traces"],
        &format!("{SPANS}\n{LOGS}\n"),
    );
    assert_failed(&out, 2);
    assert_eq!(
        out.stderr,
        "error: stdin line 2: resourceLogs is logs, but --signal traces was given\n"
    );
    assert_eq!(requests(&server).await.len(), 2, "nothing more was sent");
}

#[tokio::test]
async fn a_bad_line_is_exit_2_naming_its_number_and_nothing_is_sent() {
    let server = json_receiver(ResponseTemplate::new(200)).await;
    let long = format!(
        r#"{{"resourceLogs":[],"pad":"{}"}}"#,
        "x".repeat(8 * 1024 * 1024)
    );
    let cases: [(&str, &str); 10] = [
        (
            "{\"resourceSpans\":[",
            "stdin line 3: not JSON: EOF while parsing a list at column 18",
        ),
        ("[]", "stdin line 3: not an OTLP export request"),
        (
            r#"{"resourceSpans":[],"partialSuccess":{}}"#,
            "stdin line 3: unexpected member \"partialSuccess\"",
        ),
        (
            r#"{"resourceSpans":[],"resourceLogs":[]}"#,
            "stdin line 3: both resourceSpans and resourceLogs",
        ),
        (
            r#"{"resourceSpans":{}}"#,
            "stdin line 3: \"resourceSpans\" is not an array of objects",
        ),
        (
            r#"{"resourceLogs":[{"scopeLogs":[{"logRecords":[1]}]}]}"#,
            "stdin line 3: \"logRecords\" is not an array of objects",
        ),
        (
            r#"{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"gauge":[]}]}]}]}"#,
            "stdin line 3: a metric's \"gauge\" is not an object",
        ),
        (
            r#"{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"sum":{"dataPoints":5}}]}]}]}"#,
            "stdin line 3: \"dataPoints\" is not an array of objects",
        ),
        ("{}", "stdin line 3: not an OTLP export request"),
        (&long, "stdin line 3: longer than 8 MiB"),
    ];
    for (bad, error) in cases {
        let out = send_stdin(&server, &[], &format!("{SPANS}\n\n{bad}\n{LOGS}\n"));
        assert_failed(&out, 2);
        assert!(
            out.stderr.starts_with(&format!("error: {error}")) && out.stderr.lines().count() == 1,
            "{error}: {}",
            out.stderr
        );
    }
    let out = send_stdin(&server, &[], "\n \n");
    assert_failed(&out, 2);
    assert!(
        out.stderr.contains("no export request on stdin"),
        "{}",
        out.stderr
    );
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn invalid_utf8_is_named_by_its_line() {
    let server = json_receiver(ResponseTemplate::new(200)).await;
    let mut input = format!("{LOGS}\n").into_bytes();
    input.extend_from_slice(b"{\"resourceLogs\":[\xff]}\n");
    let out = run(Sandbox::new()
        .kopai()
        .args(["send", "--stdin", "--otlp-url", &server.uri()])
        .write_stdin(input));
    assert_failed(&out, 2);
    assert_eq!(out.stderr, "error: stdin line 2: not UTF-8 text\n");
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn a_json_partial_success_is_a_warning_naming_the_line() {
    let answer = r#"{"partialSuccess":{"rejectedSpans":"1","errorMessage":"span too old"}}"#;
    let server = json_receiver(
        ResponseTemplate::new(200)
            .insert_header("content-type", "application/json")
            .set_body_string(answer),
    )
    .await;
    let out = send_stdin(&server, &[], &format!("{SPANS}\n"));
    assert_ok(&out);
    assert_eq!(
        out.stderr,
        "warning: the collector rejected 1 of 2 spans (stdin line 1): span too old\n"
    );
}

#[tokio::test]
async fn a_refused_line_says_what_was_sent_before_it() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/logs"))
        .respond_with(ResponseTemplate::new(400))
        .mount(&server)
        .await;
    Mock::given(path("/v1/traces"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let out = send_stdin(&server, &[], &format!("{SPANS}\n{LOGS}\n{SPANS}\n"));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(out.stdout, "line 1: 2 spans (traces)\n");
    assert!(
        out.stderr
            .starts_with("error: stdin line 2 (the 1 request before it was sent): "),
        "{}",
        out.stderr
    );
    assert_eq!(requests(&server).await.len(), 2, "line 3 was not sent");
}

#[test]
fn send_without_a_subcommand_or_stdin_is_exit_2() {
    let out = run(Sandbox::new()
        .kopai()
        .args(["send", "--otlp-url", "http://127.0.0.1:1"]));
    assert_failed(&out, 2);
    assert!(
        out.stderr.contains("span, log or metric) or --stdin"),
        "{}",
        out.stderr
    );
    let out = run(Sandbox::new()
        .kopai()
        .args(["send", "--stdin", "span", "--name", "a"]));
    assert_failed(&out, 2);
    assert!(
        out.stderr
            .starts_with("error: the subcommand 'span' cannot be used with '--stdin'\n"),
        "{}",
        out.stderr
    );
}

#[tokio::test]
async fn each_signal_goes_to_its_own_endpoint_from_the_otel_variables() {
    let server = json_receiver(ResponseTemplate::new(200)).await;
    let metrics = MockServer::start().await;
    Mock::given(path("/custom/metrics"))
        .and(header("content-type", "application/json"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&metrics)
        .await;
    let out = run(Sandbox::new()
        .kopai()
        .args(["send", "--stdin"])
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", server.uri())
        .env(
            "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
            format!("{}/custom/metrics", metrics.uri()),
        )
        .write_stdin(format!("{METRICS}\n{LOGS}\n")));
    assert_ok(&out);
    let routes: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|request| request.url.path().to_owned())
        .collect();
    assert_eq!(routes, ["/v1/logs"]);
    let sent = requests(&metrics).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(String::from_utf8(gunzip(&sent[0].body)).unwrap(), METRICS);
}
