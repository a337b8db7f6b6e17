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
