//! --all clears its progress line; a slow answer shows a spinner on a terminal only.

use super::*;

/// Page 1 → page 2 → an empty last page.
async fn three_pages() -> MockServer {
    let server = MockServer::start().await;
    let page1 = fixture("traces-search-page1.json");
    let cursor1: Value = serde_json::from_str::<Value>(&page1).unwrap()["nextCursor"].clone();
    let page2 = fixture("traces-search-page2.json");
    let cursor2: Value = serde_json::from_str::<Value>(&page2).unwrap()["nextCursor"].clone();
    for (cursor, body) in [
        (cursor2, r#"{"data":[],"nextCursor":null}"#.to_owned()),
        (cursor1, page2),
    ] {
        Mock::given(method("POST"))
            .and(body_partial_json(json!({ "cursor": cursor })))
            .respond_with(json_response(&body))
            .with_priority(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("POST"))
        .respond_with(json_response(&page1))
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn all_clears_its_progress_before_rows_and_keeps_them_fitted() {
    let server = three_pages().await;
    let shown = screen(&server.uri(), "traces search --all", 80, "UTC", &[]);
    assert!(shown.contains("\rFetched 8 rows…"), "{shown:?}");
    assert!(shown.contains("\rFetched 16 rows…"), "{shown:?}");
    for line in visible(&shown) {
        assert!(
            !line.contains("Fetched"),
            "progress left in a row: {line:?}\n{shown:?}"
        );
        assert!(line.chars().count() <= 80, "{line:?}");
    }
    let rows = visible(&shown)
        .iter()
        .filter(|l| l.contains(" ms") || l.contains(" s"))
        .count();
    assert!(rows >= 16, "{shown}");
}

#[tokio::test]
async fn a_slow_answer_shows_a_spinner_on_a_terminal_only() {
    let slow = ResponseTemplate::new(200)
        .set_body_raw(fixture("services.json").into_bytes(), "application/json")
        .set_delay(std::time::Duration::from_millis(1600));
    let server = serve("GET", "/signals/services", slow).await;
    let shown = screen(&server.uri(), "services", 80, "UTC", &[]);
    assert!(shown.contains("waiting for the server…"), "{shown:?}");
    let lines = visible(&shown);
    assert_eq!(
        lines[0], "SERVICE",
        "spinner cleared before output: {shown:?}"
    );

    let out = run(Sandbox::new()
        .kopai()
        .args(["services", "--table", "--url", &server.uri()]));
    assert_eq!(out.code, 0);
    assert_eq!(out.stderr, "", "no spinner in a pipe");
}
