//! `whoami` shows where `kopai send` would send and with which ingest token, and where each
//! came from, as it does for the API URL and the CLI token.

use crate::common::*;
use serde_json::Value;

const INGEST: &str = "kpi_ingest_0123456789abcdefghijklmnopq";

/// Flags, variables, the two OTLP lines `whoami` prints, and the four `--json` keys.
type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str, Value);

/// The two OTLP lines of `whoami --no-verify`, and its `--json` report's four OTLP keys.
fn shown(sb: &Sandbox, args: &[&str], env: &[(&str, &str)]) -> (String, Value) {
    let whoami = |json: bool| {
        let mut cmd = sb.kopai();
        cmd.args(["whoami", "--no-verify"]).args(args);
        if json {
            cmd.arg("--json");
        }
        for (name, value) in env {
            cmd.env(name, value);
        }
        let out = run(&mut cmd);
        assert_ok(&out);
        assert_eq!(out.stderr, "");
        assert_no_secret(&out, INGEST);
        out.stdout
    };
    let text = whoami(false);
    let lines: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with("OTLP: ") || line.starts_with("Ingest token: "))
        .collect();
    let report: Value = serde_json::from_str(&whoami(true)).unwrap();
    let keys = [
        "otlpUrl",
        "otlpUrlSource",
        "ingestTokenPrefix",
        "ingestTokenSource",
    ];
    (
        sb.scrub(&lines.join("\n")),
        keys.iter().map(|key| report[key].clone()).collect(),
    )
}

#[test]
fn whoami_says_where_the_otlp_endpoint_and_ingest_token_come_from() {
    let sb = Sandbox::new();
    write_private(
        &sb.local_rc(),
        &format!(
            r#"{{"url": "http://127.0.0.1:8000", "token": "{TOKEN}",
                "profiles": {{"ci": {{"token": "{TOKEN}", "otlp_url": "https://otlp.example.com", "ingest_token": "{INGEST}"}}}}}}"#
        ),
    );
    let cases: [Case; 7] = [
        // Nothing given: derived from the API URL, no ingest token.
        (
            &[],
            &[],
            "OTLP: http://127.0.0.1:4318 (derived from the API URL)\nIngest token: none",
            serde_json::json!(["http://127.0.0.1:4318", "derived", null, null]),
        ),
        // The profile's otlp_url and ingest_token.
        (
            &["--profile", "ci"],
            &[],
            "OTLP: https://otlp.example.com (from otlp_url in [CWD]/.kopairc, profile ci)\n\
             Ingest token: kpi_ingest... (from ingest_token in [CWD]/.kopairc, profile ci)",
            serde_json::json!(["https://otlp.example.com", "config", "kpi_ingest", "config"]),
        ),
        // The OpenTelemetry SDK's variables beat the profile.
        (
            &["--profile", "ci"],
            &[
                ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"),
                (
                    "OTEL_EXPORTER_OTLP_HEADERS",
                    "x-team=a,Authorization=Bearer%20kpi_otel_header_0000000",
                ),
            ],
            "OTLP: http://collector:4318 (from OTEL_EXPORTER_OTLP_ENDPOINT)\n\
             Ingest token: kpi_otel_h... (from OTEL_EXPORTER_OTLP_HEADERS)",
            serde_json::json!(["http://collector:4318", "env", "kpi_otel_h", "env"]),
        ),
        // The traces variable is a whole URL, shown as it is.
        (
            &[],
            &[
                (
                    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                    "http://collector:4318/v1/traces",
                ),
                ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://other:4318"),
            ],
            "OTLP: http://collector:4318/v1/traces (from OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)\n\
             Ingest token: none",
            serde_json::json!(["http://collector:4318/v1/traces", "env", null, null]),
        ),
        // kopai's variables beat the SDK's.
        (
            &["--profile", "ci"],
            &[
                ("KOPAI_OTLP_URL", "http://kopai-otlp:4318"),
                ("KOPAI_INGEST_TOKEN", "kpi_env_ingest_00000000"),
                ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"),
                (
                    "OTEL_EXPORTER_OTLP_HEADERS",
                    "Authorization=Bearer%20kpi_otel_header_0000000",
                ),
            ],
            "OTLP: http://kopai-otlp:4318 (from KOPAI_OTLP_URL)\n\
             Ingest token: kpi_env_in... (from KOPAI_INGEST_TOKEN)",
            serde_json::json!(["http://kopai-otlp:4318", "env", "kpi_env_in", "env"]),
        ),
        // Flags beat everything.
        (
            &[
                "--profile",
                "ci",
                "--otlp-url",
                "http://flag:4318",
                "--ingest-token",
                INGEST,
            ],
            &[
                ("KOPAI_OTLP_URL", "http://kopai-otlp:4318"),
                ("KOPAI_INGEST_TOKEN", "kpi_env_ingest_00000000"),
            ],
            "OTLP: http://flag:4318 (from --otlp-url)\n\
             Ingest token: kpi_ingest... (from --ingest-token)",
            serde_json::json!(["http://flag:4318", "flag", "kpi_ingest", "flag"]),
        ),
        // The hosted API sends to the hosted OTLP endpoint.
        (
            &["--url", "https://kopai.app"],
            &[],
            "OTLP: https://otlp.kopai.app (derived from the API URL)\nIngest token: none",
            serde_json::json!(["https://otlp.kopai.app", "derived", null, null]),
        ),
    ];
    for (args, env, text, json) in cases {
        assert_eq!(
            shown(&sb, args, env),
            (text.to_owned(), json),
            "{args:?} {env:?}"
        );
    }
}

/// A setting kopai send would refuse is said, without failing whoami, which is about the CLI
/// token; the rest of the report stands.
#[test]
fn a_broken_otlp_setting_is_a_warning_naming_it() {
    let sb = Sandbox::new();
    let env = [
        ("KOPAI_TOKEN", TOKEN),
        ("KOPAI_OTLP_URL", "ftp://collector"),
        ("OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Basic%20abc"),
    ];
    let out = run(sb.kopai().args(["whoami", "--no-verify"]).envs(env));
    assert_ok(&out);
    assert_eq!(
        out.stdout,
        format!(
            "Token: {PREFIX} (from KOPAI_TOKEN)\nURL: https://kopai.app (default)\n\
             OTLP: invalid\nIngest token: invalid\n"
        )
    );
    assert_eq!(
        out.stderr,
        "warning: KOPAI_OTLP_URL: `ftp://collector` must start with http:// or https://\n\
         warning: OTEL_EXPORTER_OTLP_HEADERS: the Authorization value must be `Bearer TOKEN`\n"
    );

    let out = run(sb
        .kopai()
        .args(["whoami", "--no-verify", "--json"])
        .envs(env));
    assert_ok(&out);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        (&report["otlpUrl"], &report["otlpUrlSource"]),
        (&Value::Null, &Value::from("invalid"))
    );
    assert_eq!(
        (&report["ingestTokenPrefix"], &report["ingestTokenSource"]),
        (&Value::Null, &Value::from("invalid"))
    );
    assert_eq!(report["status"], "skipped");
}

/// A bad flag given to whoami itself is exit 2, as any bad flag is, before any request.
#[test]
fn a_bad_otlp_flag_is_a_usage_error() {
    let sb = Sandbox::new();
    let cases = [
        (
            ["--otlp-url", "ftp://collector"],
            "error: --otlp-url: `ftp://collector` must start with http:// or https://\n",
        ),
        (
            ["--ingest-token", "kpi_a b"],
            "error: --ingest-token: the token contains whitespace at character 6; paste it \
             again without it\n",
        ),
    ];
    for (flag, stderr) in cases {
        let out = run(sb
            .kopai()
            .args(["whoami", "--url", "http://127.0.0.1:9"])
            .args(flag)
            .env("KOPAI_TOKEN", TOKEN));
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert_eq!(out.stdout, "");
        assert_eq!(out.stderr, stderr);
    }
}

/// Each `send` subcommand's help says how to see what it would use.
#[test]
fn send_help_points_at_whoami() {
    for signal in ["span", "log", "metric"] {
        let out = run(Sandbox::new().kopai().args(["send", signal, "--help"]));
        assert_ok(&out);
        let text = out.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            text.contains(
                "`kopai whoami` shows the OTLP endpoint and ingest token in use and where each \
                 came from"
            ),
            "{signal}: {}",
            out.stdout
        );
    }
}
