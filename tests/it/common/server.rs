//! Fake Kopai servers (`wiremock` on 127.0.0.1) and what they received.

use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::fixture;

/// An empty last page of a search.
pub const EMPTY_PAGE: &str = r#"{"data":[],"nextCursor":null}"#;

pub fn json_response(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

/// A captured body with another status (201 Created, 400 with a problem document).
pub fn fixture_response(status: u16, name: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(fixture(name).into_bytes(), "application/json")
}

/// A fake server that accepts any token on the validation endpoint.
pub async fn accepting_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/signals/traces/search"))
        .respond_with(json_response(EMPTY_PAGE))
        .mount(&server)
        .await;
    server
}

/// A fake server that answers the validation endpoint with `status`.
pub async fn server_answering(status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/signals/traces/search"))
        .respond_with(ResponseTemplate::new(status))
        .mount(&server)
        .await;
    server
}

/// A fake server answering `verb route` with `response`.
pub async fn serve(verb: &str, route: &str, response: impl Respond + 'static) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

/// A fake server answering `verb route` with a captured response body.
pub async fn serve_fixture(verb: &str, route: &str, name: &str) -> MockServer {
    serve(verb, route, json_response(&fixture(name))).await
}

/// A server whose first answer on `verb route` is `first`, and every later one `then`.
pub async fn flaky(
    verb: &str,
    route: &str,
    first: ResponseTemplate,
    then: ResponseTemplate,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(first)
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(then)
        .mount(&server)
        .await;
    server
}

/// Every request the server received, in order.
pub async fn requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// The JSON bodies the server received, in order.
pub async fn bodies(server: &MockServer) -> Vec<Value> {
    requests(server)
        .await
        .iter()
        .map(|r| serde_json::from_slice(&r.body).expect("request body is JSON"))
        .collect()
}
