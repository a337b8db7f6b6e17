//! `kopai query --chart`: a time series as a line chart; ASCII where the locale is not UTF-8,
//! the first 8 groups said so, a summary refused, and the rows unchanged for --json.

use serde_json::{json, Value};

use super::kopai_answers::{query_server, series_answer};
use crate::common::*;

const CHART: &str = "query traces -m count --by service.name --since 2h --every 5m --chart";

fn chart_in(uri: &str, line: &str, lang: &str) -> Output {
    kopai_with(uri, &words(line), |cmd| {
        cmd.env("COLUMNS", "80")
            .env("TZ", "UTC")
            .env("LANG", lang)
            .env_remove("LC_ALL")
            .env_remove("LC_CTYPE");
    })
}

#[tokio::test]
async fn a_chart_is_ascii_when_the_locale_is_not_utf8() {
    let server = query_server("/signals/query/traces/aggregate", series_answer()).await;
    let out = chart_in(&server.uri(), &format!("{CHART} --table"), "C");
    kopai_snapshot!(&out);
    assert_ok(&out);
    assert!(out.stdout.is_ascii(), "{}", out.stdout);
    assert!(out.stdout.contains("* api   o db"), "{}", out.stdout);
    let body = &bodies(&server).await[0];
    assert_eq!(
        body["output"],
        json!({"type": "timeSeries", "granularity": "5m"})
    );
}

#[tokio::test]
async fn a_chart_leaves_a_gap_for_a_missing_bucket() {
    // One group, every bucket but the middle one: its column has no marker.
    let rows: Vec<Value> = (0..5)
        .filter(|i| *i != 2)
        .map(|i| json!({"bucket_start": format!("2026-11-27T23:{:02}:00.000Z", i * 5), "count": 5}))
        .collect();
    let server = query_server("/signals/query/traces/aggregate", json!({"data": rows})).await;
    let line = "query traces -m count --since 1h --every 5m --chart --table";
    let out = chart_in(&server.uri(), line, "C");
    assert_ok(&out);
    let plot: Vec<&str> = out.stdout.lines().filter(|l| l.contains('*')).collect();
    assert_eq!(
        plot.len(),
        2,
        "a flat series on one row, and the legend: {}",
        out.stdout
    );
    let row = plot[0].split(['+', '|']).nth(1).unwrap_or_default();
    assert!(
        row.contains("* ") && row.trim_end().ends_with('*'),
        "{row:?}"
    );
    assert!(row.contains(' '), "the missing bucket is a gap: {row:?}");
}

#[tokio::test]
async fn more_than_8_groups_draw_the_first_8_and_say_so() {
    let rows: Vec<Value> = (0..10)
        .map(|g| json!({"service.name": format!("svc-{g}"), "bucket_start": "2026-11-27T23:00:00.000Z", "count": g}))
        .collect();
    let server = query_server("/signals/query/traces/aggregate", json!({"data": rows})).await;
    let out = chart_in(&server.uri(), &format!("{CHART} --table"), "C.UTF-8");
    assert_ok(&out);
    assert_eq!(
        out.stderr,
        "note: --chart draws the first 8 of 10 groups; narrow them with --where or --limit\n"
    );
    assert!(
        out.stdout.contains("svc-7") && !out.stdout.contains("svc-8"),
        "{}",
        out.stdout
    );
}

#[tokio::test]
async fn a_chart_of_a_summary_is_exit_2_before_any_request() {
    let server = query_server("/signals/query/traces/aggregate", series_answer()).await;
    let out = chart_in(&server.uri(), "query traces -m count --chart", "C");
    assert_failed(&out, 2);
    assert!(
        out.stderr.contains("--chart draws a time series"),
        "{}",
        out.stderr
    );
    assert!(bodies(&server).await.is_empty());
}

#[tokio::test]
async fn json_and_ndjson_ignore_chart_and_give_the_rows() {
    let server = query_server("/signals/query/traces/aggregate", series_answer()).await;
    let out = chart_in(&server.uri(), &format!("{CHART} -o ndjson"), "C.UTF-8");
    assert_ok(&out);
    assert_eq!(out.stdout.lines().count(), 35, "{}", out.stdout);
    let first: Value =
        serde_json::from_str(out.stdout.lines().next().unwrap_or("")).unwrap_or_default();
    assert_eq!(first["bucket_start"], "2026-11-27T21:00:00.000Z");
}

/// `LINE --chart`, checked to succeed quietly with something else than `LINE`'s sparklines.
fn chart_not_sparklines(uri: &str, line: &str) -> Output {
    let sparklines = chart_in(uri, line, "C");
    assert_ok(&sparklines);
    let chart = chart_in(uri, &format!("{line} --chart"), "C");
    assert_ok(&chart);
    assert_eq!(chart.stderr, "");
    assert_ne!(chart.stdout, sparklines.stdout);
    chart
}

/// `logs stats --every --chart`: the records per severity over time as a chart, not the
/// sparklines the same command draws without it.
#[tokio::test]
async fn logs_stats_draws_its_time_series_as_a_chart() {
    let rows: Vec<Value> = (0..12)
        .flat_map(|i| {
            let start = format!("2026-11-27T21:{:02}:00.000Z", i * 5);
            [
                json!({"SeverityText": "INFO", "bucket_start": start, "records": 100 + i * 7}),
                json!({"SeverityText": "ERROR", "bucket_start": start, "records": i % 4}),
            ]
        })
        .collect();
    let server = query_server("/signals/query/logs/aggregate", json!({"data": rows})).await;
    let chart = chart_not_sparklines(&server.uri(), "logs stats --since 1h --every 5m --table");
    assert!(
        chart.stdout.contains("* INFO   o ERROR"),
        "a chart's legend: {}",
        chart.stdout
    );
    kopai_snapshot!(&chart);
}

#[tokio::test]
async fn stats_chart_without_every_is_exit_2_before_any_request() {
    let server = query_server("/signals/query/traces/aggregate", series_answer()).await;
    let out = chart_in(&server.uri(), "traces stats --since 2h --chart", "C");
    assert_failed(&out, 2);
    assert!(
        out.stderr
            .contains("\"message\":\"--chart draws a time series: add --every (--every 5m)\""),
        "{}",
        out.stderr
    );
    assert!(bodies(&server).await.is_empty());
}

/// `traces stats --every --chart`: requests per service over time as a chart (the lead's
/// eece26e made both stats commands draw it; only `logs stats` was tested drawing it).
#[tokio::test]
async fn traces_stats_draws_its_time_series_as_a_chart() {
    let rows: Vec<Value> = (0..12)
        .flat_map(|i| {
            let start = format!("2026-11-27T21:{:02}:00.000Z", i * 5);
            [
                json!({"service.name": "api", "bucket_start": start, "requests": 100 + i * 7,
                       "error_rate": 0.01, "p50": 1.5, "p95": 9.0, "p99": 20.0, "throughput": 2}),
                json!({"service.name": "db", "bucket_start": start, "requests": i % 4,
                       "error_rate": 0, "p50": 0.5, "p95": 1.0, "p99": 2.0, "throughput": 0}),
            ]
        })
        .collect();
    let server = query_server("/signals/query/traces/aggregate", json!({"data": rows})).await;
    let chart = chart_not_sparklines(&server.uri(), "traces stats --since 1h --every 5m --table");
    assert!(
        chart.stdout.contains("* api   o db"),
        "a chart's legend: {}",
        chart.stdout
    );
    let body = &bodies(&server).await[1];
    assert_eq!(
        body["output"],
        json!({"type": "timeSeries", "granularity": "5m"})
    );
}
