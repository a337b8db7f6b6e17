//! Empty results that explain why.

use super::*;

#[tokio::test]
async fn an_unknown_service_names_the_known_ones() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json_response(r#"{"data":[],"nextCursor":null}"#))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/signals/services"))
        .respond_with(json_response(&fixture("services.json")))
        .mount(&server)
        .await;
    let shown = screen(
        &server.uri(),
        "traces search --service checkout",
        120,
        "UTC",
        &[],
    );
    assert!(shown.contains("No results found."), "{shown}");
    assert!(
        shown.contains("hint: no service is named `checkout` (did you mean `checkout-api`?); known services: checkout-api, payment-service"),
        "{shown}"
    );
    let shown = screen(
        &server.uri(),
        "logs search --severity-text error",
        120,
        "UTC",
        &[],
    );
    assert!(
        shown.contains("--severity-text ERROR, or --severity-min 17"),
        "{shown}"
    );
    // A known service: nothing to explain, and only the one extra request.
    let shown = screen(
        &server.uri(),
        "traces search -s payment-service",
        120,
        "UTC",
        &[],
    );
    assert!(!shown.contains("hint:"), "{shown}");
    let sent = server.received_requests().await.unwrap();
    let lists = sent
        .iter()
        .filter(|r| r.url.path() == "/signals/services")
        .count();
    assert_eq!(lists, 2, "one per search that named a service");
}
