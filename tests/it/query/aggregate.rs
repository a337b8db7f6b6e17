//! The grouped search flags: `logs search --aggregate count --group-by KEY` on upstream's newer
//! `/signals/logs/aggregate`, or through KopaiQuery where a server lacks it, and `metrics search
//! … --time-bucket` through KopaiQuery; against fakes with and without those routes.

use crate::common::*;

use serde_json::{json, Value};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::kopai_answers::query_server;

const LOGS_AGGREGATE: &str = "/signals/logs/aggregate";
const METRICS_QUERY: &str = "/signals/query/metrics/aggregate";
const LOGS_QUERY: &str = "/signals/query/logs/aggregate";

fn kopai(server: &MockServer, line: &str) -> Output {
    let sb = Sandbox::new();
    let out = run(sb.kopai().args(line.split_whitespace()).args([
        "--url",
        &server.uri(),
        "--token",
        TOKEN,
    ]));
    assert_no_secret(&out, TOKEN);
    out
}

const LOG_COUNTS: &str = r#"{"data":[{"groups":{"service.name":"checkout-api","http.route":"/pay"},"value":12},{"groups":{"service.name":"payment-service","http.route":"/charge"},"value":3}],"nextCursor":null}"#;

fn series() -> serde_json::Value {
    json!({"data": [
        {"Attributes.outcome": "success", "bucket_start": "2026-11-27T23:00:00.000Z", "value": 27.5},
        {"Attributes.outcome": "declined", "bucket_start": "2026-11-28T00:00:00.000Z", "value": 5}
    ]})
}

fn not_found() -> ResponseTemplate {
    ResponseTemplate::new(404).set_body_raw(
        fixture("error-404-post.json").into_bytes(),
        "application/json",
    )
}

#[tokio::test]
async fn logs_aggregate_posts_the_filter_and_prints_flat_rows() {
    let server = serve("POST", LOGS_AGGREGATE, json_response(LOG_COUNTS)).await;
    let out = kopai(
        &server,
        "logs search -s checkout-api --severity-min 17 --aggregate count \
         --group-by service.name --group-by http.route --json",
    );
    assert_ok(&out);
    assert_eq!(
        out.stdout,
        r#"[
  {
    "service.name": "checkout-api",
    "http.route": "/pay",
    "value": 12
  },
  {
    "service.name": "payment-service",
    "http.route": "/charge",
    "value": 3
  }
]
"#
    );
    assert_eq!(out.stderr, "");
    assert_eq!(
        bodies(&server).await,
        [json!({
            "serviceName": "checkout-api",
            "severityNumberMin": 17,
            "aggregate": "count",
            "groupBy": ["service.name", "http.route"]
        })]
    );
}

#[tokio::test]
async fn logs_aggregate_table_has_a_column_per_group_key() {
    let server = serve("POST", LOGS_AGGREGATE, json_response(LOG_COUNTS)).await;
    let out = kopai(
        &server,
        "logs search --aggregate COUNT --group-by service.name --group-by http.route --table",
    );
    assert_ok(&out);
    assert_eq!(
        out.stdout,
        "SERVICE.NAME     HTTP.ROUTE  VALUE\n\
         checkout-api     /pay        12\n\
         payment-service  /charge     3\n"
    );
}

#[tokio::test]
async fn metrics_time_series_is_a_kopaiquery_and_prints_flat_rows() {
    let server = query_server(METRICS_QUERY, series()).await;
    let out = kopai(
        &server,
        "metrics search --type Sum -n payment.charges -s checkout-api -a region=eu \
         --aggregate sum --group-by outcome --time-bucket 1h \
         --time-min 1795820400000000000 --time-max 1795827600000000000 --json",
    );
    assert_ok(&out);
    assert_eq!(
        out.stdout,
        r#"[
  {
    "outcome": "success",
    "bucket_start": "2026-11-27T23:00:00.000Z",
    "value": 27.5
  },
  {
    "outcome": "declined",
    "bucket_start": "2026-11-28T00:00:00.000Z",
    "value": 5
  }
]
"#
    );
    assert_eq!(out.stderr, "");
    assert_eq!(
        bodies(&server).await,
        [json!({
            "signal": "metrics",
            "mode": "aggregate",
            "measures": [{"op": "SUM", "column": "Value", "as": "value"}],
            "dimensions": [{"container": "Attributes", "key": "outcome"}],
            "filters": [
                {"column": "MetricType", "op": "eq", "value": "Sum"},
                {"column": "MetricName", "op": "eq", "value": "payment.charges"},
                {"column": "service.name", "op": "eq", "value": "checkout-api"},
                {"column": {"container": "Attributes", "key": "region"}, "op": "eq", "value": "eu"}
            ],
            "timeDimension": {"type": "absolute", "startTime": "2026-11-27T23:00:00.000Z",
                "endTime": "2026-11-28T01:00:00.000Z"},
            "output": {"type": "timeSeries", "granularity": "1h"},
            "limit": 10000
        })]
    );
}

#[tokio::test]
async fn metrics_time_series_table_shows_the_bucket_as_a_time() {
    let server = query_server(METRICS_QUERY, series()).await;
    let out = kopai(
        &server,
        "metrics search --type Gauge --aggregate count --group-by outcome --time-bucket 1h -t --utc",
    );
    assert_ok(&out);
    assert_eq!(
        out.stdout,
        "OUTCOME   TIME BUCKET               VALUE\n\
         success   2026-11-27T23:00:00.000Z  27.5\n\
         declined  2026-11-28T00:00:00.000Z  5\n"
    );
    let sent = &bodies(&server).await[0];
    assert_eq!(sent["measures"], json!([{"op": "COUNT", "as": "value"}]));
    assert_eq!(
        sent["timeDimension"]["startTime"], "1970-01-01T00:00:00.000Z",
        "no time flag is all of time, as for the search"
    );
}

#[tokio::test]
async fn limit_and_all_are_ignored_with_a_warning_and_not_sent() {
    let server = query_server(METRICS_QUERY, series()).await;
    let out = kopai(
        &server,
        "metrics search --type Sum --aggregate sum --group-by outcome --time-bucket 5m \
         --limit 10 --all --sort asc --json",
    );
    assert_ok(&out);
    assert_eq!(
        out.stderr,
        "warning: --sort is ignored with --time-bucket: buckets come in time order\n\
         warning: --limit is ignored with --aggregate: the server returns at most 10,000 rows\n\
         warning: --all is ignored with --aggregate: the answer is one page\n"
    );
    assert_eq!(bodies(&server).await[0]["limit"], 10000);

    let server = serve("POST", LOGS_AGGREGATE, json_response(LOG_COUNTS)).await;
    let out = kopai(
        &server,
        "logs search --aggregate count --group-by a -l 5 --json",
    );
    assert_ok(&out);
    assert_eq!(
        out.stderr,
        "warning: --limit is ignored with --aggregate: the server returns at most 1000 groups\n"
    );
}

#[tokio::test]
async fn logs_aggregate_answers_through_kopaiquery_where_the_route_is_missing() {
    let server = serve("POST", LOGS_AGGREGATE, not_found()).await;
    let answer = json!({"data": [
        {"service.name": "checkout-api", "http.route": "/pay", "value": 12},
        {"service.name": "payment-service", "http.route": null, "value": 3}
    ]});
    Mock::given(method("POST"))
        .and(wiremock::matchers::path(LOGS_QUERY))
        .respond_with(super::kopai_answers::Schema { answer })
        .mount(&server)
        .await;
    let out = kopai(
        &server,
        "logs search -s checkout-api --severity-min 17 --body timeout --log-attr tenant=42 \
         --aggregate count --group-by service.name --group-by http.route --json",
    );
    assert_ok(&out);
    assert_eq!(out.stderr, "");
    assert_eq!(
        out.stdout,
        pretty(&json!([
            {"service.name": "checkout-api", "http.route": "/pay", "value": 12},
            {"service.name": "payment-service", "http.route": null, "value": 3}
        ]))
    );
    let sent = bodies(&server).await;
    assert_eq!(sent.len(), 2, "the route once, then the query");
    let query = &sent[1];
    assert_eq!(query["measures"], json!([{"op": "COUNT", "as": "value"}]));
    assert_eq!(
        query["dimensions"],
        json!(["service.name", "http.route"]),
        "keys the schema knows are sent by name"
    );
    assert_eq!(
        query["filters"],
        json!([
            {"column": "service.name", "op": "eq", "value": "checkout-api"},
            {"column": "SeverityNumber", "op": "gte", "value": 17},
            {"column": "Body", "op": "contains", "value": "timeout"},
            {"column": {"container": "LogAttributes", "key": "tenant"}, "op": "eq", "value": "42"}
        ])
    );
    assert_eq!(
        query["orderBy"],
        json!([{"type": "measure", "alias": "value", "direction": "desc"}])
    );
    assert_eq!(query["limit"], 1000);
    assert_eq!(
        query["timeDimension"]["startTime"],
        "1970-01-01T00:00:00.000Z"
    );

    let out = kopai(
        &server,
        "logs search --aggregate count --group-by tenant --table",
    );
    assert_ok(&out);
    let sent = bodies(&server).await;
    assert_eq!(
        sent[3]["dimensions"],
        json!([{"container": "LogAttributes", "key": "tenant"}]),
        "any other key is a log attribute, as the route reads it"
    );
}

/// Command line, and upstream's message for it.
#[rustfmt::skip]
const BAD: &[(&str, &str)] = &[
    ("logs search --aggregate sum --group-by a",
        "Invalid aggregate function for logs: sum. Only 'count' is supported."),
    ("logs search --aggregate sum", "Invalid aggregate function for logs: sum. Only 'count' is supported."),
    ("logs search --aggregate count", "--aggregate requires at least one --group-by"),
    ("logs search --group-by a", "--group-by requires --aggregate"),
    ("metrics search --type Sum --aggregate sum --group-by a --time-bucket 2h",
        "Invalid time bucket: 2h. Allowed: 1m, 5m, 1h, 1d."),
    ("metrics search --type Sum --time-bucket 2h", "Invalid time bucket: 2h. Allowed: 1m, 5m, 1h, 1d."),
    ("metrics search --type Sum --time-bucket 1h", "--time-bucket requires --aggregate"),
    ("metrics search --type Sum --aggregate sum --time-bucket 1d",
        "--time-bucket requires at least one --group-by"),
];

#[tokio::test]
async fn bad_combinations_exit_2_with_upstreams_messages_before_any_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json_response(r#"{"data":[],"nextCursor":null}"#))
        .mount(&server)
        .await;
    for (line, message) in BAD {
        let out = kopai(&server, &format!("{line} --table"));
        assert_eq!(out.code, 2, "{line}: {}", out.stderr);
        assert_eq!(out.stdout, "");
        assert_eq!(out.stderr, format!("error: {message}\n"), "{line}");

        let out = kopai(&server, &format!("{line} --json"));
        assert_eq!(out.code, 2, "{line}");
        assert_eq!(
            out.stderr,
            format!(
                "{}\n",
                json!({"error": {"name": "UsageError", "message": message}})
            )
        );
    }
    // The flag that existed before keeps its parser's wording, naming the missing flag.
    let out = kopai(
        &server,
        "metrics search --type Sum --group-by a --time-bucket 1h -t",
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--aggregate"), "{}", out.stderr);
    let out = kopai(
        &server,
        "metrics search --type Histogram --aggregate sum --group-by a --time-bucket 1h -t",
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("only with --type Gauge or Sum"),
        "{}",
        out.stderr
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn wait_without_the_logs_route_polls_the_plain_search_then_asks_kopaiquery() {
    let server = serve("POST", LOGS_AGGREGATE, not_found()).await;
    // No log yet, then one.
    Mock::given(method("POST"))
        .and(wiremock::matchers::path(super::LOGS_SEARCH))
        .respond_with(json_response(EMPTY_PAGE))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(wiremock::matchers::path(super::LOGS_SEARCH))
        .respond_with(json_response(&fixture("logs-search.json")))
        .with_priority(2)
        .mount(&server)
        .await;
    let answer = json!({"data": [{"SeverityText": "ERROR", "value": 2}]});
    Mock::given(method("POST"))
        .and(wiremock::matchers::path(LOGS_QUERY))
        .respond_with(super::kopai_answers::Schema { answer })
        .mount(&server)
        .await;
    let out = kopai(
        &server,
        "logs search -s checkout-api --aggregate count --group-by SeverityText \
         --wait 20s --interval 50ms -o csv",
    );
    assert_ok(&out);
    assert_eq!(out.stdout, "SeverityText,value\r\nERROR,2\r\n");
    let requests = server.received_requests().await.unwrap();
    let polls: Vec<Value> = requests
        .iter()
        .filter(|r| r.url.path() == super::LOGS_SEARCH)
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect();
    assert_eq!(polls.len(), 2, "polled until a record matched");
    assert_eq!(polls[0], json!({"serviceName": "checkout-api", "limit": 1}));
    assert_eq!(requests.last().unwrap().url.path(), LOGS_QUERY);
}

#[tokio::test]
async fn an_older_server_answering_404_needs_a_newer_version() {
    let queries = "this Kopai server does not support queries (KopaiQuery needs a newer server)";
    let hint = "upgrade the Kopai server; the search commands work with every version";
    // A server with neither the grouped route nor KopaiQuery: wiremock answers 404 to both.
    let cases = [
        (
            LOGS_AGGREGATE,
            "logs search --aggregate count --group-by a",
            2,
        ),
        (
            METRICS_QUERY,
            "metrics search --type Sum --aggregate sum --group-by a --time-bucket 1h",
            1,
        ),
    ];
    for (route, line, sent) in cases {
        let server = serve("POST", route, not_found()).await;
        let out = kopai(&server, &format!("{line} --table"));
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert_eq!(out.stdout, "");
        assert_eq!(out.stderr, format!("error: {queries}\nhint: {hint}\n"));
        let out = kopai(&server, &format!("{line} --json"));
        assert_eq!(out.code, 1);
        assert_eq!(
            out.stderr,
            format!(
                "{}\n",
                json!({"error": {"name": "UnsupportedError", "message": queries, "status": 404,
                    "hint": hint}})
            )
        );
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            2 * sent,
            "{line}: each route asked once a run, a 404 not retried"
        );
    }
}

#[tokio::test]
async fn rows_of_another_shape_are_an_error_not_data() {
    let server = serve(
        "POST",
        LOGS_AGGREGATE,
        json_response(r#"{"data":[{"value":1}],"nextCursor":null}"#),
    )
    .await;
    let out = kopai(
        &server,
        "logs search --aggregate count --group-by a --table",
    );
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        format!(
            "error: unexpected response from {}{LOGS_AGGREGATE}: \
             expected rows with `groups` and `value`\n",
            server.uri()
        )
    );
    let server = query_server(
        METRICS_QUERY,
        json!({"data": [{"Attributes.a": "x", "bucket_start": "2026-11-27T23:00:00.000Z"}]}),
    )
    .await;
    let out = kopai(
        &server,
        "metrics search --type Sum --aggregate sum --group-by a --time-bucket 1h --table",
    );
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        format!(
            "error: unexpected response from {}{METRICS_QUERY}: \
             expected rows with the group keys and `value`\n",
            server.uri()
        )
    );
}
