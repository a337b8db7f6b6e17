//! Tables (no terminal, no COLUMNS: full width, no colour unless forced).

use super::*;
use crate::common::*;

#[tokio::test]
async fn traces_search_table() {
    let out = table(
        "POST",
        TRACES_SEARCH,
        "traces-search-page2.json",
        "traces search",
    )
    .await;
    insta::assert_snapshot!("traces_search_table", out.stdout);
    assert_eq!(out.stderr, MORE_HINT);
}

#[tokio::test]
async fn traces_get_table() {
    let route = format!("/signals/traces/{TRACE_ID}");
    let server = serve_fixture("GET", &route, "traces-get.json").await;
    let out = kopai_at(
        &server.uri(),
        &words(&format!("traces get {TRACE_ID} --table")),
    );
    assert_ok(&out);
    let shown = out.stdout.replace(&server.uri(), "[SERVER]");
    insta::assert_snapshot!("traces_get_table", shown);
}

#[tokio::test]
async fn traces_summaries_table() {
    let out = table(
        "POST",
        TRACES_SUMMARIES,
        "traces-summaries.json",
        "traces summaries",
    )
    .await;
    insta::assert_snapshot!("traces_summaries_table", out.stdout);
    assert_eq!(out.stderr, "", "the last page needs no hint");
}

#[tokio::test]
async fn logs_search_table() {
    let out = table("POST", LOGS_SEARCH, "logs-search-error.json", "logs search").await;
    insta::assert_snapshot!("logs_search_table", out.stdout);
}

#[tokio::test]
async fn metrics_search_gauge_table() {
    let line = "metrics search --type Gauge";
    let out = table("POST", METRICS_SEARCH, "metrics-search-gauge.json", line).await;
    insta::assert_snapshot!("metrics_search_gauge_table", out.stdout);
    assert_eq!(out.stderr, MORE_HINT);
}

#[tokio::test]
async fn metrics_search_histogram_table() {
    let line = "metrics search --type Histogram";
    let out = table(
        "POST",
        METRICS_SEARCH,
        "metrics-search-histogram.json",
        line,
    )
    .await;
    insta::assert_snapshot!("metrics_search_histogram_table", out.stdout);
}

#[tokio::test]
async fn metrics_aggregate_table() {
    let line = "metrics search --type Sum --aggregate sum --group-by outcome";
    let out = table(
        "POST",
        METRICS_SEARCH,
        "metrics-aggregate-groupby.json",
        line,
    )
    .await;
    insta::assert_snapshot!("metrics_aggregate_table", out.stdout);
    assert_eq!(out.stderr, "");
}

#[tokio::test]
async fn metrics_discover_table_points_to_json_for_values() {
    let out = table(
        "GET",
        METRICS_DISCOVER,
        "metrics-discover.json",
        "metrics discover",
    )
    .await;
    insta::assert_snapshot!("metrics_discover_table", out.stdout);
    assert_eq!(out.stderr, "hint: use --json for the attribute values\n");
}

#[tokio::test]
async fn services_table() {
    let out = table("GET", SERVICES, "services.json", "services").await;
    assert_eq!(out.stdout, "SERVICE\ncheckout-api\npayment-service\n");
}

#[tokio::test]
async fn narrow_terminal_cuts_free_text_with_an_ellipsis() {
    let server = serve_fixture("GET", METRICS_DISCOVER, "metrics-discover.json").await;
    let out = kopai_with(&server.uri(), &words("metrics discover --table"), |cmd| {
        cmd.env("COLUMNS", "60");
    });
    assert_ok(&out);
    insta::assert_snapshot!("metrics_discover_table_60_columns", out.stdout);
    // No line is wider than the terminal: the least useful columns are dropped, then the
    // description is cut; the name, which people copy, never is.
    assert!(
        out.stdout.lines().all(|l| l.chars().count() <= 60),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("\nhttp.server.request.duration  Histogram  Duration of HTTP s…\n"),
        "{}",
        out.stdout
    );
}

#[tokio::test]
async fn an_empty_result_says_so_in_a_table() {
    let server = serve("POST", TRACES_SEARCH, json_response(EMPTY_PAGE)).await;
    let out = kopai_at(&server.uri(), &words("traces search --table"));
    assert_ok(&out);
    assert_eq!(out.stdout, "No results found.\n");
    assert_eq!(out.stderr, "");
}

#[tokio::test]
async fn tables_are_coloured_only_when_asked_and_never_with_no_color() {
    let server = serve_fixture("POST", TRACES_SEARCH, "traces-search-error.json").await;
    let table = words("traces search --table");
    let plain = kopai_at(&server.uri(), &table);
    assert!(!plain.stdout.contains('\x1b'), "a pipe gets no colour");
    let forced = kopai_with(&server.uri(), &table, |c| {
        c.env("CLICOLOR_FORCE", "1");
    });
    assert!(
        forced.stdout.starts_with("\x1b[1mTIME\x1b[0m"),
        "{:?}",
        forced.stdout
    );
    assert!(forced.stdout.contains("\x1b[31mERROR\x1b[0m"));
    let no_color = kopai_with(&server.uri(), &table, |c| {
        c.env("CLICOLOR_FORCE", "1").env("NO_COLOR", "1");
    });
    assert_eq!(no_color.stdout, plain.stdout);
}

#[tokio::test]
async fn traces_search_table_snapshot() {
    let server = serve_fixture("POST", TRACES_SEARCH, "traces-search-page2.json").await;
    let out = kopai_at(&server.uri(), &words("traces search --table"));
    kopai_snapshot!(&out);
}

#[tokio::test]
async fn wide_in_a_pipe_keeps_the_table_it_asks_for() {
    let server = serve_fixture("POST", TRACES_SEARCH, "traces-search-page2.json").await;
    let out = kopai_at(&server.uri(), &words("traces search --wide"));
    assert_ok(&out);
    assert!(out.stdout.starts_with("TIME "), "{}", out.stdout);
    // IDs whole, as --wide promises.
    let id = fixture_json("traces-search-page2.json")["data"][0]["TraceId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(out.stdout.contains(&id), "{}", out.stdout);
    let named = kopai_at(&server.uri(), &words("traces search --wide -o json"));
    assert_ok(&named);
    assert!(named.stdout.starts_with('['), "a named format wins");
}
