//! The request each query sends: every filter, in the server's types.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::json;

use super::*;
use crate::common::*;

#[tokio::test]
async fn searches_without_filters_send_an_empty_object() {
    assert_eq!(
        body_sent(TRACES_SEARCH, &words("traces search")).await,
        json!({})
    );
    assert_eq!(
        body_sent(LOGS_SEARCH, &words("logs search")).await,
        json!({})
    );
    assert_eq!(
        body_sent(TRACES_SUMMARIES, &words("traces summaries")).await,
        json!({})
    );
}

#[tokio::test]
async fn traces_search_sends_every_filter_in_the_servers_types() {
    let args = words(
        "traces search
         --trace-id 4bf92f3577b34da6a3ce929d0e0e4736 --span-id d6e7f8091a2b3c4d
         --parent-span-id c5d6e7f8091a2b3c -s payment-service --span-name POST
         --span-kind SPAN_KIND_SERVER --status-code STATUS_CODE_ERROR
         --scope @opentelemetry/instrumentation-http
         --timestamp-min 2026-11-27T23:00:20Z --timestamp-max 1795820430000000000
         --duration-min 250ms --duration-max 1.5s
         --span-attr http.request.method=POST --span-attr url.full=https://pay.example/v1?a=b
         --resource-attr deployment.environment=staging
         -l 5 --sort desc",
    );
    assert_eq!(
        body_sent(TRACES_SEARCH, &args).await,
        json!({
            "traceId": "4bf92f3577b34da6a3ce929d0e0e4736",
            "spanId": "d6e7f8091a2b3c4d",
            "parentSpanId": "c5d6e7f8091a2b3c",
            "serviceName": "payment-service",
            "spanName": "POST",
            "spanKind": "SPAN_KIND_SERVER",
            "statusCode": "STATUS_CODE_ERROR",
            "scopeName": "@opentelemetry/instrumentation-http",
            "timestampMin": "1795820420000000000",
            "timestampMax": "1795820430000000000",
            "durationMin": "250000000",
            "durationMax": "1500000000",
            "spanAttributes": {
                "http.request.method": "POST",
                "url.full": "https://pay.example/v1?a=b"
            },
            "resourceAttributes": {"deployment.environment": "staging"},
            "limit": 5,
            "sortOrder": "DESC"
        })
    );
}

#[tokio::test]
async fn timestamps_in_nanoseconds_pass_through_as_strings() {
    let args = words("traces search --timestamp-min 1795820400000000000");
    assert_eq!(
        body_sent(TRACES_SEARCH, &args).await,
        json!({"timestampMin": "1795820400000000000"})
    );
}

#[tokio::test]
async fn relative_times_count_back_from_now() {
    let now = || {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    };
    let quarter_hour = 15 * 60 * 1_000_000_000;
    let before = now();
    let args = words("traces search --since 15m --until 2099-01-01T00:00:20Z");
    let body = body_sent(TRACES_SEARCH, &args).await;
    let after = now();
    let min: u128 = body["timestampMin"].as_str().unwrap().parse().unwrap();
    assert!(
        (before - quarter_hour..=after - quarter_hour).contains(&min),
        "{body}"
    );
    assert_eq!(body["timestampMax"], "4070908820000000000");
}

#[tokio::test]
async fn traces_summaries_sends_its_filters() {
    let mut args = words(
        "traces summaries -s checkout-api
         --timestamp-min 2026-11-27T23:00:20Z --duration-min 1s --duration-max 2m
         --span-attr http.route=/checkout --resource-attr host.name=ip-10-0-1-7
         --limit 20 --sort DESC",
    );
    args.extend(["--span-name", "POST /checkout"]);
    assert_eq!(
        body_sent(TRACES_SUMMARIES, &args).await,
        json!({
            "serviceName": "checkout-api",
            "spanName": "POST /checkout",
            "timestampMin": "1795820420000000000",
            "durationMin": "1000000000",
            "durationMax": "120000000000",
            "spanAttributes": {"http.route": "/checkout"},
            "resourceAttributes": {"host.name": "ip-10-0-1-7"},
            "limit": 20,
            "sortOrder": "DESC"
        })
    );
}

#[tokio::test]
async fn logs_search_sends_every_filter_in_the_servers_types() {
    let mut args = words(
        "logs search
         --trace-id 4bf92f3577b34da6a3ce929d0e0e4736 --span-id d6e7f8091a2b3c4d
         -s payment-service --scope app-logger --severity-text ERROR
         --severity-min 17 --severity-max 21
         --timestamp-min 2026-11-27T23:00:20Z --timestamp-max 1795820430000000000
         --log-attr db.system=postgresql --resource-attr host.name=ip-10-0-2-9
         --scope-attr logger.lib=pino --scope-attr logger.level=warn
         --limit 50 --sort asc",
    );
    args.extend(["-b", "ledger database"]);
    assert_eq!(
        body_sent(LOGS_SEARCH, &args).await,
        json!({
            "traceId": "4bf92f3577b34da6a3ce929d0e0e4736",
            "spanId": "d6e7f8091a2b3c4d",
            "serviceName": "payment-service",
            "scopeName": "app-logger",
            "severityText": "ERROR",
            "severityNumberMin": 17,
            "severityNumberMax": 21,
            "bodyContains": "ledger database",
            "timestampMin": "1795820420000000000",
            "timestampMax": "1795820430000000000",
            "logAttributes": {"db.system": "postgresql"},
            "resourceAttributes": {"host.name": "ip-10-0-2-9"},
            "scopeAttributes": {"logger.lib": "pino", "logger.level": "warn"},
            "limit": 50,
            "sortOrder": "ASC"
        })
    );
}

#[tokio::test]
async fn metrics_search_sends_only_the_type_when_nothing_else_is_set() {
    let args = words("metrics search --type gauge");
    assert_eq!(
        body_sent(METRICS_SEARCH, &args).await,
        json!({"metricType": "Gauge"})
    );
}

#[tokio::test]
async fn metrics_search_sends_every_filter_in_the_servers_types() {
    let args = words(
        "metrics search --type sum -n payment.charges -s payment-service --scope app-metrics
         --time-min 2026-11-27T23:00:20Z --time-max 1795820450000000000
         -a currency=EUR --resource-attr deployment.environment=staging
         --scope-attr otel.lib=node
         --aggregate SUM --group-by outcome --group-by currency",
    );
    assert_eq!(
        body_sent(METRICS_SEARCH, &args).await,
        json!({
            "metricType": "Sum",
            "metricName": "payment.charges",
            "serviceName": "payment-service",
            "scopeName": "app-metrics",
            "timeUnixMin": "1795820420000000000",
            "timeUnixMax": "1795820450000000000",
            "attributes": {"currency": "EUR"},
            "resourceAttributes": {"deployment.environment": "staging"},
            "scopeAttributes": {"otel.lib": "node"},
            "aggregate": "sum",
            "groupBy": ["outcome", "currency"]
        })
    );
}

#[tokio::test]
async fn requests_carry_the_bearer_token_and_bodies_are_typed_json() {
    let bearer = format!("Bearer {TOKEN}");
    let server = serve("POST", TRACES_SEARCH, json_response(EMPTY_PAGE)).await;
    assert_ok(&kopai_at(&server.uri(), &words("traces search")));
    let sent = requests(&server).await;
    assert_eq!(sent[0].headers["authorization"], bearer.as_str());
    assert_eq!(sent[0].headers["content-type"], "application/json");

    let server = serve_fixture("GET", SERVICES, "services.json").await;
    assert_ok(&kopai_at(&server.uri(), &["services"]));
    assert_eq!(
        requests(&server).await[0].headers["authorization"],
        bearer.as_str()
    );
}
