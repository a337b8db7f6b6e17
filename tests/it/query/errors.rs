//! Errors: bad arguments (exit 2, nothing sent) and what the server or the network did wrong.

use std::time::{Duration, Instant};

use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

use super::*;
use crate::common::*;

/// Bad command lines, and the flag (or value) each error message must name.
#[rustfmt::skip]
const BAD_ARGS: &[(&str, &str)] = &[
    ("--sort", "traces search --sort sideways"),
    ("--limit", "traces search --limit 0"),
    ("--limit", "logs search --limit 1001"),
    ("--limit", "traces search --limit abc"),
    ("--timestamp-min", "traces search --timestamp-min yesterday"),
    ("--duration-min", "traces search --duration-min fast"),
    ("--duration-max", "traces search --duration-max 1.5"),
    ("--type", "metrics search --type Foo"),
    ("--aggregate", "metrics search --type Sum --aggregate median"),
    ("--aggregate", "metrics search --type Histogram --aggregate sum"),
    ("--aggregate", "metrics search --type Sum --group-by outcome"),
    ("--span-attr", "traces search --span-attr http.route"),
    ("--severity-min", "logs search --severity-min 25"),
    ("--since", "traces search --timestamp-min 1795820400000000000 --since 1h"),
    ("--until", "metrics search --type Sum --time-max 1795820400000000000 --until 1h"),
    ("xyz!", "traces get xyz!"),
];

#[tokio::test]
async fn bad_arguments_exit_2_before_any_request() {
    let server = accepting_server().await;
    for (flag, line) in BAD_ARGS {
        let out = kopai_at(&server.uri(), &words(&format!("{line} --table")));
        assert_failed(&out, 2);
        assert!(
            out.stderr.starts_with("error: ") && out.stderr.contains(flag),
            "kopai {line}: stderr should name {flag}: {}",
            out.stderr
        );
    }
    assert!(requests(&server).await.is_empty(), "nothing may be sent");
}

/// A bare number is nanoseconds: `1.5` is refused with a unit suggested, never sent as 1 ns.
#[tokio::test]
async fn a_bare_duration_with_a_fraction_asks_for_a_unit() {
    let server = accepting_server().await;
    let out = kopai_at(
        &server.uri(),
        &["traces", "search", "--duration-min", "1.5", "--table"],
    );
    assert_failed(&out, 2);
    assert!(
        out.stderr.contains("'--duration-min <DURATION>'")
            && out.stderr.contains("add a unit, like 1.5ms or 1.5s"),
        "{}",
        out.stderr
    );
    assert!(requests(&server).await.is_empty(), "nothing may be sent");
    let out = kopai_at(
        &server.uri(),
        &["traces", "search", "--duration-min", "1500", "--table"],
    );
    assert_ok(&out);
}

#[tokio::test]
async fn bad_arguments_in_json_mode_are_one_json_error() {
    let server = accepting_server().await;
    for (flag, line) in BAD_ARGS {
        let out = kopai_at(&server.uri(), &words(&format!("{line} --json")));
        assert_failed(&out, 2);
        let error = json_error(&out);
        assert_eq!(error["error"]["name"], "UsageError", "{}", out.stderr);
        let message = error["error"]["message"].as_str().unwrap();
        assert!(
            message.contains(flag) && !message.contains('\n'),
            "kopai {line}: one line naming {flag}: {message}"
        );
    }
    assert!(requests(&server).await.is_empty(), "nothing may be sent");
}

const SORT_DETAIL: &str = r#"body/sortOrder Invalid option: expected one of "ASC"|"DESC""#;

#[tokio::test]
async fn a_validation_error_shows_title_and_detail() {
    let bad_sort = fixture_response(400, "error-400-sort.json");
    let server = serve("POST", TRACES_SEARCH, bad_sort).await;
    let out = kopai_at(&server.uri(), &words("traces search --table"));
    assert_failed(&out, 1);
    assert_eq!(
        out.stderr,
        format!("error: Invalid data (HTTP 400): {SORT_DETAIL}\n")
    );
    assert_eq!(requests(&server).await.len(), 1, "a 400 is not retried");
}

#[tokio::test]
async fn a_validation_error_in_json_mode_is_one_json_object() {
    let bad_sort = fixture_response(400, "error-400-sort.json");
    let server = serve("POST", TRACES_SEARCH, bad_sort).await;
    let out = kopai_at(&server.uri(), &words("traces search --json"));
    assert_failed(&out, 1);
    let expected = json!({"error": {
        "name": "ApiError",
        "message": "Invalid data",
        "status": 400,
        "detail": SORT_DETAIL
    }});
    assert_eq!(out.stderr, format!("{expected}\n"));
}

#[tokio::test]
async fn a_rejected_token_exits_4_with_a_login_hint() {
    let server = server_answering(401).await;
    let out = kopai_at(&server.uri(), &words("traces search --table"));
    assert_failed(&out, 4);
    assert_eq!(
        out.stderr,
        "error: Token is invalid or expired.\n\
         hint: create a new CLI token in the dashboard (Settings → Access Tokens), \
         then run `kopai login` or set KOPAI_TOKEN\n"
    );

    let out = kopai_at(&server.uri(), &words("traces search --json"));
    assert_failed(&out, 4);
    assert_eq!(
        json_error(&out),
        json!({"error": {"name": "AuthError", "message": "Token is invalid or expired.", "status": 401,
            "hint": "create a new CLI token in the dashboard (Settings → Access Tokens), then run `kopai login` or set KOPAI_TOKEN"}})
    );
    assert_eq!(requests(&server).await.len(), 2, "a 401 is not retried");
}

#[tokio::test]
async fn a_forbidden_scope_exits_4() {
    let server = server_answering(403).await;
    let out = kopai_at(&server.uri(), &words("traces search --table"));
    assert_failed(&out, 4);
    assert_eq!(
        out.stderr,
        "error: Token does not have permission for /signals/traces/search (HTTP 403).\n\
         hint: use a token with access to this data: run `kopai login` or set KOPAI_TOKEN\n"
    );
}

#[tokio::test]
async fn an_html_page_instead_of_json_is_an_error() {
    let html = ResponseTemplate::new(200).set_body_raw(
        b"<!DOCTYPE html><html><body>Kopai</body></html>".to_vec(),
        "text/html; charset=utf-8",
    );
    let server = serve("GET", SERVICES, html).await;
    let out = kopai_at(&server.uri(), &words("services --table"));
    assert_failed(&out, 1);
    assert_eq!(
        out.stderr,
        format!(
            "error: unexpected response from {}/signals/services: \
             expected JSON, got text/html; charset=utf-8\n",
            server.uri()
        )
    );
}

/// JSON that could not be read says why: where it stops being JSON, or that it is too deep,
/// never "expected JSON, got application/json".
#[tokio::test]
async fn json_that_cannot_be_read_says_why() {
    const DASHBOARD: &str = "4ccd630e-94e1-40ba-85b5-9a352c91fbb1";
    let route = format!("/dashboards/{DASHBOARD}");
    let deep = format!(
        r#"{{"id":"{DASHBOARD}","name":"deep","uiTree":{}1{}}}"#,
        "[".repeat(200),
        "]".repeat(200)
    );
    let cases = [
        (
            deep.as_str(),
            "the JSON is nested more than 128 levels deep, more than kopai reads",
        ),
        (
            r#"{"id": Infinity}"#,
            "not valid JSON: expected value at byte 7",
        ),
        (
            "{\n  \"id\": NaN\n}",
            "not valid JSON: expected value at byte 10 (line 2, column 9)",
        ),
    ];
    for (body, why) in cases {
        let server = serve("GET", &route, json_response(body)).await;
        let out = kopai_at(&server.uri(), &["dashboards", "get", DASHBOARD, "--json"]);
        assert_failed(&out, 1);
        let error = json_error(&out);
        let expected = format!("unexpected response from {}{route}: {why}", server.uri());
        assert_eq!(error["error"]["message"], expected.as_str());
    }
    // A search page is checked the same way, with what serde_json's `Value` refuses and its
    // raw values would let through (a lone surrogate) refused too.
    for (page, why) in [
        (
            r#"{"data":[{"Duration": Infinity}],"nextCursor":null}"#,
            "expected value at byte 22",
        ),
        (
            r#"{"data":[{"SpanName":"a\ud800"}]}"#,
            "lone surrogate in a string escape at byte 23",
        ),
    ] {
        let server = serve("POST", TRACES_SEARCH, json_response(page)).await;
        let out = kopai_at(&server.uri(), &words("traces search --table"));
        assert_failed(&out, 1);
        let expected = format!(
            "error: unexpected response from {}/signals/traces/search: not valid JSON: {why}\n",
            server.uri()
        );
        assert_eq!(out.stderr, expected);
    }
}

#[tokio::test]
async fn json_of_the_wrong_shape_is_an_error() {
    let server = serve("POST", TRACES_SEARCH, json_response("[]")).await;
    let out = kopai_at(&server.uri(), &words("traces search --table"));
    assert_failed(&out, 1);
    assert_eq!(
        out.stderr,
        format!(
            "error: unexpected response from {}/signals/traces/search: \
             expected an object with a `data` array\n",
            server.uri()
        )
    );
}

#[tokio::test]
async fn connection_refused_exits_1() {
    let out = kopai_at("http://127.0.0.1:1", &words("services --table"));
    assert_failed(&out, 1);
    assert!(
        out.stderr
            .starts_with("error: could not connect to http://127.0.0.1:1/signals/services: "),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .ends_with("\nhint: check --url, KOPAI_URL or the url in .kopairc\n"),
        "{}",
        out.stderr
    );
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let slow = json_response(EMPTY_PAGE).set_delay(Duration::from_secs(10));
    let server = serve("POST", TRACES_SEARCH, slow).await;
    let started = Instant::now();
    let out = kopai_at(&server.uri(), &words("traces search --table --timeout 300"));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert_failed(&out, 1);
    assert_eq!(
        out.stderr,
        format!(
            "error: no answer from {}/signals/traces/search within 300 ms\n\
             hint: raise --timeout (like --timeout 60s) or check the server\n",
            server.uri()
        )
    );
}

#[tokio::test]
async fn a_401_without_any_token_says_not_logged_in() {
    let server = serve("POST", TRACES_SEARCH, ResponseTemplate::new(401)).await;
    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args(["traces", "search", "--table", "--url", &server.uri()]));
    assert_failed(&out, 4);
    assert_eq!(
        out.stderr,
        "error: Not logged in: the server wants a token (HTTP 401).\n\
         hint: run `kopai login` or set KOPAI_TOKEN\n"
    );
    let sent = requests(&server).await;
    assert!(sent[0].headers.get("authorization").is_none());
}

/// A 404 that names nothing itself (a route the server lacks) names the request and the server
/// for a person; the JSON error stays the Node CLI's, title and detail apart.
#[tokio::test]
async fn a_route_the_server_lacks_is_named_with_the_server() {
    let bare = MockServer::start().await;
    let route = fixture_response(404, "error-404-post.json");
    let fastify = serve("POST", TRACES_SEARCH, route).await;
    for (server, detail) in [
        (&bare, String::new()),
        (&fastify, ": Route POST:/signals/nope not found".to_owned()),
    ] {
        let uri = server.uri();
        let out = kopai_at(&uri, &words("traces search --table"));
        assert_failed(&out, 1);
        assert_eq!(
            out.stderr,
            format!("error: Not Found (HTTP 404) for POST {uri}{TRACES_SEARCH}{detail}\n")
        );
        let out = kopai_at(&uri, &words("traces search --json"));
        assert_failed(&out, 1);
        let mut expected =
            json!({"error": {"name": "ApiError", "message": "Not Found", "status": 404}});
        if let Some(detail) = detail.strip_prefix(": ") {
            expected["error"]["detail"] = json!(detail);
        }
        assert_eq!(out.stderr, format!("{expected}\n"));
    }
}

/// A trace ID prefix on a server with neither KopaiQuery nor trace summaries.
#[tokio::test]
async fn a_prefix_on_a_server_without_either_lookup_says_so() {
    let server = MockServer::start().await;
    let uri = server.uri();
    let out = kopai_at(&uri, &words("traces get abcdef12 -t"));
    assert_failed(&out, 1);
    assert_eq!(
        out.stderr,
        format!(
            "error: looking up trace ID prefix abcdef12 without KopaiQuery (this server has \
             none): Not Found (HTTP 404) for POST {uri}/signals/traces/summaries\n\
             hint: give all 32 digits of the trace ID\n"
        )
    );
}
