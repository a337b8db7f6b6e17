//! Tables that fit 80 and 120 columns, local times, short ids and status/kind spelled one way.

use super::*;

#[tokio::test]
async fn traces_search_fits_80_and_120() {
    let line = "traces search";
    let fixture = "traces-search-page1.json";
    table_snapshots(
        "traces_search",
        "POST",
        "/signals/traces/search",
        fixture,
        line,
    )
    .await;
}

#[tokio::test]
async fn traces_summaries_fits_80_and_120() {
    let line = "traces summaries";
    let fixture = "traces-summaries.json";
    table_snapshots(
        "traces_summaries",
        "POST",
        "/signals/traces/summaries",
        fixture,
        line,
    )
    .await;
}

#[tokio::test]
async fn logs_search_fits_80_and_120() {
    let fixture = "logs-search-error.json";
    table_snapshots(
        "logs_search",
        "POST",
        "/signals/logs/search",
        fixture,
        "logs search -t",
    )
    .await;
}

#[tokio::test]
async fn metrics_aggregate_fits_80_and_120() {
    // Metric points and discovery: screen/metrics.rs, at 60 columns too.
    let route = "/signals/metrics/search";
    let fixture = "metrics-aggregate-groupby.json";
    let line = "metrics search --type Sum --aggregate sum --group-by outcome";
    table_snapshots("metrics_aggregate", "POST", route, fixture, line).await;
}

#[tokio::test]
async fn services_and_operations_fit_80_and_120() {
    table_snapshots(
        "services",
        "GET",
        "/signals/services",
        "services.json",
        "services",
    )
    .await;
    let line = "traces operations --service payment-service";
    let route = "/signals/traces/operations";
    table_snapshots("operations", "GET", route, "traces-operations.json", line).await;
}

/// A log page whose first body is exactly 49 characters.
fn long_body_logs() -> String {
    let mut page: Value = serde_json::from_str(&fixture("logs-search-error.json")).unwrap();
    let body = "ledger write timed out after 3 retries; rolled ba";
    assert_eq!(body.chars().count(), 49);
    page["data"][0]["Body"] = json!(body);
    page["nextCursor"] = Value::Null;
    page.to_string()
}

#[tokio::test]
async fn a_log_body_keeps_its_room() {
    let server = serve(
        "POST",
        "/signals/logs/search",
        json_response(&long_body_logs()),
    )
    .await;
    let body = "ledger write timed out after 3 retries; rolled ba";
    let at_120 = screen(&server.uri(), "logs search -t", 120, "UTC", &[]);
    assert!(at_120.contains(body), "whole at 120:\n{at_120}");
    let at_80 = screen(&server.uri(), "logs search -t", 80, "UTC", &[]);
    assert_fits(&at_80, 80);
    assert!(at_80.contains(&body[..29]), "29 characters at 80:\n{at_80}");
    assert!(!at_80.contains(body), "cut at 80:\n{at_80}");
}

#[tokio::test]
async fn times_are_local_compact_and_utc_on_request() {
    let server = serve_fixture("POST", "/signals/logs/search", "logs-search-error.json").await;
    let tokyo = screen(&server.uri(), "logs search -t", 120, "Asia/Tokyo", &[]);
    // 23:00:30 UTC on Nov 27 is 08:00:30 on Nov 28 in Tokyo.
    assert!(tokyo.contains("\nNov 28 08:00:30.000  FATAL"), "{tokyo}");
    let utc = screen(
        &server.uri(),
        "logs search -t --utc",
        120,
        "Asia/Tokyo",
        &[],
    );
    assert!(utc.starts_with("TIME (UTC)"), "{utc}");
    assert!(utc.contains("\nNov 27 23:00:30.000  FATAL"), "{utc}");

    // Today's rows show only the time of day.
    let today = [("KOPAI_TEST_TODAY", "2026-11-28")];
    let same_day = screen(&server.uri(), "logs search -t", 120, "Asia/Tokyo", &today);
    assert!(same_day.contains("\n08:00:30.000  FATAL"), "{same_day}");

    // A pipe keeps the RFC 3339 UTC times and full IDs.
    let piped = run(Sandbox::new().kopai().env("TZ", "Asia/Tokyo").args([
        "logs",
        "search",
        "--table",
        "--url",
        &server.uri(),
    ]));
    assert!(
        piped.stdout.contains("2026-11-27T23:00:30.000Z"),
        "{}",
        piped.stdout
    );
    assert!(piped.stdout.contains(TRACE_ID), "{}", piped.stdout);
}

#[tokio::test]
async fn ids_are_short_on_a_terminal_and_whole_with_wide_or_fields() {
    let route = "/signals/traces/search";
    let server = serve_fixture("POST", route, "traces-search-page1.json").await;
    let short = screen(&server.uri(), "traces search", 120, "UTC", &[]);
    assert!(short.contains("  5b8efff7  eee19b7e  "), "{short}");
    assert!(
        !short.contains("5b8efff798038103d269b633813fc60c"),
        "{short}"
    );

    let wide = screen(&server.uri(), "traces search --wide", 80, "UTC", &[]);
    assert!(
        wide.contains("5b8efff798038103d269b633813fc60c  eee19b7ec3c1b174"),
        "{wide}"
    );
    assert!(
        visible(&wide).iter().any(|l| l.chars().count() > 80),
        "runs long: {wide}"
    );

    let fields = screen(
        &server.uri(),
        "traces search -f traceid,name",
        80,
        "UTC",
        &[],
    );
    assert!(
        fields.contains("5b8efff798038103d269b633813fc60c  POST /checkout"),
        "{fields}"
    );
}

#[tokio::test]
async fn status_and_kind_read_the_same_whatever_the_backend_spells() {
    let mut page: Value = serde_json::from_str(&fixture("traces-search-page1.json")).unwrap();
    page["data"][0]["StatusCode"] = json!("Error");
    page["data"][0]["SpanKind"] = json!("Server");
    let server = serve(
        "POST",
        "/signals/traces/search",
        json_response(&page.to_string()),
    )
    .await;
    let out =
        run(Sandbox::new()
            .kopai()
            .args(["traces", "search", "--table", "--url", &server.uri()]));
    let first = out.stdout.lines().nth(1).unwrap();
    assert!(first.contains("  SERVER    ERROR  "), "{first}");
}

#[tokio::test]
async fn every_table_fits_a_narrow_terminal() {
    let cases = [
        (
            "POST",
            "/signals/traces/search",
            "traces-search-page1.json",
            "traces search",
        ),
        (
            "POST",
            "/signals/traces/summaries",
            "traces-summaries.json",
            "traces summaries",
        ),
        (
            "POST",
            "/signals/logs/search",
            "logs-search-error.json",
            "logs search",
        ),
        (
            "POST",
            "/signals/logs/search",
            "logs-search-error.json",
            "logs search -t",
        ),
        (
            "POST",
            "/signals/metrics/search",
            "metrics-search-histogram.json",
            "metrics search --type Histogram",
        ),
        (
            "GET",
            "/signals/metrics/discover",
            "metrics-discover.json",
            "metrics discover",
        ),
    ];
    for (verb, route, fixture, line) in cases {
        let server = serve_fixture(verb, route, fixture).await;
        for columns in [24, 50] {
            let shown = screen(&server.uri(), line, columns, "UTC", &[]);
            // Hints are messages on stderr, wrapped by the terminal like any other.
            let rows: Vec<&str> = shown.lines().filter(|l| !l.starts_with("hint:")).collect();
            assert_fits(&rows.join("\n"), columns as usize);
        }
    }
}

/// `-f` with IDs on a narrow terminal: each ID is shown whole (the value people copy), never
/// cut to a stub; the other columns give way.
#[tokio::test]
async fn ids_asked_for_by_name_are_whole_on_a_narrow_terminal() {
    let server = serve_fixture("POST", "/signals/traces/search", "traces-search-page1.json").await;
    let answer = fixture_json("traces-search-page1.json");
    for columns in [60, 80] {
        let shown = screen(
            &server.uri(),
            "traces search -f traceid,spanid,name,service,spanattributes",
            columns,
            "UTC",
            &[],
        );
        for row in answer["data"].as_array().unwrap() {
            let (trace, span) = (
                row["TraceId"].as_str().unwrap(),
                row["SpanId"].as_str().unwrap(),
            );
            assert!(
                shown.contains(&format!("{trace}  {span}  ")),
                "{columns} columns, {trace} {span}: {shown}"
            );
        }
    }
}
