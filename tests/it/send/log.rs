//! `kopai send log`.

use crate::common::*;

use opentelemetry_proto::tonic::collector::logs::v1::{
    ExportLogsPartialSuccess, ExportLogsServiceRequest, ExportLogsServiceResponse,
};
use opentelemetry_proto::tonic::common::v1::any_value;
use prost::Message;
use wiremock::{MockServer, ResponseTemplate};

use super::{decoded, field, hex, now_ns, pairs, receiver_of, send_one, strings};

async fn logs(server: &MockServer) -> Vec<ExportLogsServiceRequest> {
    decoded(server).await
}

#[tokio::test]
async fn a_log_record_arrives_with_every_field_it_was_given() {
    let server = receiver_of("/v1/logs", ResponseTemplate::new(200)).await;
    let before = now_ns();
    let (out, sent): (_, ExportLogsServiceRequest) = send_one(
        &server,
        &[
            &[
                "send",
                "log",
                "--body",
                "cache flushed",
                "--severity",
                "error",
            ][..],
            &["--service", "ci", "--resource-attr", "host.name=runner-1"],
            &["--attr", "region=eu", "--attr", "empty="],
            &["--trace-id", "4BF92F3577B34DA6A3CE929D0E0E4736"],
            &["--span-id", "00f067aa0ba902b7"],
            &["--time", "2026-11-27T23:00:20Z"],
        ]
        .concat(),
    )
    .await;
    let after = now_ns();
    assert_eq!(sent.resource_logs.len(), 1);
    let resource_logs = &sent.resource_logs[0];
    assert_eq!(
        strings(&resource_logs.resource.as_ref().unwrap().attributes),
        pairs(&[("service.name", "ci"), ("host.name", "runner-1")])
    );
    let scope_logs = &resource_logs.scope_logs[0];
    let scope = scope_logs.scope.as_ref().unwrap();
    assert_eq!(scope.name, "kopai-cli");
    assert_eq!(scope.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(scope_logs.log_records.len(), 1);
    let record = &scope_logs.log_records[0];
    assert_eq!(record.time_unix_nano, 1_795_820_420_000_000_000);
    assert!((before..=after).contains(&record.observed_time_unix_nano));
    assert_eq!(record.severity_number, 17);
    assert_eq!(record.severity_text, "ERROR");
    let body = record.body.as_ref().and_then(|b| b.value.as_ref());
    assert_eq!(
        body,
        Some(&any_value::Value::StringValue("cache flushed".into()))
    );
    assert_eq!(
        strings(&record.attributes),
        pairs(&[("region", "eu"), ("empty", "")])
    );
    assert_eq!(hex(&record.trace_id), "4bf92f3577b34da6a3ce929d0e0e4736");
    assert_eq!(hex(&record.span_id), "00f067aa0ba902b7");
    assert_eq!(record.flags, 0);

    assert_eq!(field(&out.stdout, "severity"), "ERROR (17)");
    assert_eq!(field(&out.stdout, "time"), "2026-11-27T23:00:20.000Z");
    assert_eq!(
        field(&out.stdout, "trace_id"),
        "4bf92f3577b34da6a3ce929d0e0e4736"
    );
    assert_eq!(field(&out.stdout, "span_id"), "00f067aa0ba902b7");
    assert_eq!(
        field(&out.stdout, "url"),
        "http://kopai.test:8000/?tab=logs"
    );
    assert_eq!(out.stderr, "");
}

#[tokio::test]
async fn a_bare_log_record_is_info_now_under_kopai_cli() {
    let server = receiver_of("/v1/logs", ResponseTemplate::new(200)).await;
    let before = now_ns();
    let out = run(Sandbox::new().kopai().args([
        "send",
        "log",
        "--body",
        "hello",
        "--otlp-url",
        &server.uri(),
    ]));
    let after = now_ns();
    assert_ok(&out);
    let sent = logs(&server).await.remove(0);
    let resource_logs = &sent.resource_logs[0];
    assert_eq!(
        strings(&resource_logs.resource.as_ref().unwrap().attributes),
        pairs(&[("service.name", "kopai-cli")])
    );
    let record = &resource_logs.scope_logs[0].log_records[0];
    assert_eq!(
        (record.severity_number, record.severity_text.as_str()),
        (9, "INFO")
    );
    assert!((before..=after).contains(&record.time_unix_nano));
    assert_eq!(record.time_unix_nano, record.observed_time_unix_nano);
    assert!(record.trace_id.is_empty() && record.span_id.is_empty());
    assert!(record.attributes.is_empty());
    assert_eq!(field(&out.stdout, "severity"), "INFO (9)");
    assert!(!out.stdout.contains("trace_id"), "{}", out.stdout);
}

#[tokio::test]
async fn severities_take_any_case_and_their_steps() {
    let server = receiver_of("/v1/logs", ResponseTemplate::new(200)).await;
    for severity in ["trace", "Debug", "WARNING", "warn3", "FATAL4"] {
        let out = run(Sandbox::new()
            .kopai()
            .args(["send", "log", "--body", "b", "--severity", severity])
            .args(["--otlp-url", &server.uri()]));
        assert_ok(&out);
    }
    let sent: Vec<(i32, String)> = logs(&server)
        .await
        .iter()
        .map(|request| {
            let record = &request.resource_logs[0].scope_logs[0].log_records[0];
            (record.severity_number, record.severity_text.clone())
        })
        .collect();
    let expected = [
        (1, "TRACE"),
        (5, "DEBUG"),
        (13, "WARN"),
        (15, "WARN3"),
        (24, "FATAL4"),
    ];
    let expected: Vec<(i32, String)> = expected.iter().map(|(n, t)| (*n, t.to_string())).collect();
    assert_eq!(sent, expected);
}

#[tokio::test]
async fn logs_go_to_their_own_per_signal_endpoint() {
    let server = receiver_of("/ingest/logs", ResponseTemplate::new(200)).await;
    let out = run(Sandbox::new()
        .kopai()
        .args(["send", "log", "--body", "b"])
        .env(
            "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
            format!("{}/ingest/logs", server.uri()),
        )
        .env(
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
            "http://127.0.0.1:1/nowhere",
        ));
    assert_ok(&out);
    assert_eq!(logs(&server).await.len(), 1);
}

#[tokio::test]
async fn a_partial_success_names_the_rejected_log_records() {
    let answer = ExportLogsServiceResponse {
        partial_success: Some(ExportLogsPartialSuccess {
            rejected_log_records: 1,
            error_message: "record too old".into(),
        }),
    };
    let server = receiver_of(
        "/v1/logs",
        ResponseTemplate::new(200).set_body_bytes(answer.encode_to_vec()),
    )
    .await;
    let out = run(Sandbox::new().kopai().args([
        "send",
        "log",
        "--body",
        "b",
        "--otlp-url",
        &server.uri(),
    ]));
    assert_ok(&out);
    assert_eq!(
        out.stderr,
        "warning: the collector rejected 1 of 1 log record: record too old\n"
    );
}
