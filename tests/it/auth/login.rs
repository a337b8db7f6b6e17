//! `kopai login`: where the token comes from, where it goes, and what is never lost.

use std::fs;
use std::path::Path;

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
fn unknown_fields_and_key_order_are_kept() {
    let sb = Sandbox::new();
    write(
        &sb.local_rc(),
        r#"{"team": "payments", "token": "kpi_old", "nested": {"z": [1, 2.50], "a": null}, "url": "http://127.0.0.1:9"}"#,
    );
    let out = run(sb.kopai().args(["login", "--no-verify"]).write_stdin(TOKEN));
    assert_ok(&out);
    let text = read(&sb.local_rc());
    let config = saved(&sb.local_rc());
    assert_eq!(keys(&config), ["team", "token", "nested", "url", "savedAt"]);
    assert_eq!(config["token"], TOKEN);
    assert_eq!(config["url"], "http://127.0.0.1:9");
    assert!(
        text.contains(
            "\"nested\": {\n    \"z\": [\n      1,\n      2.50\n    ],\n    \"a\": null\n  }"
        ),
        "{text}"
    );
}

#[test]
fn unreadable_configs_are_never_overwritten() {
    let cases = [
        (
            "{\"url\": \"x\",\n  \"token\": \n",
            "is not valid JSON: EOF while parsing a value at line 3, column 0",
        ),
        (r#"{"token": 5}"#, "\"token\" must be a string"),
        (
            r#"{"url": ["https://kopai.app"]}"#,
            "\"url\" must be a string",
        ),
        ("[1, 2]", "must contain a JSON object"),
        ("", "is not valid JSON"),
    ];
    for (content, problem) in cases {
        let sb = Sandbox::new();
        write(&sb.local_rc(), content);
        let out = run(sb.kopai().args(["login", "--no-verify"]).write_stdin(TOKEN));
        assert_eq!(out.code, 3, "{content}");
        assert_eq!(out.stdout, "");
        let stderr = sb.scrub(&out.stderr);
        assert!(
            stderr.starts_with("error: config file .kopairc"),
            "{stderr}"
        );
        assert!(stderr.contains(problem), "{stderr}");
        assert!(stderr.contains("hint: "), "{stderr}");
        assert_eq!(read(&sb.local_rc()), content, "file changed");
    }
}

#[cfg(unix)]
#[test]
fn saved_files_are_private_even_when_they_were_not() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;

    let out = run(sb.kopai().args(["login", "--no-verify"]).write_stdin(TOKEN));
    assert_ok(&out);
    assert_eq!(mode(&sb.local_rc()), 0o600);

    fs::set_permissions(sb.local_rc(), fs::Permissions::from_mode(0o644)).unwrap();
    let out = run(sb.kopai().args(["login", "--no-verify"]).write_stdin(TOKEN));
    assert_ok(&out);
    assert_eq!(mode(&sb.local_rc()), 0o600);
}

#[cfg(unix)]
#[test]
fn a_symlinked_config_stays_a_symlink() {
    let sb = Sandbox::new();
    let real = sb.home.join("dotfiles/kopairc.json");
    write(&real, r#"{"url": "http://127.0.0.1:9", "keep": true}"#);
    std::os::unix::fs::symlink(&real, sb.local_rc()).unwrap();

    let out = run(sb.kopai().args(["login", "--no-verify"]).write_stdin(TOKEN));
    assert_ok(&out);
    assert!(fs::symlink_metadata(sb.local_rc())
        .unwrap()
        .file_type()
        .is_symlink());
    let config = saved(&real);
    assert_eq!(config["token"], TOKEN);
    assert_eq!(config["keep"], true);
    // The temp file went next to the target, and is gone.
    assert_eq!(fs::read_dir(real.parent().unwrap()).unwrap().count(), 1);
}

#[test]
fn twelve_concurrent_logins_never_tear_the_file() {
    let sb = Sandbox::new();
    write(&sb.local_rc(), r#"{"keep": "me"}"#);
    let tokens: Vec<String> = (0..12)
        .map(|i| format!("kpi_concurrent_{i:02}_abcdef"))
        .collect();
    let children: Vec<_> = tokens
        .iter()
        .map(|token| {
            sb.process()
                .args(["login", "--no-verify", "--token", token])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let config = saved(&sb.local_rc());
    assert_eq!(config["keep"], "me");
    assert!(tokens.iter().any(|t| config["token"] == t.as_str()));
    let leftovers: Vec<_> = fs::read_dir(&sb.cwd)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != ".kopairc")
        .collect();
    assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");
}

#[test]
fn a_directory_in_the_way_is_a_config_error() {
    let sb = Sandbox::new();
    fs::create_dir(sb.local_rc()).unwrap();
    let out = run(sb.kopai().args(["login", "--no-verify"]).write_stdin(TOKEN));
    assert_eq!(out.code, 3);
    assert_eq!(
        out.stderr,
        "error: could not read config file .kopairc: is a directory, not a file\n"
    );
}

#[test]
fn a_failed_write_leaves_the_original_and_no_temp_file() {
    // A name so long that the temp file beside it cannot be created: a write failure that
    // holds even for root, which ignores read-only directories.
    let sb = Sandbox::new();
    let name = "k".repeat(250);
    let target = sb.cwd.join(&name);
    let original = "{\"url\": \"http://127.0.0.1:9\", \"token\": \"kpi_old\"}\n";
    write(&target, original);

    let out = run(sb
        .kopai()
        .args(["login", "--no-verify", "--config", &name])
        .write_stdin(TOKEN));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with(&format!("error: could not save {name}: ")),
        "{}",
        out.stderr
    );
    assert_eq!(out.stdout, "");
    assert_eq!(read(&target), original);
    assert_eq!(fs::read_dir(&sb.cwd).unwrap().count(), 1);
}

#[cfg(unix)]
#[test]
fn a_read_only_directory_is_reported_when_it_applies() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    let dir = sb.cwd.join("locked");
    write(&dir.join(".kopairc"), "{}\n");
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o555)).unwrap();
    let privileged = fs::write(dir.join("probe"), "").is_ok();
    let out = run(sb
        .kopai()
        .args(["login", "--no-verify", "-c", "locked/.kopairc"])
        .write_stdin(TOKEN));
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    if privileged {
        // root writes anyway; the long-name test covers the failure path.
        assert_ok(&out);
        return;
    }
    assert_eq!(out.code, 3);
    assert!(out.stderr.contains("Permission denied"), "{}", out.stderr);
    assert_eq!(read(&dir.join(".kopairc")), "{}\n");
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
