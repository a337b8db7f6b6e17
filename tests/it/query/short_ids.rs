//! Short trace IDs typed back: `traces get` remembers what it shows, and `--trace-id` of the
//! searches takes a prefix as `traces get` does, sending the whole ID.

use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::Mock;

use super::*;
use crate::common::*;

/// `traces get` with a whole ID remembers it, so a later `--trace-id 4bf92f` of either search
/// sends the whole ID.
#[tokio::test]
async fn a_trace_shown_by_get_is_then_a_prefix_for_the_searches_trace_id() {
    let sb = Sandbox::new();
    let server = serve("POST", LOGS_SEARCH, json_response(EMPTY_PAGE)).await;
    Mock::given(method("POST"))
        .and(path(TRACES_SEARCH))
        .respond_with(json_response(EMPTY_PAGE))
        .mount(&server)
        .await;
    let route = format!("/signals/traces/{TRACE_ID}");
    Mock::given(method("GET"))
        .and(path(route.as_str()))
        .respond_with(json_response(&fixture("traces-get.json")))
        .mount(&server)
        .await;
    let kopai = |line: &str| {
        let mut cmd = sb.kopai();
        cmd.args(words(line))
            .args(["--url", &server.uri(), "--token", TOKEN]);
        run(&mut cmd)
    };

    let out = kopai("logs search --trace-id 4bf92f --json");
    assert_failed(&out, 2);
    assert!(
        out.stderr.contains("no trace ID starting with 4bf92f"),
        "{}",
        out.stderr
    );
    assert!(bodies(&server).await.is_empty(), "refused before asking");

    assert_ok(&kopai(&format!("traces get {TRACE_ID} --json")));
    assert_ok(&kopai("logs search --trace-id 4BF92F --json"));
    assert_ok(&kopai("traces search --trace-id 4bf92f35 --json"));
    let sent: Vec<Value> = requests(&server)
        .await
        .iter()
        .filter(|r| r.method.as_str() == "POST")
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(sent.len(), 2, "{sent:?}");
    for body in sent {
        assert_eq!(body["traceId"], TRACE_ID, "{body}");
    }
}

/// Two remembered IDs sharing the prefix: both listed, nothing asked, exit 2.
#[tokio::test]
async fn an_ambiguous_trace_id_prefix_lists_the_candidates() {
    let sb = Sandbox::new();
    let server = serve("POST", LOGS_SEARCH, json_response(EMPTY_PAGE)).await;
    let cache = sb.home.join(".cache/kopai/recent-trace-ids");
    std::fs::create_dir_all(cache.parent().unwrap()).unwrap();
    let (one, two) = (
        "abcdef00000000000000000000000001",
        "abcdef00000000000000000000000002",
    );
    std::fs::write(&cache, format!("1700000000 {one}\n1700000060 {two}\n")).unwrap();
    let mut cmd = sb.kopai();
    cmd.args(words("logs search --trace-id abcdef --json"))
        .args(["--url", &server.uri(), "--token", TOKEN]);
    let out = run(&mut cmd);
    assert_failed(&out, 2);
    assert!(
        out.stderr.contains("trace ID prefix abcdef is ambiguous"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains(&format!("{two}  (printed 2023-11-14 22:14:20 UTC)")),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains(one), "{}", out.stderr);
    assert_eq!(out.stdout, "");
    assert!(bodies(&server).await.is_empty(), "refused before asking");
}
