//! `kopai doctor` against a fake API and a fake OTLP receiver, with each failure injected in
//! turn: the line that fails, what it says to do, exit 1; everything passing, exit 0.

use crate::common::*;
use crate::send::receiver;

use serde_json::json;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

const INGEST: &str = "kpi_ingest_0123456789abcdefghijklmnopq";

/// A Kopai API that answers every search with an empty page and knows every trace.
async fn api() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path_regex("^/signals/traces/[0-9a-f]{32}$"))
        .respond_with(json_response(r#"[{"TraceId": "t"}]"#))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(json_response(r#"{"data": [], "nextCursor": null}"#))
        .mount(&server)
        .await;
    server
}

/// `kopai doctor` with a token, an API and an OTLP receiver, and the ingest token.
fn doctor(sb: &Sandbox, api: &str, otlp: &MockServer) -> assert_cmd::Command {
    let mut cmd = sb.kopai();
    cmd.env("KOPAI_URL", api)
        .env("KOPAI_TOKEN", TOKEN)
        .env("KOPAI_OTLP_URL", otlp.uri())
        .env("KOPAI_INGEST_TOKEN", INGEST)
        .arg("doctor");
    cmd
}

/// Snapshots, with what changes from run to run (the trace ID, the delay) filtered.
fn snapshot(name: &str, out: &Output) {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r"trace [0-9a-f]{32}", "trace [TRACE_ID]");
    settings.add_filter(r"after \d+\.\d s", "after [DELAY] s");
    settings.add_filter(r"in -?\d+ days", "in [DAYS] days");
    settings.add_filter(r"saved \d+ days ago", "saved [DAYS] days ago");
    settings.bind(|| {
        kopai_snapshot!(name, out);
    });
    assert_no_secret(out, TOKEN);
    assert_no_secret(out, INGEST);
}

#[tokio::test]
async fn every_check_passes_against_a_working_pair() {
    let (api, otlp) = (api().await, receiver(ResponseTemplate::new(200)).await);
    let sb = Sandbox::new();
    let out = run(&mut doctor(&sb, &api.uri(), &otlp));
    snapshot("all_pass", &out);
    assert_ok(&out);
}

#[tokio::test]
async fn json_gives_every_check_in_one_object() {
    let (api, otlp) = (api().await, receiver(ResponseTemplate::new(200)).await);
    let sb = Sandbox::new();
    let out = run(doctor(&sb, &api.uri(), &otlp).arg("--json"));
    assert_ok(&out);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["ok"], json!(true));
    let names: Vec<&str> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|check| {
            // Plain http has no TLS to check.
            let expected = if check["name"] == "TLS" {
                "skip"
            } else {
                "pass"
            };
            assert_eq!(check["status"], expected, "{check}");
            check["name"].as_str().unwrap()
        })
        .collect();
    assert_eq!(
        names,
        [
            "config",
            "token",
            "API URL",
            "DNS",
            "TCP",
            "TLS",
            "HTTP",
            "token accepted",
            "server supports",
            "clock",
            "ingest"
        ]
    );
    assert_eq!(out.stderr, "");
}

/// The test span is marked as such and is the only thing sent.
#[tokio::test]
async fn the_test_span_cannot_pass_for_real_traffic() {
    let (api, otlp) = (api().await, receiver(ResponseTemplate::new(200)).await);
    let sb = Sandbox::new();
    assert_ok(&run(&mut doctor(&sb, &api.uri(), &otlp)));
    let sent = crate::send::received(&otlp).await;
    assert_eq!(sent.len(), 1);
    let resource = sent[0].resource_spans[0].resource.as_ref().unwrap();
    assert_eq!(
        crate::send::strings(&resource.attributes),
        [("service.name".to_owned(), "kopai-doctor".to_owned())]
    );
    let span = &sent[0].resource_spans[0].scope_spans[0].spans[0];
    assert_eq!(
        crate::send::strings(&span.attributes),
        [("kopai.doctor.test".to_owned(), "true".to_owned())]
    );
}

#[tokio::test]
async fn a_config_file_that_does_not_parse_fails_first() {
    let otlp = receiver(ResponseTemplate::new(200)).await;
    let sb = Sandbox::new();
    write(&sb.local_rc(), "{ not json");
    let out = run(doctor(&sb, "http://127.0.0.1:1", &otlp).env_remove("KOPAI_URL"));
    snapshot("bad_config", &out);
    assert_eq!(out.code, 1, "{}", out.stderr);
}

#[tokio::test]
async fn no_token_fails_and_the_rest_still_runs() {
    let (api, otlp) = (api().await, receiver(ResponseTemplate::new(200)).await);
    let sb = Sandbox::new();
    let out = run(doctor(&sb, &api.uri(), &otlp).env_remove("KOPAI_TOKEN"));
    snapshot("no_token", &out);
    assert_eq!(out.code, 1, "{}", out.stderr);
}

#[tokio::test]
async fn an_expired_token_fails() {
    let (api, otlp) = (api().await, receiver(ResponseTemplate::new(200)).await);
    let sb = Sandbox::new();
    write_private(
        &sb.local_rc(),
        &format!(
            "{{\"url\": \"{}\", \"token\": \"{TOKEN}\", \"savedAt\": \"2020-01-01T00:00:00Z\"}}",
            api.uri()
        ),
    );
    let out = run(doctor(&sb, &api.uri(), &otlp)
        .env_remove("KOPAI_URL")
        .env_remove("KOPAI_TOKEN"));
    snapshot("expired_token", &out);
    assert_eq!(out.code, 1, "{}", out.stderr);
}

#[tokio::test]
async fn an_unreachable_api_fails_at_tcp() {
    let otlp = receiver(ResponseTemplate::new(200)).await;
    let sb = Sandbox::new();
    let out = run(&mut doctor(&sb, "http://127.0.0.1:1", &otlp));
    snapshot("unreachable", &out);
    assert_eq!(out.code, 1, "{}", out.stderr);
}

#[tokio::test]
async fn the_otlp_port_given_as_the_api_is_named() {
    let otlp = receiver(ResponseTemplate::new(200)).await;
    let sb = Sandbox::new();
    let out = run(&mut doctor(&sb, "http://localhost:4318", &otlp));
    snapshot("otlp_port", &out);
    assert_eq!(out.code, 1, "{}", out.stderr);
}

#[tokio::test]
async fn a_refused_token_fails_token_accepted() {
    let api = serve("POST", "/signals/traces/search", ResponseTemplate::new(401)).await;
    let otlp = receiver(ResponseTemplate::new(200)).await;
    let sb = Sandbox::new();
    let out = run(&mut doctor(&sb, &api.uri(), &otlp));
    snapshot("token_refused", &out);
    assert_eq!(out.code, 1, "{}", out.stderr);
}

#[tokio::test]
async fn a_url_without_the_api_fails_http() {
    let api = MockServer::start().await;
    let otlp = receiver(ResponseTemplate::new(200)).await;
    let sb = Sandbox::new();
    let out = run(&mut doctor(&sb, &api.uri(), &otlp));
    snapshot("no_api", &out);
    assert_eq!(out.code, 1, "{}", out.stderr);
}

#[tokio::test]
async fn a_skewed_clock_fails() {
    let api = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/signals/traces/search"))
        .respond_with(
            json_response(r#"{"data": [], "nextCursor": null}"#)
                .insert_header("date", "Sat, 01 Jan 2000 00:00:00 GMT"),
        )
        .mount(&api)
        .await;
    let otlp = receiver(ResponseTemplate::new(200)).await;
    let sb = Sandbox::new();
    let out = run(doctor(&sb, &api.uri(), &otlp).env_remove("KOPAI_INGEST_TOKEN"));
    let text = &out.stdout;
    let clock = text.lines().find(|l| l.contains("clock")).unwrap();
    assert!(
        clock.starts_with("✗ clock           this clock is ")
            && clock.ends_with(
                " s ahead of the server's; fix: set this machine's clock (NTP): time windows \
                 such as --since 1h are computed here"
            ),
        "{text}"
    );
    // A server with none of the newer routes says so, without failing.
    assert!(
        text.contains(
            "✓ server supports KopaiQuery no (needs a newer server), logs aggregate no, \
             dashboards no\n"
        ),
        "{text}"
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
}

#[tokio::test]
async fn an_ingest_token_the_collector_refuses_fails_ingest() {
    let (api, otlp) = (api().await, receiver(ResponseTemplate::new(401)).await);
    let sb = Sandbox::new();
    let out = run(&mut doctor(&sb, &api.uri(), &otlp));
    snapshot("ingest_refused", &out);
    assert_eq!(out.code, 1, "{}", out.stderr);
}

#[tokio::test]
async fn a_span_that_never_becomes_queryable_fails_after_the_timeout() {
    let api = MockServer::start().await;
    Mock::given(path_regex("^/signals/traces/[0-9a-f]{32}$"))
        .respond_with(json_response("[]"))
        .mount(&api)
        .await;
    Mock::given(method("POST"))
        .respond_with(json_response(r#"{"data": [], "nextCursor": null}"#))
        .mount(&api)
        .await;
    let otlp = receiver(ResponseTemplate::new(200)).await;
    let sb = Sandbox::new();
    let out = run(doctor(&sb, &api.uri(), &otlp).args(["--timeout", "1s"]));
    snapshot("never_queryable", &out);
    assert_eq!(out.code, 1, "{}", out.stderr);
}

#[tokio::test]
async fn ingest_is_skipped_without_an_ingest_token() {
    let (api, otlp) = (api().await, receiver(ResponseTemplate::new(200)).await);
    let sb = Sandbox::new();
    let out = run(doctor(&sb, &api.uri(), &otlp).env_remove("KOPAI_INGEST_TOKEN"));
    snapshot("no_ingest_token", &out);
    assert_ok(&out);
    assert!(requests(&otlp).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_names_the_certificate_or_why_it_is_refused() {
    let (port, pem) = crate::tls::self_signed_server(&["127.0.0.1"], false).await;
    let otlp = receiver(ResponseTemplate::new(200)).await;
    let sb = Sandbox::new();
    let url = format!("https://127.0.0.1:{port}");
    let refused = run(doctor(&sb, &url, &otlp).env_remove("KOPAI_INGEST_TOKEN"));
    snapshot("tls_refused", &refused);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    let file = sb.home.join("server.pem");
    write(&file, &pem);
    let trusted = run(doctor(&sb, &url, &otlp)
        .env_remove("KOPAI_INGEST_TOKEN")
        .env("SSL_CERT_FILE", &file));
    snapshot("tls_trusted", &trusted);
    assert_ok(&trusted);
}
