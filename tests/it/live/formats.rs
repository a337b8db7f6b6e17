//! Live and paged output in the `-o` formats: NDJSON, CSV and TSV.

use super::*;

#[test]
fn follow_streams_csv_with_one_header() {
    let fake = Fake::default();
    fake.add([log("first, with a comma", 1)]);
    let (_rt, server) = serve_fake(&fake, LOGS_SEARCH);
    let sb = Sandbox::new();
    let args = words("logs search --follow -o csv -f Timestamp,Body --interval 50ms");
    let kopai = spawn(&sb, &server.uri(), &args);
    // (`lines()` drops the CR of CSV's CRLF.)
    assert_eq!(kopai.line(), "Timestamp,Body");
    assert_eq!(kopai.line(), format!("{},\"first, with a comma\"", T0 + 1));
    fake.wait_for_requests(2);
    fake.add([log("second", 2)]);
    assert_eq!(kopai.line(), format!("{},second", T0 + 2));
    assert_eq!(kopai.interrupt().code, Some(130));
}

// ---------------------------------------------------------------------------------------------
// --wait

/// Answers a search by its cursor: no cursor → the first page, the cursor of page N → page N+1.
struct Pages(Vec<String>);

impl Respond for Pages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(json!({}));
        let index = match body["cursor"].as_str() {
            None => 0,
            Some(cursor) => {
                1 + self
                    .0
                    .iter()
                    .position(|page| cursor_of(page) == cursor)
                    .expect("a cursor the server gave")
            }
        };
        let page = self.0.get(index).cloned();
        json_response(&page.unwrap_or_else(|| r#"{"data":[],"nextCursor":null}"#.into()))
    }
}

fn cursor_of(page: &str) -> String {
    let page: Value = serde_json::from_str(page).unwrap();
    page["nextCursor"].as_str().unwrap_or_default().to_owned()
}

/// `kopai ARGS` against a server answering `verb route` with the captured pages, in order.
fn with_fixtures(verb: &str, route: &str, pages: &[&str], args: &[&str]) -> Output {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method(verb))
            .and(path(route))
            .respond_with(Pages(pages.iter().map(|p| fixture(p)).collect()))
            .mount(&server)
            .await;
        server
    });
    let sb = Sandbox::new();
    let mut cmd = sb.kopai();
    cmd.args(args)
        .args(["--url", &server.uri(), "--token", TOKEN]);
    let out = run(&mut cmd);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    assert_no_secret(&out, TOKEN);
    out
}

/// The rows `--json` prints, as compact lines.
fn json_rows_compact(json: &str) -> String {
    let rows: Vec<Value> = serde_json::from_str(json).unwrap();
    rows.iter().map(|r| r.to_string() + "\n").collect()
}

#[test]
fn ndjson_is_the_json_rows_one_compact_object_a_line() {
    for (route, name, line) in [
        (TRACES_SEARCH, "traces-search-limit3.json", "traces search"),
        (LOGS_SEARCH, "logs-search.json", "logs search"),
        (
            "/signals/metrics/search",
            "metrics-search-histogram.json",
            "metrics search --type Histogram",
        ),
    ] {
        let json = with_fixtures("POST", route, &[name], &words(&format!("{line} --json")));
        let ndjson = with_fixtures("POST", route, &[name], &words(&format!("{line} -o ndjson")));
        assert_eq!(ndjson.stdout, json_rows_compact(&json.stdout), "{line}");
        assert!(ndjson.stdout.lines().count() > 1);
    }
    let out = with_fixtures(
        "POST",
        TRACES_SEARCH,
        &["traces-search-limit3.json"],
        &words("traces search -o ndjson"),
    );
    insta::assert_snapshot!("traces_search_ndjson", out.stdout);
}

#[test]
fn every_page_streams_as_ndjson_and_csv() {
    let pages = ["traces-search-page1.json", "traces-search-page2.json"];
    let json = with_fixtures(
        "POST",
        TRACES_SEARCH,
        &pages,
        &words("traces search --all --json"),
    );
    let ndjson = with_fixtures(
        "POST",
        TRACES_SEARCH,
        &pages,
        &words("traces search --all -o ndjson"),
    );
    assert_eq!(ndjson.stdout, json_rows_compact(&json.stdout));
    assert_eq!(ndjson.stdout.lines().count(), 16);
    let csv = with_fixtures(
        "POST",
        TRACES_SEARCH,
        &pages,
        &words("traces search --all -o csv -f SpanId"),
    );
    assert_eq!(csv.stdout.matches("SpanId").count(), 1, "one header");
    assert_eq!(csv.stdout.lines().count(), 17);
}

#[test]
fn csv_has_a_header_of_the_row_keys_and_values_as_sent() {
    let out = with_fixtures(
        "POST",
        TRACES_SEARCH,
        &["traces-search-limit3.json"],
        &words("traces search --output csv"),
    );
    assert!(out
        .stdout
        .starts_with("SpanId,Timestamp,TraceId,Duration,Events.Attributes,"));
    insta::assert_snapshot!("traces_search_csv", out.stdout);
}

#[test]
fn logs_search_as_tsv() {
    let out = with_fixtures(
        "POST",
        LOGS_SEARCH,
        &["logs-search.json"],
        &words("logs search -o tsv"),
    );
    insta::assert_snapshot!("logs_search_tsv", out.stdout);
}

#[test]
fn csv_and_tsv_with_fields_keep_their_order_and_an_empty_result_keeps_the_header() {
    // Names resolve in any case (an unknown one is exit 2, tested in screen/fields.rs).
    let line = "logs search -o csv -f severitytext,Timestamp,LogAttributes";
    let out = with_fixtures("POST", LOGS_SEARCH, &["logs-search.json"], &words(line));
    insta::assert_snapshot!("logs_search_csv_fields", out.stdout);
    let empty = r#"{"data":[],"nextCursor":null}"#;
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(json_response(empty))
            .mount(&server)
            .await;
        server
    });
    let sb = Sandbox::new();
    let mut cmd = sb.kopai();
    cmd.args(words("traces search -o tsv -f SpanId,Timestamp"))
        .args(["--url", &server.uri()]);
    let out = run(&mut cmd);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "SpanId\tTimestamp\n");
    let mut cmd = sb.kopai();
    cmd.args(words("traces search -o csv"))
        .args(["--url", &server.uri()]);
    assert_eq!(
        run(&mut cmd).stdout,
        "",
        "no rows and no fields: nothing to name"
    );
}

#[test]
fn other_query_commands_print_csv_too() {
    let services = with_fixtures(
        "GET",
        "/signals/services",
        &["services.json"],
        &words("services -o csv"),
    );
    assert_eq!(
        services.stdout,
        "Service\r\ncheckout-api\r\npayment-service\r\n"
    );
    let aggregate = with_fixtures(
        "POST",
        "/signals/metrics/search",
        &["metrics-aggregate-groupby.json"],
        &words("metrics search --type Sum --aggregate sum --group-by outcome -o csv"),
    );
    insta::assert_snapshot!("metrics_aggregate_csv", aggregate.stdout);
    let gauge = with_fixtures(
        "POST",
        "/signals/metrics/search",
        &["metrics-search-gauge.json"],
        &words("metrics search --type Gauge -o tsv"),
    );
    insta::assert_snapshot!("metrics_gauge_tsv", gauge.stdout);
}

#[test]
fn ndjson_errors_are_json_and_csv_errors_are_text() {
    let sb = Sandbox::new();
    for (format, json) in [
        ("ndjson", true),
        ("csv", false),
        ("json", true),
        ("table", false),
    ] {
        let mut cmd = sb.kopai();
        cmd.args([
            "traces",
            "search",
            "-o",
            format,
            "--url",
            "http://127.0.0.1:1",
        ]);
        let out = run(&mut cmd);
        assert_eq!(out.code, 1, "{format}: {}", out.stderr);
        assert_eq!(
            out.stderr.starts_with("{\"error\""),
            json,
            "{format}: {}",
            out.stderr
        );
    }
    // Written after an argument that does not parse, -o still decides.
    let mut cmd = sb.kopai();
    cmd.args(["traces", "search", "--bogus", "-o", "ndjson"]);
    let out = run(&mut cmd);
    assert_eq!(out.code, 2);
    assert!(out.stderr.starts_with("{\"error\""), "{}", out.stderr);
    let mut cmd = sb.kopai();
    cmd.args(["traces", "search", "--bogus", "--output=csv"]);
    let out = run(&mut cmd);
    assert!(out.stderr.starts_with("error:"), "{}", out.stderr);
}

#[test]
fn values_that_would_break_a_line_are_quoted_in_csv_and_escaped_in_tsv() {
    let fake = Fake::default();
    fake.add([log("two\nlines,\ta \"tab\" and C:\\dir", 1)]);
    let (_rt, server) = serve_fake(&fake, LOGS_SEARCH);
    let sb = Sandbox::new();
    let kopai = |format: &str| {
        let mut cmd = sb.kopai();
        cmd.args(["logs", "search", "-o", format, "-f", "Body,ServiceName"])
            .args(["--url", &server.uri()]);
        let out = run(&mut cmd);
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout
    };
    assert_eq!(
        kopai("csv"),
        "Body,ServiceName\r\n\"two\nlines,\ta \"\"tab\"\" and C:\\dir\",payment-service\r\n"
    );
    assert_eq!(
        kopai("tsv"),
        "Body\tServiceName\ntwo\\nlines,\\ta \"tab\" and C:\\\\dir\tpayment-service\n"
    );
}

#[test]
fn dashboards_create_prints_the_created_dashboard_as_ndjson() {
    let created = fixture("dashboards-create.json");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/dashboards"))
            .respond_with(
                ResponseTemplate::new(201).set_body_raw(created.clone(), "application/json"),
            )
            .mount(&server)
            .await;
        server
    });
    let sb = Sandbox::new();
    let mut cmd = sb.kopai();
    cmd.args(words(
        "dashboards create --name X --tree-version 0.14.0 -o ndjson",
    ))
    .args(["--url", &server.uri()])
    .write_stdin(r#"{"root":"s1","elements":{}}"#);
    let out = run(&mut cmd);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // The object `--json` prints (with its last key `url`), on one line.
    let mut expected: Value = serde_json::from_str(&created).unwrap();
    let id = expected["id"].as_str().unwrap().to_owned();
    expected["url"] = json!(format!("{}/?tab=metrics&dashboardId={id}", server.uri()));
    assert_eq!(out.stdout, format!("{expected}\n"));
}
