//! Results sized for a model's context: caps refused, never lowered; over-size refused with
//! remedies.

use serde_json::{json, Value};

use super::*;

#[tokio::test]
async fn a_limit_over_the_cap_is_refused_and_nothing_is_asked() {
    let server = server_with(&[]).await;
    let mut session = Session::start(&server.uri(), &[]);
    let refused = session.error("search_traces", json!({"limit": 201}));
    assert_eq!(refused["error"], "invalid_input");
    assert!(
        refused["message"].as_str().unwrap().contains("cap of 200"),
        "{refused}"
    );
    let aggregate = session.error(
        "search_metrics",
        json!({"metricType": "Sum", "aggregate": "sum", "limit": 501}),
    );
    assert!(
        aggregate["message"]
            .as_str()
            .unwrap()
            .contains("cap of 500"),
        "{aggregate}"
    );
    asked_only_the_probe(&server).await;
    assert_eq!(session.close().0, 0);
}

#[tokio::test]
async fn an_aggregate_over_its_limit_is_refused_without_rows() {
    let groups = fixture_json("metrics-aggregate-groupby.json");
    let server = server_with(&[(
        "POST",
        "/signals/metrics/search",
        json_response(&groups.to_string()),
    )])
    .await;
    let mut session = Session::start(&server.uri(), &[]);
    let args =
        json!({"metricType": "Sum", "aggregate": "sum", "groupBy": ["http.route"], "limit": 1});
    let refused = session.error("search_metrics", args);
    assert_eq!(refused["error"], "result_too_large");
    assert!(
        refused["remedies"][0].as_str().unwrap().contains("groupBy"),
        "{refused}"
    );
    assert_eq!(
        bodies_at(&server, "/signals/metrics/search").await[0]["limit"],
        2
    );
    let whole = session.ok(
        "search_metrics",
        json!({"metricType": "Sum", "aggregate": "sum", "groupBy": ["http.route"]}),
    );
    assert_eq!(whole["rows"], groups["data"]);
    assert_eq!(session.close().0, 0);
}

#[tokio::test]
async fn an_over_size_result_is_refused_with_remedies_by_cause() {
    let row = |i: usize| json!({"Timestamp": i.to_string(), "Body": "x".repeat(1_000), "ServiceName": "s"});
    let rows: Vec<Value> = (0..200).map(row).collect();
    let page = json!({"data": rows, "nextCursor": null});
    let server = server_with(&[(
        "POST",
        "/signals/logs/search",
        json_response(&page.to_string()),
    )])
    .await;
    let mut session = Session::start(&server.uri(), &[]);
    let refused = session.error("search_logs", json!({"limit": 200}));
    assert_eq!(refused["error"], "result_too_large");
    let remedies: Vec<&str> = refused["remedies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(
        remedies[0].starts_with("ask for fewer rows: `limit` 1"),
        "{remedies:?}"
    );
    assert!(remedies[1].contains("`fields`"), "{remedies:?}");
    let lean = session.ok(
        "search_logs",
        json!({"limit": 200, "fields": ["Timestamp"]}),
    );
    assert_eq!(lean["rowCount"], 200);
    assert_eq!(session.close().0, 0);
}
