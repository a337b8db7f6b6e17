//! Escape sequences from outside (server text, typed arguments, config values) never reach a
//! terminal raw.

use super::*;

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
