//! JSON output, byte for byte the Node CLI's.

use super::*;
use crate::common::*;

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

/// Rows as a server may spell them: escapes, exponents, whitespace, a repeated key. `--json`
/// prints what the Node CLI prints, which is serde_json's pretty layout of the parsed rows.
const UNUSUAL_PAGE: &str = concat!(
    "{ \"data\" : [\n",
    "  {\"TraceId\":\"a\\u0062c\",\"SpanName\":\"GET \\/x\\ty\",\"Duration\":1E5,",
    "\"SpanAttributes\":{\"k\":1,\"k\":[true,null,-0.5e-3],\"\\u006b2\":{}}},\n",
    "  {\"TraceId\" : \"d\",\t\"SpanName\":\"\\ud83d\\ude00 \\\"q\\\"\",\"Duration\":[ ]}\n",
    "], \"nextCursor\": null }"
);

/// What Node 18 prints for [`UNUSUAL_PAGE`]: `JSON.stringify(JSON.parse(page).data, null, 2)`
/// and a newline. Numbers are doubles there: `1E5` is `100000`, `-0.5e-3` is `-0.0005`.
const UNUSUAL_PAGE_IN_NODE: &str = "[\n  {\n    \"TraceId\": \"abc\",\n    \"SpanName\": \"GET /x\\ty\",\n    \"Duration\": 100000,\n    \"SpanAttributes\": {\n      \"k\": [\n        true,\n        null,\n        -0.0005\n      ],\n      \"k2\": {}\n    }\n  },\n  {\n    \"TraceId\": \"d\",\n    \"SpanName\": \"😀 \\\"q\\\"\",\n    \"Duration\": []\n  }\n]\n";

#[tokio::test]
async fn unusual_spellings_print_as_the_node_cli_prints_them() {
    let server = serve("POST", TRACES_SEARCH, json_response(UNUSUAL_PAGE)).await;
    let answer: Value = serde_json::from_str(UNUSUAL_PAGE).unwrap();
    let out = kopai_at(&server.uri(), &words("traces search --json"));
    assert_ok(&out);
    assert_eq!(out.stdout, UNUSUAL_PAGE_IN_NODE);

    // With -f, each row keeps its own key order, and `-o ndjson` is one compact row a line.
    let out = kopai_at(
        &server.uri(),
        &words("traces search --json -f SpanName,TraceId"),
    );
    assert_ok(&out);
    let picked: Vec<Value> = answer["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| serde_json::json!({"TraceId": row["TraceId"], "SpanName": row["SpanName"]}))
        .collect();
    assert_eq!(out.stdout, pretty(&Value::Array(picked.clone())));
    let out = kopai_at(
        &server.uri(),
        &words("traces search -o ndjson -f SpanName,TraceId"),
    );
    assert_ok(&out);
    let lines: Vec<String> = picked.iter().map(|row| row.to_string() + "\n").collect();
    assert_eq!(out.stdout, lines.concat());
}

/// `-o ndjson` without `-f` copies a compact row as the server wrote it only when Node would
/// print it the same: each row here differs from that in one way only (an escape, a number, a
/// repeated key, a space) and is printed as Node prints it; the last is copied as it is.
#[tokio::test]
async fn ndjson_copies_a_row_only_when_node_prints_it_the_same() {
    let rows = [
        (r#"{"TraceId":"a\u0062c"}"#, r#"{"TraceId":"abc"}"#),
        (r#"{"SpanName":"GET \/x"}"#, r#"{"SpanName":"GET /x"}"#),
        (r#"{"Duration":1E5}"#, r#"{"Duration":100000}"#),
        (r#"{"k":1,"k":[2]}"#, r#"{"k":[2]}"#),
        (r#"{"k": 1}"#, r#"{"k":1}"#),
        (
            r#"{"a":"\n\u0001\"","b":[1.5,-2,{}],"c":null}"#,
            r#"{"a":"\n\u0001\"","b":[1.5,-2,{}],"c":null}"#,
        ),
    ];
    let data: Vec<&str> = rows.iter().map(|(raw, _)| *raw).collect();
    let page = format!("{{\"data\":[{}],\"nextCursor\":null}}", data.join(","));
    let server = serve("POST", TRACES_SEARCH, json_response(&page)).await;
    let out = kopai_at(&server.uri(), &words("traces search -o ndjson"));
    assert_ok(&out);
    let printed: Vec<String> = rows.iter().map(|(_, node)| format!("{node}\n")).collect();
    assert_eq!(out.stdout, printed.concat());
}

#[tokio::test]
async fn a_page_broken_after_its_first_rows_prints_none_of_them() {
    // Rows are printed only once the whole page is known to be JSON.
    let broken = UNUSUAL_PAGE.replace("\"nextCursor\": null }", "\"nextCursor\": nul }");
    let server = serve("POST", TRACES_SEARCH, json_response(&broken)).await;
    for format in ["--json", "-o ndjson", "--table"] {
        let out = kopai_at(&server.uri(), &words(&format!("traces search {format}")));
        assert_failed(&out, 1);
        assert_eq!(out.stdout, "", "{format}");
        // JSON formats report the error as a JSON object on stderr, a table as a line.
        let message = format!(
            "unexpected response from {}/signals/traces/search: not valid JSON: ",
            server.uri()
        );
        assert!(out.stderr.contains(&message), "{format}: {}", out.stderr);
        assert_eq!(out.stderr.lines().count(), 1, "{format}: {}", out.stderr);
    }
}
