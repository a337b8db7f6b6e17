//! Hostile and broken input (issue 7): a server's numbers, cursors and text, files that are not
//! files, non-UTF-8 arguments, lost output. Each test runs the real binary end to end and checks
//! what a user sees: the exit code, stdout, stderr and the files left behind.

use crate::common::*;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use wiremock::{MockServer, Request, Respond, ResponseTemplate};

const TRACES_SEARCH: &str = "/signals/traces/search";

/// `kopai ARGS --url URL --token TOKEN` in a fresh sandbox, stdout a pipe.
fn kopai_at(url: &str, args: &[&str]) -> Output {
    let sb = Sandbox::new();
    run(sb.kopai().args(args).args(["--url", url, "--token", TOKEN]))
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

async fn bodies(server: &MockServer) -> Vec<Value> {
    requests(server)
        .await
        .iter()
        .map(|r| serde_json::from_slice(&r.body).expect("a JSON body"))
        .collect()
}

/// Runs a plain command whose stdout may be set already (a file, /dev/full).
fn run_std(mut cmd: std::process::Command) -> Output {
    let out = cmd.output().expect("kopai runs");
    Output {
        code: out.status.code().expect("exited normally, not by a signal"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Never a panic: no exit 101, no "panicked" on stderr.
fn assert_no_panic(out: &Output) {
    assert_ne!(out.code, 101, "panicked: {}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
}

/// Answers with the pages given, in turn, repeating the last.
struct Pages(Vec<String>, AtomicUsize);

impl Pages {
    fn new(pages: &[&str]) -> Self {
        Self(
            pages.iter().map(|p| (*p).to_owned()).collect(),
            AtomicUsize::new(0),
        )
    }
}

impl Respond for Pages {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.1.fetch_add(1, Ordering::SeqCst);
        json_response(&self.0[n.min(self.0.len() - 1)])
    }
}

/// Answers every page with no rows and a cursor never sent before.
struct FreshEmptyPages(AtomicUsize);

impl Respond for FreshEmptyPages {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        json_response(&format!(r#"{{"data":[],"nextCursor":"c{n}"}}"#))
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Numbers from a server or a flag

#[test]
fn huge_durations_and_ages_are_usage_errors() {
    for args in [
        ["--duration-min", "340282366920938463463374607431.9s"],
        ["--duration-max", "18446744073709551616"],
        ["--since", "99999999999999999999d"],
        ["--since", "100000d"],
        ["--until", "99999999999999999999999999999999999999999d"],
    ] {
        let out = kopai_at(
            "http://127.0.0.1:9",
            &[&["traces", "search", "--table"], &args[..]].concat(),
        );
        assert_no_panic(&out);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(args[0]), "{args:?}: {}", out.stderr);
    }
}

#[test]
fn a_huge_timeout_does_not_overflow() {
    let out = kopai_at(
        "http://127.0.0.1:9",
        &["whoami", "--timeout", "18446744073709551615"],
    );
    assert_no_panic(&out);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("could not connect"), "{}", out.stderr);
}

#[tokio::test]
async fn a_huge_retry_after_gives_up_at_once_instead_of_overflowing() {
    for wait in [
        "9223372036854775808",
        "18446744073709551615",
        "99999999999999999999999",
    ] {
        let server = serve(
            "POST",
            TRACES_SEARCH,
            ResponseTemplate::new(503).insert_header("Retry-After", wait),
        )
        .await;
        let started = Instant::now();
        let out = kopai_at(&server.uri(), &["traces", "search", "--json"]);
        assert_no_panic(&out);
        assert_eq!(out.code, 1, "{wait}: {}", out.stderr);
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{wait}: waited"
        );
        // A wait past --timeout is not started; an unreadable one falls back to the backoff.
        assert!(requests(&server).await.len() <= 3, "{wait}");
    }
}

#[tokio::test]
async fn a_duration_beyond_64_bits_never_prints_negative() {
    let row = json!({"data": [{
        "Timestamp": "1795820400000000000", "TraceId": "ab", "SpanId": "cd",
        "ServiceName": "s", "SpanName": "n", "SpanKind": "SPAN_KIND_SERVER",
        "StatusCode": "STATUS_CODE_OK",
        "Duration": "170141183460469231731687303715884105727"
    }], "nextCursor": null});
    let server = serve("POST", TRACES_SEARCH, json_response(&row.to_string())).await;
    let out = kopai_at(&server.uri(), &["traces", "search", "--table"]);
    assert_no_panic(&out);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let line = out.stdout.lines().nth(1).expect("a row");
    let duration = line.rsplit("OK").next().unwrap().trim();
    assert!(duration.ends_with('s') && !duration.contains('-'), "{line}");
}

// ---------------------------------------------------------------------------------------------
// 10. Pagination loops

#[tokio::test]
async fn a_cursor_cycle_ends_with_exit_1() {
    let server = serve(
        "POST",
        TRACES_SEARCH,
        Pages::new(&[
            r#"{"data":[],"nextCursor":"A"}"#,
            r#"{"data":[],"nextCursor":"B"}"#,
            r#"{"data":[],"nextCursor":"A"}"#,
        ]),
    )
    .await;
    let out = kopai_at(&server.uri(), &["traces", "search", "--all", "--json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("the same nextCursor twice"),
        "{}",
        out.stderr
    );
    let cursors: Vec<Value> = bodies(&server)
        .await
        .iter()
        .map(|b| b["cursor"].clone())
        .collect();
    assert_eq!(cursors, [Value::Null, json!("A"), json!("B")]);
}

#[tokio::test]
async fn endless_empty_pages_end_with_exit_1() {
    let server = serve("POST", TRACES_SEARCH, FreshEmptyPages(AtomicUsize::new(0))).await;
    let out = kopai_at(&server.uri(), &["traces", "search", "--all", "--table"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("10 empty pages in a row"),
        "{}",
        out.stderr
    );
    assert_eq!(requests(&server).await.len(), 10);
}

#[tokio::test]
async fn empty_pages_between_full_ones_are_fine() {
    let row = r#"{"SpanId":"1"}"#;
    let mut pages: Vec<String> = (0..9)
        .map(|n| format!(r#"{{"data":[],"nextCursor":"e{n}"}}"#))
        .collect();
    pages.push(format!(r#"{{"data":[{row}],"nextCursor":"full"}}"#));
    pages.extend((0..9).map(|n| format!(r#"{{"data":[],"nextCursor":"f{n}"}}"#)));
    pages.push(format!(r#"{{"data":[{row}],"nextCursor":null}}"#));
    let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
    let server = serve("POST", TRACES_SEARCH, Pages::new(&pages)).await;
    let out = kopai_at(&server.uri(), &["traces", "search", "--all", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(rows.as_array().map(Vec::len), Some(2));
}

// ---------------------------------------------------------------------------------------------
// 11. Lost output

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_on_stdout_is_exit_1() {
    let sb = Sandbox::new();
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    let mut cmd = sb.process();
    cmd.args(["whoami", "--no-verify", "--token", TOKEN])
        .stdout(full());
    let out = run_std(cmd);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("error: could not write to stdout: No space left on device"),
        "{}",
        out.stderr
    );
    assert_no_secret(&out, TOKEN);
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_full_disk_under_search_results_is_exit_1() {
    let server = serve(
        "POST",
        TRACES_SEARCH,
        json_response(r#"{"data":[{"SpanId":"1"}],"nextCursor":null}"#),
    )
    .await;
    let sb = Sandbox::new();
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let mut cmd = sb.process();
    cmd.args(["traces", "search", "--json", "--url", &server.uri()])
        .stdout(full);
    let out = run_std(cmd);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("could not write to stdout"),
        "{}",
        out.stderr
    );
}

/// clap prints help and the version while parsing; those are output too.
#[cfg(target_os = "linux")]
#[test]
fn help_and_version_on_a_full_disk_are_exit_1() {
    let sb = Sandbox::new();
    for line in [
        "--help",
        "-h",
        "--version",
        "traces search --help",
        "help traces",
        "help logs search",
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let mut cmd = sb.process();
        cmd.args(words(line)).stdout(full);
        let out = run_std(cmd);
        assert_eq!(out.code, 1, "kopai {line}: {}", out.stderr);
        assert_eq!(
            out.stderr, "error: could not write to stdout: No space left on device (os error 28)\n",
            "kopai {line}"
        );
    }
    // Into a pipe, help is the same text and still exit 0.
    let out = run(sb.kopai().arg("--help"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.starts_with("Command-line client"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_closed_pipe_is_still_exit_0() {
    let sb = Sandbox::new();
    let mut child = sb
        .process()
        .args(["whoami", "--no-verify", "--token", TOKEN])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

// ---------------------------------------------------------------------------------------------
// 2. Non-UTF-8 arguments and environment

#[cfg(unix)]
fn bytes(raw: &[u8]) -> std::ffi::OsString {
    use std::os::unix::ffi::OsStringExt;
    std::ffi::OsString::from_vec(raw.to_vec())
}

#[cfg(unix)]
#[test]
fn non_utf8_arguments_are_usage_errors_that_echo_nothing() {
    let secret = "kpi_live_0123456789abcdefghij";
    let mut bad_token = secret.as_bytes().to_vec();
    bad_token.push(0xff);
    let cases: Vec<Vec<std::ffi::OsString>> = vec![
        vec!["whoami".into(), "--token".into(), bytes(&bad_token)],
        vec![
            "traces".into(),
            "search".into(),
            "--service".into(),
            bytes(b"caf\xe9"),
        ],
        vec![bytes(b"\xff")],
        vec!["whoami".into(), bytes(b"\xff")],
    ];
    for args in cases {
        let sb = Sandbox::new();
        let out = run(sb.kopai().args(&args).args(["--url", "http://127.0.0.1:9"]));
        assert_no_panic(&out);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.starts_with("error: ") || out.stderr.starts_with("{\"error\""),
            "{}",
            out.stderr
        );
        assert!(!out.stderr.contains("kpi_live_01"), "{}", out.stderr);
        assert!(out.stdout.is_empty());
    }
}

#[cfg(unix)]
#[test]
fn non_utf8_kopai_variables_are_usage_errors_naming_the_variable() {
    for name in ["KOPAI_TOKEN", "KOPAI_URL", "KOPAI_CONFIG"] {
        let sb = Sandbox::new();
        // A usable token and URL elsewhere must not be picked instead.
        write_private(
            &sb.local_rc(),
            &format!(r#"{{"url":"http://127.0.0.1:9","token":"{TOKEN}"}}"#),
        );
        let out = run(sb
            .kopai()
            .args(["whoami", "--no-verify"])
            .env(name, bytes(b"kpi_\xff\xfe")));
        assert_eq!(out.code, 2, "{name}: {}", out.stderr);
        assert_eq!(
            out.stderr,
            format!("error: {name} is not valid UTF-8; set it again or unset it\n")
        );
        assert!(out.stdout.is_empty(), "{name}: {}", out.stdout);
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Usage errors never echo a token or a password

#[test]
fn usage_errors_redact_tokens() {
    for args in [
        vec!["login", TOKEN],
        vec!["whoami", TOKEN],
        vec!["traces", "search", "--json", TOKEN],
        vec!["traces", "search", "--table", TOKEN],
        vec!["traces", "search", "--limit", TOKEN],
    ] {
        let sb = Sandbox::new();
        let out = run(sb.kopai().args(&args));
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert_no_secret(&out, TOKEN);
        assert_no_secret(&out, &TOKEN[..12]);
        assert!(
            out.stderr.contains("[REDACTED]"),
            "{args:?}: {}",
            out.stderr
        );
    }
}

#[test]
fn usage_errors_redact_the_token_flag_and_env_values_whatever_they_look_like() {
    let secret = "correct-horse-battery";
    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args(["whoami", "--token", secret, &format!("x{secret}")]));
    assert_eq!(out.code, 2);
    assert_no_secret(&out, secret);
    let out = run(sb
        .kopai()
        .args(["whoami", &format!("x{secret}")])
        .env("KOPAI_TOKEN", secret));
    assert_eq!(out.code, 2);
    assert_no_secret(&out, secret);
    let out = run(sb
        .kopai()
        .args(["whoami", &format!("--token={secret}"), secret]));
    assert_eq!(out.code, 2);
    assert_no_secret(&out, secret);
}

#[test]
fn url_passwords_are_never_echoed() {
    for url in [
        "http://user:SECRETPW@ho st",
        "ftp://user:SECRETPW@host",
        "http://user:SECRETPW@host/?q=1",
        "http://user:SECRETPW@host",
    ] {
        let sb = Sandbox::new();
        let out = run(sb.kopai().args(["whoami", "--no-verify", "--url", url]));
        assert_eq!(out.code, 2, "{url}: {}", out.stderr);
        assert!(!out.stderr.contains("SECRETPW"), "{}", out.stderr);
        let out = run(sb.kopai().args(["whoami", url]));
        assert_eq!(out.code, 2, "{url}: {}", out.stderr);
        assert!(!out.stderr.contains("SECRETPW"), "{}", out.stderr);
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Escape sequences from outside

const HOSTILE_TITLE: &str = "Bad\u{1b}]0;pwned\u{7} title\u{1b}[2J";
const HOSTILE_DETAIL: &str =
    "see \u{1b}]8;;http://evil\u{1b}\\link\u{1b}]8;;\u{1b}\\\r\u{202E}txt.exe\u{9b}";

/// Nothing that can drive a terminal or reorder text: no C0/C1 control but a newline, no bidi
/// override.
fn assert_inert(text: &str) {
    for c in text.chars() {
        let control = c.is_control() && c != '\n';
        let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
        assert!(!control && !bidi, "{c:?} reached the terminal in {text:?}");
    }
}

fn problem(status: u16) -> ResponseTemplate {
    let body = json!({"title": HOSTILE_TITLE, "detail": HOSTILE_DETAIL, "status": status});
    ResponseTemplate::new(status)
        .set_body_raw(body.to_string().into_bytes(), "application/problem+json")
}

#[tokio::test]
async fn server_text_in_errors_is_sanitized() {
    let server = serve("POST", TRACES_SEARCH, problem(400)).await;
    let out = kopai_at(&server.uri(), &["traces", "search", "--table"]);
    assert_eq!(out.code, 1);
    assert_inert(&out.stderr);
    assert!(
        out.stderr
            .starts_with("error: Bad\u{FFFD}]0;pwned\u{FFFD} title"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("txt.exe"), "{}", out.stderr);

    // JSON keeps the text exact, with every control and bidi character as \uXXXX.
    let out = kopai_at(&server.uri(), &["traces", "search", "--json"]);
    assert_inert(&out.stderr);
    assert!(
        out.stderr.contains(r"\u202e") && out.stderr.contains(r"\u009b"),
        "{}",
        out.stderr
    );
    let error: Value = serde_json::from_str(out.stderr.trim()).unwrap();
    assert_eq!(error["error"]["message"], HOSTILE_TITLE);
    assert_eq!(error["error"]["detail"], HOSTILE_DETAIL);
}

/// clap's errors in JSON quote what was typed: its controls and bidi characters are escaped too.
#[test]
fn typed_text_in_json_usage_errors_is_escaped() {
    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args(["traces", "search", "--json", "--bogus\u{202E}\u{9b}\u{7f}"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_inert(&out.stderr);
    let error: Value = serde_json::from_str(out.stderr.trim()).unwrap();
    let message = error["error"]["message"].as_str().unwrap();
    assert!(message.contains("--bogus\u{202E}"), "{message}");
}

#[tokio::test]
async fn whoami_reason_login_warning_and_retry_lines_are_sanitized() {
    let server = serve("POST", TRACES_SEARCH, problem(500)).await;
    let out = kopai_at(&server.uri(), &["whoami"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("error: Bad"), "{}", out.stderr);
    assert_inert(&out.stderr);

    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args(["login", "--url", &server.uri(), "--token", TOKEN]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("warning: could not validate"),
        "{}",
        out.stderr
    );
    assert_inert(&out.stderr);

    let busy = serve("POST", TRACES_SEARCH, problem(503)).await;
    let out = kopai_at(&busy.uri(), &["traces", "search", "--table", "-v"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("; retrying in"), "{}", out.stderr);
    assert_inert(&out.stderr);
}

#[test]
fn config_values_echoed_in_errors_are_sanitized() {
    let sb = Sandbox::new();
    write_private(
        &sb.local_rc(),
        r#"{"url": "ftp://x\u001b]0;pwned\u0007\u202e", "token": "kpi_abcdefghijklmnop"}"#,
    );
    let out = run(sb.kopai().args(["whoami", "--no-verify"]));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("\"url\""), "{}", out.stderr);
    assert_inert(&out.stderr);

    write_private(
        &sb.local_rc(),
        r#"{"url": "http://127.0.0.1:9", "token": "kpi_abcdefghijklmnop", "savedAt": "\u001b[2J\u202eyesterday"}"#,
    );
    let out = run(sb.kopai().args(["whoami", "--no-verify"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("ignoring savedAt"), "{}", out.stderr);
    assert_inert(&out.stderr);
}

#[tokio::test]
async fn dashboards_schema_is_byte_exact_in_a_pipe() {
    let schema = "# Schema\n\tindent \u{1b}[31mred\u{1b}[0m \u{202E}x\r\n";
    let server = serve(
        "GET",
        "/dashboards/schema",
        ResponseTemplate::new(200).set_body_raw(schema.as_bytes().to_vec(), "text/markdown"),
    )
    .await;
    let out = kopai_at(&server.uri(), &["dashboards", "schema"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, schema);
}

#[cfg(unix)]
#[tokio::test]
async fn dashboards_schema_on_a_terminal_is_sanitized() {
    let schema = "# Schema\nred \u{1b}]0;pwned\u{7}\u{1b}[2J \u{202E}x END\n";
    let server = serve(
        "GET",
        "/dashboards/schema",
        ResponseTemplate::new(200).set_body_raw(schema.as_bytes().to_vec(), "text/markdown"),
    )
    .await;
    let sb = Sandbox::new();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kopai"));
    sb.configure(&mut cmd);
    cmd.args(["dashboards", "schema", "--url", &server.uri()]);
    let mut session = rexpect::session::spawn_command(cmd, Some(20_000)).expect("pty");
    let shown = session.exp_string("END").expect("the schema");
    // rexpect reads bytes as Latin-1: U+FFFD arrives as "ï¿½", U+202E would as "â\u{80}®".
    let replacement = "\u{ef}\u{bf}\u{bd}";
    assert!(
        shown.contains(&format!("red {replacement}]0;pwned{replacement}")),
        "{shown:?}"
    );
    assert!(
        !shown.contains('\u{1b}') && !shown.contains('\u{7}'),
        "{shown:?}"
    );
    assert!(!shown.contains("\u{e2}\u{80}\u{ae}"), "{shown:?}");
    session.exp_eof().expect("exits");
}

// ---------------------------------------------------------------------------------------------
// 7. Files that are not files

/// A command that would hang or run out of memory instead fails fast with exit 3, naming
/// the file.
fn assert_refused_quickly(sb: &Sandbox, args: &[&str], named: &str) {
    let started = Instant::now();
    let out = run(sb.kopai().args(args).timeout(Duration::from_secs(20)));
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{args:?} took too long"
    );
    assert_eq!(out.code, 3, "{args:?}: {}", out.stderr);
    assert!(out.stderr.contains(named), "{args:?}: {}", out.stderr);
    assert!(out.stderr.contains("not a regular file"), "{}", out.stderr);
}

#[cfg(unix)]
#[test]
fn a_fifo_config_is_a_config_error_not_a_hang() {
    let sb = Sandbox::new();
    let fifo = sb.local_rc();
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let named = fifo.display().to_string();
    assert_refused_quickly(&sb, &["whoami", "--no-verify"], ".kopairc");
    assert_refused_quickly(&sb, &["login", "--no-verify", "--token", TOKEN], ".kopairc");
    assert_refused_quickly(&sb, &["logout"], ".kopairc");
    assert_refused_quickly(&sb, &["whoami", "--config", &named], &named);
}

#[cfg(unix)]
#[test]
fn a_config_linked_to_a_device_is_a_config_error() {
    let sb = Sandbox::new();
    std::os::unix::fs::symlink("/dev/zero", sb.local_rc()).unwrap();
    assert_refused_quickly(&sb, &["whoami", "--no-verify"], ".kopairc");
    assert_refused_quickly(&sb, &["traces", "search", "--table"], ".kopairc");
    // The link is left alone.
    assert!(std::fs::symlink_metadata(sb.local_rc())
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn an_oversized_config_is_a_config_error() {
    let sb = Sandbox::new();
    let big = format!(
        r#"{{"token":"{TOKEN}","pad":"{}"}}"#,
        "x".repeat(2 * 1024 * 1024)
    );
    write_private(&sb.local_rc(), &big);
    let out = run(sb.kopai().args(["whoami", "--no-verify"]));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr.contains(".kopairc") && out.stderr.contains("larger than 1024 KiB"),
        "{}",
        out.stderr
    );
    assert_no_secret(&out, TOKEN);
}

#[cfg(unix)]
#[test]
fn a_config_reached_through_a_symlink_still_works() {
    let sb = Sandbox::new();
    let real = sb.home.join("dotfiles/kopairc");
    write_private(
        &real,
        &format!(r#"{{"url":"http://127.0.0.1:9","token":"{TOKEN}"}}"#),
    );
    std::os::unix::fs::symlink(&real, sb.local_rc()).unwrap();
    let out = run(sb.kopai().args(["whoami", "--no-verify"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains(PREFIX), "{}", out.stdout);
}

// ---------------------------------------------------------------------------------------------
// 8. git runs no repository config, and looks where the file really lives

#[test]
fn a_repositorys_fsmonitor_is_not_run() {
    let sb = Sandbox::new();
    git(&sb.cwd, &["init", "-q"], &sb);
    let marker = sb.home.join("fsmonitor-ran");
    let hook = format!("touch '{}'; false", marker.display());
    git(&sb.cwd, &["config", "core.fsmonitor", &hook], &sb);
    // Guards the guard: git itself does run it.
    git(&sb.cwd, &["status", "--short"], &sb);
    assert!(marker.exists(), "this git does not run core.fsmonitor");
    std::fs::remove_file(&marker).unwrap();

    let out = run(sb.kopai().args(["login", "--no-verify"]).write_stdin(TOKEN));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("is not ignored by git"),
        "{}",
        out.stderr
    );
    assert!(!marker.exists(), "kopai ran the repository's fsmonitor");
}

#[cfg(unix)]
#[test]
fn a_home_config_linked_into_a_dotfiles_repo_is_checked_there() {
    let sb = Sandbox::new();
    let dotfiles = sb.home.join("dotfiles");
    std::fs::create_dir_all(&dotfiles).unwrap();
    git(&dotfiles, &["init", "-q"], &sb);
    write_private(&dotfiles.join("kopairc"), "{}\n");
    git(&dotfiles, &["add", "kopairc"], &sb);
    std::os::unix::fs::symlink(dotfiles.join("kopairc"), sb.home_rc()).unwrap();

    let out = run(sb
        .kopai()
        .args(["login", "--global", "--no-verify"])
        .write_stdin(TOKEN));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        sb.scrub(&out.stderr).contains(
            "warning: [HOME]/.kopairc (a link to [HOME]/dotfiles/kopairc) is tracked by git, \
             so the token will be committed; run `git rm --cached kopairc`"
        ),
        "{}",
        out.stderr
    );
    assert!(std::fs::symlink_metadata(sb.home_rc())
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(read(&dotfiles.join("kopairc")).contains(TOKEN));
}

// ---------------------------------------------------------------------------------------------
// 6. A repository's ./.kopairc naming the server

#[tokio::test]
async fn a_token_sent_to_a_url_from_the_working_directory_is_announced_once() {
    let server = accepting_server().await;
    let sb = Sandbox::new();
    write(&sb.local_rc(), &format!(r#"{{"url":"{}"}}"#, server.uri()));

    let out = run(sb
        .kopai()
        .args(["traces", "search", "--json"])
        .env("KOPAI_TOKEN", TOKEN));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let note = format!(
        "note: sending the token from KOPAI_TOKEN to {} (url from ./.kopairc)\n",
        server.uri()
    );
    assert_eq!(out.stderr, note);

    let out = run(sb.kopai().args(["whoami", "--token", TOKEN]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stderr.matches("note: sending the token").count(),
        1,
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("from --token to"), "{}", out.stderr);
    assert_no_secret(&out, TOKEN);

    // Nothing is sent: nothing to say.
    let out = run(sb.kopai().args(["whoami", "--no-verify", "--token", TOKEN]));
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    let out = run(sb.kopai().args(["open"]).env("KOPAI_TOKEN", TOKEN));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stderr.contains("note:"), "{}", out.stderr);

    // Pinned by KOPAI_URL (the README's CI recipe), or token and URL from the same file:
    // nothing to say.
    let out = run(sb
        .kopai()
        .args(["traces", "search", "--json"])
        .env("KOPAI_TOKEN", TOKEN)
        .env("KOPAI_URL", server.uri()));
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
    write_private(
        &sb.local_rc(),
        &format!(r#"{{"url":"{}","token":"{TOKEN}"}}"#, server.uri()),
    );
    let out = run(sb.kopai().args(["traces", "search", "--json"]));
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
}

#[tokio::test]
async fn login_shows_the_url_it_sends_the_token_to() {
    let server = accepting_server().await;
    let sb = Sandbox::new();
    write(&sb.local_rc(), &format!(r#"{{"url":"{}"}}"#, server.uri()));
    let out = run(sb.kopai().args(["login"]).write_stdin(TOKEN));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        sb.scrub(&out.stderr).starts_with(&format!(
            "Logging in to {} (url from [CWD]/.kopairc)\n",
            server.uri()
        )),
        "{}",
        out.stderr
    );
    assert_eq!(requests(&server).await.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// 1. Status and kind filters on every backend

/// A fake backend holding one error span in its own spelling: the probe (`{"limit":1}`) gets
/// it, and a search matches `statusCode`/`spanKind` exactly, as the server does.
struct Backend {
    status: &'static str,
    kind: &'static str,
}

impl Respond for Backend {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let span = json!({"SpanId": "e1", "StatusCode": self.status, "SpanKind": self.kind});
        let matches = |key: &str, stored: &str| body.get(key).is_none_or(|v| v == stored);
        let rows = if matches("statusCode", self.status) && matches("spanKind", self.kind) {
            vec![span]
        } else {
            vec![]
        };
        json_response(&json!({"data": rows, "nextCursor": null}).to_string())
    }
}

async fn search_on(backend: Backend, flags: &[&str]) -> (Output, Vec<Value>) {
    let server = serve("POST", TRACES_SEARCH, backend).await;
    let out = kopai_at(
        &server.uri(),
        &[&["traces", "search", "--json"], flags].concat(),
    );
    (out, bodies(&server).await)
}

fn found(out: &Output) -> usize {
    assert_eq!(out.code, 0, "{}", out.stderr);
    let rows: Value = serde_json::from_str(&out.stdout).unwrap();
    rows.as_array().unwrap().len()
}

#[tokio::test]
async fn friendly_statuses_and_kinds_find_rows_on_both_backends() {
    let otlp = || Backend {
        status: "STATUS_CODE_ERROR",
        kind: "SPAN_KIND_SERVER",
    };
    let clickhouse = || Backend {
        status: "Error",
        kind: "Server",
    };
    for flags in [
        ["--status-code", "error"],
        ["--status-code", "ERROR"],
        ["--span-kind", "server"],
        ["--span-kind", "sErVeR"],
    ] {
        for (backend, status, kind) in [
            (otlp(), "STATUS_CODE_ERROR", "SPAN_KIND_SERVER"),
            (clickhouse(), "Error", "Server"),
        ] {
            let (out, sent) = search_on(backend, &flags).await;
            assert_eq!(found(&out), 1, "{flags:?} on {status}");
            // One probe, then the search in this server's spelling.
            assert_eq!(sent.len(), 2, "{flags:?}");
            assert_eq!(sent[0], json!({"limit": 1}));
            let key = if flags[0] == "--status-code" {
                "statusCode"
            } else {
                "spanKind"
            };
            let expected = if key == "statusCode" { status } else { kind };
            assert_eq!(sent[1][key], expected, "{flags:?}");
        }
    }
}

#[tokio::test]
async fn stored_spellings_are_sent_unchanged_without_a_probe() {
    for (flags, expected) in [
        (["--status-code", "Error"], "Error"),
        (["--status-code", "STATUS_CODE_ERROR"], "STATUS_CODE_ERROR"),
        (["--span-kind", "Server"], "Server"),
        (["--span-kind", "SPAN_KIND_SERVER"], "SPAN_KIND_SERVER"),
    ] {
        let backend = Backend {
            status: "Error",
            kind: "Server",
        };
        let (out, sent) = search_on(backend, &flags).await;
        let hits = found(&out);
        assert_eq!(sent.len(), 1, "{flags:?}: no probe");
        let key = if flags[0] == "--status-code" {
            "statusCode"
        } else {
            "spanKind"
        };
        assert_eq!(sent[0][key], expected);
        // The ClickHouse spelling finds the ClickHouse row; the OTLP one (rightly) does not.
        assert_eq!(hits, usize::from(!expected.contains('_')), "{flags:?}");
    }
}

#[tokio::test]
async fn an_empty_server_gets_the_otlp_spelling() {
    let server = serve(
        "POST",
        TRACES_SEARCH,
        json_response(r#"{"data":[],"nextCursor":null}"#),
    )
    .await;
    let out = kopai_at(
        &server.uri(),
        &[
            "traces",
            "search",
            "--json",
            "--status-code",
            "ok",
            "--span-kind",
            "client",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let sent = bodies(&server).await;
    assert_eq!(sent.len(), 2, "one probe for both flags");
    assert_eq!(
        (&sent[1]["statusCode"], &sent[1]["spanKind"]),
        (&json!("STATUS_CODE_OK"), &json!("SPAN_KIND_CLIENT"))
    );
}

#[test]
fn unknown_statuses_and_kinds_are_usage_errors() {
    let out = kopai_at(
        "http://127.0.0.1:9",
        &["traces", "search", "--status-code", "broken"],
    );
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--status-code"), "{}", out.stderr);
    let out = kopai_at(
        "http://127.0.0.1:9",
        &["traces", "search", "--span-kind", "Sideways"],
    );
    assert_eq!(out.code, 2);
}

// ---------------------------------------------------------------------------------------------
// 9. Signals

/// Waits (up to 20 s) until `ready` holds, checking every few milliseconds.
fn wait_for(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn temp_files(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect()
}

#[cfg(unix)]
#[test]
fn a_signal_during_a_save_leaves_no_temp_file() {
    use std::os::unix::process::ExitStatusExt;
    for (signal, number) in [("INT", 2), ("TERM", 15), ("HUP", 1)] {
        let sb = Sandbox::new();
        let original = "{\"url\": \"http://127.0.0.1:9\", \"keep\": 1}\n";
        write_private(&sb.local_rc(), original);
        let mut child = sb
            .process()
            .args(["login", "--no-verify", "--token", TOKEN])
            // Debug builds wait here with the temp file written, until the signal comes.
            .env("KOPAI_TEST_HOLD_SAVE", "1")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        wait_for("the temp file", || !temp_files(&sb.cwd).is_empty());
        let sent = std::process::Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let status = child.wait().unwrap();
        assert_eq!(status.signal(), Some(number), "{signal}: {status:?}");
        assert_eq!(temp_files(&sb.cwd), Vec::<String>::new(), "{signal}");
        assert_eq!(read(&sb.local_rc()), original, "{signal}");
    }
}

/// Ctrl-C at the hidden prompt: kopai dies of SIGINT, and the shell that ran it finds echo
/// on again.
#[cfg(unix)]
#[test]
fn ctrl_c_at_the_token_prompt_restores_echo() {
    let sb = Sandbox::new();
    let script = "stty echo; trap 'echo interrupted' INT; \"$@\"; \
                  stty -a | tr ' ;' '\\n\\n' | grep -x -e echo -e -echo; echo END";
    let mut cmd = std::process::Command::new("sh");
    cmd.args(["-c", script, "sh"])
        .arg(env!("CARGO_BIN_EXE_kopai"))
        .args(["login", "--no-verify"]);
    sb.configure(&mut cmd);
    let mut session = rexpect::session::spawn_command(cmd, Some(20_000)).expect("pty");
    session.exp_string("Token: ").expect("prompt");
    session.send_control('c').expect("Ctrl-C");
    let after = session.exp_string("END").expect("the shell carries on");
    let flag = after
        .lines()
        .map(str::trim)
        .find(|line| *line == "echo" || *line == "-echo");
    assert_eq!(flag, Some("echo"), "{after:?}");
    assert!(!sb.local_rc().exists());
}

// ---------------------------------------------------------------------------------------------
// 16. Messages that say what happened

/// A server that answers every connection with `head` and the start of a body, then hangs up
/// before the promised `Content-Length`.
async fn cut_short_server() -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                // Read the head and a body of any length (it is small).
                while let Ok(n) = socket.read(&mut buf).await {
                    if n == 0 {
                        return;
                    }
                    request.extend_from_slice(&buf[..n]);
                    let text = String::from_utf8_lossy(&request);
                    if let Some(end) = text.find("\r\n\r\n") {
                        let length = text
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        if request.len() >= end + 4 + length {
                            break;
                        }
                    }
                }
                let _ = socket
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"data\":[")
                    .await;
                let _ = socket.shutdown().await;
            });
        }
    });
    url
}

// The server runs on the runtime while the test blocks on the binary: two threads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_cut_short_is_not_a_connection_failure() {
    let url = cut_short_server().await;
    let out = kopai_at(&url, &["traces", "search", "--table"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.starts_with(&format!(
            "error: the answer from {url}/signals/traces/search was cut short"
        )),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("could not connect"), "{}", out.stderr);
}

// The server runs on the runtime while the test blocks on the binary: two threads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_polls_on_past_an_answer_cut_short() {
    let url = cut_short_server().await;
    let args = words("traces search --wait 300ms --interval 50ms --table");
    let out = kopai_at(&url, &args);
    // Polling went on until --wait ran out; then the last failure is the error.
    assert_eq!(out.code, 1, "{}", out.stderr);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.stderr);
    assert!(
        lines[0].starts_with("warning: the answer from ")
            && lines[0].ends_with("; retrying until --wait runs out"),
        "{}",
        out.stderr
    );
    assert!(
        lines[1].starts_with("error: the answer from "),
        "{}",
        out.stderr
    );
    assert!(lines[2].starts_with("hint: "), "{}", out.stderr);
}

// The server runs on the runtime while the test blocks on the binary: two threads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dashboard_create_cut_short_may_already_exist() {
    let url = cut_short_server().await;
    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args([
            "dashboards",
            "create",
            "--name",
            "x",
            "--tree-version",
            "0.14.0",
            "--json",
        ])
        .args(["--url", &url, "--token", TOKEN])
        .write_stdin("{}"));
    assert_eq!(out.code, 1, "{}", out.stderr);
    let error: Value = serde_json::from_str(out.stderr.trim()).expect("one JSON error");
    let message = error["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("the dashboard may already exist"),
        "{message}"
    );
    assert!(message.contains("was cut short"), "{message}");
    assert_eq!(error["error"]["name"], "NetworkError");
}

#[tokio::test]
async fn a_redirect_loop_within_the_server_is_called_one() {
    let server = serve(
        "POST",
        TRACES_SEARCH,
        ResponseTemplate::new(307).insert_header("Location", TRACES_SEARCH),
    )
    .await;
    let out = kopai_at(&server.uri(), &["traces", "search", "--table"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        format!(
            "error: {}{TRACES_SEARCH} kept redirecting within the server (more than 5 times); \
             is it misconfigured?\n",
            server.uri()
        )
    );
}

#[tokio::test]
async fn a_3xx_without_location_says_so() {
    for status in [302, 304] {
        let server = serve("POST", TRACES_SEARCH, ResponseTemplate::new(status)).await;
        let out = kopai_at(&server.uri(), &["traces", "search", "--table"]);
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert_eq!(
            out.stderr,
            format!(
                "error: {}{TRACES_SEARCH} answered HTTP {status} without a Location to follow\n",
                server.uri()
            )
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 17. Numbers in a saved config: what the README promises

#[test]
fn saved_numbers_keep_their_digits_and_only_exponents_are_respelled() {
    let sb = Sandbox::new();
    write_private(
        &sb.local_rc(),
        r#"{"a": 1E5, "b": 1.50, "c": 100000000000000000001, "d": -0.0e-7}"#,
    );
    let out = run(sb.kopai().args([
        "login",
        "--no-verify",
        "--token",
        TOKEN,
        "--url",
        "http://127.0.0.1:9",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let saved = read(&sb.local_rc());
    for spelled in [
        "\"a\": 1e+5,",
        "\"b\": 1.50,",
        "\"c\": 100000000000000000001,",
        "\"d\": -0.0e-7,",
    ] {
        assert!(saved.contains(spelled), "{spelled} in {saved}");
    }
}

/// Found by tests/proptests.rs: a hand-edited savedAt holding the token was echoed whole.
#[test]
fn a_token_in_saved_at_is_not_echoed() {
    let sb = Sandbox::new();
    write_private(
        &sb.local_rc(),
        &format!(r#"{{"token":"{TOKEN}","savedAt":"{TOKEN}"}}"#),
    );
    let out = run(sb.kopai().args(["whoami", "--no-verify"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("ignoring savedAt `[REDACTED]`"),
        "{}",
        out.stderr
    );
    assert_no_secret(&out, TOKEN);
}

#[tokio::test]
async fn a_cursor_cycle_while_importing_ends_with_exit_1() {
    let server = serve(
        "POST",
        "/dashboards/search",
        Pages::new(&[
            r#"{"data":[{"name":"other","id":"1"}],"nextCursor":"A"}"#,
            r#"{"data":[{"name":"other","id":"2"}],"nextCursor":"B"}"#,
            r#"{"data":[{"name":"other","id":"3"}],"nextCursor":"A"}"#,
        ]),
    )
    .await;
    let sb = Sandbox::new();
    let file = sb.cwd.join("dash.json");
    write(
        &file,
        r#"{"name":"mine","uiTreeVersion":"0.14.0","uiTree":{"root":"a","elements":{}}}"#,
    );
    let out = run(sb
        .kopai()
        .args([
            "dashboards",
            "import",
            "dash.json",
            "--if-not-exists",
            "--table",
        ])
        .args(["--url", &server.uri(), "--token", TOKEN]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("the same nextCursor twice"),
        "{}",
        out.stderr
    );
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn endless_empty_pages_end_a_follow_too() {
    let server = serve("POST", TRACES_SEARCH, FreshEmptyPages(AtomicUsize::new(0))).await;
    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args([
            "traces",
            "search",
            "--follow",
            "--interval",
            "50ms",
            "--json",
        ])
        .args(["--url", &server.uri(), "--token", TOKEN])
        .timeout(Duration::from_secs(30)));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("10 empty pages in a row"),
        "{}",
        out.stderr
    );
}
