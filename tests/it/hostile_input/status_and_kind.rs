//! --status and --kind filters find rows on every backend, whatever it spells them.

use super::*;

/// A fake backend holding one error span in its own spelling: the probe (`{"limit":1}`) gets
/// it, and a search matches `statusCode`/`spanKind` exactly, as the server does.
struct Backend {
    status: &'static str,
    kind: &'static str,
}

impl Respond for Backend {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let span = json!({"SpanId": "e1", "StatusCode": self.status, "SpanKind": self.kind});
        let matches = |key: &str, stored: &str| body.get(key).is_none_or(|v| v == stored);
        let rows = if matches("statusCode", self.status) && matches("spanKind", self.kind) {
            vec![span]
        } else {
            vec![]
        };
        json_response(&json!({"data": rows, "nextCursor": null}).to_string())
    }
}

async fn search_on(backend: Backend, flags: &[&str]) -> (Output, Vec<Value>) {
    let server = serve("POST", TRACES_SEARCH, backend).await;
    let out = kopai_at(
        &server.uri(),
        &[&["traces", "search", "--json"], flags].concat(),
    );
    (out, bodies(&server).await)
}

fn found(out: &Output) -> usize {
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows: Value = serde_json::from_str(&out.stdout).unwrap();
    rows.as_array().unwrap().len()
}

#[tokio::test]
async fn friendly_statuses_and_kinds_find_rows_on_both_backends() {
    let otlp = || Backend {
        status: "STATUS_CODE_ERROR",
        kind: "SPAN_KIND_SERVER",
    };
    let clickhouse = || Backend {
        status: "Error",
        kind: "Server",
    };
    for flags in [
        ["--status-code", "error"],
        ["--status-code", "ERROR"],
        ["--span-kind", "server"],
        ["--span-kind", "sErVeR"],
    ] {
        for (backend, status, kind) in [
            (otlp(), "STATUS_CODE_ERROR", "SPAN_KIND_SERVER"),
            (clickhouse(), "Error", "Server"),
        ] {
            let (out, sent) = search_on(backend, &flags).await;
            assert_eq!(found(&out), 1, "{flags:?} on {status}");
            // One probe, then the search in this server's spelling.
            assert_eq!(sent.len(), 2, "{flags:?}");
            assert_eq!(sent[0], json!({"limit": 1}));
            let key = if flags[0] == "--status-code" {
                "statusCode"
            } else {
                "spanKind"
            };
            let expected = if key == "statusCode" { status } else { kind };
            assert_eq!(sent[1][key], expected, "{flags:?}");
        }
    }
}

#[tokio::test]
async fn stored_spellings_are_sent_unchanged_without_a_probe() {
    for (flags, expected) in [
        (["--status-code", "Error"], "Error"),
        (["--status-code", "STATUS_CODE_ERROR"], "STATUS_CODE_ERROR"),
        (["--span-kind", "Server"], "Server"),
        (["--span-kind", "SPAN_KIND_SERVER"], "SPAN_KIND_SERVER"),
    ] {
        let backend = Backend {
            status: "Error",
            kind: "Server",
        };
        let (out, sent) = search_on(backend, &flags).await;
        let hits = found(&out);
        assert_eq!(sent.len(), 1, "{flags:?}: no probe");
        let key = if flags[0] == "--status-code" {
            "statusCode"
        } else {
            "spanKind"
        };
        assert_eq!(sent[0][key], expected);
        // The ClickHouse spelling finds the ClickHouse row; the OTLP one (rightly) does not.
        assert_eq!(hits, usize::from(!expected.contains('_')), "{flags:?}");
    }
}

#[tokio::test]
async fn an_empty_server_gets_the_otlp_spelling() {
    let server = serve(
        "POST",
        TRACES_SEARCH,
        json_response(r#"{"data":[],"nextCursor":null}"#),
    )
    .await;
    let out = kopai_at(
        &server.uri(),
        &[
            "traces",
            "search",
            "--json",
            "--status-code",
            "ok",
            "--span-kind",
            "client",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let sent = bodies(&server).await;
    assert_eq!(sent.len(), 2, "one probe for both flags");
    assert_eq!(
        (&sent[1]["statusCode"], &sent[1]["spanKind"]),
        (&json!("STATUS_CODE_OK"), &json!("SPAN_KIND_CLIENT"))
    );
}

#[test]
fn unknown_statuses_and_kinds_are_usage_errors() {
    let out = kopai_at(
        "http://127.0.0.1:9",
        &["traces", "search", "--status-code", "broken"],
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--status-code"), "{}", out.stderr);
    let out = kopai_at(
        "http://127.0.0.1:9",
        &["traces", "search", "--span-kind", "Sideways"],
    );
    assert_eq!(out.code, 2);
}
