//! Trace ID prefixes looked up on the server: with KopaiQuery (a `startsWith` filter on
//! `TraceId` over the last 7 days, distinct traces), without it (the most recent summaries),
//! ambiguous candidates described from the server, and the cache kept bounded and private.

use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{json, Value};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::short_ids::{answer_empty, in_sandbox, posted};
use super::*;

const QUERY_AGGREGATE: &str = "/signals/query/traces/aggregate";
const ONE: &str = "abcdef00000000000000000000000001";
const TWO: &str = "abcdef00000000000000000000000002";

/// The KopaiQuery kopai sends for `prefix`: distinct trace IDs (grouped), bounded in time
/// and count.
fn lookup_query(prefix: &str) -> Value {
    json!({
        "signal": "traces", "mode": "aggregate",
        "measures": [{"op": "COUNT", "as": "spans"}],
        "dimensions": ["TraceId"],
        "filters": [{"column": "TraceId", "op": "startsWith", "value": prefix}],
        "timeDimension": {"type": "relative", "lookback": "7d"},
        "output": {"type": "summary"},
        "limit": 20
    })
}

/// `server` answers the KopaiQuery for `prefix` with these trace IDs.
async fn query_finds(server: &MockServer, prefix: &str, ids: &[&str]) {
    let rows: Vec<Value> = ids
        .iter()
        .map(|id| json!({"TraceId": id, "spans": 3}))
        .collect();
    Mock::given(method("POST"))
        .and(path(QUERY_AGGREGATE))
        .and(body_partial_json(
            json!({"filters": [{"column": "TraceId", "op": "startsWith", "value": prefix}]}),
        ))
        .respond_with(json_response(&json!({ "data": rows }).to_string()))
        .mount(server)
        .await;
}

/// `server` answers a span search for trace `id` with `spans` (earliest first).
async fn spans_of(server: &MockServer, id: &str, spans: Value) {
    Mock::given(method("POST"))
        .and(path(TRACES_SEARCH))
        .and(body_partial_json(json!({ "traceId": id })))
        .respond_with(json_response(
            &json!({"data": spans, "nextCursor": null}).to_string(),
        ))
        .mount(server)
        .await;
}

/// A root span and a child of trace `id`, the root started at `start_ns`.
fn root_and_child(id: &str, name: &str, service: &str, start_ns: &str) -> Value {
    json!([
        {"TraceId": id, "SpanId": "00000000000000aa", "ParentSpanId": "", "SpanName": name,
         "ServiceName": service, "Timestamp": start_ns},
        {"TraceId": id, "SpanId": "00000000000000bb", "ParentSpanId": "00000000000000aa",
         "SpanName": "SELECT", "ServiceName": "db", "Timestamp": start_ns},
    ])
}

/// The span searches that describe candidates: one per candidate, bounded, earliest first.
fn describe_body(id: &str) -> Value {
    json!({"traceId": id, "limit": 20, "sortOrder": "ASC"})
}

/// On a server with KopaiQuery a prefix the cache does not know is one KopaiQuery (not the
/// recent summaries): a unique match is used and remembered; none names where it looked.
#[tokio::test]
async fn a_prefix_is_looked_up_with_kopai_query_where_the_server_has_it() {
    let sb = Sandbox::new();
    let server = MockServer::start().await;
    query_finds(&server, "4bf92f", &[TRACE_ID]).await;
    query_finds(&server, "0123456", &[]).await;
    answer_empty(&server, LOGS_SEARCH).await;
    let kopai = |line: &str| in_sandbox(&sb, &server, line);

    assert_ok(&kopai("logs search --trace-id 4bf92f --json"));
    assert_eq!(
        posted(&server, LOGS_SEARCH).await,
        [json!({"traceId": TRACE_ID})]
    );
    assert_eq!(
        posted(&server, QUERY_AGGREGATE).await,
        [lookup_query("4bf92f")]
    );
    let cache = read(&sb.home.join(".cache/kopai/recent-trace-ids"));
    assert!(cache.ends_with(&format!(" {TRACE_ID}\n")), "{cache}");

    let out = kopai("logs search --trace-id 0123456 --json");
    assert_failed(&out, 2);
    assert!(
        out.stderr.contains(
            "no trace ID starting with 0123456 among the 1 kopai printed recently nor the \
             server's traces of the last 7 days (a KopaiQuery for TraceId startsWith the prefix)"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(
        posted(&server, QUERY_AGGREGATE).await[1],
        lookup_query("0123456")
    );
    assert!(posted(&server, TRACES_SUMMARIES).await.is_empty());
    assert_eq!(
        posted(&server, LOGS_SEARCH).await.len(),
        1,
        "nothing searched"
    );
}

/// Without KopaiQuery (404 on its route) the same prefix is looked for among the server's
/// 1,000 most recent trace summaries, and an unknown one says that is where it looked.
#[tokio::test]
async fn without_kopai_query_a_prefix_is_looked_for_among_recent_summaries() {
    let server = serve_fixture("POST", TRACES_SUMMARIES, "traces-summaries.json").await;
    let out = kopai_at(&server.uri(), &words("traces get 0123456 --json"));
    assert_failed(&out, 2);
    assert!(
        out.stderr.contains(
            "no trace ID starting with 0123456 among the 0 kopai printed recently nor the \
             server's 3 most recent traces (it has no KopaiQuery to look further back)"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(
        posted(&server, QUERY_AGGREGATE).await,
        [lookup_query("0123456")]
    );
    assert_eq!(
        posted(&server, TRACES_SUMMARIES).await,
        [json!({"limit": 1000})]
    );
}

/// Two traces on the server share the prefix: each is listed with its start, root span and
/// service, fetched with one bounded span search each; nothing is shown.
#[tokio::test]
async fn a_prefix_ambiguous_in_kopai_query_lists_each_trace_described() {
    let server = MockServer::start().await;
    query_finds(&server, "abcdef", &[ONE, TWO]).await;
    spans_of(
        &server,
        ONE,
        root_and_child(ONE, "POST /checkout", "checkout-api", "1795820420000000000"),
    )
    .await;
    spans_of(
        &server,
        TWO,
        root_and_child(
            TWO,
            "GET /products\u{1b}[2J",
            "catalog",
            "1795820410000000000",
        ),
    )
    .await;
    let out = kopai_at(&server.uri(), &words("open trace abcdef --print"));
    assert_failed(&out, 2);
    assert_eq!(
        out.stderr,
        format!(
            "error: trace ID prefix abcdef is ambiguous; candidates:\n  \
             {ONE}  2026-11-27 23:00:20 UTC  POST /checkout  (checkout-api)\n  \
             {TWO}  2026-11-27 23:00:10 UTC  GET /products\u{fffd}[2J  (catalog)\n\
             hint: give more digits\n"
        )
    );
    assert_eq!(out.stdout, "");
    assert_eq!(
        posted(&server, TRACES_SEARCH).await,
        [describe_body(ONE), describe_body(TWO)]
    );
}

/// A prefix that 20 traces share (the most the KopaiQuery asks for): the first 10 are listed
/// and described, one span search each, and the rest are counted as possibly more.
#[tokio::test]
async fn a_very_ambiguous_prefix_lists_ten_and_counts_the_rest() {
    let server = MockServer::start().await;
    let ids: Vec<String> = (1..=20).map(|i| format!("abcdef{i:026x}")).collect();
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    query_finds(&server, "abcdef", &id_refs).await;
    answer_empty(&server, TRACES_SEARCH).await;
    let out = kopai_at(&server.uri(), &words("traces get abcdef --json"));
    assert_failed(&out, 2);
    let detail = json_error(&out)["error"]["detail"]
        .as_str()
        .unwrap()
        .to_owned();
    let lines: Vec<&str> = detail.lines().collect();
    assert_eq!(lines.len(), 11, "{detail}");
    assert_eq!(
        lines[0],
        format!("  {}  no spans on the server now", ids[0])
    );
    assert_eq!(lines[10], "  … and 10+ more");
    let described: Vec<Value> = ids[..10].iter().map(|id| describe_body(id)).collect();
    assert_eq!(posted(&server, TRACES_SEARCH).await, described);
}

/// Two remembered IDs share the prefix: each is described from the server (start, root span,
/// service), one the server no longer has says so with when it was printed; exit 2 before
/// anything is searched. With the server down the candidates are still listed, saying why
/// they are not described.
#[tokio::test]
async fn an_ambiguous_cached_prefix_lists_candidates_described_from_the_server() {
    let sb = Sandbox::new();
    let server = MockServer::start().await;
    answer_empty(&server, LOGS_SEARCH).await;
    spans_of(
        &server,
        ONE,
        root_and_child(ONE, "POST /checkout", "checkout-api", "1795820420000000000"),
    )
    .await;
    spans_of(&server, TWO, json!([])).await;
    write(
        &sb.home.join(".cache/kopai/recent-trace-ids"),
        &format!("1700000000 {ONE}\n1700000060 {TWO}\n"),
    );
    let out = in_sandbox(&sb, &server, "logs search --trace-id abcdef --json");
    assert_failed(&out, 2);
    let error = &json_error(&out)["error"];
    assert_eq!(
        error["message"],
        "trace ID prefix abcdef is ambiguous; candidates:"
    );
    assert_eq!(
        error["detail"],
        format!(
            "  {TWO}  no spans on the server now  (printed 2023-11-14 22:14:20 UTC)\n  \
             {ONE}  2026-11-27 23:00:20 UTC  POST /checkout  (checkout-api)"
        )
    );
    assert_eq!(error["hint"], "give more digits");
    assert_eq!(out.stdout, "");
    assert_eq!(
        posted(&server, TRACES_SEARCH).await,
        [describe_body(TWO), describe_body(ONE)],
        "newest first, one bounded search each"
    );
    assert!(
        posted(&server, LOGS_SEARCH).await.is_empty(),
        "nothing searched"
    );
    assert!(
        posted(&server, QUERY_AGGREGATE).await.is_empty(),
        "no lookup"
    );

    let mut cmd = sb.kopai();
    cmd.args(words("traces get abcdef --table --timeout 2s"))
        .args(["--url", "http://127.0.0.1:9"]);
    let out = run(&mut cmd);
    assert_failed(&out, 2);
    assert!(
        out.stderr.contains(&format!(
            "  {TWO}  (printed 2023-11-14 22:14:20 UTC)\n  \
             {ONE}  (printed 2023-11-14 22:13:20 UTC)\n  \
             (start, root span and service not fetched: "
        )),
        "{}",
        out.stderr
    );
}

/// A fresh page of `per_run` distinct trace IDs for each request: run N prints IDs
/// `N*per_run ..`.
struct FreshIds {
    runs: AtomicUsize,
    per_run: usize,
}

fn fresh_id(n: usize) -> String {
    format!("{n:032x}")
}

impl Respond for FreshIds {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let run = self.runs.fetch_add(1, Ordering::SeqCst);
        let rows: Vec<Value> = (0..self.per_run)
            .map(|i| json!({"TraceId": fresh_id(run * self.per_run + i), "SpanId": "00000000000000aa"}))
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({"data": rows, "nextCursor": null}))
    }
}

/// Run after run, the cache holds the latest 500 IDs printed (the oldest forgotten first) in
/// a file only its owner can read.
#[tokio::test]
async fn the_cache_keeps_the_latest_500_ids_privately_over_many_runs() {
    let per_run = 120;
    let server = serve(
        "POST",
        TRACES_SEARCH,
        FreshIds {
            runs: AtomicUsize::new(0),
            per_run,
        },
    )
    .await;
    let sb = Sandbox::new();
    let cache = sb.home.join(".cache/kopai/recent-trace-ids");
    let runs = 7;
    for run in 1..=runs {
        assert_ok(&in_sandbox(&sb, &server, "traces search --json"));
        let ids: Vec<String> = read(&cache)
            .lines()
            .map(|line| line.split_once(' ').unwrap().1.to_owned())
            .collect();
        let printed = run * per_run;
        let kept: Vec<String> = (printed.saturating_sub(500)..printed)
            .map(fresh_id)
            .collect();
        assert!(
            ids == kept,
            "run {run}: {} IDs, first {:?}",
            ids.len(),
            ids.first()
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&cache).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "run {run}");
        }
    }
    let left: Vec<_> = std::fs::read_dir(cache.parent().unwrap())
        .unwrap()
        .collect();
    assert_eq!(left.len(), 1, "no temporary file left beside the cache");
}
