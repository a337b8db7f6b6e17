//! End-to-end tests of the query commands (`traces`, `logs`, `metrics`, `services`,
//! `dashboards`): the real binary against a fake Kopai server answering with captured responses.
//! Each test checks what a user or a script sees: the request sent, the exit code, stdout, stderr.

mod common;
use common::*;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TRACES_SEARCH: &str = "/signals/traces/search";
const TRACES_SUMMARIES: &str = "/signals/traces/summaries";
const LOGS_SEARCH: &str = "/signals/logs/search";
const METRICS_SEARCH: &str = "/signals/metrics/search";
const METRICS_DISCOVER: &str = "/signals/metrics/discover";
const SERVICES: &str = "/signals/services";
const OPERATIONS: &str = "/signals/traces/operations";
const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const EMPTY_PAGE: &str = r#"{"data":[],"nextCursor":null}"#;

// ---------------------------------------------------------------------------------------------
// Helpers

/// A command line split on whitespace (values with spaces are added separately).
fn words(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
}

/// A fake server answering `verb route` with `response`.
async fn serve(verb: &str, route: &str, response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

/// A fake server answering `verb route` with a captured response body.
async fn serve_fixture(verb: &str, route: &str, name: &str) -> MockServer {
    serve(verb, route, json_response(&fixture(name))).await
}

/// A captured body with another status (201 Created, 400 with a problem document).
fn fixture_response(status: u16, name: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(fixture(name).into_bytes(), "application/json")
}

/// `kopai ARGS --url URL --token TOKEN` in a fresh sandbox, stdout a pipe.
fn kopai_at(url: &str, args: &[&str]) -> Output {
    kopai_with(url, args, |_| {})
}

/// Like [`kopai_at`], after `setup` has added environment or stdin.
fn kopai_with(url: &str, args: &[&str], setup: impl FnOnce(&mut assert_cmd::Command)) -> Output {
    let sb = Sandbox::new();
    let mut cmd = sb.kopai();
    cmd.args(args).args(["--url", url, "--token", TOKEN]);
    setup(&mut cmd);
    let out = run(&mut cmd);
    assert_no_secret(&out, TOKEN);
    out
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// The JSON bodies the server received, in order.
async fn bodies(server: &MockServer) -> Vec<Value> {
    requests(server)
        .await
        .iter()
        .map(|r| serde_json::from_slice(&r.body).expect("request body is JSON"))
        .collect()
}

/// The JSON body `kopai ARGS` posts to `route` (answered with an empty page).
async fn body_sent(route: &str, args: &[&str]) -> Value {
    let server = serve("POST", route, json_response(EMPTY_PAGE)).await;
    let out = kopai_at(&server.uri(), args);
    assert_ok(&out);
    assert_eq!(out.stdout, "[]\n");
    let mut sent = bodies(&server).await;
    assert_eq!(sent.len(), 1, "one request");
    sent.remove(0)
}

fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).expect("fixture is JSON")
}

/// The `data` array of a captured page.
fn data(name: &str) -> Value {
    fixture_json(name)["data"].clone()
}

/// What `JSON.stringify(value, null, 2)` prints, plus the newline `console.log` adds.
fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap() + "\n"
}

fn assert_ok(out: &Output) {
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
}

/// A failed run: the exit code, and nothing on stdout that a script could take for data.
fn assert_failed(out: &Output, code: i32) {
    assert_eq!(out.code, code, "stderr: {}", out.stderr);
    assert_eq!(out.stdout, "", "stdout must stay empty on errors");
}

/// stderr in JSON mode: exactly one compact JSON object on one line.
fn json_error(out: &Output) -> Value {
    assert_eq!(out.stderr.lines().count(), 1, "stderr: {}", out.stderr);
    serde_json::from_str(&out.stderr).expect("stderr is one JSON object")
}

// ---------------------------------------------------------------------------------------------
// 1. Request bodies

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
         --span-kind server --status-code error --scope @opentelemetry/instrumentation-http
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
    let args = words("traces search --since 15m --until 2026-11-27T23:00:20Z");
    let body = body_sent(TRACES_SEARCH, &args).await;
    let after = now();
    let min: u128 = body["timestampMin"].as_str().unwrap().parse().unwrap();
    assert!(
        (before - quarter_hour..=after - quarter_hour).contains(&min),
        "{body}"
    );
    assert_eq!(body["timestampMax"], "1795820420000000000");
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

// ---------------------------------------------------------------------------------------------
// 2. JSON output, byte for byte

/// The expected output is built by re-serialising the fixtures, so first make sure that
/// round-trips them unchanged: keys in server order, numbers exactly as written.
#[test]
fn fixtures_round_trip_byte_for_byte() {
    let names = JSON_CASES.iter().map(|case| case.3);
    for name in names.chain(["dashboards-create.json"]) {
        let raw = fixture(name);
        let value = fixture_json(name);
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            raw.trim_end(),
            "{name}"
        );
    }
}

/// Command line, route, captured answer, and the key of what is printed (`None`: all of it).
type JsonCase = (Text, Text, Text, Text, Option<Text>);
type Text = &'static str;

#[rustfmt::skip]
const JSON_CASES: &[JsonCase] = &[
    ("traces search", "POST", TRACES_SEARCH, "traces-search-page1.json", Some("data")),
    ("traces summaries", "POST", TRACES_SUMMARIES, "traces-summaries.json", Some("data")),
    ("traces get 4bf92f3577b34da6a3ce929d0e0e4736", "GET",
        "/signals/traces/4bf92f3577b34da6a3ce929d0e0e4736", "traces-get.json", None),
    ("traces operations -s checkout-api", "GET", OPERATIONS, "traces-operations.json",
        Some("operations")),
    ("logs search", "POST", LOGS_SEARCH, "logs-search.json", Some("data")),
    ("metrics search --type Gauge", "POST", METRICS_SEARCH, "metrics-search-gauge.json",
        Some("data")),
    ("metrics search --type Sum", "POST", METRICS_SEARCH, "metrics-search-sum.json", Some("data")),
    ("metrics search --type Histogram", "POST", METRICS_SEARCH, "metrics-search-histogram.json",
        Some("data")),
    ("metrics search --type Sum --aggregate sum --group-by outcome", "POST", METRICS_SEARCH,
        "metrics-aggregate-groupby.json", Some("data")),
    ("metrics discover", "GET", METRICS_DISCOVER, "metrics-discover.json", Some("metrics")),
    ("services", "GET", SERVICES, "services.json", Some("services")),
];

#[tokio::test]
async fn json_output_is_the_servers_rows_pretty_printed() {
    for &(line, verb, route, name, key) in JSON_CASES {
        let server = serve_fixture(verb, route, name).await;
        let answer = fixture_json(name);
        let expected = pretty(key.map_or(&answer, |k| &answer[k]));
        // --json, and a pipe without --json/--table, print the same.
        for line in [format!("{line} --json"), line.to_owned()] {
            let out = kopai_at(&server.uri(), &words(&line));
            assert_ok(&out);
            assert_eq!(out.stdout, expected, "kopai {line}");
            assert_eq!(out.stderr, "", "kopai {line}");
        }
    }
}

#[tokio::test]
async fn json_output_uses_javascripts_layout() {
    // Written out by hand, independent of serde_json: two-space indent, one value a line.
    let server = serve_fixture("GET", SERVICES, "services.json").await;
    let out = kopai_at(&server.uri(), &words("services --json"));
    assert_ok(&out);
    assert_eq!(
        out.stdout,
        "[\n  \"checkout-api\",\n  \"payment-service\"\n]\n"
    );

    let server = serve_fixture("POST", METRICS_SEARCH, "metrics-aggregate-groupby.json").await;
    let args = words("metrics search --type Sum --aggregate sum --json");
    let out = kopai_at(&server.uri(), &args);
    assert_ok(&out);
    assert_eq!(
        out.stdout,
        r#"[
  {
    "groups": {
      "outcome": "success"
    },
    "value": 27
  },
  {
    "groups": {
      "outcome": "declined"
    },
    "value": 5
  }
]
"#
    );
}

#[tokio::test]
async fn an_empty_result_is_an_empty_json_array() {
    let server = serve("POST", TRACES_SEARCH, json_response(EMPTY_PAGE)).await;
    let out = kopai_at(&server.uri(), &words("traces search --json"));
    assert_ok(&out);
    assert_eq!(out.stdout, "[]\n");
}

// ---------------------------------------------------------------------------------------------
// 3. Tables (no terminal, no COLUMNS: full width, no colour)

/// `kopai LINE --table` against a server answering `verb route` with a captured response.
async fn table(verb: &str, route: &str, name: &str, line: &str) -> Output {
    let server = serve_fixture(verb, route, name).await;
    let out = kopai_at(&server.uri(), &words(&format!("{line} --table")));
    assert_ok(&out);
    out
}

const MORE_HINT: &str = "hint: there are more results; add --all to fetch every page\n";

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
    let line = format!("traces get {TRACE_ID}");
    let out = table("GET", &route, "traces-get.json", &line).await;
    insta::assert_snapshot!("traces_get_table", out.stdout);
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
    // description is cut.
    assert!(
        out.stdout.lines().all(|l| l.chars().count() <= 60),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("\nkopai.ingestion.requests  Sum        Number of OTLP write r…\n"),
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

// ---------------------------------------------------------------------------------------------
// 4. --fields

#[tokio::test]
async fn fields_keep_only_those_fields_in_that_order() {
    let server = serve_fixture("POST", TRACES_SEARCH, "traces-search-page1.json").await;
    for fields in [["SpanId", "Duration"], ["Duration", "SpanId"]] {
        let picked = |row: &Value| -> Value {
            let map = fields.iter().map(|&f| (f.to_owned(), row[f].clone()));
            Value::Object(map.collect())
        };
        let rows = data("traces-search-page1.json");
        let expected: Vec<Value> = rows.as_array().unwrap().iter().map(picked).collect();
        let line = format!("traces search --json -f {}", fields.join(","));
        let out = kopai_at(&server.uri(), &words(&line));
        assert_ok(&out);
        assert_eq!(out.stdout, pretty(&Value::Array(expected)), "{line}");
    }
}

#[tokio::test]
async fn fields_are_the_table_columns() {
    let line = "traces search --fields SpanId,Duration";
    let out = table("POST", TRACES_SEARCH, "traces-search-page1.json", line).await;
    insta::assert_snapshot!("traces_search_fields_table", out.stdout);
}

// ---------------------------------------------------------------------------------------------
// 5. Pagination

fn cursor_of(name: &str) -> Value {
    fixture_json(name)["nextCursor"].clone()
}

/// A server that answers `{"limit":10}` with page 1, then the page each cursor points to.
/// The last captured page still has a cursor; it leads to an empty page.
async fn paged_server() -> MockServer {
    let server = MockServer::start().await;
    let pages = [
        (json!({"limit": 10}), fixture("traces-search-page1.json")),
        (
            json!({"limit": 10, "cursor": cursor_of("traces-search-page1.json")}),
            fixture("traces-search-page2.json"),
        ),
        (
            json!({"limit": 10, "cursor": cursor_of("traces-search-page2.json")}),
            EMPTY_PAGE.to_owned(),
        ),
    ];
    for (body, answer) in pages {
        Mock::given(method("POST"))
            .and(path(TRACES_SEARCH))
            .and(body_json(body))
            .respond_with(json_response(&answer))
            .mount(&server)
            .await;
    }
    server
}

#[tokio::test]
async fn all_follows_the_cursor_and_prints_one_array() {
    let server = paged_server().await;
    let out = kopai_at(&server.uri(), &words("traces search --all --limit 10"));
    assert_ok(&out);
    let mut rows = data("traces-search-page1.json").as_array().unwrap().clone();
    rows.extend(data("traces-search-page2.json").as_array().unwrap().clone());
    assert_eq!(out.stdout, pretty(&Value::Array(rows)));
    assert_eq!(out.stderr, "");
    assert_eq!(
        bodies(&server).await,
        [
            json!({"limit": 10}),
            json!({"limit": 10, "cursor": cursor_of("traces-search-page1.json")}),
            json!({"limit": 10, "cursor": cursor_of("traces-search-page2.json")}),
        ]
    );
}

#[tokio::test]
async fn without_all_only_the_first_page_is_fetched() {
    let server = paged_server().await;
    let out = kopai_at(&server.uri(), &words("traces search --limit 10"));
    assert_ok(&out);
    assert_eq!(out.stdout, pretty(&data("traces-search-page1.json")));
    assert_eq!(bodies(&server).await, [json!({"limit": 10})]);
}

#[tokio::test]
async fn a_failing_later_page_fails_the_command() {
    // Only page 1 is answered; the request for page 2 gets a 404. The rows of page 1 have been
    // streamed by then, so only the exit code and stderr are checked.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TRACES_SEARCH))
        .and(body_json(json!({})))
        .respond_with(json_response(&fixture("traces-search-page1.json")))
        .mount(&server)
        .await;
    let out = kopai_at(&server.uri(), &words("traces search --all --table"));
    assert_eq!(out.code, 1, "stderr: {}", out.stderr);
    assert!(
        out.stderr.starts_with("error: Not Found (HTTP 404)"),
        "{}",
        out.stderr
    );
}

// ---------------------------------------------------------------------------------------------
// 6. Errors

/// Bad command lines, and the flag (or value) each error message must name.
#[rustfmt::skip]
const BAD_ARGS: &[(&str, &str)] = &[
    ("--sort", "traces search --sort sideways"),
    ("--limit", "traces search --limit 0"),
    ("--limit", "logs search --limit 1001"),
    ("--limit", "traces search --limit abc"),
    ("--timestamp-min", "traces search --timestamp-min yesterday"),
    ("--duration-min", "traces search --duration-min fast"),
    ("--type", "metrics search --type Foo"),
    ("--aggregate", "metrics search --type Sum --aggregate median"),
    ("--aggregate", "metrics search --type Histogram --aggregate sum"),
    ("--aggregate", "metrics search --type Sum --group-by outcome"),
    ("--span-attr", "traces search --span-attr http.route"),
    ("--severity-min", "logs search --severity-min 25"),
    ("--since", "traces search --timestamp-min 1795820400000000000 --since 1h"),
    ("--until", "metrics search --type Sum --time-max 1795820400000000000 --until 1h"),
    ("xyz!", "traces get xyz!"),
];

#[tokio::test]
async fn bad_arguments_exit_2_before_any_request() {
    let server = accepting_server().await;
    for (flag, line) in BAD_ARGS {
        let out = kopai_at(&server.uri(), &words(&format!("{line} --table")));
        assert_failed(&out, 2);
        assert!(
            out.stderr.starts_with("error: ") && out.stderr.contains(flag),
            "kopai {line}: stderr should name {flag}: {}",
            out.stderr
        );
    }
    assert!(requests(&server).await.is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn bad_arguments_in_json_mode_are_one_json_error() {
    let server = accepting_server().await;
    for (flag, line) in BAD_ARGS {
        let out = kopai_at(&server.uri(), &words(&format!("{line} --json")));
        assert_failed(&out, 2);
        let error = json_error(&out);
        assert_eq!(error["error"]["name"], "UsageError", "{}", out.stderr);
        let message = error["error"]["message"].as_str().unwrap();
        assert!(
            message.contains(flag) && !message.contains('\n'),
            "kopai {line}: one line naming {flag}: {message}"
        );
    }
    assert!(requests(&server).await.is_empty(), "nothing may be sent");
}

const SORT_DETAIL: &str = r#"body/sortOrder Invalid option: expected one of "ASC"|"DESC""#;

#[tokio::test]
async fn a_validation_error_shows_title_and_detail() {
    let bad_sort = fixture_response(400, "error-400-sort.json");
    let server = serve("POST", TRACES_SEARCH, bad_sort).await;
    let out = kopai_at(&server.uri(), &words("traces search --table"));
    assert_failed(&out, 1);
    assert_eq!(
        out.stderr,
        format!("error: Invalid data (HTTP 400): {SORT_DETAIL}\n")
    );
    assert_eq!(requests(&server).await.len(), 1, "a 400 is not retried");
}

#[tokio::test]
async fn a_validation_error_in_json_mode_is_one_json_object() {
    let bad_sort = fixture_response(400, "error-400-sort.json");
    let server = serve("POST", TRACES_SEARCH, bad_sort).await;
    let out = kopai_at(&server.uri(), &words("traces search --json"));
    assert_failed(&out, 1);
    let expected = json!({"error": {
        "name": "ApiError",
        "message": "Invalid data",
        "status": 400,
        "detail": SORT_DETAIL
    }});
    assert_eq!(out.stderr, format!("{expected}\n"));
}

#[tokio::test]
async fn a_rejected_token_exits_4_with_a_login_hint() {
    let server = server_answering(401).await;
    let out = kopai_at(&server.uri(), &words("traces search --table"));
    assert_failed(&out, 4);
    assert_eq!(
        out.stderr,
        "error: Token is invalid or expired.\n\
         hint: create a new CLI token in the dashboard (Settings → Access Tokens), \
         then run `kopai login` or set KOPAI_TOKEN\n"
    );

    let out = kopai_at(&server.uri(), &words("traces search --json"));
    assert_failed(&out, 4);
    assert_eq!(
        json_error(&out),
        json!({"error": {"name": "AuthError", "message": "Token is invalid or expired.", "status": 401}})
    );
    assert_eq!(requests(&server).await.len(), 2, "a 401 is not retried");
}

#[tokio::test]
async fn a_forbidden_scope_exits_4() {
    let server = server_answering(403).await;
    let out = kopai_at(&server.uri(), &words("traces search --table"));
    assert_failed(&out, 4);
    assert_eq!(
        out.stderr,
        "error: Token does not have permission for /signals/traces/search (HTTP 403).\n\
         hint: use a token with access to this data: run `kopai login` or set KOPAI_TOKEN\n"
    );
}

#[tokio::test]
async fn an_html_page_instead_of_json_is_an_error() {
    let html = ResponseTemplate::new(200).set_body_raw(
        b"<!DOCTYPE html><html><body>Kopai</body></html>".to_vec(),
        "text/html; charset=utf-8",
    );
    let server = serve("GET", SERVICES, html).await;
    let out = kopai_at(&server.uri(), &words("services --table"));
    assert_failed(&out, 1);
    assert_eq!(
        out.stderr,
        format!(
            "error: unexpected response from {}/signals/services: \
             expected JSON, got text/html; charset=utf-8\n",
            server.uri()
        )
    );
}

#[tokio::test]
async fn json_of_the_wrong_shape_is_an_error() {
    let server = serve("POST", TRACES_SEARCH, json_response("[]")).await;
    let out = kopai_at(&server.uri(), &words("traces search --table"));
    assert_failed(&out, 1);
    assert_eq!(
        out.stderr,
        format!(
            "error: unexpected response from {}/signals/traces/search: \
             expected an object with a `data` array\n",
            server.uri()
        )
    );
}

#[tokio::test]
async fn connection_refused_exits_1() {
    let out = kopai_at("http://127.0.0.1:1", &words("services --table"));
    assert_failed(&out, 1);
    assert!(
        out.stderr
            .starts_with("error: could not connect to http://127.0.0.1:1/signals/services: "),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .ends_with("\nhint: check --url, KOPAI_URL or the url in .kopairc\n"),
        "{}",
        out.stderr
    );
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let slow = json_response(EMPTY_PAGE).set_delay(Duration::from_secs(10));
    let server = serve("POST", TRACES_SEARCH, slow).await;
    let started = Instant::now();
    let out = kopai_at(&server.uri(), &words("traces search --table --timeout 300"));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert_failed(&out, 1);
    assert_eq!(
        out.stderr,
        format!(
            "error: no answer from {}/signals/traces/search within 300 ms\n\
             hint: raise --timeout (like --timeout 60s) or check the server\n",
            server.uri()
        )
    );
}

// ---------------------------------------------------------------------------------------------
// 7. Retries

/// A server whose first answer on `verb route` is `first`, and every later one `then`.
async fn flaky(
    verb: &str,
    route: &str,
    first: ResponseTemplate,
    then: ResponseTemplate,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(first)
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(then)
        .mount(&server)
        .await;
    server
}

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

// ---------------------------------------------------------------------------------------------
// 8. Dashboards

#[tokio::test]
async fn dashboards_schema_prints_the_markdown_as_is() {
    let schema = fixture("dashboards-schema.md");
    let markdown =
        ResponseTemplate::new(200).set_body_raw(schema.clone().into_bytes(), "text/markdown");
    let server = serve("GET", "/dashboards/schema", markdown).await;
    let out = kopai_at(&server.uri(), &words("dashboards schema"));
    assert_ok(&out);
    assert_eq!(out.stdout, schema);
    assert_eq!(out.stderr, "");
}

#[tokio::test]
async fn dashboards_schema_rejects_an_html_page() {
    // A server without the route answers with its UI's page, still 200.
    let html = ResponseTemplate::new(200).set_body_raw(
        b"\n<!doctype html>\n<html><head><title>Kopai</title></head></html>".to_vec(),
        "text/html",
    );
    let server = serve("GET", "/dashboards/schema", html).await;
    let out = kopai_at(&server.uri(), &words("dashboards schema"));
    assert_failed(&out, 1);
    assert_eq!(
        out.stderr,
        format!(
            "error: unexpected response from {}/dashboards/schema: \
             expected the schema as markdown, got an HTML page\n",
            server.uri()
        )
    );
}

/// `dashboards create --name "Checkout health" … --json` reading `stdin`: what it printed
/// and the bodies the server got.
async fn create_dashboard(stdin: &str) -> (Output, Vec<Value>) {
    let created = fixture_response(201, "dashboards-create.json");
    let server = serve("POST", "/dashboards", created).await;
    let mut args = words("dashboards create --tree-version 0.14.0 --json");
    args.extend(["--name", "Checkout health"]);
    let stdin = stdin.to_owned();
    let out = kopai_with(&server.uri(), &args, |cmd| {
        cmd.write_stdin(stdin);
    });
    (out, bodies(&server).await)
}

fn ui_tree() -> Value {
    fixture_json("dashboards-create.json")["uiTree"].clone()
}

#[tokio::test]
async fn dashboards_create_sends_tree_and_metadata() {
    let input = json!({"uiTree": ui_tree(), "metadata": {"team": "payments"}});
    let (out, sent) = create_dashboard(&input.to_string()).await;
    assert_ok(&out);
    assert_eq!(out.stdout, pretty(&fixture_json("dashboards-create.json")));
    assert_eq!(
        sent,
        [json!({
            "name": "Checkout health",
            "uiTreeVersion": "0.14.0",
            "uiTree": ui_tree(),
            "metadata": {"team": "payments"}
        })]
    );
}

#[tokio::test]
async fn dashboards_create_takes_a_bare_ui_tree() {
    let (out, sent) = create_dashboard(&ui_tree().to_string()).await;
    assert_ok(&out);
    assert_eq!(
        sent,
        [json!({"name": "Checkout health", "uiTreeVersion": "0.14.0", "uiTree": ui_tree()})]
    );
}

#[tokio::test]
async fn dashboards_create_refuses_invalid_json() {
    for stdin in [r#"{"uiTree": {"root": "s1""#, "[1, 2]", ""] {
        let (out, sent) = create_dashboard(stdin).await;
        assert_failed(&out, 2);
        let message = json_error(&out)["error"]["message"].clone();
        assert!(
            message
                .as_str()
                .unwrap()
                .starts_with("invalid JSON on stdin: "),
            "{message}"
        );
        assert!(sent.is_empty(), "nothing may be sent for {stdin:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// 9. Operations and single traces

#[tokio::test]
async fn operations_asks_for_the_service_and_lists_span_names() {
    let server = serve_fixture("GET", OPERATIONS, "traces-operations.json").await;
    let out = kopai_at(
        &server.uri(),
        &words("traces operations -s checkout-api --table"),
    );
    assert_ok(&out);
    let answer = fixture_json("traces-operations.json");
    let names: String = answer["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| format!("{}\n", n.as_str().unwrap()))
        .collect();
    assert_eq!(out.stdout, format!("OPERATION\n{names}"));
    assert_eq!(
        requests(&server).await[0].url.query(),
        Some("serviceName=checkout-api")
    );
}

#[tokio::test]
async fn operations_encodes_the_service_name() {
    let service = "pay&ments svc/é";
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(OPERATIONS))
        .and(query_param("serviceName", service))
        .respond_with(json_response(r#"{"operations":["charge"]}"#))
        .mount(&server)
        .await;
    let out = kopai_at(
        &server.uri(),
        &["traces", "operations", "-s", service, "--json"],
    );
    assert_ok(&out);
    assert_eq!(out.stdout, "[\n  \"charge\"\n]\n");
    assert_eq!(requests(&server).await[0].url.query_pairs().count(), 1);
}

#[tokio::test]
async fn an_unknown_trace_is_empty() {
    let id = "00000000000000000000000000000000";
    let route = format!("/signals/traces/{id}");
    let server = serve_fixture("GET", &route, "traces-get-missing.json").await;

    let out = kopai_at(&server.uri(), &["traces", "get", id, "--json"]);
    assert_ok(&out);
    assert_eq!(out.stdout, "[]\n");

    let out = kopai_at(&server.uri(), &["traces", "get", id, "--table"]);
    assert_ok(&out);
    assert_eq!(out.stdout, "No results found.\n");
    assert_eq!(out.stderr, "");
}

#[tokio::test]
async fn a_cursor_that_repeats_stops_all_instead_of_looping() {
    let server = serve(
        "POST",
        TRACES_SEARCH,
        json_response(r#"{"data":[],"nextCursor":"again"}"#),
    )
    .await;
    let out = kopai_at(&server.uri(), &words("traces search --all --table"));
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("the server sent the same nextCursor twice"),
        "{}",
        out.stderr
    );
    assert_eq!(requests(&server).await.len(), 2);
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
async fn a_401_without_any_token_says_not_logged_in() {
    let server = serve("POST", TRACES_SEARCH, ResponseTemplate::new(401)).await;
    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args(["traces", "search", "--table", "--url", &server.uri()]));
    assert_failed(&out, 4);
    assert_eq!(
        out.stderr,
        "error: Not logged in: the server wants a token (HTTP 401).\n\
         hint: run `kopai login` or set KOPAI_TOKEN\n"
    );
    let sent = requests(&server).await;
    assert!(sent[0].headers.get("authorization").is_none());
}
