//! Pagination that would never end (a cursor cycle, endless empty pages) ends with exit 1,
//! in searches, imports and --follow alike.

use super::*;

#[tokio::test]
async fn a_cursor_cycle_ends_with_exit_1() {
    let server = serve(
        "POST",
        TRACES_SEARCH,
        Pages::new(&[
            r#"{"data":[],"nextCursor":"A"}"#,
            r#"{"data":[],"nextCursor":"B"}"#,
            r#"{"data":[],"nextCursor":"A"}"#,
        ]),
    )
    .await;
    let out = kopai_at(&server.uri(), &["traces", "search", "--all", "--json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("the same nextCursor twice"),
        "{}",
        out.stderr
    );
    let cursors: Vec<Value> = bodies(&server)
        .await
        .iter()
        .map(|b| b["cursor"].clone())
        .collect();
    assert_eq!(cursors, [Value::Null, json!("A"), json!("B")]);
}

#[tokio::test]
async fn endless_empty_pages_end_with_exit_1() {
    let server = serve("POST", TRACES_SEARCH, FreshEmptyPages(AtomicUsize::new(0))).await;
    let out = kopai_at(&server.uri(), &["traces", "search", "--all", "--table"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("10 empty pages in a row"),
        "{}",
        out.stderr
    );
    assert_eq!(requests(&server).await.len(), 10);
}

#[tokio::test]
async fn empty_pages_between_full_ones_are_fine() {
    let row = r#"{"SpanId":"1"}"#;
    let mut pages: Vec<String> = (0..9)
        .map(|n| format!(r#"{{"data":[],"nextCursor":"e{n}"}}"#))
        .collect();
    pages.push(format!(r#"{{"data":[{row}],"nextCursor":"full"}}"#));
    pages.extend((0..9).map(|n| format!(r#"{{"data":[],"nextCursor":"f{n}"}}"#)));
    pages.push(format!(r#"{{"data":[{row}],"nextCursor":null}}"#));
    let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
    let server = serve("POST", TRACES_SEARCH, Pages::new(&pages)).await;
    let out = kopai_at(&server.uri(), &["traces", "search", "--all", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(rows.as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn a_cursor_cycle_while_importing_ends_with_exit_1() {
    let server = serve(
        "POST",
        "/dashboards/search",
        Pages::new(&[
            r#"{"data":[{"name":"other","id":"1"}],"nextCursor":"A"}"#,
            r#"{"data":[{"name":"other","id":"2"}],"nextCursor":"B"}"#,
            r#"{"data":[{"name":"other","id":"3"}],"nextCursor":"A"}"#,
        ]),
    )
    .await;
    let sb = Sandbox::new();
    let file = sb.cwd.join("dash.json");
    write(
        &file,
        r#"{"name":"mine","uiTreeVersion":"0.14.0","uiTree":{"root":"a","elements":{}}}"#,
    );
    let out = run(sb
        .kopai()
        .args([
            "dashboards",
            "import",
            "dash.json",
            "--if-not-exists",
            "--table",
        ])
        .args(["--url", &server.uri(), "--token", TOKEN]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("the same nextCursor twice"),
        "{}",
        out.stderr
    );
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn endless_empty_pages_end_a_follow_too() {
    let server = serve("POST", TRACES_SEARCH, FreshEmptyPages(AtomicUsize::new(0))).await;
    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args([
            "traces",
            "search",
            "--follow",
            "--interval",
            "50ms",
            "--json",
        ])
        .args(["--url", &server.uri(), "--token", TOKEN])
        .timeout(Duration::from_secs(30)));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("10 empty pages in a row"),
        "{}",
        out.stderr
    );
}
