//! --timeout, --since and --url read values the same way everywhere.

use super::*;

#[tokio::test]
async fn timeouts_take_durations_and_dates_are_local_midnight() {
    let route = "/signals/traces/search";
    let server = serve(
        "POST",
        route,
        json_response(r#"{"data":[],"nextCursor":null}"#),
    )
    .await;
    let out = run(Sandbox::new().kopai().env("TZ", "Asia/Tokyo").args([
        "traces",
        "search",
        "--json",
        "--timeout",
        "5s",
        "--since",
        "2026-11-27",
        "--until",
        "2026-11-28",
        "--url",
        &server.uri(),
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let sent: Value =
        serde_json::from_slice(&server.received_requests().await.unwrap()[0].body).unwrap();
    // Midnight in Tokyo is 15:00 UTC the day before.
    assert_eq!(sent["timestampMin"], "1795705200000000000");
    assert_eq!(sent["timestampMax"], "1795791600000000000");

    let out = run(Sandbox::new().kopai().args(["whoami", "--timeout", "soon"]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("like 5s or 500ms"), "{}", out.stderr);
}

#[tokio::test]
async fn a_url_without_a_scheme_suggests_one() {
    let out = run(Sandbox::new()
        .kopai()
        .args(["services", "--table", "--url", "localhost:8000"]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("did you mean `http://localhost:8000`?"),
        "{}",
        out.stderr
    );
}
