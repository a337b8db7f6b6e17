//! Retries: which answers are retried, how long to wait, and what is never retried.

use serde_json::json;
use wiremock::ResponseTemplate;

use super::*;
use crate::common::*;

fn busy(retry_after: &str) -> ResponseTemplate {
    ResponseTemplate::new(429).insert_header("Retry-After", retry_after)
}

#[tokio::test]
async fn a_503_is_retried() {
    let ok = json_response(&fixture("traces-search-page1.json"));
    let server = flaky("POST", TRACES_SEARCH, ResponseTemplate::new(503), ok).await;
    let out = kopai_at(&server.uri(), &words("traces search --json"));
    assert_ok(&out);
    assert_eq!(out.stdout, pretty(&data("traces-search-page1.json")));
    assert_eq!(out.stderr, "");
    assert_eq!(bodies(&server).await, [json!({}), json!({})]);
}

#[tokio::test]
async fn retry_after_zero_retries_at_once() {
    let ok = json_response(&fixture("services.json"));
    let server = flaky("GET", SERVICES, busy("0"), ok).await;
    let out = kopai_at(&server.uri(), &words("services --json --verbose"));
    assert_ok(&out);
    assert_eq!(
        out.stdout,
        pretty(&fixture_json("services.json")["services"])
    );
    // Not the default first back-off of 250 ms.
    assert!(
        out.stderr
            .contains("* Too Many Requests (HTTP 429); retrying in 0 ms\n"),
        "{}",
        out.stderr
    );
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn retry_after_as_a_past_http_date_retries_at_once() {
    let ok = json_response(&fixture("services.json"));
    let server = flaky("GET", SERVICES, busy("Wed, 21 Oct 2015 07:28:00 GMT"), ok).await;
    let out = kopai_at(&server.uri(), &words("services --json --verbose"));
    assert_ok(&out);
    assert!(out.stderr.contains("retrying in 0 ms\n"), "{}", out.stderr);
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn retry_after_beyond_the_timeout_gives_up_at_once() {
    let ok = json_response(&fixture("services.json"));
    let server = flaky("GET", SERVICES, busy("120"), ok).await;
    let out = kopai_at(&server.uri(), &words("services --table"));
    assert_failed(&out, 1);
    assert_eq!(out.stderr, "error: Too Many Requests (HTTP 429)\n");
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn creating_a_dashboard_is_never_retried() {
    let created = fixture_response(201, "dashboards-create.json");
    let server = flaky("POST", "/dashboards", ResponseTemplate::new(503), created).await;
    let args = words("dashboards create --name X --tree-version 0.14.0 --json");
    let out = kopai_with(&server.uri(), &args, |cmd| {
        cmd.write_stdin(r#"{"root":"s1"}"#);
    });
    assert_failed(&out, 1);
    assert_eq!(
        json_error(&out),
        json!({"error": {"name": "ApiError", "message": "Service Unavailable", "status": 503}})
    );
    assert_eq!(requests(&server).await.len(), 1);
}
