//! `kopai query` sent to a fake server that holds each body to the schema's rules (as a newer
//! Kopai does, with a 400 otherwise) and answers in the documented shapes.

use serde_json::{json, Value};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::common::*;

/// Answers `POST /signals/query/{signal}/{mode}` with `answer`, after checking the body.
pub(super) struct Schema {
    pub(super) answer: Value,
}

impl Respond for Schema {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or_default();
        match schema_problem(request.url.path(), &body) {
            None => ResponseTemplate::new(200).set_body_json(&self.answer),
            Some(detail) => ResponseTemplate::new(400).set_body_json(json!({
                "type": "about:blank", "title": "Invalid query", "status": 400, "detail": detail
            })),
        }
    }
}

/// What upstream's schema would reject in `body` sent to `route`.
pub(super) fn schema_problem(route: &str, body: &Value) -> Option<String> {
    let expected = format!(
        "/signals/query/{}/{}",
        body["signal"].as_str()?,
        body["mode"].as_str()?
    );
    if route != expected {
        return Some(format!("signal/mode do not match {route}"));
    }
    let time = &body["timeDimension"];
    if time["type"] != "relative" && time["type"] != "absolute" {
        return Some("timeDimension is required".into());
    }
    if body["mode"] == "aggregate" {
        let measures = body["measures"].as_array()?;
        if measures.is_empty() || !body["output"].is_object() {
            return Some("measures and output are required".into());
        }
        let alias_ok = |a: &str| {
            a.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && a.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        };
        for m in measures {
            if !alias_ok(m["as"].as_str().unwrap_or("")) {
                return Some("bad alias".into());
            }
            let numeric_op = !matches!(
                m["op"].as_str(),
                Some("COUNT" | "COUNT_DISTINCT" | "ERROR_RATE" | "THROUGHPUT")
            );
            if numeric_op && matches!(m["column"].as_str(), Some("SpanName" | "Body")) {
                return Some("numeric op on a text column".into());
            }
        }
    }
    for filter in body["filters"].as_array().into_iter().flatten() {
        if let Some(values) = filter["values"].as_array() {
            let numbers = values.iter().filter(|v| v.is_number()).count();
            if values.is_empty() || (numbers != 0 && numbers != values.len()) {
                return Some("in lists are non-empty and of one type".into());
            }
        }
        if matches!(filter["op"].as_str(), Some("gt" | "gte" | "lt" | "lte"))
            && !filter["value"].is_number()
        {
            return Some("gt/gte/lt/lte take a number".into());
        }
    }
    None
}

pub(crate) async fn query_server(route: &str, answer: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::method("POST"))
        .and(wiremock::matchers::path(route))
        .respond_with(Schema { answer })
        .mount(&server)
        .await;
    server
}

const SUMMARY: &[&str] = &[
    "query",
    "traces",
    "-m",
    "count",
    "-m",
    "error_rate",
    "-m",
    "p95(Duration)",
    "-m",
    "throughput",
    "--by",
    "service.name",
    "--where",
    "http.route^=/api",
    "--order",
    "-error_rate",
];

fn summary_answer() -> Value {
    json!({"data": [
        {"service.name": "checkout-api", "count": 1200, "error_rate": 0.031, "p95_duration": 412000000.0, "throughput": 12.4},
        {"service.name": "payment-service", "count": 87, "error_rate": 0, "p95_duration": 1520000000, "throughput": 0.9},
        {"service.name": "search", "count": 3, "error_rate": null, "p95_duration": null, "throughput": 0.05}
    ]})
}

#[tokio::test]
async fn a_summary_is_a_table_of_groups_in_server_order_with_units() {
    let server = query_server("/signals/query/traces/aggregate", summary_answer()).await;
    let mut args = SUMMARY.to_vec();
    args.push("--table");
    let out = kopai_with(&server.uri(), &args, |cmd| {
        cmd.env("COLUMNS", "100");
    });
    kopai_snapshot!(&out);
    assert_ok(&out);
    let printed = kopai_at(&server.uri(), &[SUMMARY, &["--print-query"]].concat());
    let sent = bodies(&server).await;
    assert_eq!(sent.len(), 1, "--print-query sends nothing");
    assert_eq!(
        pretty(&sent[0]),
        printed.stdout,
        "the body is the printed query"
    );
}

#[tokio::test]
async fn json_and_csv_print_the_servers_rows_unchanged() {
    let server = query_server("/signals/query/traces/aggregate", summary_answer()).await;
    let out = kopai_at(&server.uri(), &[SUMMARY, &["--json"]].concat());
    assert_ok(&out);
    // JSON as the Node CLI prints it, which reads numbers as doubles: 412000000.0 is 412000000.
    // CSV keeps the server's spelling.
    let node = pretty(&summary_answer()["data"]).replace("412000000.0", "412000000");
    assert_eq!(out.stdout, node);
    let out = kopai_at(&server.uri(), &[SUMMARY, &["-o", "csv"]].concat());
    assert_ok(&out);
    assert!(
        out.stdout.starts_with("service.name,count,error_rate,p95_duration,throughput\r\ncheckout-api,1200,0.031,412000000.0,12.4\r\n"),
        "{}",
        out.stdout
    );
}

/// Two services over two hours in 5-minute buckets: `api` misses one bucket (a gap) and has a
/// null error rate in another; `db` has only the second hour.
pub(crate) fn series_answer() -> Value {
    let mut rows = Vec::new();
    for i in 0..24 {
        let start = format!("2026-11-27T{:02}:{:02}:00.000Z", 21 + i / 12, (i % 12) * 5);
        if i != 7 {
            let rate = if i == 3 {
                Value::Null
            } else {
                json!(f64::from(i % 6) / 100.0)
            };
            rows.push(json!({"service.name": "api", "bucket_start": start, "count": 10 + i * 3, "error_rate": rate}));
        }
        if i >= 12 {
            rows.push(json!({"service.name": "db", "bucket_start": start, "count": 40 - i, "error_rate": 0}));
        }
    }
    json!({"data": rows})
}

const SERIES: &str = "query traces -m count -m error_rate --by service.name --since 2h --every 5m";

#[tokio::test]
async fn a_time_series_is_a_sparkline_per_group_with_gaps() {
    let server = query_server("/signals/query/traces/aggregate", series_answer()).await;
    let out = kopai_with(&server.uri(), &words(&format!("{SERIES} --table")), |cmd| {
        cmd.env("COLUMNS", "80");
    });
    kopai_snapshot!(&out);
    assert_ok(&out);
    assert!(
        out.stdout.lines().all(|l| l.chars().count() <= 80),
        "{}",
        out.stdout
    );
    // The missing bucket and the null are gaps in api's line, not its lowest level.
    let api_count = out.stdout.lines().nth(1).unwrap_or_default();
    assert!(
        api_count.starts_with("api ") && api_count.contains("▃  ▃"),
        "{api_count}"
    );
    let body = &bodies(&server).await[0];
    assert_eq!(
        body["output"],
        json!({"type": "timeSeries", "granularity": "5m"})
    );
    assert_eq!(
        body["timeDimension"],
        json!({"type": "relative", "lookback": "2h"})
    );
    let out = kopai_at(&server.uri(), &words(&format!("{SERIES} -o ndjson")));
    assert_ok(&out);
    assert_eq!(
        out.stdout.lines().count(),
        35,
        "the rows unchanged: {}",
        out.stdout
    );
}

#[tokio::test]
async fn raw_rows_follow_next_cursor_with_all() {
    let server = MockServer::start().await;
    let route = "/signals/query/logs/raw";
    for (cursor, answer) in [
        (None, json!({"data": [{"Body": "one"}], "nextCursor": "c1"})),
        (
            Some("c1"),
            json!({"data": [{"Body": "two"}], "nextCursor": null}),
        ),
    ] {
        let matcher = move |r: &Request| {
            let body: Value = serde_json::from_slice(&r.body).unwrap_or_default();
            body.get("cursor").and_then(Value::as_str) == cursor
        };
        Mock::given(wiremock::matchers::path(route))
            .and(matcher)
            .respond_with(Schema { answer })
            .mount(&server)
            .await;
    }
    let out = kopai_at(
        &server.uri(),
        &words("query logs --where Body~o --all -o ndjson"),
    );
    assert_ok(&out);
    assert_eq!(out.stdout, "{\"Body\":\"one\"}\n{\"Body\":\"two\"}\n");
    let sent = bodies(&server).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1]["cursor"], "c1");
    assert_eq!(sent[1]["mode"], "raw");
}

#[tokio::test]
async fn a_server_without_kopaiquery_says_so() {
    let server = serve(
        "POST",
        "/signals/query/traces/aggregate",
        ResponseTemplate::new(404).set_body_raw(fixture("error-404-post.json"), "application/json"),
    )
    .await;
    let out = kopai_at(&server.uri(), &words("query traces -m count --table"));
    assert_failed(&out, 1);
    assert_eq!(
        out.stderr,
        "error: this Kopai server does not support queries (KopaiQuery needs a newer server)\n\
         hint: upgrade the Kopai server; the search commands work with every version\n"
    );
    assert_eq!(requests(&server).await.len(), 1, "a 404 is not retried");
}

#[tokio::test]
async fn a_refused_percentile_is_exit_2_with_a_hint() {
    let problem = json!({"type": "about:blank", "title": "Invalid query", "status": 400,
        "detail": "Percentile P95 is not supported by the SQLite datasource\u{1b}[31m"});
    let server = serve(
        "POST",
        "/signals/query/traces/aggregate",
        ResponseTemplate::new(400).set_body_json(problem),
    )
    .await;
    let out = kopai_snapshot!(kopai_at(
        &server.uri(),
        &words("query traces -m p95(Duration) --table")
    ));
    assert_failed(&out, 2);
    let out = kopai_at(
        &server.uri(),
        &words("query traces -m p95(Duration) --json"),
    );
    assert_failed(&out, 2);
    assert_eq!(json_error(&out)["error"]["name"], "UsageError");
}
