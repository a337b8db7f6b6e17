//! `Client::query` against a fake server: each signal and mode reaches its own route with the
//! body as given, and a server that predates KopaiQuery is `Unsupported` once.

use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{QueryMode, QuerySignal};
use crate::api::{ApiError, BaseUrl, Client, ClientOptions, Newer};

fn client(server: &MockServer) -> Client {
    let options = ClientOptions {
        timeout: Duration::from_secs(10),
        verbose: false,
        retries: true,
    };
    Client::new(BaseUrl::parse(&server.uri()).unwrap(), None, options).unwrap()
}

#[tokio::test]
async fn each_signal_and_mode_is_sent_to_its_route() {
    use QueryMode::{Aggregate, Raw};
    use QuerySignal::{Logs, Metrics, Traces};
    // Not wiremock's pool: a recycled address would bring another test's remembered 404.
    let server = MockServer::builder().start().await;
    let cases = [
        (Traces, Raw, "traces", "raw"),
        (Traces, Aggregate, "traces", "aggregate"),
        (Logs, Raw, "logs", "raw"),
        (Logs, Aggregate, "logs", "aggregate"),
        (Metrics, Raw, "metrics", "raw"),
        (Metrics, Aggregate, "metrics", "aggregate"),
    ];
    for (_, _, signal, mode) in cases {
        let query = json!({"signal": signal, "mode": mode,
            "timeDimension": {"type": "relative", "lookback": "1h"}});
        let answer = format!(r#"{{"data":[{{"route":"{signal}/{mode}"}}]}}"#);
        Mock::given(method("POST"))
            .and(path(format!("/signals/query/{signal}/{mode}")))
            .and(body_json(&query))
            .respond_with(ResponseTemplate::new(200).set_body_raw(answer, "application/json"))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server);
    for (signal, mode, signal_name, mode_name) in cases {
        let query = json!({"signal": signal_name, "mode": mode_name,
            "timeDimension": {"type": "relative", "lookback": "1h"}});
        let answer = client.query(signal, mode, &query).await.unwrap();
        assert_eq!(
            answer.json().unwrap(),
            json!({"data": [{"route": format!("{signal_name}/{mode_name}")}]})
        );
    }
    server.verify().await;
}

#[tokio::test]
async fn a_server_without_kopaiquery_is_unsupported_and_asked_once() {
    let server = MockServer::builder().start().await;
    let not_found = include_str!("../../../../tests/fixtures/error-404-post.json");
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(404).set_body_raw(not_found, "application/json"))
        .mount(&server)
        .await;
    let query = json!({"signal": "traces", "mode": "raw"});
    for _ in 0..2 {
        // A second client of the same server: what was learnt is kept for the process.
        let client = client(&server);
        let Err(err) = client
            .query(QuerySignal::Traces, QueryMode::Raw, &query)
            .await
        else {
            panic!("a 404 is an error");
        };
        assert!(
            matches!(&err, ApiError::Unsupported { feature } if *feature == Newer::Queries),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "this Kopai server does not support queries (KopaiQuery needs a newer server)"
        );
    }
    let sent = server.received_requests().await.unwrap();
    assert_eq!(sent.len(), 1, "the 404 is remembered, not asked again");
}

#[tokio::test]
async fn a_rejected_query_keeps_the_servers_problem_details() {
    let server = MockServer::builder().start().await;
    let problem = json!({"type": "x", "status": 400, "title": "Invalid query",
        "detail": "measures.0.op: P95 is not supported by this datasource"});
    Mock::given(method("POST"))
        .and(path("/signals/query/traces/aggregate"))
        .respond_with(ResponseTemplate::new(400).set_body_json(&problem))
        .mount(&server)
        .await;
    let Err(err) = client(&server)
        .query(QuerySignal::Traces, QueryMode::Aggregate, &json!({}))
        .await
    else {
        panic!("a 400 is an error");
    };
    assert_eq!(
        err.to_string(),
        "Invalid query (HTTP 400): measures.0.op: P95 is not supported by this datasource"
    );
}
