//! Numbers from a server, a flag or a saved config: no overflow, no negative durations, and a
//! saved number keeps the digits the README promises.

use super::*;

#[test]
fn huge_durations_and_ages_are_usage_errors() {
    for args in [
        ["--duration-min", "340282366920938463463374607431.9s"],
        ["--duration-max", "18446744073709551616"],
        ["--since", "99999999999999999999d"],
        ["--since", "100000d"],
        ["--until", "99999999999999999999999999999999999999999d"],
    ] {
        let out = kopai_at(
            "http://127.0.0.1:9",
            &[&["traces", "search", "--table"], &args[..]].concat(),
        );
        assert_no_panic(&out);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(args[0]), "{args:?}: {}", out.stderr);
    }
}

#[test]
fn a_huge_timeout_does_not_overflow() {
    let out = kopai_at(
        "http://127.0.0.1:9",
        &["whoami", "--timeout", "18446744073709551615"],
    );
    assert_no_panic(&out);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("could not connect"), "{}", out.stderr);
}

#[tokio::test]
async fn a_huge_retry_after_gives_up_at_once_instead_of_overflowing() {
    for wait in [
        "9223372036854775808",
        "18446744073709551615",
        "99999999999999999999999",
    ] {
        let server = serve(
            "POST",
            TRACES_SEARCH,
            ResponseTemplate::new(503).insert_header("Retry-After", wait),
        )
        .await;
        let started = Instant::now();
        let out = kopai_at(&server.uri(), &["traces", "search", "--json"]);
        assert_no_panic(&out);
        assert_eq!(out.code, 1, "{wait}: {}", out.stderr);
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{wait}: waited"
        );
        // A wait past --timeout is not started; an unreadable one falls back to the backoff.
        assert!(requests(&server).await.len() <= 3, "{wait}");
    }
}

#[tokio::test]
async fn a_duration_beyond_64_bits_never_prints_negative() {
    let row = json!({"data": [{
        "Timestamp": "1795820400000000000", "TraceId": "ab", "SpanId": "cd",
        "ServiceName": "s", "SpanName": "n", "SpanKind": "SPAN_KIND_SERVER",
        "StatusCode": "STATUS_CODE_OK",
        "Duration": "170141183460469231731687303715884105727"
    }], "nextCursor": null});
    let server = serve("POST", TRACES_SEARCH, json_response(&row.to_string())).await;
    let out = kopai_at(&server.uri(), &["traces", "search", "--table"]);
    assert_no_panic(&out);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let line = out.stdout.lines().nth(1).expect("a row");
    let duration = line.rsplit("OK").next().unwrap().trim();
    assert!(duration.ends_with('s') && !duration.contains('-'), "{line}");
}

#[test]
fn saved_numbers_keep_their_digits_and_only_exponents_are_respelled() {
    let sb = Sandbox::new();
    write_private(
        &sb.local_rc(),
        r#"{"a": 1E5, "b": 1.50, "c": 100000000000000000001, "d": -0.0e-7}"#,
    );
    let out = run(sb.kopai().args([
        "login",
        "--no-verify",
        "--token",
        TOKEN,
        "--url",
        "http://127.0.0.1:9",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let saved = read(&sb.local_rc());
    for spelled in [
        "\"a\": 1e+5,",
        "\"b\": 1.50,",
        "\"c\": 100000000000000000001,",
        "\"d\": -0.0e-7,",
    ] {
        assert!(saved.contains(spelled), "{spelled} in {saved}");
    }
}
