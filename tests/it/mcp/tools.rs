//! Each tool against the fake server's captured answers: what it sends, what it returns.

use serde_json::{json, Value};

use super::*;

#[tokio::test]
async fn the_tool_list_is_read_only_and_closed_and_has_no_query_on_an_older_server() {
    let server = server_with(&[]).await;
    let mut session = Session::start(&server.uri(), &[]);
    let answer = session.request("tools/list", json!({}));
    let tools = answer["result"]["tools"].as_array().unwrap().clone();
    for tool in &tools {
        let hints = &tool["annotations"];
        assert_eq!(hints["readOnlyHint"], true, "{tool}");
        assert_eq!(hints["idempotentHint"], true, "{tool}");
        assert_eq!(hints["openWorldHint"], false, "{tool}");
        assert_eq!(tool["inputSchema"]["additionalProperties"], false, "{tool}");
    }
    insta::assert_snapshot!(
        "mcp_tool_list",
        serde_json::to_string_pretty(&tools).unwrap()
    );
    assert!(!session.tool_names().contains(&"query".to_owned()));
    let query = json!({"signal": "logs", "mode": "raw", "timeDimension": {"type": "relative", "lookback": "1h"}});
    let unsupported = session.error("query", json!({"query": query}));
    assert_eq!(unsupported["error"], "unsupported", "{unsupported}");
    let (code, _) = session.close();
    assert_eq!(code, 0);
}

#[tokio::test]
async fn services_and_operations_name_what_there_is() {
    let server = server_with(&[
        ("GET", "/signals/services", fixture_ok("services.json")),
        (
            "GET",
            "/signals/traces/operations",
            fixture_ok("traces-operations.json"),
        ),
    ])
    .await;
    let mut session = Session::start(&server.uri(), &[]);
    let services = session.ok("services", json!({}));
    assert_eq!(
        services["services"],
        fixture_json("services.json")["services"]
    );
    let operations = session.ok("operations", json!({"serviceName": "checkout api"}));
    assert_eq!(
        operations["operations"],
        fixture_json("traces-operations.json")["operations"]
    );
    let sent = requests(&server).await;
    let asked = sent
        .iter()
        .find(|r| r.url.path() == "/signals/traces/operations")
        .unwrap();
    assert_eq!(asked.url.query(), Some("serviceName=checkout+api"));
    assert_eq!(session.close().0, 0);
}

#[tokio::test]
async fn search_traces_sends_rest_names_and_friendly_times_and_says_where_it_stopped() {
    let route = "/signals/traces/search";
    let server = server_with(&[("POST", route, fixture_ok("traces-search-page1.json"))]).await;
    let mut session = Session::start(&server.uri(), &[]);
    let page = session.ok(
        "search_traces",
        json!({"serviceName": "checkout-api", "statusCode": "STATUS_CODE_ERROR", "since": "1h",
               "durationMin": "250ms", "limit": 8, "fields": ["SpanName", "Duration"]}),
    );
    let rows = data("traces-search-page1.json");
    assert_eq!(page["rowCount"], 8);
    assert_eq!(
        page["rows"][0],
        json!({"SpanName": rows[0]["SpanName"], "Duration": rows[0]["Duration"]})
    );
    assert_eq!(page["truncated"], true);
    assert_eq!(
        page["nextCursor"],
        fixture_json("traces-search-page1.json")["nextCursor"]
    );
    assert!(page["note"].as_str().unwrap().contains("cursor"), "{page}");
    let body = &bodies_at(&server, route).await[0];
    assert_eq!(body["serviceName"], "checkout-api");
    assert_eq!(body["statusCode"], "STATUS_CODE_ERROR");
    assert_eq!(body["durationMin"], "250000000");
    assert_eq!(body["limit"], 8);
    let since: u128 = body["timestampMin"].as_str().unwrap().parse().unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    assert!(
        now - since >= 3_600_000_000_000 && now - since < 3_700_000_000_000,
        "{body}"
    );
    assert!(
        body.get("fields").is_none() && body.get("since").is_none(),
        "{body}"
    );
    assert_eq!(session.close().0, 0);
}

#[tokio::test]
async fn get_trace_returns_the_waterfall_as_text_and_the_rows() {
    let trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    let server = server_with(&[
        (
            "GET",
            "/signals/traces/4bf92f3577b34da6a3ce929d0e0e4736",
            fixture_ok("traces-get.json"),
        ),
        (
            "GET",
            "/signals/traces/00000000000000000000000000000000",
            fixture_ok("traces-get-missing.json"),
        ),
    ])
    .await;
    let mut session = Session::start(&server.uri(), &[]);
    let answer = session.ok("get_trace", json!({"traceId": trace}));
    assert_eq!(answer["spanCount"], 7);
    assert_eq!(answer["rows"], fixture_json("traces-get.json"));
    let waterfall = answer["waterfall"].as_str().unwrap();
    insta::assert_snapshot!("mcp_get_trace_waterfall", waterfall);
    assert!(
        !waterfall.contains('█') && !waterfall.contains('\u{1b}'),
        "{waterfall}"
    );
    let lean = session.ok("get_trace", json!({"traceId": trace, "includeRows": false}));
    assert!(lean.get("rows").is_none(), "{lean}");
    let missing = session.error(
        "get_trace",
        json!({"traceId": "00000000000000000000000000000000"}),
    );
    assert_eq!(missing["error"], "not_found");
    assert_eq!(session.close().0, 0);
}

#[tokio::test]
async fn logs_summaries_and_metrics_search_their_routes() {
    let server = server_with(&[
        (
            "POST",
            "/signals/logs/search",
            fixture_ok("logs-search.json"),
        ),
        (
            "POST",
            "/signals/traces/summaries",
            fixture_ok("traces-summaries.json"),
        ),
        (
            "POST",
            "/signals/metrics/search",
            fixture_ok("metrics-search-gauge.json"),
        ),
        (
            "GET",
            "/signals/metrics/discover",
            fixture_ok("metrics-discover.json"),
        ),
    ])
    .await;
    let mut session = Session::start(&server.uri(), &[]);
    let logs = session.ok(
        "search_logs",
        json!({"severityNumberMin": 17, "bodyContains": "timeout"}),
    );
    assert_eq!(logs["rows"], data("logs-search.json"));
    let summaries = session.ok("trace_summaries", json!({"limit": 20}));
    assert_eq!(summaries["rows"], data("traces-summaries.json"));
    assert_eq!(summaries["truncated"], false);
    let points = session.ok(
        "search_metrics",
        json!({"metricType": "gauge", "metricName": "process.memory.usage"}),
    );
    assert_eq!(points["rows"], data("metrics-search-gauge.json"));
    let all = fixture_json("metrics-discover.json")["metrics"].clone();
    let found = session.ok("discover_metrics", json!({}));
    assert_eq!(found["metrics"], all);
    let first = all[0]["name"].as_str().unwrap().to_uppercase();
    let narrowed = session.ok("discover_metrics", json!({"metricName": first}));
    assert!(narrowed["count"].as_u64().unwrap() >= 1);
    assert!(
        narrowed["count"].as_u64().unwrap() < all.as_array().unwrap().len() as u64
            || all.as_array().unwrap().len() == 1
    );
    assert_eq!(
        bodies_at(&server, "/signals/logs/search").await[0],
        json!({"bodyContains": "timeout", "severityNumberMin": 17, "limit": 100})
    );
    assert_eq!(
        bodies_at(&server, "/signals/metrics/search").await[0]["metricType"],
        "Gauge"
    );
    assert_eq!(session.close().0, 0);
}

#[tokio::test]
async fn dashboards_are_listed_and_fetched_by_id() {
    let id = fixture_json("dashboards-get.json")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let server = server_with(&[
        (
            "POST",
            "/dashboards/search",
            fixture_ok("dashboards-search.json"),
        ),
        (
            "GET",
            &format!("/dashboards/{id}"),
            fixture_ok("dashboards-get.json"),
        ),
        (
            "GET",
            "/dashboards/nope",
            fixture_response(404, "error-404-post.json"),
        ),
    ])
    .await;
    let mut session = Session::start(&server.uri(), &[]);
    let list = session.ok("dashboards_list", json!({"fields": ["id", "name"]}));
    assert_eq!(list["rowCount"], 2);
    assert_eq!(keys(&list["rows"][0]), ["id", "name"]);
    let one = session.ok("dashboard_get", json!({"id": id}));
    assert_eq!(one["dashboard"], fixture_json("dashboards-get.json"));
    let missing = session.error("dashboard_get", json!({"id": "nope"}));
    assert_eq!(missing["error"], "not_found");
    assert_eq!(session.close().0, 0);
}

#[tokio::test]
async fn query_is_listed_and_run_where_the_server_has_kopaiquery() {
    let rows: Vec<Value> = (0..3)
        .map(|i| json!({"service.name": format!("s{i}"), "requests": i}))
        .collect();
    let server = server_with(&[
        (
            "POST",
            "/signals/query/traces/raw",
            json_response(r#"{"data":[],"nextCursor":null}"#),
        ),
        (
            "POST",
            "/signals/query/traces/aggregate",
            json_response(&json!({"data": rows}).to_string()),
        ),
    ])
    .await;
    let mut session = Session::start(&server.uri(), &[]);
    assert!(session.tool_names().contains(&"query".to_owned()));
    let query = json!({"signal": "traces", "mode": "aggregate",
        "measures": [{"op": "COUNT", "as": "requests"}], "dimensions": ["service.name"],
        "timeDimension": {"type": "relative", "lookback": "1h"}, "output": {"type": "summary"}});
    let answer = session.ok("query", json!({"query": query}));
    assert_eq!(answer["rows"], json!(rows));
    // Sent with one row more than the limit, to see an aggregate that would be cut off.
    assert_eq!(
        bodies_at(&server, "/signals/query/traces/aggregate").await[0]["limit"],
        501
    );
    let mut small = query.clone();
    small["limit"] = json!(2);
    let refused = session.error("query", json!({"query": small}));
    assert_eq!(refused["error"], "result_too_large");
    assert!(
        refused["remedies"][0]
            .as_str()
            .unwrap()
            .starts_with("group by fewer"),
        "{refused}"
    );
    assert_eq!(session.close().0, 0);
}

#[tokio::test]
async fn a_raw_query_pages_like_the_searches_and_a_bad_signal_is_refused_before_sending() {
    let page = fixture_json("traces-search-limit3.json");
    let server = server_with(&[(
        "POST",
        "/signals/query/traces/raw",
        json_response(&page.to_string()),
    )])
    .await;
    let mut session = Session::start(&server.uri(), &[]);
    let query = json!({"signal": "traces", "mode": "raw", "timeDimension": {"type": "relative", "lookback": "1h"}});
    let answer = session.ok("query", json!({"query": query}));
    assert_eq!(answer["rows"], page["data"]);
    assert_eq!(answer["nextCursor"], page["nextCursor"]);
    let bodies = bodies_at(&server, "/signals/query/traces/raw").await;
    assert_eq!(bodies.last().unwrap()["limit"], 100);
    let before = bodies.len();
    let wrong = session.error(
        "query",
        json!({"query": {"signal": "spans", "mode": "raw"}}),
    );
    assert_eq!(wrong["error"], "invalid_input");
    let over = session.error(
        "query",
        json!({"query": {"signal": "logs", "mode": "raw", "limit": 201}}),
    );
    assert!(
        over["message"].as_str().unwrap().contains("1 to 200"),
        "{over}"
    );
    assert_eq!(
        bodies_at(&server, "/signals/query/traces/raw").await.len(),
        before
    );
    assert_eq!(session.close().0, 0);
}
