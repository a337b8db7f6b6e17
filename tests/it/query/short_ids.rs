//! Short trace IDs typed back: `traces get` remembers what it shows, and `--trace-id` of the
//! searches takes a prefix as `traces get` does, sending the whole ID.

use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

use super::*;
use crate::common::*;

/// `traces get` with a whole ID remembers it, so a later `--trace-id 4bf92f` of either search
/// sends the whole ID.
#[tokio::test]
async fn a_trace_shown_by_get_is_then_a_prefix_for_the_searches_trace_id() {
    let sb = Sandbox::new();
    let server = serve("POST", LOGS_SEARCH, json_response(EMPTY_PAGE)).await;
    answer_empty(&server, TRACES_SEARCH).await;
    let route = format!("/signals/traces/{TRACE_ID}");
    Mock::given(method("GET"))
        .and(path(route.as_str()))
        .respond_with(json_response(&fixture("traces-get.json")))
        .mount(&server)
        .await;
    answer_empty(&server, TRACES_SUMMARIES).await;
    let kopai = |line: &str| in_sandbox(&sb, &server, line);

    let out = kopai("logs search --trace-id 4bf92f --json");
    assert_failed(&out, 2);
    assert!(
        out.stderr.contains(
            "no trace ID starting with 4bf92f among the 0 kopai printed recently \
             nor the server's 0 most recent traces"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(
        posted(&server, LOGS_SEARCH).await,
        Vec::<Value>::new(),
        "refused before searching"
    );

    assert_ok(&kopai(&format!("traces get {TRACE_ID} --json")));
    assert_ok(&kopai("logs search --trace-id 4BF92F --json"));
    assert_ok(&kopai("traces search --trace-id 4bf92f35 --json"));
    let mut sent = posted(&server, LOGS_SEARCH).await;
    sent.extend(posted(&server, TRACES_SEARCH).await);
    assert_eq!(sent.len(), 2, "{sent:?}");
    for body in sent {
        assert_eq!(body["traceId"], TRACE_ID, "{body}");
    }
    let lookups = posted(&server, TRACES_SUMMARIES).await;
    assert_eq!(
        lookups,
        [json!({"limit": 1000})],
        "the server asked once, bounded"
    );
}

/// A prefix the cache does not know is looked for among the server's most recent trace
/// summaries: found once, it is used and remembered (in the private cache).
#[tokio::test]
async fn a_prefix_unknown_to_the_cache_is_found_on_the_server() {
    let sb = Sandbox::new();
    let server = serve_fixture("POST", TRACES_SUMMARIES, "traces-summaries.json").await;
    answer_empty(&server, LOGS_SEARCH).await;
    let kopai = |line: &str| in_sandbox(&sb, &server, line);
    assert_ok(&kopai("logs search --trace-id 4bf92f --json"));
    assert_eq!(posted(&server, LOGS_SEARCH).await[0]["traceId"], TRACE_ID);
    let cache = sb.home.join(".cache/kopai/recent-trace-ids");
    let remembered = std::fs::read_to_string(&cache).unwrap();
    assert!(
        remembered.ends_with(&format!(" {TRACE_ID}\n")),
        "{remembered}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&cache).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Now from the cache: the server is not asked again.
    assert_ok(&kopai("logs search --trace-id 4bf92f3577 --json"));
    assert_eq!(posted(&server, TRACES_SUMMARIES).await.len(), 1);

    let out = kopai("logs search --trace-id 0123456 --json");
    assert_failed(&out, 2);
    assert!(
        out.stderr.contains("nor the server's 3 most recent traces"),
        "{}",
        out.stderr
    );
}

/// Two of the server's recent traces share the prefix: each is listed with its start, root
/// span and service (sanitised), and nothing is searched.
#[tokio::test]
async fn a_prefix_ambiguous_on_the_server_lists_time_root_span_and_service() {
    let summaries = json!({"data": [
        {"traceId": "abcdef00000000000000000000000001", "rootServiceName": "checkout-api",
         "rootSpanName": "POST /checkout", "startTimeNs": "1795820420000000000"},
        {"traceId": "abcdef00000000000000000000000002", "rootServiceName": "pay\u{1b}[31m",
         "rootSpanName": "GET /products", "startTimeNs": "1795820410000000000"},
    ], "nextCursor": null});
    let server = serve(
        "POST",
        TRACES_SUMMARIES,
        json_response(&summaries.to_string()),
    )
    .await;
    let out = kopai_at(&server.uri(), &words("traces get abcdef --json"));
    assert_failed(&out, 2);
    assert!(
        out.stderr.contains("trace ID prefix abcdef is ambiguous"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains(
            "  abcdef00000000000000000000000001  2026-11-27 23:00:20 UTC  POST /checkout  (checkout-api)"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("abcdef00000000000000000000000002"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains('\u{1b}'), "{}", out.stderr);
    assert_eq!(out.stdout, "");
}

/// `kopai LINE` in the sandbox `sb`, against `server`.
pub(super) fn in_sandbox(sb: &Sandbox, server: &MockServer, line: &str) -> Output {
    let mut cmd = sb.kopai();
    cmd.args(words(line))
        .args(["--url", &server.uri(), "--token", TOKEN]);
    run(&mut cmd)
}

/// `server` answers a POST to `route` with an empty page.
pub(super) async fn answer_empty(server: &MockServer, route: &str) {
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(json_response(EMPTY_PAGE))
        .mount(server)
        .await;
}

/// The JSON bodies POSTed to `route`, in order.
pub(super) async fn posted(server: &MockServer, route: &str) -> Vec<Value> {
    requests(server)
        .await
        .iter()
        .filter(|r| r.method.as_str() == "POST" && r.url.path() == route)
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}
