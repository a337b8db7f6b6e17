//! What a server supports, learnt once: the spelling probe against a fake server.

use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::BackendStyle;
use crate::api::{BaseUrl, Client, ClientOptions};

fn client(server: &MockServer) -> Client {
    let options = ClientOptions {
        timeout: Duration::from_secs(10),
        verbose: false,
        retries: true,
    };
    Client::new(BaseUrl::parse(&server.uri()).unwrap(), None, options).unwrap()
}

async fn spans_server(answer: serde_json::Value) -> MockServer {
    // Not wiremock's pool: a recycled address would bring another test's remembered 404.
    let server = MockServer::builder().start().await;
    Mock::given(method("POST"))
        .and(path("/signals/traces/search"))
        .and(body_json(json!({"limit": 1})))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .mount(&server)
        .await;
    server
}

#[test]
fn a_stored_value_shows_its_backends_style() {
    assert_eq!(
        BackendStyle::of_stored("Ok"),
        Some(BackendStyle::ClickHouse)
    );
    assert_eq!(
        BackendStyle::of_stored("SPAN_KIND_CLIENT"),
        Some(BackendStyle::Otlp)
    );
    assert_eq!(BackendStyle::of_stored(""), None);
}

#[tokio::test]
async fn the_spelling_is_learnt_from_one_span_once_per_process() {
    let span = json!({"SpanId": "a", "StatusCode": "Error", "SpanKind": "Server"});
    let server = spans_server(json!({"data": [span], "nextCursor": null})).await;
    for _ in 0..3 {
        // Each a new client, as a long-running process would build them.
        let style = client(&server).backend_style().await.unwrap();
        assert_eq!(style, BackendStyle::ClickHouse);
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_server_without_spans_is_asked_again_next_time() {
    let server = spans_server(json!({"data": [], "nextCursor": null})).await;
    for _ in 0..2 {
        let style = client(&server).backend_style().await.unwrap();
        assert_eq!(style, BackendStyle::Otlp);
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}
