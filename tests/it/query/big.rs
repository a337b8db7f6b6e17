//! Answers that are unusually deep or large: printed whole at any depth, refused clearly when
//! bigger than the cap, and never a crash.

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::*;
use crate::common::*;

/// A span whose attribute is `depth` maps deep: `{"a":{"a":…"leaf"…}}`.
fn deep_span(depth: usize) -> String {
    let nested = format!("{}\"leaf\"{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    format!(r#"{{"SpanId":"eee19b7ec3c1b174","SpanAttributes":{nested},"SpanName":"deep"}}"#)
}

#[tokio::test]
async fn rows_nested_deeper_than_serde_json_allows_print_whole() {
    for depth in [200, 10_000] {
        let page = format!(
            r#"{{"data":[{},{}],"nextCursor":null}}"#,
            deep_span(depth),
            deep_span(1)
        );
        let server = serve("POST", TRACES_SEARCH, json_response(&page)).await;

        let out = kopai_at(&server.uri(), &words("traces search --json"));
        assert_ok(&out);
        // Both rows, the deep one with every level indented one step further.
        assert!(out
            .stdout
            .starts_with("[\n  {\n    \"SpanId\": \"eee19b7ec3c1b174\",\n"));
        let innermost = format!("{}\"a\": \"leaf\"\n", " ".repeat(2 * (depth + 2)));
        assert!(out.stdout.contains(&innermost), "depth {depth}");
        assert_eq!(out.stdout.matches("\"SpanName\": \"deep\"").count(), 2);

        let out = kopai_at(
            &server.uri(),
            &words("traces search --table --fields SpanName,SpanId"),
        );
        assert_ok(&out);
        assert_eq!(out.stdout.matches("deep").count(), 2, "{}", out.stdout);
    }
}

/// A server that announces a body of `length` bytes and sends only its start.
async fn announcing_server(length: u64) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut request = vec![0; 4096];
            let _ = socket.read(&mut request).await;
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {length}\r\n\r\n{{\"data\":["
            );
            let _ = socket.write_all(head.as_bytes()).await;
        }
    });
    url
}

// The fake server runs on the test's runtime while the test blocks on the binary.
#[tokio::test(flavor = "multi_thread")]
async fn an_answer_over_the_size_cap_is_refused_before_it_is_read() {
    let url = announcing_server(300 * 1024 * 1024).await;
    let out = kopai_at(&url, &words("traces search --table"));
    assert_failed(&out, 1);
    assert_eq!(
        out.stderr,
        format!(
            "error: unexpected response from {url}/signals/traces/search: the answer is larger \
             than 256 MiB; ask for fewer rows (--limit)\n"
        )
    );
}

/// Deep enough that a recursive printer overflows its stack (serde_json's Display does).
const DEEP: usize = 200_000;

#[tokio::test]
async fn deep_values_in_table_cells_and_csv_fields_print_whole() {
    let page = format!(r#"{{"data":[{}],"nextCursor":null}}"#, deep_span(DEEP));
    let server = serve("POST", TRACES_SEARCH, json_response(&page)).await;
    for line in [
        "traces search -o csv -f SpanName,SpanAttributes",
        "traces search --table --wide -f SpanName,SpanAttributes",
    ] {
        let out = kopai_at(&server.uri(), &words(line));
        assert_ok(&out);
        // The nested value as compact JSON in one cell: every level, then the leaf.
        let cell = format!("{}\"leaf\"{}", "{\"a\":".repeat(DEEP), "}".repeat(DEEP));
        let shown = out.stdout.replace("\"\"", "\"");
        assert!(shown.contains(&cell), "{line}");
    }
}

/// Spans whose times are beyond any real clock: the waterfall still draws, no overflow.
#[tokio::test]
async fn a_waterfall_of_absurd_times_draws() {
    let spans = r#"[
        {"SpanId":"0000000000000001","ParentSpanId":"","SpanName":"root","Timestamp":"-170141183460469231731687303715884105728","Duration":"170141183460469231731687303715884105727","StatusCode":"STATUS_CODE_ERROR"},
        {"SpanId":"0000000000000002","ParentSpanId":"0000000000000001","SpanName":"child","Timestamp":"170141183460469231731687303715884105727","Duration":"-5"}
    ]"#;
    let route = format!("/signals/traces/{TRACE_ID}");
    let server = serve("GET", &route, json_response(spans)).await;
    let out = kopai_with(
        &server.uri(),
        &words(&format!("traces get {TRACE_ID} --table")),
        |cmd| {
            cmd.env("COLUMNS", "80").env("CLICOLOR_FORCE", "1");
        },
    );
    assert_ok(&out);
    assert!(out.stdout.contains("root") && out.stdout.contains("child"));
}

/// An error span whose name is cut right where its note begins, in colour: the cut mark is
/// never split.
#[tokio::test]
async fn a_coloured_error_name_cut_at_its_end_draws() {
    for length in 30..50 {
        let name = "a".repeat(length);
        let spans = format!(
            r#"[{{"SpanId":"01","SpanName":"{name}","ServiceName":"s","StatusCode":"STATUS_CODE_ERROR","Timestamp":"1795820400000000000","Duration":"1000"}}]"#
        );
        let route = format!("/signals/traces/{TRACE_ID}");
        let server = serve("GET", &route, json_response(&spans)).await;
        let out = kopai_with(
            &server.uri(),
            &words(&format!("traces get {TRACE_ID} --table")),
            |cmd| {
                cmd.env("COLUMNS", "80").env("CLICOLOR_FORCE", "1");
            },
        );
        assert_ok(&out);
    }
}
