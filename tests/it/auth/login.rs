//! `kopai login`: where the token comes from, where it goes, and what is never lost.

use std::fs;

use crate::common::*;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer};

#[tokio::test]
async fn saves_token_from_stdin_after_the_server_accepts_it() {
    let sb = Sandbox::new();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/signals/traces/search"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(serde_json::json!({"limit": 1})))
        .respond_with(json_response(EMPTY_PAGE))
        .expect(1)
        .mount(&server)
        .await;

    let out = run(sb
        .kopai()
        .args(["login", "--url", &server.uri()])
        .write_stdin(format!("  {TOKEN}  \n")));

    assert_ok(&out);
    assert_eq!(out.stdout, format!("Logged in. Token: {PREFIX}\n"));
    assert_eq!(sb.scrub(&out.stderr), "Saved to [CWD]/.kopairc\n");
    assert_no_secret(&out, TOKEN);

    let text = read(&sb.local_rc());
    let config = saved(&sb.local_rc());
    assert_eq!(keys(&config), ["url", "token", "savedAt"]);
    assert_eq!(config["url"], server.uri());
    assert_eq!(config["token"], TOKEN);
    let saved_at = config["savedAt"].as_str().unwrap();
    assert!(
        saved_at.ends_with('Z') && saved_at.contains('T'),
        "{saved_at}"
    );
    // Two-space pretty JSON with a trailing newline, as the Node CLI writes it.
    assert!(text.starts_with("{\n  \"url\": "), "{text}");
    assert!(text.ends_with("\"\n}\n"), "{text}");
    assert!(!sb.home_rc().exists());
}

#[tokio::test]
async fn token_flag_and_global_write_the_home_file() {
    let sb = Sandbox::new();
    let server = accepting_server().await;
    let out = run(sb.kopai().args([
        "login",
        "--global",
        "--url",
        &server.uri(),
        "--token",
        TOKEN,
    ]));
    assert_ok(&out);
    assert_eq!(sb.scrub(&out.stderr), "Saved to [HOME]/.kopairc\n");
    assert_eq!(saved(&sb.home_rc())["token"], TOKEN);
    assert!(!sb.local_rc().exists());
}

#[tokio::test]
async fn config_flag_and_env_choose_the_file() {
    let sb = Sandbox::new();
    let server = accepting_server().await;
    let by_flag = sb.cwd.join("conf/flag.json");
    fs::create_dir_all(by_flag.parent().unwrap()).unwrap();
    let out = run(sb
        .kopai()
        .args(["login", "-c", "conf/flag.json", "--url", &server.uri()])
        .write_stdin(TOKEN));
    assert_ok(&out);
    assert_eq!(saved(&by_flag)["token"], TOKEN);

    let by_env = sb.cwd.join("env.json");
    let out = run(sb
        .kopai()
        .args(["login", "--url", &server.uri()])
        .env("KOPAI_CONFIG", &by_env)
        .write_stdin(TOKEN));
    assert_ok(&out);
    assert_eq!(saved(&by_env)["token"], TOKEN);
    assert!(!sb.local_rc().exists());
}

#[test]
fn config_with_global_is_a_usage_error() {
    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args(["login", "--global", "--config", "x.json", "--no-verify"])
        .write_stdin(TOKEN));
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: --config and --global cannot be used together\n"
    );
    assert!(!sb.cwd.join("x.json").exists() && !sb.home_rc().exists());
}

#[test]
fn empty_or_unsafe_tokens_are_refused_and_nothing_is_written() {
    let sb = Sandbox::new();
    for (stdin, message) in [
        ("\n", "error: Token cannot be empty.\n"),
        ("   \t \n", "error: Token cannot be empty.\n"),
        (
            "kpi_abc def\n",
            "error: the token contains whitespace at character 8; paste it again without it\n",
        ),
        (
            "kpi_abc\u{1b}def\n",
            "error: the token contains a control character at character 8; paste it again without it\n",
        ),
    ] {
        let out = run(sb.kopai().args(["login", "--no-verify"]).write_stdin(stdin));
        assert_eq!(out.code, 2, "{stdin:?}");
        assert_eq!(out.stdout, "");
        assert_eq!(out.stderr, message, "{stdin:?}");
    }
    assert!(!sb.local_rc().exists());
}

#[test]
fn no_terminal_and_empty_stdin_fails_at_once_with_a_hint() {
    let sb = Sandbox::new();
    let out = run(sb.kopai().args(["login", "--no-verify"]).write_stdin(""));
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: no token: stdin is not a terminal and is empty\n\
         hint: pipe it in (`echo \"$KOPAI_TOKEN\" | kopai login`) or pass --token\n"
    );
    assert!(!sb.local_rc().exists());
}

#[test]
fn only_http_and_https_urls_are_accepted() {
    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args(["login", "--no-verify", "--url", "ftp://kopai.example.com"])
        .write_stdin(TOKEN));
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: --url: `ftp://kopai.example.com` must start with http:// or https://\n"
    );
    let out = run(sb
        .kopai()
        .args(["login", "--no-verify"])
        .env("KOPAI_URL", "not a url")
        .write_stdin(TOKEN));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with("error: KOPAI_URL: `not a url` is not a valid URL"),
        "{}",
        out.stderr
    );
    assert!(!sb.local_rc().exists());
}

#[tokio::test]
async fn url_trailing_slash_and_signals_are_stripped() {
    let sb = Sandbox::new();
    let server = accepting_server().await;
    let out = run(sb
        .kopai()
        .args(["login", "--url", &format!("{}/signals/", server.uri())])
        .write_stdin(TOKEN));
    assert_ok(&out);
    assert_eq!(saved(&sb.local_rc())["url"], server.uri());
}

#[tokio::test]
async fn url_comes_from_env_then_the_file_then_the_default() {
    let sb = Sandbox::new();
    let server = accepting_server().await;
    let out = run(sb
        .kopai()
        .arg("login")
        .env("KOPAI_URL", server.uri())
        .write_stdin(TOKEN));
    assert_ok(&out);
    assert_eq!(saved(&sb.local_rc())["url"], server.uri());

    // Re-logging in after the token expired keeps the self-hosted URL.
    let out = run(sb
        .kopai()
        .arg("login")
        .write_stdin("kpi_second_token_123456"));
    assert_ok(&out);
    let config = saved(&sb.local_rc());
    assert_eq!(config["url"], server.uri());
    assert_eq!(config["token"], "kpi_second_token_123456");

    let fresh = Sandbox::new();
    let out = run(fresh
        .kopai()
        .args(["login", "--no-verify"])
        .write_stdin(TOKEN));
    assert_ok(&out);
    assert_eq!(saved(&fresh.local_rc())["url"], "https://kopai.app");
}

#[tokio::test]
async fn rejected_tokens_exit_4_and_write_nothing() {
    for (status, message) in [
        (401, "error: Token is invalid or expired.\n"),
        (
            403,
            "error: Token does not have permission for /signals/traces/search (HTTP 403).\n",
        ),
    ] {
        let sb = Sandbox::new();
        let server = server_answering(status).await;
        let out = run(sb
            .kopai()
            .args(["login", "--url", &server.uri()])
            .write_stdin(TOKEN));
        assert_eq!(out.code, 4, "{status}");
        assert_eq!(out.stdout, "");
        assert!(out.stderr.starts_with(message), "{}", out.stderr);
        assert!(out.stderr.contains("kopai login"), "{}", out.stderr);
        assert!(!sb.local_rc().exists());
    }
}

#[tokio::test]
async fn unvalidated_tokens_are_saved_with_a_warning() {
    let html = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            wiremock::ResponseTemplate::new(200).set_body_raw("<html></html>", "text/html"),
        )
        .mount(&html)
        .await;
    let broken = server_answering(500).await;
    let cases = [
        (broken.uri(), "Internal Server Error (HTTP 500)"),
        (html.uri(), "expected JSON, got text/html"),
        (
            "http://127.0.0.1:1".to_owned(),
            "could not connect to http://127.0.0.1:1",
        ),
    ];
    for (url, reason) in cases {
        let sb = Sandbox::new();
        let out = run(sb
            .kopai()
            .args(["login", "--timeout", "2000", "--url", &url])
            .write_stdin(TOKEN));
        assert_eq!(out.code, 0, "{url}: {}", out.stderr);
        assert_eq!(out.stdout, format!("Logged in. Token: {PREFIX}\n"));
        assert!(
            out.stderr
                .starts_with("warning: could not validate the token (")
                && out.stderr.contains(reason)
                && out.stderr.contains("saving it anyway"),
            "{}",
            out.stderr
        );
        assert_eq!(saved(&sb.local_rc())["token"], TOKEN);
    }
}

#[tokio::test]
async fn no_verify_sends_nothing() {
    let sb = Sandbox::new();
    let server = MockServer::start().await;
    let out = run(sb
        .kopai()
        .args(["login", "--no-verify", "--url", &server.uri()])
        .write_stdin(TOKEN));
    assert_ok(&out);
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn kopai_token_in_the_environment_is_mentioned() {
    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args(["login", "--no-verify"])
        .env("KOPAI_TOKEN", "kpi_from_env_999999")
        .write_stdin(TOKEN));
    assert_ok(&out);
    assert!(
        out.stderr
            .contains("note: KOPAI_TOKEN is set and takes precedence over the saved token"),
        "{}",
        out.stderr
    );
    assert_eq!(saved(&sb.local_rc())["token"], TOKEN);
}

#[test]
fn plain_http_to_another_host_warns() {
    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args(["login", "--no-verify", "--url", "http://kopai.example.com"])
        .write_stdin(TOKEN));
    assert_ok(&out);
    assert!(out.stderr.starts_with(
        "warning: http://kopai.example.com uses plain http: the token is sent unencrypted; use https\n"
    ));
    let out = run(sb
        .kopai()
        .args(["login", "--no-verify", "--url", "http://127.0.0.1:8000"])
        .write_stdin(TOKEN));
    assert!(!out.stderr.contains("plain http"), "{}", out.stderr);
}

#[test]
fn kopai_config_wins_over_global_and_says_so() {
    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args(["login", "--global", "--no-verify"])
        .env("KOPAI_CONFIG", "team.json")
        .write_stdin(TOKEN));
    assert_ok(&out);
    assert!(
        out.stderr.starts_with(
            "warning: KOPAI_CONFIG is set, so team.json is used instead of ~/.kopairc\n"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(saved(&sb.cwd.join("team.json"))["token"], TOKEN);
    assert!(!sb.home_rc().exists());
}
