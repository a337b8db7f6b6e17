//! `traces get` draws the trace as a waterfall.

use super::*;

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
        vec!["traces", "search", "--trace-id", "4bf92"],
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

#[tokio::test]
async fn error_messages_wrap_under_their_row_and_are_never_cut() {
    let message = "payment declined by the card issuer after 3 attempts: insufficient_funds \
                   (see https://pay.example/decline/51 for what the customer can do)";
    let mut spans: Value = serde_json::from_str(&fixture("traces-get.json")).unwrap();
    for span in spans.as_array_mut().unwrap() {
        if span["SpanName"] == "charge-card" {
            span["StatusMessage"] = json!(message);
        }
    }
    let server = trace_server(&spans.to_string()).await;
    for columns in [60, 80, 120] {
        let line = format!("traces get {TRACE_ID}");
        let shown = screen(&server.uri(), &line, columns, "UTC", &[]);
        assert_fits(&shown, columns as usize);
        // Every word of every message is on the screen, in order.
        let words: Vec<String> = visible(&shown)
            .iter()
            .flat_map(|l| owned_words(l))
            .collect();
        let screen_text = words.join(" ");
        for message in [
            message,
            "payment failed",
            "502 Bad Gateway",
            "upstream error",
        ] {
            assert!(
                screen_text.contains(message),
                "{message:?} at {columns}:\n{shown}"
            );
        }
        let shown = shown.replace(&server.uri(), "[SERVER]");
        insta::assert_snapshot!(format!("traces_get_long_error_{columns}"), shown);
    }
}

#[tokio::test]
async fn a_broken_trace_answer_is_an_unexpected_response() {
    let route = format!("/signals/traces/{TRACE_ID}");
    for (body, why) in [
        (r#"{"data": []}"#, "expected an array".to_owned()),
        (
            r#"[{"Duration": Infinity}]"#,
            "not valid JSON: expected value at byte 14".to_owned(),
        ),
        (
            r#"[{"SpanName":"a\ud800"}]"#,
            "not valid JSON: lone surrogate in a string escape at byte 15".to_owned(),
        ),
    ] {
        let server = trace_server(body).await;
        let out = run(Sandbox::new().kopai().args([
            "traces",
            "get",
            TRACE_ID,
            "-t",
            "--url",
            &server.uri(),
        ]));
        assert_eq!(out.code, 1, "{}", out.stderr);
        let expected = format!(
            "error: unexpected response from {}{route}: {why}\n",
            server.uri()
        );
        assert_eq!(out.stderr, expected);
        assert_eq!(out.stdout, "");
    }
}

#[tokio::test]
async fn a_span_without_a_start_has_no_offset_or_bar_and_moves_nothing() {
    let mut spans: Value = serde_json::from_str(&fixture("traces-get.json")).unwrap();
    let rows = spans.as_array_mut().unwrap();
    // Two malformed rows under the root among the real spans: no Timestamp, an unreadable one.
    let mut broken = rows[0].clone();
    broken["SpanName"] = json!("no-timestamp");
    broken["SpanId"] = json!("aaaaaaaaaaaaaaaa");
    broken["ParentSpanId"] = json!("00f067aa0ba902b8");
    broken.as_object_mut().unwrap().remove("Timestamp");
    let mut unreadable = broken.clone();
    unreadable["SpanName"] = json!("bad-timestamp");
    unreadable["SpanId"] = json!("bbbbbbbbbbbbbbbb");
    unreadable["Timestamp"] = json!("yesterday");
    rows.extend([broken, unreadable]);
    let server = trace_server(&spans.to_string()).await;
    for columns in [60, 120] {
        let line = format!("traces get {TRACE_ID}");
        let shown = screen(&server.uri(), &line, columns, "UTC", &[]);
        assert_fits(&shown, columns as usize);
        let lines = visible(&shown);
        let at = |text: &str| {
            lines
                .iter()
                .find(|l| l.contains(text))
                .unwrap_or_else(|| panic!("{text:?} at {columns}:\n{shown}"))
        };
        // The trace's duration and the real spans' offsets are as without the broken rows.
        assert!(shown.contains("1.52 s"), "{shown}");
        assert!(
            at("fraud-check").starts_with("  445 ms     60 ms"),
            "{shown}"
        );
        assert!(
            at("SELECT carts").starts_with("    4 ms     15 ms"),
            "{shown}"
        );
        for name in ["no-timestamp", "bad-timestamp"] {
            let row = at(name);
            assert!(row.starts_with("       ?     60 ms"), "{shown}");
            assert!(!row.contains('█'), "{shown}");
        }
    }
}
