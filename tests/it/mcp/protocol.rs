//! The server as a long-running process: malformed messages, overlapping calls, slow servers,
//! errors the model can act on, and a clean end when stdin closes.

use std::time::Duration;

use serde_json::json;

use super::*;

#[tokio::test]
async fn a_malformed_message_gets_a_json_rpc_error_and_the_server_goes_on() {
    let server = server_with(&[("GET", "/signals/services", fixture_ok("services.json"))]).await;
    let mut session = Session::start(&server.uri(), &[]);
    session.send_raw("{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\"");
    let error = session.recv();
    assert_eq!(error["error"]["code"], -32700, "{error}");
    assert_eq!(error["id"], json!(null));
    session.send_raw(r#"{"hello": "not a JSON-RPC message"}"#);
    let invalid = session.recv();
    assert_eq!(invalid["error"]["code"], -32600, "{invalid}");
    assert_eq!(
        invalid["id"],
        json!(null),
        "JSON-RPC wants the id, null: {invalid}"
    );
    session.send_raw(r#"{"jsonrpc": "2.0", "id": 8, "method": "no/such/method"}"#);
    let unknown = session.recv();
    assert_eq!(unknown["id"], 8);
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    let services = session.ok("services", json!({}));
    assert_eq!(services["count"], 2);
    assert_eq!(session.close().0, 0);
}

#[tokio::test]
async fn stdin_closing_before_initialize_ends_cleanly() {
    let session = Session::spawn("http://127.0.0.1:9", &[]);
    let (code, _) = session.close();
    assert_eq!(code, 0);
}

#[tokio::test]
async fn calls_overlap_a_slow_one_does_not_hold_up_the_next() {
    let server = slow_services(Duration::from_secs(3)).await;
    let mut session = Session::start(&server.uri(), &[]);
    let first = session.send("tools/call", json!({"name": "services", "arguments": {}}));
    let second = session.send(
        "tools/call",
        json!({"name": "operations", "arguments": {"serviceName": "a"}}),
    );
    let answers = [session.recv(), session.recv()];
    assert_eq!(answers[0]["id"], second, "the quick call answers first");
    assert_eq!(answers[1]["id"], first);
    assert_eq!(answers[1]["result"]["structuredContent"]["count"], 2);
    assert_eq!(session.close().0, 0);
}

#[tokio::test]
async fn a_slow_server_times_out_per_call_with_timeout() {
    let server = slow_services(Duration::from_secs(30)).await;
    let mut session = Session::start(&server.uri(), &["--timeout", "500ms"]);
    let error = session.error("services", json!({}));
    assert_eq!(error["error"], "upstream_error");
    assert!(
        error["message"].as_str().unwrap().contains("no answer"),
        "{error}"
    );
    let operations = session.ok("operations", json!({"serviceName": "a"}));
    assert_eq!(operations["count"], 10);
    assert_eq!(session.close().0, 0);
}

#[tokio::test]
async fn unknown_arguments_are_refused_with_did_you_mean() {
    let server = server_with(&[]).await;
    let mut session = Session::start(&server.uri(), &[]);
    let error = session.error("search_traces", json!({"trace_id": "abc", "filter": {}}));
    assert_eq!(error["error"], "invalid_input");
    assert_eq!(
        error["issues"],
        json!([
            "unknown argument `trace_id`: did you mean `traceId`?",
            "unknown argument `filter`"
        ])
    );
    let missing = session.error("operations", json!({}));
    assert_eq!(missing["message"], "`serviceName` is required");
    let none = session.error("services", json!({"x": 1}));
    assert_eq!(none["remedies"], json!(["this tool takes no arguments"]));
    asked_only_the_probe(&server).await;
    assert_eq!(session.close().0, 0);
}

#[tokio::test]
async fn server_errors_become_kinds_an_agent_can_act_on_and_the_token_stays_hidden() {
    let hostile = json!({"type": "x", "status": 400, "title": "Invalid data",
        "detail": format!("body/limit \u{1b}]0;pwned\u{7} bad {TOKEN}")});
    let server = server_with(&[
        (
            "POST",
            "/signals/logs/search",
            ResponseTemplate::new(400).set_body_json(hostile),
        ),
        ("GET", "/signals/services", ResponseTemplate::new(401)),
        (
            "POST",
            "/signals/traces/summaries",
            ResponseTemplate::new(500).set_body_string("boom"),
        ),
    ])
    .await;
    let mut session = Session::start(&server.uri(), &["--verbose"]);
    let invalid = session.error("search_logs", json!({}));
    assert_eq!(invalid["error"], "invalid_input");
    let issue = invalid["issues"][0].as_str().unwrap();
    assert!(
        !issue.contains('\u{1b}') && !issue.contains('\u{7}'),
        "{issue}"
    );
    assert!(!issue.contains(TOKEN), "{issue}");
    let unauthorized = session.error("services", json!({}));
    assert_eq!(unauthorized["error"], "unauthorized");
    let upstream = session.error("trace_summaries", json!({}));
    assert_eq!(upstream["error"], "upstream_error");
    let sent = requests(&server).await;
    assert!(sent
        .iter()
        .all(|r| r.headers.get("authorization").is_some()));
    let (code, stderr) = session.close();
    assert_eq!(code, 0);
    assert!(
        stderr.contains("kpi_live_0"),
        "--verbose shows the token's prefix: {stderr}"
    );
}

/// `services` answers after `delay`; `operations` at once.
async fn slow_services(delay: Duration) -> MockServer {
    let slow = fixture_ok("services.json").set_delay(delay);
    let operations = fixture_ok("traces-operations.json");
    server_with(&[
        ("GET", "/signals/services", slow),
        ("GET", "/signals/traces/operations", operations),
    ])
    .await
}

#[tokio::test]
async fn a_message_over_16_mib_is_refused_and_the_server_goes_on() {
    let server = server_with(&[("GET", "/signals/services", fixture_ok("services.json"))]).await;
    let mut session = Session::start(&server.uri(), &[]);
    let huge = format!(
        r#"{{"jsonrpc": "2.0", "id": 3, "method": "x", "params": "{}"}}"#,
        "a".repeat(17 << 20)
    );
    session.send_raw(&huge);
    let refused = session.recv();
    assert_eq!(refused["error"]["code"], -32600, "{refused}");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("over"),
        "{refused}"
    );
    assert_eq!(session.ok("services", json!({}))["count"], 2);
    assert_eq!(session.close().0, 0);
}
