//! -f/--fields: forgiving names, and an unknown one lists the fields.

use super::*;

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
