//! `traces get ID --span SPANID`: one span's details on a terminal, its row as data.

use super::*;

async fn trace_server(body: &str) -> MockServer {
    let route = format!("/signals/traces/{TRACE_ID}");
    serve("GET", &route, json_response(body)).await
}

fn spans() -> Vec<Value> {
    serde_json::from_str(&fixture("traces-get.json")).unwrap()
}

/// The captured charge-card span: attributes, an exception and a retry event, and a link.
#[tokio::test]
async fn a_span_shows_what_the_ui_span_panel_shows() {
    let server = trace_server(&fixture("traces-get.json")).await;
    for columns in [60, 80, 120] {
        let line = format!("traces get {TRACE_ID} --span c5d6e7");
        let shown = screen(&server.uri(), &line, columns, "UTC", &[]);
        assert_fits(&shown, columns as usize);
        let link = format!(
            "{}/?service=checkout-api&trace={TRACE_ID}&span=c5d6e7f8091a2b3c",
            server.uri()
        );
        assert_eq!(visible(shown.trim_end()).last(), Some(&link), "{shown}");
        for seen in [
            "ERROR: card declined: insufficient_funds",
            "b4c5d6e7f8091a2b  POST /charge",
            "Nov 27 23:00:20.035",
            "deployment.environment",
            "CardDeclinedError: insufficient_funds",
            "at charge (payment-core/charge.js:42:11)",
            "5b8efff798038103d269b633813fc60c",
            "previous successful charge",
        ] {
            assert!(shown.contains(seen), "{seen:?} at {columns}:\n{shown}");
        }
        // Everything fits from 60 columns up, so one snapshot says it; 40 is where it wraps.
        if columns == 80 {
            insta::assert_snapshot!("span_details_80", shown.replace(&server.uri(), "[SERVER]"));
        }
    }
    let line = format!("traces get {TRACE_ID} --span c5d6e7");
    let narrow = screen(&server.uri(), &line, 40, "UTC", &[]);
    assert_fits(&narrow, 40);
    insta::assert_snapshot!("span_details_40", narrow.replace(&server.uri(), "[SERVER]"));
    // Local time unless --utc.
    let line = format!("traces get {TRACE_ID} --span c5d6e7f8091a2b3c");
    let shown = screen(&server.uri(), &line, 80, "Europe/Paris", &[]);
    assert!(
        shown.contains("Start        Nov 28 00:00:20.035"),
        "{shown}"
    );
    let shown = screen(
        &server.uri(),
        &format!("{line} --utc"),
        80,
        "Europe/Paris",
        &[],
    );
    assert!(shown.contains("Nov 27 23:00:20.035 UTC"), "{shown}");
}

/// Values are whole, wrapped under themselves; a multi-line value keeps its lines; text from
/// the server cannot drive the terminal.
#[tokio::test]
async fn long_values_wrap_whole_and_escape_sequences_are_defused() {
    let long = "SELECT id, total, currency FROM carts WHERE customer_id = $1 AND status = 'open' \
                ORDER BY updated_at DESC LIMIT 1";
    let mut spans = spans();
    for span in &mut spans {
        if span["SpanId"] == "c5d6e7f8091a2b3c" {
            span["SpanAttributes"]["db.statement"] = json!(long);
            span["SpanAttributes"]["note"] = json!("first line\nsecond line");
            span["SpanAttributes"]["evil"] = json!("\u{1b}]0;pwned\u{7}\u{1b}[2Jcleared");
            span["SpanName"] = json!("charge\u{1b}[31m-card");
        }
    }
    let server = trace_server(&json!(spans).to_string()).await;
    for columns in [60, 80, 120] {
        let line = format!("traces get {TRACE_ID} --span c5d6e7f8091a2b3c");
        let shown = screen(&server.uri(), &line, columns, "UTC", &[]);
        assert_fits(&shown, columns as usize);
        // NO_COLOR: kopai writes no escape of its own, and none of the server's goes through.
        assert!(!shown.contains('\u{1b}'), "{shown:?}");
        assert!(
            shown.contains("\u{fffd}]0;pwned\u{fffd}\u{fffd}[2Jcleared"),
            "{shown}"
        );
        assert!(shown.contains("charge\u{fffd}[31m-card"), "{shown}");
        let words: Vec<String> = visible(&shown)
            .iter()
            .flat_map(|l| owned_words(l))
            .collect();
        assert!(words.join(" ").contains(long), "at {columns}:\n{shown}");
        let lines = visible(&shown);
        let first = lines
            .iter()
            .position(|l| l.trim_start().starts_with("note ") && l.ends_with(" first line"));
        let first = first.unwrap_or_else(|| panic!("{shown}"));
        assert_eq!(lines[first + 1].trim(), "second line", "{shown}");
        // A wrapped value's lines start under its first.
        let at = lines
            .iter()
            .position(|l| l.contains("db.statement"))
            .unwrap();
        let column = lines[at].find("SELECT").unwrap();
        assert_eq!(
            lines[at + 1].len() - lines[at + 1].trim_start().len(),
            column
        );
    }
}

#[tokio::test]
async fn a_span_id_prefix_is_unique_ambiguous_or_unknown() {
    let mut spans = spans();
    let mut twin = spans[0].clone();
    twin["SpanId"] = json!("e7f8091a2b3c4dff");
    twin["SpanName"] = json!("fraud-check-retry");
    spans.push(twin);
    let server = trace_server(&json!(spans).to_string()).await;
    let get = |span: &str| {
        run(Sandbox::new().kopai().args([
            "traces",
            "get",
            TRACE_ID,
            "--span",
            span,
            "--json",
            "--url",
            &server.uri(),
        ]))
    };
    let unique = get("D6E7F8");
    assert_eq!(unique.code, 0, "{}", unique.stderr);
    assert!(unique.stdout.contains("\"SpanId\": \"d6e7f8091a2b3c4d\""));

    let ambiguous = get("e7f8091a2b");
    assert_eq!(ambiguous.code, 2, "{}", ambiguous.stderr);
    assert_eq!(ambiguous.stdout, "");
    let said = &ambiguous.stderr;
    assert!(
        said.contains(&format!(
            "span ID prefix e7f8091a2b is ambiguous in trace {TRACE_ID}"
        )),
        "{said}"
    );
    assert!(
        said.contains(
            "  e7f8091a2b3c4d5e  2026-11-27 23:00:20 UTC  fraud-check  (payment-service)"
        ),
        "{said}"
    );
    assert!(said.contains("e7f8091a2b3c4dff"), "{said}");
    assert!(said.contains("fraud-check-retry"), "{said}");

    // As text (a terminal's `-t`), one candidate a line under the one-line error.
    let out = run(Sandbox::new().kopai().args([
        "traces",
        "get",
        TRACE_ID,
        "--span",
        "e7f8091a2b",
        "-t",
        "--url",
        &server.uri(),
    ]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        format!(
            "error: span ID prefix e7f8091a2b is ambiguous in trace {TRACE_ID}; candidates:\n  \
             e7f8091a2b3c4d5e  2026-11-27 23:00:20 UTC  fraud-check  (payment-service)\n  \
             e7f8091a2b3c4dff  2026-11-27 23:00:20 UTC  fraud-check-retry  (payment-service)\n\
             hint: give more digits\n"
        )
    );

    let unknown = get("abcdef");
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    assert!(
        unknown.stderr.contains(&format!(
            "trace {TRACE_ID} has no span ID starting with abcdef"
        )),
        "{}",
        unknown.stderr
    );
    let whole = get("abcdef0123456789");
    assert_eq!(whole.code, 2, "{}", whole.stderr);
    assert!(
        whole
            .stderr
            .contains(&format!("trace {TRACE_ID} has no span abcdef0123456789")),
        "{}",
        whole.stderr
    );
    // Too short, or not hexadecimal: refused before any request.
    let asked = server.received_requests().await.unwrap().len();
    for bad in ["e7f80", "e7f8091a2b3c4d5e0", "zzzzzz"] {
        let out = get(bad);
        assert_eq!(out.code, 2, "{bad}: {}", out.stderr);
        assert!(
            out.stderr.contains("a span ID is 16 hexadecimal digits"),
            "{}",
            out.stderr
        );
    }
    assert_eq!(server.received_requests().await.unwrap().len(), asked);
}

/// As data, the span's row exactly as `traces get --json` prints it, in an array of one.
#[tokio::test]
async fn span_as_json_is_its_row_as_traces_get_prints_it() {
    let server = trace_server(&fixture("traces-get.json")).await;
    let uri = server.uri();
    let args = |extra: &[&'static str]| {
        let mut args: Vec<String> = ["traces", "get", TRACE_ID, "--url", &uri]
            .map(str::to_owned)
            .to_vec();
        args.extend(extra.iter().map(|a| a.to_string()));
        args
    };
    let all = run(Sandbox::new().kopai().args(args(&["--json"])));
    let one = run(Sandbox::new()
        .kopai()
        .args(args(&["--json", "--span", "c5d6e7f8"])));
    assert_eq!(one.code, 0, "{}", one.stderr);
    // The same bytes as the row in the whole trace's JSON, reindented as one element.
    let row_start = all
        .stdout
        .find("  {\n    \"SpanId\": \"c5d6e7f8091a2b3c\"")
        .unwrap();
    let row_end = row_start + all.stdout[row_start..].find("\n  }").unwrap() + 4;
    assert_eq!(
        one.stdout,
        format!("[\n{}\n]\n", &all.stdout[row_start..row_end])
    );
    let piped = run(Sandbox::new().kopai().args(args(&["--span", "c5d6e7f8"])));
    assert_eq!(piped.stdout, one.stdout);
    let fields = run(Sandbox::new().kopai().args(args(&[
        "--span",
        "c5d6e7f8",
        "-f",
        "SpanName,StatusMessage",
        "--json",
    ])));
    assert_eq!(
        serde_json::from_str::<Value>(&fields.stdout).unwrap(),
        json!([{"SpanName": "charge-card", "StatusMessage": "card declined: insufficient_funds"}])
    );
    // --span shows one span: the waterfall's folds do not apply.
    let folded = run(Sandbox::new()
        .kopai()
        .args(args(&["--span", "c5d6e7f8", "--errors"])));
    assert_eq!(folded.code, 2, "{}", folded.stderr);
    assert!(folded.stderr.contains("--errors"), "{}", folded.stderr);
}

/// However narrow the screen and however odd the row, the details fit and say what is there.
#[tokio::test]
async fn narrow_screens_and_odd_rows_still_fit() {
    let mut spans = spans();
    spans.push(json!({
        "SpanId": "ffffffffffffffff",
        "Events.Name": "not an array",
        "Events.Timestamp": [1, "x", null],
        "Events.Attributes": [null, {"exception.type": "E"}, 5],
        "Links.TraceId": [null],
        "SpanAttributes": [1, 2],
        "ResourceAttributes": null,
        "Duration": "-5",
        "Timestamp": "99999999999999999999999999"
    }));
    spans.push(json!(17));
    let server = trace_server(&json!(spans).to_string()).await;
    for columns in [16, 30, 40] {
        for span in ["c5d6e7", "ffffff"] {
            let line = format!("traces get {TRACE_ID} --span {span}");
            let shown = screen(&server.uri(), &line, columns, "UTC", &[]);
            assert_fits(&shown, columns as usize);
            assert!(shown.contains(&format!("&span={span}")), "{shown}");
        }
        // The offset into the trace counts from its spans that have a start.
        let line = format!("traces get {TRACE_ID} --span c5d6e7");
        let shown = screen(&server.uri(), &line, columns, "UTC", &[]);
        let words = visible(&shown)
            .iter()
            .flat_map(|l| owned_words(l))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(words.contains("(+35 ms into the trace)"), "{shown}");
        assert!(words.contains("Status ERROR: card declined:"), "{shown}");
    }
    let line = format!("traces get {TRACE_ID} --span ffffff");
    let shown = screen(&server.uri(), &line, 80, "UTC", &[]);
    assert!(
        shown.contains("Parent    none (the trace's root)"),
        "{shown}"
    );
    assert!(shown.contains("Events (3)"), "{shown}");
    assert!(!shown.contains("(this trace)"), "{shown}");
}
