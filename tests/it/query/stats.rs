//! `kopai traces stats` and `kopai logs stats` against a fake server that holds each body to
//! the schema's rules: the RED query and its table, the SQLite fallback from percentiles to avg
//! and max, and a server without KopaiQuery.

use serde_json::{json, Value};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::kopai_answers::{query_server, schema_problem};
use crate::common::*;

const TRACES: &str = "/signals/query/traces/aggregate";
const LOGS: &str = "/signals/query/logs/aggregate";

fn red_answer() -> Value {
    json!({"data": [
        {"service.name": "checkout-api", "requests": 1200, "error_rate": 0.031,
         "p50": 48000000, "p95": 412000000.0, "p99": 1210000000, "throughput": 0.33},
        {"service.name": "payment-service", "requests": 87, "error_rate": 0,
         "p50": 95000000, "p95": 1520000000, "p99": 2020000000, "throughput": 0.02}
    ]})
}

/// A SQLite-backed Kopai: percentiles are refused with a 400, anything else is answered.
struct Sqlite {
    answer: Value,
}

impl Respond for Sqlite {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        let percentile = body["measures"]
            .as_array()
            .into_iter()
            .flatten()
            .find_map(|m| m["op"].as_str().filter(|op| op.starts_with('P')));
        match (percentile, schema_problem(request.url.path(), &body)) {
            (Some(op), _) => ResponseTemplate::new(400).set_body_json(json!({
                "type": "about:blank", "title": "Invalid query", "status": 400,
                "detail": format!("{op} is not supported by the SQLite datasource: percentiles need ClickHouse")
            })),
            (None, None) => ResponseTemplate::new(200).set_body_json(&self.answer),
            (None, Some(problem)) => ResponseTemplate::new(400).set_body_json(json!({
                "type": "about:blank", "title": "Invalid query", "status": 400, "detail": problem
            })),
        }
    }
}

fn table(url: &str, line: &str) -> Output {
    kopai_with(url, &words(&format!("{line} --table --utc")), |cmd| {
        cmd.env("COLUMNS", "100");
    })
}

#[tokio::test]
async fn traces_stats_ranks_services_by_error_rate_with_latency_percentiles() {
    let server = query_server(TRACES, red_answer()).await;
    let out = table(&server.uri(), "traces stats --since 2h");
    assert_ok(&out);
    assert_eq!(out.stderr, "");
    kopai_snapshot!(&out);
    let printed = kopai_at(
        &server.uri(),
        &words("traces stats --since 2h --print-query"),
    );
    assert_ok(&printed);
    let sent = bodies(&server).await;
    assert_eq!(sent.len(), 1, "--print-query sends nothing");
    assert_eq!(
        pretty(&sent[0]),
        printed.stdout,
        "the body is the printed query"
    );
    let ops: Vec<&str> = sent[0]["measures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["op"].as_str().unwrap())
        .collect();
    assert_eq!(
        ops,
        ["COUNT", "ERROR_RATE", "P50", "P95", "P99", "THROUGHPUT"]
    );
    assert_eq!(sent[0]["dimensions"], json!(["service.name"]));
    assert_eq!(
        sent[0]["timeDimension"],
        json!({"type": "relative", "lookback": "2h"})
    );
    assert_eq!(sent[0]["orderBy"][0]["alias"], "error_rate");
}

#[tokio::test]
async fn traces_stats_by_route_for_one_service_over_time() {
    let answer = json!({"data": [
        {"http.route": "/pay", "bucket_start": "2026-11-27T23:00:00.000Z", "requests": 4,
         "error_rate": 0.25, "p50": 1000000, "p95": 2000000, "p99": 3000000, "throughput": 0.01}
    ]});
    let server = query_server(TRACES, answer).await;
    let out = kopai_at(
        &server.uri(),
        &words("traces stats --by http.route -s 42 --where Duration>1ms --every 5m --json"),
    );
    assert_ok(&out);
    let sent = &bodies(&server).await[0];
    assert_eq!(sent["dimensions"], json!(["http.route"]));
    assert_eq!(
        sent["filters"],
        json!([
            {"column": "service.name", "op": "eq", "value": "42"},
            {"column": "Duration", "op": "gt", "value": 1000000}
        ]),
        "--service is text even when it looks like a number"
    );
    assert_eq!(
        sent["output"],
        json!({"type": "timeSeries", "granularity": "5m"})
    );
    assert_eq!(
        sent.get("orderBy"),
        None,
        "a time series keeps the buckets' order"
    );
    assert!(
        out.stdout
            .contains("\"bucket_start\": \"2026-11-27T23:00:00.000Z\""),
        "{}",
        out.stdout
    );
}

#[tokio::test]
async fn a_server_without_percentiles_gets_avg_and_max_and_says_so_once() {
    let answer = json!({"data": [
        {"service.name": "checkout-api", "requests": 1200, "error_rate": 0.031,
         "avg": 61000000.5, "max": 2400000000_u64, "throughput": 0.33}
    ]});
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path(TRACES))
        .respond_with(Sqlite { answer })
        .mount(&server)
        .await;
    let out = table(&server.uri(), "traces stats");
    assert_ok(&out);
    kopai_snapshot!(&out);
    let sent = bodies(&server).await;
    assert_eq!(sent.len(), 2, "asked once with percentiles, once without");
    assert_eq!(
        sent[1]["measures"],
        json!([
            {"op": "COUNT", "as": "requests"},
            {"op": "ERROR_RATE", "as": "error_rate"},
            {"op": "AVG", "column": "Duration", "as": "avg"},
            {"op": "MAX", "column": "Duration", "as": "max"},
            {"op": "THROUGHPUT", "as": "throughput"}
        ])
    );

    let out = kopai_at(&server.uri(), &words("traces stats -o ndjson"));
    assert_ok(&out);
    assert_eq!(
        out.stderr.matches("no percentiles").count(),
        1,
        "{}",
        out.stderr
    );
    assert!(
        out.stdout.starts_with("{\"service.name\":\"checkout-api\""),
        "{}",
        out.stdout
    );
}

#[tokio::test]
async fn a_percentile_refusal_that_is_not_about_percentiles_is_the_users_error() {
    let server = serve(
        "POST",
        TRACES,
        ResponseTemplate::new(400).set_body_json(json!({"type": "about:blank",
            "title": "Invalid query", "status": 400, "detail": "limit is too large"})),
    )
    .await;
    let out = table(&server.uri(), "traces stats");
    assert_failed(&out, 2);
    assert_eq!(
        out.stderr,
        "error: the server refused the query: Invalid query: limit is too large\n"
    );
    assert_eq!(
        requests(&server).await.len(),
        1,
        "no fallback for another refusal"
    );
}

#[tokio::test]
async fn logs_stats_counts_records_per_severity() {
    let answer = json!({"data": [
        {"SeverityText": "INFO", "records": 5120},
        {"SeverityText": "ERROR", "records": 37}
    ]});
    let server = query_server(LOGS, answer).await;
    let out = table(&server.uri(), "logs stats --since 1d");
    assert_ok(&out);
    assert_eq!(
        out.stdout,
        "SEVERITYTEXT  RECORDS\n\
         INFO             5120\n\
         ERROR              37\n"
    );
    let sent = &bodies(&server).await[0];
    assert_eq!(sent["measures"], json!([{"op": "COUNT", "as": "records"}]));
    assert_eq!(sent["dimensions"], json!(["SeverityText"]));
    assert_eq!(
        sent["orderBy"],
        json!([{"type": "measure", "alias": "records", "direction": "desc"}])
    );
}

#[tokio::test]
async fn stats_on_a_server_without_kopaiquery_say_so_once() {
    for (route, line) in [
        (TRACES, "traces stats"),
        (LOGS, "logs stats --by service.name"),
    ] {
        let server = serve(
            "POST",
            route,
            ResponseTemplate::new(404)
                .set_body_raw(fixture("error-404-post.json"), "application/json"),
        )
        .await;
        let out = table(&server.uri(), line);
        assert_failed(&out, 1);
        assert_eq!(out.stdout, "");
        assert_eq!(
            out.stderr,
            "error: this Kopai server does not support queries (KopaiQuery needs a newer server)\n\
             hint: upgrade the Kopai server; the search commands work with every version\n",
            "{line}"
        );
        assert_eq!(
            requests(&server).await.len(),
            1,
            "{line}: a 404 is not retried"
        );
    }
}

#[tokio::test]
async fn bad_stats_flags_exit_2_before_any_request() {
    let server = query_server(TRACES, red_answer()).await;
    for (line, expected) in [
        (
            "traces stats --by htp.route",
            "--by 'htp.route': traces have no column \"htp.route\" (did you mean \"http.route\"?)",
        ),
        ("traces stats --since 10ms", "--since '10ms'"),
        (
            "logs stats --where Duration>1s",
            "logs have no column \"Duration\"",
        ),
    ] {
        let out = table(&server.uri(), line);
        assert_failed(&out, 2);
        let first = out.stderr.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("error: ") && first.contains(expected),
            "{line}: {}",
            out.stderr
        );
    }
    assert!(requests(&server).await.is_empty(), "nothing may be sent");
}
