//! Common mistakes get a diagnosis, before anything is sent: an inverted time window,
//! `--severity` (not a flag), and `--level` as the shorthand for a minimum severity.

use super::*;

#[tokio::test]
async fn an_inverted_window_is_a_usage_error_before_any_request() {
    let server = accepting_server().await;
    for line in [
        "logs search --since 15m --until 20m",
        "traces search --since 15m --until 20m --status-code error",
        "traces summaries --since 1h --until 2h",
        "metrics search --name x --since 15m --until 20m",
    ] {
        let out = kopai_at(&server.uri(), &words(line));
        assert_failed(&out, 2);
        assert_eq!(
            json_error(&out)["error"]["message"],
            "--since is later than --until, so the time window is empty (an age counts back \
             from now: `--since 20m --until 15m` is the 5 minutes from 20 to 15 minutes ago)",
            "{line}"
        );
    }
    let out = kopai_at(
        &server.uri(),
        &words("logs search --timestamp-min 2026-11-28 --timestamp-max 2026-11-27"),
    );
    assert_failed(&out, 2);
    assert_eq!(
        json_error(&out)["error"]["message"],
        "--timestamp-min is later than --timestamp-max, so the time window is empty"
    );
    assert!(requests(&server).await.is_empty(), "nothing is sent");
}

#[tokio::test]
async fn a_window_in_order_is_sent() {
    let sent = body_sent(LOGS_SEARCH, &words("logs search --since 20m --until 15m")).await;
    let min: u128 = sent["timestampMin"].as_str().unwrap().parse().unwrap();
    let max: u128 = sent["timestampMax"].as_str().unwrap().parse().unwrap();
    // Each age is read against the clock when its flag is parsed: a few microseconds apart.
    let five_minutes = 5 * 60 * 1_000_000_000;
    assert!((five_minutes..five_minutes + 1_000_000_000).contains(&(max - min)));
}

#[tokio::test]
async fn severity_is_not_a_flag_and_says_which_flags_are() {
    let server = accepting_server().await;
    let cases = [
        (
            "error",
            "--severity-text ERROR (that exact text) or --level error (that level and worse)",
        ),
        (
            "Warning",
            "--severity-text WARNING (that exact text) or --level warn (that level and worse)",
        ),
        ("17", "--severity-min 17 (this severity number and above)"),
        (
            "crit",
            "--severity-text CRIT (that exact text) or --level trace|debug|info|warn|error|fatal \
             (that level and worse)",
        ),
    ];
    for (value, advice) in cases {
        let out = kopai_at(&server.uri(), &["logs", "search", "--severity", value]);
        assert_failed(&out, 2);
        assert_eq!(
            json_error(&out)["error"]["message"],
            format!("logs search has no --severity: use {advice}")
        );
    }
    assert!(requests(&server).await.is_empty(), "nothing is sent");
}

#[tokio::test]
async fn level_is_a_minimum_severity_number() {
    for (level, number) in [
        ("trace", 1),
        ("debug", 5),
        ("info", 9),
        ("warn", 13),
        ("WARNING", 13),
        ("error", 17),
        ("Fatal", 21),
    ] {
        let sent = body_sent(LOGS_SEARCH, &["logs", "search", "--level", level]).await;
        assert_eq!(sent["severityNumberMin"], number, "--level {level}");
        assert!(sent.get("severityText").is_none());
    }
    let server = accepting_server().await;
    let both = kopai_at(
        &server.uri(),
        &words("logs search --level error --severity-min 3"),
    );
    assert_failed(&both, 2);
    let bad = kopai_at(&server.uri(), &words("logs search --level loud"));
    assert_failed(&bad, 2);
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn https_to_a_plain_http_server_says_so() {
    let server = accepting_server().await;
    let http = server.uri();
    let https = http.replacen("http://", "https://", 1);
    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args(["services", "--url", &https, "--token", TOKEN]));
    assert_failed(&out, 1);
    let error = &json_error(&out)["error"];
    assert_eq!(error["name"], "TlsError");
    assert_eq!(
        error["message"],
        format!("{https}/signals/services answered in plain HTTP, not HTTPS")
    );
    assert_eq!(
        error["hint"],
        format!(
            "the server has no TLS on that port: use --url {http} (or the server's HTTPS port)"
        )
    );
}

/// Nothing listens on 127.0.0.1:4318 here (the request never leaves this machine); the hint
/// is the same whatever the OTLP port answers.
#[test]
fn the_otlp_port_is_named_as_the_ingest_port() {
    for url in ["http://127.0.0.1:4318", "http://127.0.0.1:4317/"] {
        let sb = Sandbox::new();
        let out = run(sb.kopai().args([
            "traces",
            "search",
            "--url",
            url,
            "--token",
            TOKEN,
            "--timeout",
            "5s",
        ]));
        assert_failed(&out, 1);
        let base = url.trim_end_matches('/');
        let port = &base[base.len() - 4..];
        assert_eq!(
            json_error(&out)["error"]["hint"],
            format!(
                "{base} is on port {port}, the port Kopai ingests OTLP on; its API, which kopai \
                 reads, is elsewhere (http://localhost:8000 when Kopai runs locally): use --url \
                 with that"
            )
        );
    }
}

#[test]
fn another_port_keeps_the_usual_hint() {
    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args(["services", "--url", "http://127.0.0.1:9", "--token", TOKEN]));
    assert_failed(&out, 1);
    assert_eq!(
        json_error(&out)["error"]["hint"],
        "check --url, KOPAI_URL or the url in .kopairc"
    );
}
