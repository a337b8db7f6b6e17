//! The query flags upstream is adding: `logs search --aggregate count --group-by KEY` and
//! `metrics search … --time-bucket`, against a fake server with the two new endpoints, and
//! against an older one that answers 404.

use crate::common::*;

use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const LOGS_AGGREGATE: &str = "/signals/logs/aggregate";
const TIMESERIES: &str = "/signals/metrics/timeseries";

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

const SERIES: &str = r#"{"data":[{"groups":{"outcome":"success"},"timeBucketNs":"1795820400000000000","value":27.5},{"groups":{"outcome":"declined"},"timeBucketNs":"1795824000000000000","value":5}],"nextCursor":null}"#;

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
async fn metrics_time_series_posts_the_bucket_and_prints_flat_rows() {
    let server = serve("POST", TIMESERIES, json_response(SERIES)).await;
    let out = kopai(
        &server,
        "metrics search --type Sum -n payment.charges --aggregate sum --group-by outcome \
         --time-bucket 1h --time-min 1795820400000000000 --json",
    );
    assert_ok(&out);
    assert_eq!(
        out.stdout,
        r#"[
  {
    "outcome": "success",
    "timeBucketNs": "1795820400000000000",
    "value": 27.5
  },
  {
    "outcome": "declined",
    "timeBucketNs": "1795824000000000000",
    "value": 5
  }
]
"#
    );
    assert_eq!(
        bodies(&server).await,
        [json!({
            "metricType": "Sum",
            "metricName": "payment.charges",
            "timeUnixMin": "1795820400000000000",
            "aggregate": "sum",
            "groupBy": ["outcome"],
            "timeBucket": "1h"
        })]
    );
}

#[tokio::test]
async fn metrics_time_series_table_shows_the_bucket_as_a_time() {
    let server = serve("POST", TIMESERIES, json_response(SERIES)).await;
    let out = kopai(
        &server,
        "metrics search --type Gauge --aggregate avg --group-by outcome --time-bucket 1h -t",
    );
    assert_ok(&out);
    assert_eq!(
        out.stdout,
        "OUTCOME   TIME BUCKET               VALUE\n\
         success   2026-11-27T23:00:00.000Z  27.5\n\
         declined  2026-11-28T00:00:00.000Z  5\n"
    );
}

#[tokio::test]
async fn limit_and_all_are_ignored_with_a_warning_and_not_sent() {
    let server = serve("POST", TIMESERIES, json_response(SERIES)).await;
    let out = kopai(
        &server,
        "metrics search --type Sum --aggregate sum --group-by outcome --time-bucket 5m \
         --limit 10 --all --sort asc --json",
    );
    assert_ok(&out);
    assert_eq!(
        out.stderr,
        "warning: --limit is ignored with --aggregate: the server returns at most 10,000 rows\n\
         warning: --all is ignored with --aggregate: the answer is one page\n"
    );
    let sent = &bodies(&server).await[0];
    assert_eq!(sent.get("limit"), None);
    assert_eq!(sent["sortOrder"], "ASC");

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
async fn an_older_server_answering_404_needs_a_newer_version() {
    let not_found = ResponseTemplate::new(404).set_body_raw(
        fixture("error-404-post.json").into_bytes(),
        "application/json",
    );
    let cases = [
        (
            LOGS_AGGREGATE,
            "logs search --aggregate count --group-by a",
            "`logs search --aggregate`",
        ),
        (
            TIMESERIES,
            "metrics search --type Sum --aggregate sum --group-by a --time-bucket 1h",
            "`metrics search --time-bucket`",
        ),
    ];
    for (route, line, feature) in cases {
        let server = serve("POST", route, not_found.clone()).await;
        let message =
            format!("this Kopai server does not support {feature} (it needs a newer version)");
        let out = kopai(&server, &format!("{line} --table"));
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert_eq!(out.stdout, "");
        assert_eq!(
            out.stderr,
            format!(
                "error: {message}\nhint: upgrade the Kopai server, or query without these flags\n"
            )
        );
        let out = kopai(&server, &format!("{line} --json"));
        assert_eq!(out.code, 1);
        assert_eq!(
            out.stderr,
            format!(
                "{}\n",
                json!({"error": {"name": "UnsupportedError", "message": message, "status": 404}})
            )
        );
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            2,
            "a 404 is not retried"
        );
    }
}

#[tokio::test]
async fn rows_of_another_shape_are_an_error_not_data() {
    let server = serve(
        "POST",
        TIMESERIES,
        json_response(r#"{"data":[{"groups":{"a":"x"},"value":1}],"nextCursor":null}"#),
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
            "error: unexpected response from {}{TIMESERIES}: \
             expected rows with `groups`, `timeBucketNs` and `value`\n",
            server.uri()
        )
    );
}
