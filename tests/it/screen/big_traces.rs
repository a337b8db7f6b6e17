//! A big trace on a screen: folded with `--depth`, `--service` and `--errors`, and one too big
//! to read described instead of drawn.

use super::*;

async fn trace_server(body: &str) -> MockServer {
    let route = format!("/signals/traces/{TRACE_ID}");
    serve("GET", &route, json_response(body)).await
}

/// `count` spans: span i hangs from span (i - 1) / 7, each level of the tree another service,
/// every 50th span an error.
fn generated_trace(count: usize) -> String {
    let services = ["checkout-api", "payment-service", "inventory"];
    let spans: Vec<Value> = (0..count)
        .map(|i| {
            let (mut depth, mut j) = (0, i);
            while j > 0 {
                j = (j - 1) / 7;
                depth += 1;
            }
            let error = i % 50 == 49;
            json!({
                "SpanId": format!("{:016x}", i + 1),
                "ParentSpanId": if i == 0 { String::new() } else { format!("{:016x}", (i - 1) / 7 + 1) },
                "TraceId": TRACE_ID,
                "SpanName": format!("op-{i}"),
                "ServiceName": services[depth % services.len()],
                "Timestamp": (1_795_820_420_000_000_000u64 + i as u64 * 1_000).to_string(),
                "Duration": (90_000_000u64 >> depth).to_string(),
                "StatusCode": if error { "STATUS_CODE_ERROR" } else { "STATUS_CODE_OK" },
                "StatusMessage": if error { "upstream failed" } else { "" },
            })
        })
        .collect();
    Value::Array(spans).to_string()
}

fn get(server: &MockServer, flags: &str) -> String {
    let line = format!("traces get {TRACE_ID} {flags}");
    let shown = screen(&server.uri(), &line, 120, "UTC", &[]);
    assert_fits(&shown, 120);
    shown.replace(&server.uri(), "[SERVER]")
}

#[tokio::test]
async fn folds_keep_what_was_asked_for_and_count_what_they_hide() {
    let server = trace_server(&fixture("traces-get.json")).await;
    for (name, flags) in [
        ("depth_2", "--depth 2"),
        ("errors", "--errors"),
        ("service", "--service payment-service"),
        (
            "service_errors_depth",
            "-s payment-service --errors --depth 4",
        ),
    ] {
        insta::assert_snapshot!(format!("fold_{name}"), get(&server, flags));
    }
}

#[tokio::test]
async fn a_trace_without_errors_says_so_when_folded_to_its_errors() {
    let mut spans: Value = serde_json::from_str(&fixture("traces-get.json")).unwrap();
    for span in spans.as_array_mut().unwrap() {
        span["StatusCode"] = json!("STATUS_CODE_OK");
    }
    let server = trace_server(&spans.to_string()).await;
    let shown = get(&server, "--errors");
    assert!(
        shown.contains("No span of this trace matches --errors (it has no errors)."),
        "{shown}"
    );
    assert!(!shown.contains("OFFSET"), "{shown}");
}

#[tokio::test]
async fn bad_folds_exit_2_naming_the_flag() {
    let server = trace_server(&fixture("traces-get.json")).await;
    let kopai = |args: &[&str]| {
        run(Sandbox::new()
            .kopai()
            .args(["traces", "get", TRACE_ID, "--url", &server.uri()])
            .args(args))
    };
    let out = kopai(&["-t", "--depth", "0"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--depth"), "{}", out.stderr);
    // Folding is for the waterfall: data is every span.
    for args in [
        &["--errors"][..],
        &["--json", "--depth", "2"],
        &["-t", "-f", "name", "--errors"],
    ] {
        let out = kopai(args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("folds the waterfall"), "{}", out.stderr);
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
    let out = kopai(&["-t", "--service", "checkout"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("--service checkout: no span of trace")
            && out.stderr.contains("checkout-api, payment-service"),
        "{}",
        out.stderr
    );
    assert_eq!(out.stdout, "");
}

#[tokio::test]
async fn a_trace_too_big_for_a_screen_offers_folds_instead_of_every_row() {
    let server = trace_server(&generated_trace(2_500)).await;
    let shown = get(&server, "");
    assert!(shown.contains("This trace has 2,500 spans"), "{shown}");
    assert!(!shown.contains("op-2499"), "{shown}");
    insta::assert_snapshot!("too_big", shown);

    // Each fold offered draws within a screen.
    let shown = get(&server, "--depth 4");
    assert!(
        shown.contains("2,100 of 2,500 spans hidden by --depth 4"),
        "{shown}"
    );
    // 400 rows, and the header names the root span.
    assert_eq!(shown.matches("op-").count(), 401, "{shown}");
    let shown = get(&server, "--errors");
    assert!(
        shown.contains("op-2499  [payment-service]  ERROR"),
        "{shown}"
    );

    // A fold that leaves too many says so, and offers the others.
    let shown = get(&server, "--service payment-service");
    assert!(
        shown.contains("--service payment-service leaves 2,451 of the trace's 2,500 spans"),
        "{shown}"
    );
    assert!(shown.contains("--errors: 50 error spans"), "{shown}");

    // Not on a screen, every row is drawn.
    let out =
        run(Sandbox::new()
            .kopai()
            .args(["traces", "get", TRACE_ID, "-t", "--url", &server.uri()]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout.matches("op-").count(), 2_501);
}
