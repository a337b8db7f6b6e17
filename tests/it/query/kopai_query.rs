//! `kopai query`: the flag form and query files, checked before anything is sent.

use crate::common::*;

/// The issue's example, as `--print-query` prints it.
const EXAMPLE: &[&str] = &[
    "query",
    "traces",
    "--measure",
    "count",
    "--measure",
    "error_rate",
    "--measure",
    "p95(Duration)",
    "--by",
    "service.name",
    "--where",
    "http.response.status_code>=500",
    "--since",
    "1h",
    "--every",
    "5m",
    "--having",
    "error_rate>0.01",
    "--order",
    "-error_rate",
    "--limit",
    "20",
    "--print-query",
];

#[tokio::test]
async fn print_query_prints_the_json_and_sends_nothing() {
    let server = accepting_server().await;
    let out = kopai_snapshot!(kopai_at(&server.uri(), EXAMPLE));
    assert_ok(&out);
    assert!(requests(&server).await.is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn a_printed_query_reads_back_as_the_same_query() {
    let sb = Sandbox::new();
    let printed = run(sb.kopai().args(EXAMPLE));
    assert_ok(&printed);
    write(&sb.cwd.join("q.json"), &printed.stdout);
    let from_file = run(sb.kopai().args(["query", "q.json", "--print-query"]));
    assert_ok(&from_file);
    assert_eq!(from_file.stdout, printed.stdout);
    let from_stdin = run(sb
        .kopai()
        .args(["query", "-", "--print-query"])
        .write_stdin(printed.stdout.clone()));
    assert_ok(&from_stdin);
    assert_eq!(from_stdin.stdout, printed.stdout);
}

/// Bad flag forms, and what the one-line error must say.
#[rustfmt::skip]
const BAD_FLAGS: &[(&str, &str)] = &[
    ("traces --where Duraton>1s", "--where 'Duraton>1s': traces have no column \"Duraton\" (did you mean \"Duration\"?)"),
    ("traces --measure p95(SpanName)", "--measure 'p95(SpanName)': p95 needs a numeric column"),
    ("traces --measure p59(Duration)", "there is no measure \"p59\""),
    ("traces --measure count --by ServiceName", "--by 'ServiceName': traces have no column \"ServiceName\" (did you mean \"service.name\"?)"),
    ("traces --where SpanName>5", "SpanName is not numeric"),
    ("traces --where Duration>fast", "a duration like 500ms"),
    ("traces --where service.name!in()", "a non-empty list"),
    ("logs --measure error_rate", "works on traces only"),
    ("metrics --measure count", "--where: a metrics query needs one metric type"),
    ("traces --measure count --having errors>1", "--having 'errors>1': no measure is named \"errors\""),
    ("traces --every 5m", "--every '5m': a time series needs at least one --measure"),
    ("traces --since 10ms", "--since '10ms'"),
    ("traces --limit 0", "--limit '0': the limit is 1 to 10000"),
];

#[tokio::test]
async fn bad_flags_name_the_part_at_fault_and_exit_2_before_any_request() {
    let server = accepting_server().await;
    for (line, expected) in BAD_FLAGS {
        let mut args = vec!["query"];
        args.extend(words(line));
        args.push("--table");
        let out = kopai_at(&server.uri(), &args);
        assert_failed(&out, 2);
        let first = out.stderr.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("error: ") && first.contains(expected),
            "kopai query {line}: {}",
            out.stderr
        );
    }
    assert!(requests(&server).await.is_empty(), "nothing may be sent");
}

#[test]
fn an_unknown_column_says_how_to_name_any_attribute() {
    let sb = Sandbox::new();
    let out = kopai_snapshot!(sb.kopai().args([
        "query",
        "traces",
        "--where",
        "http.method=GET",
        "--table"
    ]));
    assert_failed(&out, 2);
}

#[test]
fn a_query_file_that_is_not_json_is_named() {
    let sb = Sandbox::new();
    write(&sb.cwd.join("q.json"), "{\"signal\": \"traces\",");
    let out = kopai_snapshot!(sb.kopai().args(["query", "q.json", "--table"]));
    assert_failed(&out, 2);
    let out = run(sb
        .kopai()
        .args(["query", "-", "--table"])
        .write_stdin("nope"));
    assert_failed(&out, 2);
    assert!(
        out.stderr.starts_with("error: stdin: not valid JSON"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_query_file_is_checked_like_the_flags() {
    let sb = Sandbox::new();
    write(
        &sb.cwd.join("q.json"),
        r#"{"signal":"traces","mode":"aggregate","measures":[{"op":"P95","column":"SpanName","as":"p"}],
            "timeDimension":{"type":"relative","lookback":"1h"},"output":{"type":"summary"}}"#,
    );
    let out = run(sb.kopai().args(["query", "q.json", "--json"]));
    assert_failed(&out, 2);
    let error = json_error(&out);
    assert_eq!(
        error["error"]["message"],
        "q.json: measures[0]: p95 needs a numeric column, and SpanName is not one"
    );
    assert_eq!(
        error["error"]["hint"],
        "numeric columns of traces: Duration, or any attribute holding numbers"
    );
}

#[test]
fn flags_after_a_file_or_a_misspelt_signal_are_refused() {
    let sb = Sandbox::new();
    write(&sb.cwd.join("q.json"), "{}");
    let out = run(sb
        .kopai()
        .args(["query", "q.json", "--measure", "count", "--table"]));
    assert_failed(&out, 2);
    assert!(
        out.stderr
            .starts_with("error: --measure builds a query from flags, and q.json is not a signal"),
        "{}",
        out.stderr
    );
    let out = run(sb.kopai().args(["query", "trace", "--table"]));
    assert_failed(&out, 2);
    assert!(
        out.stderr.contains("cannot read trace")
            && out
                .stderr
                .contains("hint: the flag form starts with a signal: traces, logs or metrics"),
        "{}",
        out.stderr
    );
}
