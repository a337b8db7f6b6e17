//! `kopai send span`.

use crate::common::*;

use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTracePartialSuccess, ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use opentelemetry_proto::tonic::trace::v1::{span::SpanKind, status::StatusCode};
use prost::Message;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{field, hex, now_ns, pairs, received, receiver, send_one, strings, INGEST};

#[tokio::test]
async fn a_span_arrives_with_every_field_it_was_given() {
    let server = receiver(ResponseTemplate::new(200)).await;
    let (out, sent): (_, ExportTraceServiceRequest) = send_one(
        &server,
        &[
            &["send", "span", "--name", "deploy", "--service", "ci"][..],
            &["--kind", "client", "--status", "error", "--message", "boom"],
            &["--attr", "version=1.4.2", "--attr", "empty="],
            &["--resource-attr", "host.name=runner-1"],
            &["--duration", "120ms", "--start", "2026-11-27T23:00:20Z"],
            &["--trace-id", "4bf92f3577b34da6a3ce929d0e0e4736"],
            &["--parent", "00f067aa0ba902b7"],
        ]
        .concat(),
    )
    .await;
    assert_eq!(sent.resource_spans.len(), 1);
    let resource_spans = &sent.resource_spans[0];
    let resource = resource_spans.resource.as_ref().unwrap();
    assert_eq!(
        strings(&resource.attributes),
        pairs(&[("service.name", "ci"), ("host.name", "runner-1")])
    );
    let scope_spans = &resource_spans.scope_spans[0];
    assert_eq!(scope_spans.scope.as_ref().unwrap().name, "kopai-cli");
    assert_eq!(scope_spans.spans.len(), 1);
    let span = &scope_spans.spans[0];
    assert_eq!(span.name, "deploy");
    assert_eq!(span.kind, SpanKind::Client as i32);
    assert_eq!(hex(&span.trace_id), "4bf92f3577b34da6a3ce929d0e0e4736");
    assert_eq!(hex(&span.parent_span_id), "00f067aa0ba902b7");
    assert_eq!(span.span_id.len(), 8);
    assert_ne!(span.span_id, vec![0; 8]);
    assert_eq!(span.start_time_unix_nano, 1_795_820_420_000_000_000);
    assert_eq!(span.end_time_unix_nano, 1_795_820_420_120_000_000);
    assert_eq!(
        strings(&span.attributes),
        pairs(&[("version", "1.4.2"), ("empty", "")])
    );
    let status = span.status.as_ref().unwrap();
    assert_eq!(status.code, StatusCode::Error as i32);
    assert_eq!(status.message, "boom");

    let span_id = hex(&span.span_id);
    assert_eq!(
        field(&out.stdout, "trace_id"),
        "4bf92f3577b34da6a3ce929d0e0e4736"
    );
    assert_eq!(field(&out.stdout, "span_id"), span_id);
    let url = field(&out.stdout, "url");
    assert!(url.starts_with("http://kopai.test:8000/"), "{url}");
    assert!(
        url.contains("4bf92f3577b34da6a3ce929d0e0e4736") && url.contains(&span_id),
        "{url}"
    );
}

#[tokio::test]
async fn a_new_span_starts_a_random_trace_ending_now() {
    let server = receiver(ResponseTemplate::new(200)).await;
    let before = now_ns();
    let out = run(Sandbox::new()
        .kopai()
        .args(["send", "span", "--name", "a", "--duration", "1s"])
        .args(["--otlp-url", &server.uri()]));
    let after = now_ns();
    assert_ok(&out);
    let sent = received(&server).await.remove(0);
    let resource_spans = &sent.resource_spans[0];
    let resource = resource_spans.resource.as_ref().unwrap();
    assert_eq!(
        strings(&resource.attributes),
        pairs(&[("service.name", "kopai-cli")])
    );
    let span = &resource_spans.scope_spans[0].spans[0];
    assert_eq!(span.trace_id.len(), 16);
    assert_ne!(span.trace_id, vec![0; 16]);
    assert!(span.parent_span_id.is_empty());
    assert_eq!(span.kind, SpanKind::Internal as i32);
    assert_eq!(span.status.as_ref().unwrap().code, StatusCode::Unset as i32);
    assert!((before..=after).contains(&span.end_time_unix_nano));
    assert_eq!(
        span.end_time_unix_nano - span.start_time_unix_nano,
        1_000_000_000
    );
    assert_eq!(field(&out.stdout, "trace_id"), hex(&span.trace_id));
}

#[tokio::test]
async fn the_endpoint_comes_from_the_otel_variables_and_is_derived_from_the_api_url() {
    let server = receiver(ResponseTemplate::new(200)).await;
    let full = format!("{}/v1/traces", server.uri());
    let out = run(Sandbox::new()
        .kopai()
        .args(["send", "span", "--name", "a"])
        .env("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", &full)
        .env(
            "OTEL_EXPORTER_OTLP_HEADERS",
            format!("Authorization=Bearer%20{INGEST}"),
        ));
    assert_ok(&out);
    let out = run(Sandbox::new()
        .kopai()
        .args(["send", "span", "--name", "b"])
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", server.uri()));
    assert_ok(&out);
    let requests = requests(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].headers["authorization"].to_str().unwrap(),
        format!("Bearer {INGEST}")
    );
    assert!(requests[1].headers.get("authorization").is_none());

    // No receiver on port 4318 of 127.0.0.1 (the test cannot bind it): the message names the
    // derived URL.
    let out = run(Sandbox::new().kopai().args([
        "send",
        "span",
        "--name",
        "c",
        "--url",
        "http://127.0.0.1:1",
        "--timeout",
        "2s",
    ]));
    assert_failed(&out, 1);
    assert!(
        out.stderr.contains("http://127.0.0.1:4318/v1/traces"),
        "{}",
        out.stderr
    );
}

#[tokio::test]
async fn a_partial_success_is_a_warning_naming_the_rejected_count() {
    let answer = ExportTraceServiceResponse {
        partial_success: Some(ExportTracePartialSuccess {
            rejected_spans: 1,
            error_message: "span too old".into(),
        }),
    };
    let server = receiver(
        ResponseTemplate::new(200)
            .insert_header("content-type", "application/x-protobuf")
            .set_body_bytes(answer.encode_to_vec()),
    )
    .await;
    let out = send_a(&server);
    assert_ok(&out);
    assert_eq!(
        out.stderr,
        "warning: the collector rejected 1 of 1 span: span too old\n"
    );
}

#[tokio::test]
async fn a_busy_collector_is_asked_again_after_its_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/traces"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/traces"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let out = send_a(&server);
    assert_ok(&out);
    assert_eq!(received(&server).await.len(), 2);
}

#[test]
fn bad_input_is_a_one_line_error_naming_the_flag() {
    let cases: [(&[&str], &str); 7] = [
        (&["--attr", "novalue"], "--attr"),
        (&["--kind", "weird"], "--kind"),
        (&["--status", "bad"], "--status"),
        (&["--duration=-5ms"], "negative"),
        (&["--duration", "999999999h"], "--duration"),
        (&["--otlp-url", "ftp://collector"], "--otlp-url"),
        (&["--parent", "00f067aa0ba902b7"], "--trace-id"),
    ];
    for (args, named) in cases {
        let out = run(Sandbox::new()
            .kopai()
            .args(["send", "span", "--name", "a"])
            .args(args));
        assert_failed(&out, 2);
        let first = out.stderr.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("error:") && out.stderr.contains(named),
            "{args:?}: {}",
            out.stderr
        );
    }
    let out = run(Sandbox::new()
        .kopai()
        .args(["send", "span", "--name", "a"])
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318"));
    assert_failed(&out, 2);
    assert!(
        out.stderr.contains("OTEL_EXPORTER_OTLP_ENDPOINT"),
        "{}",
        out.stderr
    );
}

/// `kopai send span --name a` to `server`.
fn send_a(server: &MockServer) -> Output {
    run(Sandbox::new()
        .kopai()
        .args(["send", "span", "--name", "a", "--otlp-url", &server.uri()]))
}

#[tokio::test]
async fn a_refused_ingest_token_names_the_ingest_token_not_login() {
    for status in [401, 403] {
        let server = receiver(ResponseTemplate::new(status)).await;
        let out = run(Sandbox::new()
            .kopai()
            .args(["send", "span", "--name", "a", "--otlp-url", &server.uri()])
            .env("KOPAI_INGEST_TOKEN", INGEST));
        assert_failed(&out, 4);
        assert!(
            out.stderr
                .contains("refused the ingest token (from KOPAI_INGEST_TOKEN)")
                && out.stderr.contains("--ingest-token, KOPAI_INGEST_TOKEN")
                && out.stderr.contains("`kopai login --ingest`")
                && !out.stderr.contains("`kopai login`")
                && !out.stderr.contains("KOPAI_TOKEN")
                && !out.stderr.contains(INGEST),
            "{status}: {}",
            out.stderr
        );
    }
    let server = receiver(ResponseTemplate::new(401)).await;
    let out = send_a(&server);
    assert_failed(&out, 4);
    assert!(
        out.stderr
            .contains("wants an ingest token and none was given")
            && out.stderr.contains("`kopai login --ingest`")
            && !out.stderr.contains("`kopai login`"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_unreachable_collector_names_the_otlp_endpoint_and_its_source() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let url = format!("http://{}", closed.local_addr().expect("its address"));
    drop(closed);
    let out = run(Sandbox::new()
        .kopai()
        .args(["send", "span", "--name", "a", "--timeout", "2s"])
        .env("KOPAI_OTLP_URL", &url));
    assert_failed(&out, 1);
    assert!(
        out.stderr
            .contains("the OTLP endpoint (from KOPAI_OTLP_URL)")
            && out.stderr.contains(
                "hint: is an OTLP collector listening there? Give its URL with --otlp-url, \
                 KOPAI_OTLP_URL, OTEL_EXPORTER_OTLP_ENDPOINT or the profile's otlp_url\n"
            )
            && !out.stderr.contains("--url, KOPAI_URL"),
        "{}",
        out.stderr
    );
}
