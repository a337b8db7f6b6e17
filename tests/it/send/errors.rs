//! Bad input to `kopai send span|log|metric` (issue #19 item 5; span's first cases are in
//! span.rs): each is exit 2 with one line naming the flag or variable at fault, before anything
//! is sent.

use crate::common::*;

use wiremock::ResponseTemplate;

use super::receiver_of;

#[tokio::test]
async fn bad_input_is_a_one_line_error_naming_the_flag_and_sends_nothing() {
    let server = receiver_of("/v1/logs", ResponseTemplate::new(200)).await;
    let log = ["send", "log", "--body", "b"];
    let metric = ["send", "metric", "--name", "m", "--value", "1"];
    let span = ["send", "span", "--name", "a"];
    let cases: [(&[&str], &[&str], &str); 32] = [
        (&span, &["--name", ""], "--name"),
        (&span, &["--service", " "], "--service"),
        (&span, &["--resource-attr", "novalue"], "--resource-attr"),
        (&span, &["--duration", "-5ms"], "--duration"),
        (&span, &["--duration", "100000d"], "--duration"),
        (&span, &["--start", "-1"], "--start"),
        (
            &span,
            &["--start", "2554-07-21T23:00:00Z", "--duration", "1h"],
            "--start plus --duration",
        ),
        (&log, &["--service", ""], "--service"),
        (&log, &["--time", "-5"], "--time"),
        (&metric, &["--name", ""], "--name"),
        (&metric, &["--time", "-5"], "--time"),
        (&log, &["--attr", "novalue"], "--attr"),
        (&log, &["--attr", "=v"], "--attr"),
        (&log, &["--resource-attr", "novalue"], "--resource-attr"),
        (&log, &["--severity", "loud"], "--severity"),
        (&log, &["--severity", "info5"], "--severity"),
        (&log, &["--severity", "17"], "--severity"),
        (&log, &["--time", "yesterday"], "--time"),
        (&log, &["--time", "99999999999999999999"], "--time"),
        (&log, &["--trace-id", "xyz"], "--trace-id"),
        (&log, &["--span-id", "00f067aa0ba902b7"], "--trace-id"),
        (&log, &["--otlp-url", "ftp://collector"], "--otlp-url"),
        (&metric, &["--type", "counter"], "--type"),
        (&metric, &["--attr", "novalue"], "--attr"),
        (&metric, &["--resource-attr", "k"], "--resource-attr"),
        (&metric, &["--value", "NaN"], "--value"),
        (&metric, &["--value", "-inf"], "--value"),
        (&metric, &["--value", "1e999"], "--value"),
        (&metric, &["--value", "99999999999999999999"], "--value"),
        (&metric, &["--value", "12ms"], "--value"),
        (&metric, &["--type", "sum", "--value", "-2"], "--value"),
        (&metric, &["--otlp-url", "collector:4318"], "--otlp-url"),
    ];
    for (command, args, named) in cases {
        let out = run(Sandbox::new()
            .kopai()
            .args(command)
            .args(args)
            .env("KOPAI_OTLP_URL", server.uri()));
        assert_failed(&out, 2);
        // The error itself, before clap's usage line (a missing flag is named on the next line).
        let error = out.stderr.split("\n\nUsage").next().unwrap_or_default();
        assert!(
            error.starts_with("error:") && error.contains(named),
            "{args:?}: {}",
            out.stderr
        );
        assert!(!out.stderr.contains("panicked"), "{args:?}: {}", out.stderr);
    }
    for (command, var) in [
        (&log[..], "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT"),
        (&metric[..], "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"),
    ] {
        let out = run(Sandbox::new()
            .kopai()
            .args(command)
            .env(var, "file:///etc/passwd"));
        assert_failed(&out, 2);
        assert!(out.stderr.contains(var), "{var}: {}", out.stderr);
    }
    assert!(requests(&server).await.is_empty());
}
