//! `kopai exec`: the command runs as it would without kopai (output, input, exit code,
//! signals), and its span reaches a fake OTLP receiver that decodes the protobuf.

use crate::common::*;
use crate::send::{hex, received, receiver};

use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;
use std::time::{Duration, Instant};

use opentelemetry_proto::tonic::common::v1::any_value::Value as Any;
use opentelemetry_proto::tonic::trace::v1::{status::StatusCode, Span};
use wiremock::{MockServer, ResponseTemplate};

const KOPAI: &str = env!("CARGO_BIN_EXE_kopai");
const PARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

/// `kopai exec` sending to `server`.
fn exec(sb: &Sandbox, server: &MockServer) -> assert_cmd::Command {
    let mut cmd = sb.kopai();
    cmd.env("KOPAI_OTLP_URL", server.uri()).arg("exec");
    cmd
}

async fn spans(server: &MockServer) -> Vec<Span> {
    received(server)
        .await
        .into_iter()
        .flat_map(|request| request.resource_spans)
        .flat_map(|resource| resource.scope_spans)
        .flat_map(|scope| scope.spans)
        .collect()
}

fn attribute(span: &Span, key: &str) -> Option<Any> {
    span.attributes
        .iter()
        .find(|kv| kv.key == key)
        .and_then(|kv| kv.value.clone()?.value)
}

fn traceparent(span: &Span) -> String {
    format!("00-{}-{}-01", hex(&span.trace_id), hex(&span.span_id))
}

#[tokio::test]
async fn nested_exec_joins_the_trace_it_was_given() {
    let server = receiver(ResponseTemplate::new(200)).await;
    let sb = Sandbox::new();
    let out = run(exec(&sb, &server)
        .env("TRACEPARENT", PARENT)
        .env("TRACESTATE", "vendor=1")
        .args(["--name", "outer", "--attr", "step=build", "--"])
        .args([KOPAI, "exec", "--name", "inner", "--"])
        .args(["sh", "-c", "echo \"$TRACEPARENT $TRACESTATE\""]));
    assert_ok(&out);
    assert_eq!(out.stderr, "");
    let spans = spans(&server).await;
    assert_eq!(spans.len(), 2, "{spans:#?}");
    // The inner one ends, and is sent, first.
    let (inner, outer) = (&spans[0], &spans[1]);
    assert_eq!(
        (inner.name.as_str(), outer.name.as_str()),
        ("inner", "outer")
    );
    assert_eq!(hex(&outer.trace_id), "4bf92f3577b34da6a3ce929d0e0e4736");
    assert_eq!(hex(&outer.parent_span_id), "00f067aa0ba902b7");
    assert_eq!(inner.trace_id, outer.trace_id);
    assert_eq!(inner.parent_span_id, outer.span_id);
    assert_ne!(inner.span_id, outer.span_id);
    assert_eq!(out.stdout, format!("{} vendor=1\n", traceparent(inner)));
    assert_eq!(
        attribute(outer, "step"),
        Some(Any::StringValue("build".into()))
    );
    assert_eq!(
        attribute(inner, "process.command"),
        Some(Any::StringValue("sh".into()))
    );
    assert_eq!(
        attribute(inner, "process.exit.code"),
        Some(Any::IntValue(0))
    );
    for span in [inner, outer] {
        assert_eq!(span.status.as_ref().unwrap().code, StatusCode::Unset as i32);
        assert!(span.end_time_unix_nano >= span.start_time_unix_nano);
    }
    assert!(outer.start_time_unix_nano <= inner.start_time_unix_nano);
    assert!(outer.end_time_unix_nano >= inner.end_time_unix_nano);
}

#[tokio::test]
async fn a_new_trace_is_started_without_a_traceparent_and_named_after_the_command() {
    let server = receiver(ResponseTemplate::new(200)).await;
    let sb = Sandbox::new();
    let out = run(exec(&sb, &server).args(["--", "/bin/sh", "-c", "echo \"$TRACEPARENT\""]));
    assert_ok(&out);
    let spans = spans(&server).await;
    assert_eq!(spans.len(), 1);
    assert_eq!(spans[0].name, "sh");
    assert!(spans[0].parent_span_id.is_empty());
    assert_eq!(out.stdout, format!("{}\n", traceparent(&spans[0])));
}

#[tokio::test]
async fn a_malformed_traceparent_is_ignored_with_a_warning() {
    let server = receiver(ResponseTemplate::new(200)).await;
    let sb = Sandbox::new();
    let bad = "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01";
    let out = run(exec(&sb, &server)
        .env("TRACEPARENT", bad)
        .env("TRACESTATE", "belongs=to-the-bad-one")
        .args(["--", "sh", "-c", "echo \"$TRACEPARENT|$TRACESTATE\""]));
    assert_ok(&out);
    assert_eq!(
        out.stderr,
        format!(
            "warning: ignoring TRACEPARENT `{bad}`: the trace ID is not 32 lowercase hex \
             digits; starting a new trace\n"
        )
    );
    let spans = spans(&server).await;
    assert_eq!(spans.len(), 1);
    assert!(spans[0].parent_span_id.is_empty());
    assert_ne!(hex(&spans[0].trace_id), "4bf92f3577b34da6a3ce929d0e0e4736");
    assert_eq!(out.stdout, format!("{}|\n", traceparent(&spans[0])));
}

#[tokio::test]
async fn exit_codes_are_the_commands_own_and_recorded() {
    let server = receiver(ResponseTemplate::new(200)).await;
    let sb = Sandbox::new();
    let not_executable = sb.cwd.join("script.sh");
    write(&not_executable, "#!/bin/sh\necho hi\n");
    let cases: [(&[&str], i32, &str, &str); 5] = [
        (&["true"], 0, "", ""),
        (&["sh", "-c", "exit 3"], 3, "exited with 3", ""),
        (
            &["no-such-command-anywhere"],
            127,
            "no-such-command-anywhere: command not found",
            "error: no-such-command-anywhere: command not found\n",
        ),
        (
            &["./script.sh"],
            126,
            "./script.sh: permission denied (not an executable file)",
            "error: ./script.sh: permission denied (not an executable file)\n",
        ),
        (&["sh", "-c", "kill -KILL $$"], 137, "ended by SIGKILL", ""),
    ];
    for (command, code, message, stderr) in cases {
        server.reset().await;
        mount_receiver(&server).await;
        let out = run(exec(&sb, &server).arg("--").args(command));
        assert_eq!(out.code, code, "{command:?}: {}", out.stderr);
        assert_eq!(out.stderr, stderr, "{command:?}");
        let spans = spans(&server).await;
        assert_eq!(spans.len(), 1, "{command:?}");
        let span = &spans[0];
        let status = span.status.as_ref().unwrap();
        let expected = if code == 0 {
            StatusCode::Unset
        } else {
            StatusCode::Error
        };
        assert_eq!(status.code, expected as i32, "{command:?}");
        assert_eq!(status.message, message, "{command:?}");
        assert_eq!(
            attribute(span, "process.exit.code"),
            Some(Any::IntValue(code.into())),
            "{command:?}"
        );
    }
    let spans = spans(&server).await;
    assert_eq!(
        attribute(&spans[0], "process.exit.signal"),
        Some(Any::IntValue(9))
    );
    assert_eq!(
        attribute(&spans[0], "process.exit.signal_name"),
        Some(Any::StringValue("SIGKILL".into()))
    );
}

async fn mount_receiver(server: &MockServer) {
    use wiremock::matchers::{method, path};
    wiremock::Mock::given(method("POST"))
        .and(path("/v1/traces"))
        .respond_with(ResponseTemplate::new(200))
        .mount(server)
        .await;
}

#[tokio::test]
async fn output_and_input_pass_through_byte_for_byte() {
    let server = receiver(ResponseTemplate::new(200)).await;
    let sb = Sandbox::new();
    let bytes: Vec<u8> = (0..=255u8).cycle().take(300_000).collect();
    std::fs::write(sb.cwd.join("blob"), &bytes).unwrap();
    let out = exec(&sb, &server)
        .args(["--", "sh", "-c", "cat; cat blob >&2"])
        .write_stdin(bytes.clone())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stdout == bytes,
        "stdout differs ({} bytes)",
        out.stdout.len()
    );
    assert!(
        out.stderr == bytes,
        "stderr differs ({} bytes)",
        out.stderr.len()
    );
}

#[test]
fn an_unreachable_collector_is_a_warning_and_the_command_still_succeeds() {
    let sb = Sandbox::new();
    let started = Instant::now();
    let out = run(sb
        .kopai()
        .env("KOPAI_OTLP_URL", "http://127.0.0.1:1")
        .args(["exec", "--", "sh", "-c", "echo done"]));
    assert_ok(&out);
    assert_eq!(out.stdout, "done\n");
    assert!(
        out.stderr.starts_with(
            "warning: the span of `sh` was not sent: could not connect to http://127.0.0.1:1/v1/traces"
        ),
        "{}",
        out.stderr
    );
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
}

/// Each signal sent to kopai reaches the command, whose trap says so and exits; kopai mirrors
/// the exit code and records it.
#[tokio::test]
async fn signals_to_kopai_are_passed_on_to_the_command() {
    let server = receiver(ResponseTemplate::new(200)).await;
    for signal in ["INT", "TERM", "HUP", "QUIT"] {
        let sb = Sandbox::new();
        let script = format!(
            "trap 'echo got {signal}; exit 7' {signal}; echo ready; while :; do sleep 0.01; done"
        );
        let mut process = sb.process();
        process
            .env("KOPAI_OTLP_URL", server.uri())
            .args(["exec", "--", "sh", "-c", &script])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = process.spawn().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        assert_eq!(line, "ready\n", "{signal}");
        let sent = std::process::Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let mut rest = String::new();
        stdout.read_to_string(&mut rest).unwrap();
        assert_eq!(rest, format!("got {signal}\n"));
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(7), "{signal}");
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        assert_eq!(stderr, "", "{signal}");
    }
    assert_eq!(spans(&server).await.len(), 4);
}

/// The CI recipe: a root span sent first prints the TRACEPARENT later steps export, and each
/// step's `kopai exec` becomes its child.
#[tokio::test]
async fn a_pipeline_root_from_send_span_is_the_parent_of_each_step() {
    let server = receiver(ResponseTemplate::new(200)).await;
    let sb = Sandbox::new();
    let root = run(sb.kopai().env("KOPAI_OTLP_URL", server.uri()).args([
        "send",
        "span",
        "--name",
        "pipeline",
        "--print-traceparent",
    ]));
    assert_ok(&root);
    let exported = root.stdout.strip_prefix("TRACEPARENT=").unwrap().trim_end();
    assert_eq!(root.stdout.lines().count(), 1, "{}", root.stdout);
    for step in ["build", "test"] {
        assert_ok(&run(exec(&sb, &server)
            .env("TRACEPARENT", exported)
            .args(["--name", step, "--", "true"])));
    }
    let spans = spans(&server).await;
    assert_eq!(spans.len(), 3);
    assert_eq!(traceparent(&spans[0]), exported);
    for step in &spans[1..] {
        assert_eq!(step.trace_id, spans[0].trace_id);
        assert_eq!(step.parent_span_id, spans[0].span_id);
    }
}
