//! `kopai whoami`: resolution order, statuses, exit codes.

use crate::common::*;
use serde_json::{json, Value};

fn days_ago(days: i64) -> String {
    (jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * days)).to_string()
}

#[tokio::test]
async fn valid_token_prints_the_node_lines() {
    let sb = Sandbox::new();
    let server = accepting_server().await;
    write_private(&sb.local_rc(), &config(&server.uri(), TOKEN));
    let out = run(sb.kopai().arg("whoami"));
    assert_ok(&out);
    assert_eq!(
        sb.scrub(&out.stdout),
        format!(
            "Token: {PREFIX} (from [CWD]/.kopairc)\nURL: {}\n\
             OTLP: http://127.0.0.1:4318 (derived from the API URL)\nIngest token: none\n\
             Token is valid.\n",
            server.uri()
        )
    );
    assert_eq!(out.stderr, "");
    assert_no_secret(&out, TOKEN);
}

#[tokio::test]
async fn statuses_and_exit_codes() {
    let cases = [
        (401, 4, "Token is invalid or expired.\n"),
        (
            403,
            4,
            "Token was rejected: it lacks permission (HTTP 403).\n",
        ),
        (503, 1, "Could not reach server to validate token.\n"),
    ];
    for (status, code, line) in cases {
        let sb = Sandbox::new();
        let server = server_answering(status).await;
        let out = run(sb.kopai().args([
            "whoami",
            "--timeout",
            "200",
            "--url",
            &server.uri(),
            "--token",
            TOKEN,
        ]));
        assert_eq!(out.code, code, "{status}: {}", out.stderr);
        assert!(out.stdout.ends_with(line), "{status}: {}", out.stdout);
        assert_no_secret(&out, TOKEN);
    }
}

#[tokio::test]
async fn an_expired_token_shows_the_remedy() {
    let sb = Sandbox::new();
    let server = server_answering(401).await;
    let out = run(sb
        .kopai()
        .args(["whoami", "--url", &server.uri(), "--token", TOKEN]));
    assert_eq!(out.code, 4);
    assert_eq!(
        out.stderr,
        "hint: create a new CLI token in the dashboard (Settings → Access Tokens), then run `kopai login`\n"
    );
}

#[test]
fn unreachable_server_gives_the_reason_on_stderr() {
    let sb = Sandbox::new();
    let out = run(sb.kopai().args([
        "whoami",
        "--timeout",
        "1500",
        "--url",
        "http://127.0.0.1:1",
        "--token",
        TOKEN,
    ]));
    assert_eq!(out.code, 1);
    assert!(out
        .stdout
        .ends_with("Could not reach server to validate token.\n"));
    assert!(
        out.stderr
            .starts_with("error: could not connect to http://127.0.0.1:1/signals/traces/search: "),
        "{}",
        out.stderr
    );
}

#[test]
fn not_logged_in_exits_4() {
    let sb = Sandbox::new();
    let out = run(sb.kopai().arg("whoami"));
    assert_eq!(out.code, 4);
    assert_eq!(
        out.stdout,
        "OTLP: https://otlp.kopai.app (derived from the API URL)\nIngest token: none\n\
         Not logged in.\n"
    );
    assert_eq!(out.stderr, "hint: run `kopai login` or set KOPAI_TOKEN\n");
}

#[tokio::test]
async fn no_verify_sends_nothing_and_shows_the_default_url() {
    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args(["whoami", "--no-verify"])
        .env("KOPAI_TOKEN", TOKEN));
    assert_ok(&out);
    assert_eq!(
        out.stdout,
        format!(
            "Token: {PREFIX} (from KOPAI_TOKEN)\nURL: https://kopai.app (default)\n\
             OTLP: https://otlp.kopai.app (derived from the API URL)\nIngest token: none\n"
        )
    );
}

/// The first config that exists is used whole: --config → KOPAI_CONFIG → ./.kopairc → ~/.kopairc.
#[test]
fn config_resolution_order() {
    let sb = Sandbox::new();
    let whoami = |sb: &Sandbox, extra: &[&str], env: Option<&str>| {
        let mut cmd = sb.kopai();
        cmd.args(["whoami", "--no-verify", "--json"]).args(extra);
        if let Some(path) = env {
            cmd.env("KOPAI_CONFIG", path);
        }
        let out = run(&mut cmd);
        let report: Value = serde_json::from_str(&out.stdout).expect("one JSON object");
        (
            report["tokenPrefix"].clone(),
            sb.scrub(report["configPath"].as_str().unwrap_or("")),
        )
    };
    write(
        &sb.home_rc(),
        &config("http://127.0.0.1:9", "kpi_home_token_0000000"),
    );
    assert_eq!(
        whoami(&sb, &[], None),
        (json!("kpi_home_t"), "[HOME]/.kopairc".into())
    );

    // A local file without a token still wins: it is used whole, never merged with ~/.kopairc.
    write(&sb.local_rc(), r#"{"url": "http://127.0.0.1:9"}"#);
    assert_eq!(
        whoami(&sb, &[], None),
        (Value::Null, "[CWD]/.kopairc".into())
    );

    write(
        &sb.cwd.join("env.json"),
        &config("http://127.0.0.1:9", "kpi_envfile_token_0000"),
    );
    assert_eq!(
        whoami(&sb, &[], Some("env.json")),
        (json!("kpi_envfil"), "[CWD]/env.json".into())
    );

    write(
        &sb.cwd.join("flag.json"),
        &config("http://127.0.0.1:9", "kpi_flagfile_token_000"),
    );
    assert_eq!(
        whoami(&sb, &["--config", "flag.json"], Some("env.json")),
        (json!("kpi_flagfi"), "[CWD]/flag.json".into())
    );
}

#[test]
fn a_named_config_that_does_not_exist_is_an_error() {
    let sb = Sandbox::new();
    let out = run(sb.kopai().args(["whoami", "-c", "missing.json"]));
    assert_eq!(out.code, 3);
    assert_eq!(
        out.stderr,
        "error: config file missing.json does not exist\n\
         hint: check --config / KOPAI_CONFIG, or run `kopai login` to create it\n"
    );
    let out = run(sb.kopai().arg("whoami").env("KOPAI_CONFIG", "gone.json"));
    assert_eq!(out.code, 3);
}

#[test]
fn flag_beats_env_beats_config() {
    let sb = Sandbox::new();
    write(
        &sb.local_rc(),
        &config("http://127.0.0.1:7", "kpi_config_token_11111"),
    );
    let report = |extra: &[&str], env: &[(&str, &str)]| -> Value {
        let mut cmd = sb.kopai();
        cmd.args(["whoami", "--no-verify", "--json"]).args(extra);
        for (k, v) in env {
            cmd.env(k, v);
        }
        serde_json::from_str(&run(&mut cmd).stdout).unwrap()
    };
    let r = report(&[], &[]);
    assert_eq!(
        (r["tokenSource"].as_str(), r["urlSource"].as_str()),
        (Some("config"), Some("config"))
    );
    assert_eq!(r["url"], "http://127.0.0.1:7");

    let env = [
        ("KOPAI_TOKEN", "kpi_env_token_22222222"),
        ("KOPAI_URL", "http://127.0.0.1:8/"),
    ];
    let r = report(&[], &env);
    assert_eq!(
        (r["tokenPrefix"].as_str(), r["url"].as_str()),
        (Some("kpi_env_to"), Some("http://127.0.0.1:8"))
    );
    assert_eq!(
        (r["tokenSource"].as_str(), r["urlSource"].as_str()),
        (Some("env"), Some("env"))
    );

    let r = report(
        &[
            "--token",
            "kpi_flag_token_3333333",
            "--url",
            "http://127.0.0.1:9",
        ],
        &env,
    );
    assert_eq!(
        (r["tokenPrefix"].as_str(), r["url"].as_str()),
        (Some("kpi_flag_t"), Some("http://127.0.0.1:9"))
    );
    assert_eq!(
        (r["tokenSource"].as_str(), r["urlSource"].as_str()),
        (Some("flag"), Some("flag"))
    );
}

#[tokio::test]
async fn json_report_has_every_field() {
    let sb = Sandbox::new();
    let server = accepting_server().await;
    let saved_at = days_ago(3);
    write(
        &sb.local_rc(),
        &format!(
            r#"{{"url": "{}", "token": "{TOKEN}", "savedAt": "{saved_at}"}}"#,
            server.uri()
        ),
    );
    let out = run(sb.kopai().args(["whoami", "--json"]));
    assert_ok(&out);
    let expected = json!({
        "loggedIn": true,
        "status": "valid",
        "tokenPrefix": PREFIX.trim_end_matches("..."),
        "tokenSource": "config",
        "configPath": sb.local_rc().display().to_string(),
        "url": server.uri(),
        "urlSource": "config",
        "savedAt": saved_at,
        "profile": "default",
        "otlpUrl": "http://127.0.0.1:4318",
        "otlpUrlSource": "derived",
        "ingestTokenPrefix": null,
        "ingestTokenSource": null,
    });
    assert_eq!(
        out.stdout,
        format!("{}\n", serde_json::to_string_pretty(&expected).unwrap())
    );

    let out = run(sb.kopai().args([
        "whoami",
        "--json",
        "--url",
        "http://127.0.0.1:1",
        "--timeout",
        "1500",
    ]));
    assert_eq!(out.code, 1);
    let report: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(report["status"], "unreachable");

    let empty = Sandbox::new();
    let out = run(empty.kopai().args(["whoami", "--json"]));
    assert_eq!(out.code, 4);
    let expected = json!({
        "loggedIn": false, "status": "not_logged_in", "tokenPrefix": null, "tokenSource": null,
        "configPath": null, "url": "https://kopai.app", "urlSource": "default", "savedAt": null,
        "profile": "default", "otlpUrl": "https://otlp.kopai.app", "otlpUrlSource": "derived",
        "ingestTokenPrefix": null, "ingestTokenSource": null,
    });
    assert_eq!(
        serde_json::from_str::<Value>(&out.stdout).unwrap(),
        expected
    );

    let out = run(empty
        .kopai()
        .args(["whoami", "--json", "--no-verify", "--token", TOKEN]));
    assert_ok(&out);
    assert_eq!(
        serde_json::from_str::<Value>(&out.stdout).unwrap()["status"],
        "skipped"
    );
}

#[test]
fn token_age_is_shown_and_warned_about_from_day_76() {
    for (days, warning) in [
        (10, None),
        (80, Some("warning: this token expires in about 10 days")),
        (
            95,
            Some("warning: this token was saved 95 days ago and CLI tokens expire after 90 days"),
        ),
    ] {
        let sb = Sandbox::new();
        write_private(
            &sb.local_rc(),
            &format!(r#"{{"token": "{TOKEN}", "savedAt": "{}"}}"#, days_ago(days)),
        );
        let out = run(sb.kopai().args(["whoami", "--no-verify"]));
        assert_ok(&out);
        assert!(
            out.stdout.contains(&format!("({days} days ago)")),
            "{}",
            out.stdout
        );
        match warning {
            Some(w) => assert!(out.stderr.starts_with(w), "{days}: {}", out.stderr),
            None => assert_eq!(out.stderr, ""),
        }
    }
}

#[cfg(unix)]
#[test]
fn a_config_readable_by_others_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    write(&sb.local_rc(), &config("http://127.0.0.1:9", TOKEN));
    std::fs::set_permissions(sb.local_rc(), std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = run(sb.kopai().args(["whoami", "--no-verify"]));
    assert_eq!(
        sb.scrub(&out.stderr),
        "warning: [CWD]/.kopairc holds a token and can be read by other users; run `chmod 600 .kopairc`\n"
    );
    std::fs::set_permissions(sb.local_rc(), std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(run(sb.kopai().args(["whoami", "--no-verify"])).stderr, "");
}

#[test]
fn bad_configs_exit_3_naming_the_file() {
    let sb = Sandbox::new();
    write(&sb.home_rc(), "{\"token\": true}");
    let out = run(sb.kopai().arg("whoami"));
    assert_eq!(out.code, 3);
    assert!(
        sb.scrub(&out.stderr)
            .starts_with("error: config file [HOME]/.kopairc: \"token\" must be a string\n"),
        "{}",
        out.stderr
    );
    write(&sb.home_rc(), "{\"url\": \"ftp://x\"}");
    let out = run(sb.kopai().arg("whoami"));
    assert_eq!(out.code, 3);
    assert!(
        out.stderr
            .contains("\"url\": `ftp://x` must start with http:// or https://"),
        "{}",
        out.stderr
    );
}

#[test]
fn bad_token_from_flag_or_env_exits_2() {
    let sb = Sandbox::new();
    let out = run(sb.kopai().args(["whoami", "--token", "kpi bad"]));
    assert_eq!(out.code, 2);
    assert!(out
        .stderr
        .starts_with("error: --token: the token contains whitespace"));
    let out = run(sb.kopai().arg("whoami").env("KOPAI_TOKEN", "kpi\u{7}bad"));
    assert_eq!(out.code, 2);
    assert!(out
        .stderr
        .starts_with("error: KOPAI_TOKEN: the token contains a control character"));
}

// ---- snapshots: what a user sees, whole ----

#[test]
fn whoami_not_logged_in_snapshot() {
    let sb = Sandbox::new();
    kopai_snapshot!(sb.kopai().arg("whoami"));
}

#[tokio::test]
async fn whoami_from_a_config_file_snapshot() {
    let sb = Sandbox::new();
    let server = accepting_server().await;
    write_private(&sb.local_rc(), &config(&server.uri(), TOKEN));
    let out = kopai_snapshot!(run(sb.kopai().arg("whoami")));
    assert_no_secret(&out, TOKEN);
}
