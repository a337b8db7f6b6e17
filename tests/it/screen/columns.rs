//! Tables drop what carries no information before cutting what does: the column a filter
//! makes the same in every row, a column empty in every row; the span table shows the status
//! message, cut before the span name.

use super::*;

const SPANS: &str = "/signals/traces/search";
const LOGS: &str = "/signals/logs/search";

fn headers(screen: &str) -> Vec<String> {
    owned_words(screen.lines().next().unwrap_or_default())
}

#[tokio::test]
async fn a_filtered_column_is_left_out() {
    let spans = serve_fixture("POST", SPANS, "traces-search-page1.json").await;
    let logs = serve_fixture("POST", LOGS, "logs-search-error.json").await;
    let trace = "--trace-id 5b8efff798038103d269b633813fc60c";
    let cases = [
        (&spans, "traces search", "SERVICE", true),
        (
            &spans,
            "traces search --service checkout-api",
            "SERVICE",
            false,
        ),
        (&spans, "traces search", "TRACE", true),
        (&spans, &format!("traces search {trace}"), "TRACE", false),
        (&logs, "logs search -t", "SERVICE", true),
        (&logs, "logs search -t -s payment-service", "SERVICE", false),
        (&logs, "logs search -t", "TRACE", true),
        (&logs, &format!("logs search -t {trace}"), "TRACE", false),
    ];
    for (server, line, column, shown) in cases {
        let screen = screen(&server.uri(), line, 120, "UTC", &[]);
        let headers = headers(&screen);
        assert_eq!(
            headers.contains(&column.to_owned()),
            shown,
            "{line}: {column}\n{screen}"
        );
        assert!(headers.contains(&"TIME".to_owned()), "{line}\n{screen}");
    }
}

/// Logs without trace context: no TRACE column of blanks. With `--all` later pages could fill
/// it, so it stays.
#[tokio::test]
async fn a_column_empty_in_every_row_is_left_out_unless_more_pages_follow() {
    let mut page = fixture_json("logs-search-error.json");
    for row in page["data"].as_array_mut().unwrap() {
        row["TraceId"] = json!("");
    }
    page["nextCursor"] = Value::Null;
    let server = serve("POST", LOGS, json_response(&page.to_string())).await;
    let one_page = screen(&server.uri(), "logs search -t", 120, "UTC", &[]);
    assert_eq!(
        headers(&one_page),
        ["TIME", "SEVERITY", "SERVICE", "BODY"],
        "{one_page}"
    );
    let all = screen(&server.uri(), "logs search -t --all", 120, "UTC", &[]);
    assert!(headers(&all).contains(&"TRACE".to_owned()), "{all}");
}

/// The whole first page decides: one trace ID in its last row keeps the column.
#[tokio::test]
async fn a_value_late_in_the_first_page_keeps_its_column() {
    let captured = fixture_json("logs-search-error.json");
    let mut rows = Vec::new();
    for n in 0..300 {
        let mut row = captured["data"][0].clone();
        row["TraceId"] = json!(if n == 299 { TRACE_ID } else { "" });
        rows.push(row);
    }
    let page = json!({"data": rows, "nextCursor": null}).to_string();
    let server = serve("POST", LOGS, json_response(&page)).await;
    let shown = screen(&server.uri(), "logs search -t --limit 300", 120, "UTC", &[]);
    assert!(headers(&shown).contains(&"TRACE".to_owned()), "{shown}");
    assert!(shown.contains(&TRACE_ID[..8]), "{shown}");
}

/// The span table gains the status message; on a narrow terminal it is cut before the name.
#[tokio::test]
async fn the_span_table_shows_the_status_message() {
    let server = serve_fixture("POST", SPANS, "traces-search-error.json").await;
    for columns in [60, 80, 120] {
        let shown = screen(&server.uri(), "traces search", columns, "UTC", &[]);
        assert_fits(&shown, columns as usize);
        assert!(shown.contains("charge-card"), "the name whole: {shown}");
        insta::assert_snapshot!(format!("span_messages_{columns}"), shown);
    }
    let at_80 = screen(&server.uri(), "traces search", 80, "UTC", &[]);
    assert!(at_80.contains("  card declin…"), "{at_80}");
    let wide = screen(&server.uri(), "traces search", 140, "UTC", &[]);
    assert!(
        wide.contains("  card declined: insufficient_funds  "),
        "{wide}"
    );
}
