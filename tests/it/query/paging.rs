//! Pagination: `--all` follows `nextCursor` to the end, and only then.

use serde_json::{json, Value};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer};

use super::*;
use crate::common::*;

fn cursor_of(name: &str) -> Value {
    fixture_json(name)["nextCursor"].clone()
}

/// A server that answers `{"limit":10}` with page 1, then the page each cursor points to.
/// The last captured page still has a cursor; it leads to an empty page.
async fn paged_server() -> MockServer {
    let server = MockServer::start().await;
    let pages = [
        (json!({"limit": 10}), fixture("traces-search-page1.json")),
        (
            json!({"limit": 10, "cursor": cursor_of("traces-search-page1.json")}),
            fixture("traces-search-page2.json"),
        ),
        (
            json!({"limit": 10, "cursor": cursor_of("traces-search-page2.json")}),
            EMPTY_PAGE.to_owned(),
        ),
    ];
    for (body, answer) in pages {
        Mock::given(method("POST"))
            .and(path(TRACES_SEARCH))
            .and(body_json(body))
            .respond_with(json_response(&answer))
            .mount(&server)
            .await;
    }
    server
}

#[tokio::test]
async fn all_follows_the_cursor_and_prints_one_array() {
    let server = paged_server().await;
    let out = kopai_at(&server.uri(), &words("traces search --all --limit 10"));
    assert_ok(&out);
    let mut rows = data("traces-search-page1.json").as_array().unwrap().clone();
    rows.extend(data("traces-search-page2.json").as_array().unwrap().clone());
    assert_eq!(out.stdout, pretty(&Value::Array(rows)));
    assert_eq!(out.stderr, "");
    assert_eq!(
        bodies(&server).await,
        [
            json!({"limit": 10}),
            json!({"limit": 10, "cursor": cursor_of("traces-search-page1.json")}),
            json!({"limit": 10, "cursor": cursor_of("traces-search-page2.json")}),
        ]
    );
}

#[tokio::test]
async fn without_all_only_the_first_page_is_fetched() {
    let server = paged_server().await;
    let out = kopai_at(&server.uri(), &words("traces search --limit 10"));
    assert_ok(&out);
    assert_eq!(out.stdout, pretty(&data("traces-search-page1.json")));
    assert_eq!(bodies(&server).await, [json!({"limit": 10})]);
}

#[tokio::test]
async fn a_failing_later_page_fails_the_command() {
    // Only page 1 is answered; the request for page 2 gets a 404. The rows of page 1 have been
    // streamed by then, so only the exit code and stderr are checked.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TRACES_SEARCH))
        .and(body_json(json!({})))
        .respond_with(json_response(&fixture("traces-search-page1.json")))
        .mount(&server)
        .await;
    let out = kopai_at(&server.uri(), &words("traces search --all --table"));
    assert_eq!(out.code, 1, "stderr: {}", out.stderr);
    assert!(
        out.stderr.starts_with("error: Not Found (HTTP 404)"),
        "{}",
        out.stderr
    );
}

#[tokio::test]
async fn a_cursor_that_repeats_stops_all_instead_of_looping() {
    let server = serve(
        "POST",
        TRACES_SEARCH,
        json_response(r#"{"data":[],"nextCursor":"again"}"#),
    )
    .await;
    let out = kopai_at(&server.uri(), &words("traces search --all --table"));
    assert_eq!(out.code, 1);
    assert!(
        out.stderr
            .contains("the server sent the same nextCursor twice"),
        "{}",
        out.stderr
    );
    assert_eq!(requests(&server).await.len(), 2);
}

/// With `--all`, the trace IDs of every page printed are remembered (written once, when the
/// run ends), so a short prefix of any of them can be typed back.
#[tokio::test]
async fn all_remembers_the_trace_ids_of_every_page() {
    let sb = Sandbox::new();
    let server = paged_server().await;
    let mut cmd = sb.kopai();
    cmd.args(words("traces search --all --limit 10 --url"))
        .arg(server.uri());
    assert_ok(&run(&mut cmd));
    let cache = std::fs::read_to_string(sb.home.join(".cache/kopai/recent-trace-ids")).unwrap();
    let mut ids: Vec<&str> = cache
        .lines()
        .filter_map(|line| line.split(' ').nth(1))
        .collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        [
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "5b8efff798038103d269b633813fc60c",
            "a1e3c7d2b9f04e6a8c5d7f1e2b3a4c5d",
        ]
    );
}
