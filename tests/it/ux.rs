//! A terminal a person reads (issue 8): tables that fit, the trace as a waterfall, local times,
//! forgiving fields, help, empty results that explain, errors for a person and
//! the spinner. Screens are read from a pseudo-terminal, with `COLUMNS` and `TZ` set per test.

use crate::common::*;
use serde_json::{json, Value};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
/// Three days after the fixtures were captured: their dates show, and stay the same whatever
/// day the tests run.
const TODAY: &str = "2026-11-30";

fn owned_words(line: &str) -> Vec<String> {
    line.split_whitespace().map(str::to_owned).collect()
}

/// kopai in a pseudo-terminal (stdout and stderr both on it), `COLUMNS` wide, in zone `tz`.
/// Returns the screen's bytes with the terminal's `\r\n` turned back into `\n`.
fn screen(url: &str, line: &str, columns: u16, tz: &str, env: &[(&str, &str)]) -> String {
    let sb = Sandbox::new();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kopai"));
    cmd.args(owned_words(line))
        .args(["--url", url, "--token", TOKEN]);
    sb.configure(&mut cmd);
    cmd.env("COLUMNS", columns.to_string())
        .env("TZ", tz)
        .env("KOPAI_TEST_TODAY", TODAY)
        .env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut session = rexpect::session::spawn_command(cmd, Some(20_000)).expect("pty");
    utf8(&session.exp_eof().expect("exits"))
}

/// rexpect hands back one char per byte; the terminal got UTF-8.
fn utf8(raw: &str) -> String {
    let bytes: Vec<u8> = raw.chars().map(|c| c as u32 as u8).collect();
    String::from_utf8(bytes)
        .expect("UTF-8")
        .replace("\r\n", "\n")
}

/// What a person sees: each line as the terminal leaves it after `\r` and erase-line.
fn visible(screen: &str) -> Vec<String> {
    screen
        .split('\n')
        .map(|line| {
            let last = line.rsplit('\r').next().unwrap_or_default();
            last.replace("\x1b[K", "")
        })
        .collect()
}

fn assert_fits(screen: &str, columns: usize) {
    // A link stays whole, so that it can be followed; the terminal wraps it.
    let links = |line: &String| !line.starts_with("http://");
    for line in visible(screen).into_iter().filter(links) {
        assert!(
            line.chars().count() <= columns,
            "wider than {columns}: {line:?}\n{screen}"
        );
    }
}

/// Every table at 80 and 120 columns, in a terminal, times in UTC (`TZ=UTC`).
async fn table_snapshots(name: &str, verb: &str, route: &str, fixture: &str, line: &str) {
    let server = serve_fixture(verb, route, fixture).await;
    for columns in [80, 120] {
        let shown = screen(&server.uri(), line, columns, "UTC", &[]);
        assert_fits(&shown, columns as usize);
        insta::assert_snapshot!(format!("{name}_{columns}"), shown);
    }
}

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
        "logs search",
    )
    .await;
}

#[tokio::test]
async fn metrics_tables_fit_80_and_120() {
    let route = "/signals/metrics/search";
    let cases = [
        (
            "metrics_gauge",
            "metrics-search-gauge.json",
            "metrics search --type Gauge",
        ),
        (
            "metrics_histogram",
            "metrics-search-histogram.json",
            "metrics search --type Histogram",
        ),
        (
            "metrics_aggregate",
            "metrics-aggregate-groupby.json",
            "metrics search --type Sum --aggregate sum --group-by outcome",
        ),
    ];
    for (name, fixture, line) in cases {
        table_snapshots(name, "POST", route, fixture, line).await;
    }
    let route = "/signals/metrics/discover";
    table_snapshots(
        "metrics_discover",
        "GET",
        route,
        "metrics-discover.json",
        "metrics discover",
    )
    .await;
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
    let at_120 = screen(&server.uri(), "logs search", 120, "UTC", &[]);
    assert!(at_120.contains(body), "whole at 120:\n{at_120}");
    let at_80 = screen(&server.uri(), "logs search", 80, "UTC", &[]);
    assert_fits(&at_80, 80);
    assert!(at_80.contains(&body[..29]), "29 characters at 80:\n{at_80}");
    assert!(!at_80.contains(body), "cut at 80:\n{at_80}");
}

#[tokio::test]
async fn times_are_local_compact_and_utc_on_request() {
    let server = serve_fixture("POST", "/signals/logs/search", "logs-search-error.json").await;
    let tokyo = screen(&server.uri(), "logs search", 120, "Asia/Tokyo", &[]);
    // 23:00:30 UTC on Nov 27 is 08:00:30 on Nov 28 in Tokyo.
    assert!(tokyo.contains("\nNov 28 08:00:30.000  FATAL"), "{tokyo}");
    let utc = screen(&server.uri(), "logs search --utc", 120, "Asia/Tokyo", &[]);
    assert!(utc.starts_with("TIME (UTC)"), "{utc}");
    assert!(utc.contains("\nNov 27 23:00:30.000  FATAL"), "{utc}");

    // Today's rows show only the time of day.
    let today = [("KOPAI_TEST_TODAY", "2026-11-28")];
    let same_day = screen(&server.uri(), "logs search", 120, "Asia/Tokyo", &today);
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

// ---------------------------------------------------------------------------------------------
// The trace as a waterfall

async fn trace_server(body: &str) -> MockServer {
    let route = format!("/signals/traces/{TRACE_ID}");
    serve("GET", &route, json_response(body)).await
}

#[tokio::test]
async fn traces_get_is_a_waterfall() {
    let server = trace_server(&fixture("traces-get.json")).await;
    for columns in [80, 120] {
        let line = format!("traces get {TRACE_ID}");
        let shown = screen(&server.uri(), &line, columns, "UTC", &[]);
        assert_fits(&shown, columns as usize);
        // The tree ends with the trace's link, under its root span's service.
        let link = format!("{}/?service=checkout-api&trace={TRACE_ID}", server.uri());
        assert_eq!(visible(shown.trim_end()).last(), Some(&link), "{shown}");
        let shown = shown.replace(&server.uri(), "[SERVER]");
        insta::assert_snapshot!(format!("traces_get_tree_{columns}"), shown);
    }
    // However narrow, no line runs past the edge.
    for columns in [16, 40, 60] {
        let line = format!("traces get {TRACE_ID}");
        let shown = screen(&server.uri(), &line, columns, "UTC", &[]);
        assert_fits(&shown, columns as usize);
        assert!(shown.contains("1.52 s"), "{shown}");
    }
    // JSON does not change.
    let out = run(Sandbox::new()
        .kopai()
        .args(["traces", "get", TRACE_ID, "--url", &server.uri()]));
    let rows: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        rows,
        serde_json::from_str::<Value>(&fixture("traces-get.json")).unwrap()
    );
}

#[tokio::test]
async fn a_span_without_its_parent_is_shown_at_the_top_marked() {
    let mut spans: Value = serde_json::from_str(&fixture("traces-get.json")).unwrap();
    // Drop the root: its children lose their parent.
    spans
        .as_array_mut()
        .unwrap()
        .retain(|s| s["SpanId"] != "00f067aa0ba902b8");
    let server = trace_server(&spans.to_string()).await;
    let line = format!("traces get {TRACE_ID}");
    let shown = screen(&server.uri(), &line, 120, "UTC", &[]);
    assert!(shown.contains("(parent 00f067aa not in trace)"), "{shown}");
    assert!(shown.contains("6 spans"), "{shown}");
}

#[tokio::test]
async fn trace_ids_in_any_case_are_lowercased_and_bad_ones_exit_2() {
    let server = trace_server(&fixture("traces-get.json")).await;
    let out = run(Sandbox::new().kopai().args([
        "traces",
        "get",
        &TRACE_ID.to_uppercase(),
        "--json",
        "--url",
        &server.uri(),
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    for bad in [
        vec!["traces", "get", "4bf92"],
        vec!["traces", "search", "--trace-id", "4bf92f35"],
        vec!["traces", "search", "--span-id", "xyz"],
        vec!["logs", "search", "--span-id", "d6e7f8091a2b3c4d00"],
    ] {
        let out = run(Sandbox::new()
            .kopai()
            .args(&bad)
            .args(["--table", "--url", &server.uri()]));
        assert_eq!(out.code, 2, "{bad:?}: {}", out.stderr);
        assert!(out.stderr.contains("hexadecimal digits"), "{}", out.stderr);
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_unknown_trace_says_so_plainly() {
    let server = trace_server("[]").await;
    let line = format!("traces get {TRACE_ID}");
    let shown = screen(&server.uri(), &line, 80, "UTC", &[]);
    assert!(shown.contains("No results found."), "{shown}");
    assert!(
        shown.contains(&format!(
            "No spans for trace {TRACE_ID}: not ingested yet, or older than the retention."
        )),
        "{shown}"
    );
}

// ---------------------------------------------------------------------------------------------
// --all and the spinner

/// Page 1 → page 2 → an empty last page.
async fn three_pages() -> MockServer {
    let server = MockServer::start().await;
    let page1 = fixture("traces-search-page1.json");
    let cursor1: Value = serde_json::from_str::<Value>(&page1).unwrap()["nextCursor"].clone();
    let page2 = fixture("traces-search-page2.json");
    let cursor2: Value = serde_json::from_str::<Value>(&page2).unwrap()["nextCursor"].clone();
    for (cursor, body) in [
        (cursor2, r#"{"data":[],"nextCursor":null}"#.to_owned()),
        (cursor1, page2),
    ] {
        Mock::given(method("POST"))
            .and(body_partial_json(json!({ "cursor": cursor })))
            .respond_with(json_response(&body))
            .with_priority(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("POST"))
        .respond_with(json_response(&page1))
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn all_clears_its_progress_before_rows_and_keeps_them_fitted() {
    let server = three_pages().await;
    let shown = screen(&server.uri(), "traces search --all", 80, "UTC", &[]);
    assert!(shown.contains("\rFetched 8 rows…"), "{shown:?}");
    assert!(shown.contains("\rFetched 16 rows…"), "{shown:?}");
    for line in visible(&shown) {
        assert!(
            !line.contains("Fetched"),
            "progress left in a row: {line:?}\n{shown:?}"
        );
        assert!(line.chars().count() <= 80, "{line:?}");
    }
    let rows = visible(&shown)
        .iter()
        .filter(|l| l.contains(" ms") || l.contains(" s"))
        .count();
    assert!(rows >= 16, "{shown}");
}

#[tokio::test]
async fn a_slow_answer_shows_a_spinner_on_a_terminal_only() {
    let slow = ResponseTemplate::new(200)
        .set_body_raw(fixture("services.json").into_bytes(), "application/json")
        .set_delay(std::time::Duration::from_millis(1600));
    let server = serve("GET", "/signals/services", slow).await;
    let shown = screen(&server.uri(), "services", 80, "UTC", &[]);
    assert!(shown.contains("waiting for the server…"), "{shown:?}");
    let lines = visible(&shown);
    assert_eq!(
        lines[0], "SERVICE",
        "spinner cleared before output: {shown:?}"
    );

    let out = run(Sandbox::new()
        .kopai()
        .args(["services", "--table", "--url", &server.uri()]));
    assert_eq!(out.code, 0);
    assert_eq!(out.stderr, "", "no spinner in a pipe");
}

// ---------------------------------------------------------------------------------------------
// -f/--fields

#[tokio::test]
async fn fields_match_in_any_case_and_by_table_name() {
    let route = "/signals/traces/search";
    let server = serve_fixture("POST", route, "traces-search-page1.json").await;
    let out = run(Sandbox::new().kopai().args([
        "traces",
        "search",
        "--json",
        "-f",
        "spanname,SERVICE,duration",
        "--url",
        &server.uri(),
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows: Value = serde_json::from_str(&out.stdout).unwrap();
    let first = rows[0].as_object().unwrap();
    // The row's own key order, as the Node CLI prints it.
    let keys: Vec<&str> = first.keys().map(String::as_str).collect();
    assert_eq!(keys, ["Duration", "ServiceName", "SpanName"]);
    assert_eq!(first["SpanName"], "POST /checkout");

    let out = run(Sandbox::new().kopai().args([
        "traces",
        "search",
        "--table",
        "-f",
        "name,service",
        "--url",
        &server.uri(),
    ]));
    assert!(
        out.stdout
            .starts_with("SPANNAME          SERVICENAME\nPOST /checkout    checkout-api\n"),
        "{}",
        out.stdout
    );
}

#[tokio::test]
async fn an_unknown_field_exits_2_listing_the_fields() {
    let server = MockServer::start().await;
    let out = run(Sandbox::new().kopai().args([
        "logs",
        "search",
        "--json",
        "-f",
        "body,sevrity",
        "--url",
        &server.uri(),
    ]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no field `sevrity`"), "{}", out.stderr);
    assert!(
        out.stderr.contains("SeverityText") && out.stderr.contains("severity"),
        "{}",
        out.stderr
    );
    let out = run(Sandbox::new().kopai().args([
        "services",
        "--table",
        "-f",
        "name",
        "--url",
        &server.uri(),
    ]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no fields"), "{}", out.stderr);
    assert!(server.received_requests().await.unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Empty results that explain

#[tokio::test]
async fn an_unknown_service_names_the_known_ones() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json_response(r#"{"data":[],"nextCursor":null}"#))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/signals/services"))
        .respond_with(json_response(&fixture("services.json")))
        .mount(&server)
        .await;
    let shown = screen(
        &server.uri(),
        "traces search --service checkout",
        120,
        "UTC",
        &[],
    );
    assert!(shown.contains("No results found."), "{shown}");
    assert!(
        shown.contains("hint: no service is named `checkout` (did you mean `checkout-api`?); known services: checkout-api, payment-service"),
        "{shown}"
    );
    let shown = screen(
        &server.uri(),
        "logs search --severity-text error",
        120,
        "UTC",
        &[],
    );
    assert!(
        shown.contains("--severity-text ERROR, or --severity-min 17"),
        "{shown}"
    );
    // A known service: nothing to explain, and only the one extra request.
    let shown = screen(
        &server.uri(),
        "traces search -s payment-service",
        120,
        "UTC",
        &[],
    );
    assert!(!shown.contains("hint:"), "{shown}");
    let sent = server.received_requests().await.unwrap();
    let lists = sent
        .iter()
        .filter(|r| r.url.path() == "/signals/services")
        .count();
    assert_eq!(lists, 2, "one per search that named a service");
}

// ---------------------------------------------------------------------------------------------
// Consistency: --timeout, --since, --url

#[tokio::test]
async fn timeouts_take_durations_and_dates_are_local_midnight() {
    let route = "/signals/traces/search";
    let server = serve(
        "POST",
        route,
        json_response(r#"{"data":[],"nextCursor":null}"#),
    )
    .await;
    let out = run(Sandbox::new().kopai().env("TZ", "Asia/Tokyo").args([
        "traces",
        "search",
        "--json",
        "--timeout",
        "5s",
        "--since",
        "2026-11-27",
        "--until",
        "2026-11-28",
        "--url",
        &server.uri(),
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let sent: Value =
        serde_json::from_slice(&server.received_requests().await.unwrap()[0].body).unwrap();
    // Midnight in Tokyo is 15:00 UTC the day before.
    assert_eq!(sent["timestampMin"], "1795705200000000000");
    assert_eq!(sent["timestampMax"], "1795791600000000000");

    let out = run(Sandbox::new().kopai().args(["whoami", "--timeout", "soon"]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("like 5s or 500ms"), "{}", out.stderr);
}

#[tokio::test]
async fn a_url_without_a_scheme_suggests_one() {
    let out = run(Sandbox::new()
        .kopai()
        .args(["services", "--table", "--url", "localhost:8000"]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("did you mean `http://localhost:8000`?"),
        "{}",
        out.stderr
    );
}

// ---------------------------------------------------------------------------------------------
// Errors for a person

/// kopai with stdout sent to a file and stderr on a pseudo-terminal.
fn stderr_on_terminal(args: &str, env: &[(&str, &str)]) -> String {
    let sb = Sandbox::new();
    let mut cmd = std::process::Command::new("sh");
    cmd.args(["-c", "exec \"$@\" > out.json", "sh"])
        .arg(env!("CARGO_BIN_EXE_kopai"))
        .args(owned_words(args));
    sb.configure(&mut cmd);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut session = rexpect::session::spawn_command(cmd, Some(20_000)).expect("pty");
    utf8(&session.exp_eof().expect("exits"))
}

#[tokio::test]
async fn implied_json_leaves_a_person_the_usual_error() {
    let server = serve("POST", "/signals/traces/search", ResponseTemplate::new(401)).await;
    let line = format!("traces search --url {}", server.uri());
    let shown = stderr_on_terminal(&line, &[("NO_COLOR", "1")]);
    assert_eq!(
        shown,
        "error: Not logged in: the server wants a token (HTTP 401).\n\
         hint: run `kopai login` or set KOPAI_TOKEN\n"
    );
    let coloured = stderr_on_terminal(&line, &[]);
    assert!(
        coloured.starts_with("\x1b[1m\x1b[31merror:\x1b[0m Not logged in"),
        "{coloured:?}"
    );
    assert!(
        coloured.contains("\x1b[32mhint:\x1b[0m run"),
        "{coloured:?}"
    );

    let asked = stderr_on_terminal(&format!("{line} --json"), &[]);
    assert!(
        asked.starts_with(r#"{"error":{"name":"AuthError""#),
        "{asked}"
    );

    // A bad flag, too.
    let usage = stderr_on_terminal("traces search --limit 0", &[("NO_COLOR", "1")]);
    assert!(
        usage.starts_with("error: invalid value '0' for '--limit <N>'"),
        "{usage}"
    );

    // No terminal anywhere: JSON, as before.
    let out = run(Sandbox::new()
        .kopai()
        .args(["traces", "search", "--url", &server.uri()]));
    assert!(out.stderr.starts_with(r#"{"error":"#), "{}", out.stderr);
}

// ---------------------------------------------------------------------------------------------
// Help

const EVERY_COMMAND: &[&str] = &[
    "login",
    "logout",
    "whoami",
    "services",
    "completions",
    "traces",
    "traces search",
    "traces get",
    "traces summaries",
    "traces operations",
    "logs",
    "logs search",
    "metrics",
    "metrics search",
    "metrics discover",
    "dashboards",
    "dashboards schema",
    "dashboards create",
];

#[test]
fn every_command_has_examples_and_global_options_come_last() {
    for command in EVERY_COMMAND {
        let out = run(Sandbox::new()
            .kopai()
            .args(owned_words(command))
            .arg("--help"));
        assert_eq!(out.code, 0);
        assert!(
            out.stdout.contains("\nExamples:\n  "),
            "kopai {command} --help:\n{}",
            out.stdout
        );
        let own = out.stdout.find("\nOptions:\n").expect("options");
        let global = out
            .stdout
            .find("\nGlobal options:\n")
            .expect("global options");
        assert!(own < global, "kopai {command} --help:\n{}", out.stdout);
        assert!(out.stdout[global..].contains("--timeout <DURATION>"));
        for line in out
            .stdout
            .lines()
            .filter(|l| l.starts_with("  kopai ") || l.starts_with("  echo "))
        {
            assert!(line.chars().count() <= 100, "an example that wraps: {line}");
        }
    }
}

#[test]
fn top_level_examples_are_aligned() {
    let out = run(Sandbox::new().kopai().arg("--help"));
    let examples = out.stdout.split("Examples:\n").nth(1).unwrap();
    let columns: Vec<usize> = examples
        .lines()
        .take_while(|l| l.starts_with("  "))
        .map(|l| {
            l.find("   ")
                .map(|i| i + l[i..].len() - l[i..].trim_start().len())
                .unwrap()
        })
        .collect();
    assert!(columns.len() >= 5, "{examples}");
    assert!(
        columns.windows(2).all(|w| w[0] == w[1]),
        "{columns:?}\n{examples}"
    );
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
