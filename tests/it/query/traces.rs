//! `traces operations` and `traces get`.

use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer};

use super::*;
use crate::common::*;

#[tokio::test]
async fn operations_asks_for_the_service_and_lists_span_names() {
    let server = serve_fixture("GET", OPERATIONS, "traces-operations.json").await;
    let out = kopai_at(
        &server.uri(),
        &words("traces operations -s checkout-api --table"),
    );
    assert_ok(&out);
    let answer = fixture_json("traces-operations.json");
    let names: String = answer["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| format!("{}\n", n.as_str().unwrap()))
        .collect();
    assert_eq!(out.stdout, format!("OPERATION\n{names}"));
    assert_eq!(
        requests(&server).await[0].url.query(),
        Some("serviceName=checkout-api")
    );
}

#[tokio::test]
async fn operations_encodes_the_service_name() {
    let service = "pay&ments svc/é";
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(OPERATIONS))
        .and(query_param("serviceName", service))
        .respond_with(json_response(r#"{"operations":["charge"]}"#))
        .mount(&server)
        .await;
    let out = kopai_at(
        &server.uri(),
        &["traces", "operations", "-s", service, "--json"],
    );
    assert_ok(&out);
    assert_eq!(out.stdout, "[\n  \"charge\"\n]\n");
    assert_eq!(requests(&server).await[0].url.query_pairs().count(), 1);
}

#[tokio::test]
async fn an_unknown_trace_is_empty() {
    let id = "00000000000000000000000000000000";
    let route = format!("/signals/traces/{id}");
    let server = serve_fixture("GET", &route, "traces-get-missing.json").await;

    let out = kopai_at(&server.uri(), &["traces", "get", id, "--json"]);
    assert_ok(&out);
    assert_eq!(out.stdout, "[]\n");

    let out = kopai_at(&server.uri(), &["traces", "get", id, "--table"]);
    assert_ok(&out);
    assert_eq!(out.stdout, "No results found.\n");
    assert_eq!(out.stderr, "");
}

/// `traces search` remembers the trace IDs it printed; a unique prefix of one is then enough
/// for `traces get`, and the cache file is private to the user.
#[tokio::test]
async fn a_printed_trace_id_can_be_typed_back_as_a_prefix() {
    let sb = Sandbox::new();
    let server = serve_fixture("POST", TRACES_SEARCH, "traces-search-page2.json").await;
    let route = format!("/signals/traces/{TRACE_ID}");
    Mock::given(method("GET"))
        .and(path(route.as_str()))
        .respond_with(json_response(&fixture("traces-get.json")))
        .mount(&server)
        .await;
    // The server knows no trace: only the cache can resolve a prefix here.
    Mock::given(method("POST"))
        .and(path(TRACES_SUMMARIES))
        .respond_with(json_response(EMPTY_PAGE))
        .mount(&server)
        .await;
    let kopai = |args: &[&str]| {
        let mut cmd = sb.kopai();
        cmd.args(args)
            .args(["--url", &server.uri(), "--token", TOKEN]);
        run(&mut cmd)
    };

    let out = kopai(&["traces", "get", "4bf92f", "--json"]);
    assert_failed(&out, 2);
    assert!(
        out.stderr.contains("no trace ID starting with 4bf92f"),
        "{}",
        out.stderr
    );

    assert_ok(&kopai(&["traces", "search", "--json"]));
    let cache = sb.home.join(".cache/kopai/recent-trace-ids");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&cache).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let out = kopai(&["traces", "get", "4BF92F", "--json"]);
    assert_ok(&out);
    assert!(out.stdout.contains(TRACE_ID), "{}", out.stdout);

    // Under 6 digits is refused before any lookup; a corrupt cache is ignored, not an error.
    assert_failed(&kopai(&["traces", "get", "4bf9"]), 2);
    std::fs::write(&cache, "not a cache\n").unwrap();
    let out = kopai(&["traces", "get", "4bf92f", "--json"]);
    assert_failed(&out, 2);
    assert!(
        out.stderr.contains("among the 0 kopai printed"),
        "{}",
        out.stderr
    );
}
