//! `kopai open`: links into the web UI, printed in a pipe or with `--print`, handed to the
//! browser on a terminal (the browser stubbed through `$BROWSER`).

use crate::common::*;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";

async fn trace_server(body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/signals/traces/{TRACE_ID}")))
        .respond_with(json_response(body))
        .mount(&server)
        .await;
    server
}

fn kopai(sb: &Sandbox, url: &str, args: &[&str]) -> Output {
    let out = run(sb.kopai().args(args).args(["--url", url, "--token", TOKEN]));
    assert_no_secret(&out, TOKEN);
    out
}

#[test]
fn pages_without_a_request_print_their_url_in_a_pipe() {
    let sb = Sandbox::new();
    let url = "http://kopai.test:8000/signals/";
    let cases = [
        (&["open"][..], "http://kopai.test:8000/"),
        (&["open", "logs"], "http://kopai.test:8000/?tab=logs"),
        (
            &["open", "metrics", "--print"],
            "http://kopai.test:8000/?tab=metrics",
        ),
        (
            &["open", "dashboard", "a b/c"],
            "http://kopai.test:8000/?tab=metrics&dashboardId=a%20b%2Fc",
        ),
    ];
    for (args, expected) in cases {
        let out = kopai(&sb, url, args);
        assert_ok(&out);
        assert_eq!(out.stdout, format!("{expected}\n"), "{args:?}");
        assert_eq!(out.stderr, "");
    }
}

#[tokio::test]
async fn a_trace_link_names_the_root_spans_service() {
    let server = trace_server(&fixture("traces-get.json")).await;
    let sb = Sandbox::new();
    // Upper case is accepted and linked in lower case, as the IDs are stored; spaces around
    // a pasted ID are dropped, as `traces get` drops them.
    let out = kopai(
        &sb,
        &server.uri(),
        &[
            "open",
            "trace",
            &format!(" {} ", TRACE_ID.to_uppercase()),
            "--span",
            "D6E7F8091A2B3C4D",
        ],
    );
    assert_ok(&out);
    assert_eq!(
        out.stdout,
        format!(
            "{}/?service=checkout-api&trace={TRACE_ID}&span=d6e7f8091a2b3c4d\n",
            server.uri()
        )
    );
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "one request"
    );
}

#[tokio::test]
async fn a_trace_without_its_root_is_linked_under_its_earliest_span() {
    let spans = json!([
        {"SpanId": "2", "ParentSpanId": "1", "ServiceName": "late svc", "Timestamp": "20"},
        {"SpanId": "3", "ParentSpanId": "1", "ServiceName": "early svc", "Timestamp": "10"},
    ]);
    let server = trace_server(&spans.to_string()).await;
    let sb = Sandbox::new();
    let out = kopai(&sb, &server.uri(), &["open", "trace", TRACE_ID]);
    assert_ok(&out);
    assert_eq!(
        out.stdout,
        format!("{}/?service=early%20svc&trace={TRACE_ID}\n", server.uri())
    );
}

#[tokio::test]
async fn an_unknown_trace_is_an_error() {
    let server = trace_server("[]").await;
    let sb = Sandbox::new();
    let out = kopai(&sb, &server.uri(), &["open", "trace", TRACE_ID]);
    assert_eq!(out.code, 1);
    assert_eq!(out.stdout, "");
    assert_eq!(
        out.stderr,
        format!("error: trace {TRACE_ID} not found: the server has no spans for it\n")
    );
}

#[tokio::test]
async fn bad_ids_exit_2_before_any_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let sb = Sandbox::new();
    let cases = [
        (
            &["open", "trace", "4bf92"][..],
            "TRACE_ID",
            "32 hexadecimal digits",
        ),
        (
            &["open", "trace", &"g".repeat(32)],
            "TRACE_ID",
            "32 hexadecimal digits",
        ),
        (
            &["open", "trace", TRACE_ID, "--span", "xyz"],
            "--span",
            "16 hexadecimal digits",
        ),
        (&["open", "dashboard", " "], "<ID>", "the ID is empty"),
        (&["dashboards", "get", ""], "<ID>", "the ID is empty"),
        (&["dashboards", "export", ""], "<ID>", "the ID is empty"),
    ];
    for (args, names, says) in cases {
        let out = kopai(&sb, &server.uri(), args);
        assert_eq!(out.code, 2, "{args:?}");
        assert!(
            out.stderr.contains(names) && out.stderr.contains(says),
            "{args:?}: {}",
            out.stderr
        );
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn the_ui_url_may_live_elsewhere() {
    let sb = Sandbox::new();
    write_private(
        &sb.local_rc(),
        r#"{"url": "https://api.kopai.test/signals", "ui_url": "https://ui.kopai.test/"}"#,
    );
    let out = run(sb.kopai().args(["open", "logs"]));
    assert_ok(&out);
    assert_eq!(out.stdout, "https://ui.kopai.test/?tab=logs\n");
    let out = run(sb
        .kopai()
        .args(["open", "logs"])
        .env("KOPAI_UI_URL", "http://localhost:5173"));
    assert_eq!(out.stdout, "http://localhost:5173/?tab=logs\n");
    let out = run(sb.kopai().args(["open"]).env("KOPAI_UI_URL", "not a url"));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.starts_with("error: KOPAI_UI_URL: "),
        "{}",
        out.stderr
    );
}

// ---------------------------------------------------------------------------------------------
// On a terminal

/// A stand-in browser: writes its arguments, one a line, to `opened`, and exits with `status`.
fn fake_browser(sb: &Sandbox, status: u8) -> (PathBuf, PathBuf) {
    let script = sb.home.join("browser.sh");
    let opened = sb.home.join("opened.txt");
    write(
        &script,
        &format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\nexit {status}\n",
            opened.display()
        ),
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    (script, opened)
}

/// What the browser was given, once it has written it (or a panic after a while).
fn wait_for_file(path: &Path) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(text) = std::fs::read_to_string(path) {
            if text.ends_with('\n') {
                return text;
            }
        }
        assert!(
            Instant::now() < deadline,
            "{} never appeared",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `kopai ARGS` in a pseudo-terminal with `$BROWSER` set; everything it showed.
#[cfg(unix)]
fn on_terminal(sb: &Sandbox, browser: &str, args: &[&str]) -> String {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kopai"));
    cmd.args(args);
    sb.configure(&mut cmd);
    cmd.env("BROWSER", browser);
    let mut session = rexpect::session::spawn_command(cmd, Some(10_000)).expect("pty");
    session.exp_eof().expect("exits")
}

#[cfg(unix)]
#[test]
fn a_terminal_starts_the_browser_with_the_url_as_one_argument() {
    let sb = Sandbox::new();
    let (script, opened) = fake_browser(&sb, 0);
    let url = "http://kopai.test/?tab=metrics&dashboardId=x%3By%20z";
    let screen = on_terminal(
        &sb,
        script.to_str().unwrap(),
        &["open", "dashboard", "x;y z", "--url", "http://kopai.test"],
    );
    assert_eq!(wait_for_file(&opened), format!("{url}\n"), "one argument");
    assert_eq!(screen.trim_end(), format!("Opened {url}"));
}

#[cfg(unix)]
#[test]
fn browser_may_place_the_url_with_percent_s_among_its_arguments() {
    let sb = Sandbox::new();
    let (script, opened) = fake_browser(&sb, 0);
    let browser = format!("{} --new-tab %s --private", script.display());
    on_terminal(
        &sb,
        &browser,
        &["open", "logs", "--url", "http://kopai.test"],
    );
    assert_eq!(
        wait_for_file(&opened),
        "--new-tab\nhttp://kopai.test/?tab=logs\n--private\n"
    );
}

#[cfg(unix)]
#[test]
fn print_on_a_terminal_prints_and_starts_nothing() {
    let sb = Sandbox::new();
    let (script, opened) = fake_browser(&sb, 0);
    let screen = on_terminal(
        &sb,
        script.to_str().unwrap(),
        &["open", "logs", "--print", "--url", "http://kopai.test"],
    );
    assert_eq!(screen.trim_end(), "http://kopai.test/?tab=logs");
    assert!(!opened.exists(), "the browser was started");
}

#[cfg(unix)]
#[test]
fn when_no_browser_starts_the_url_is_printed() {
    let sb = Sandbox::new();
    let (failing, opened) = fake_browser(&sb, 3);
    let screen = on_terminal(
        &sb,
        failing.to_str().unwrap(),
        &["open", "--url", "http://kopai.test"],
    );
    assert_eq!(wait_for_file(&opened), "http://kopai.test/\n");
    assert!(
        screen.contains("warning: could not start a browser") && screen.contains("exit status: 3"),
        "{screen:?}"
    );
    assert!(
        screen.trim_end().ends_with("\nhttp://kopai.test/"),
        "{screen:?}"
    );

    let missing = sb.home.join("no-such-browser");
    let screen = on_terminal(
        &sb,
        missing.to_str().unwrap(),
        &["open", "--url", "http://kopai.test"],
    );
    assert!(screen.contains("no-such-browser"), "{screen:?}");
    assert!(
        screen.trim_end().ends_with("\nhttp://kopai.test/"),
        "{screen:?}"
    );
}

#[test]
fn a_pipe_never_starts_the_browser() {
    let sb = Sandbox::new();
    let (script, opened) = fake_browser(&sb, 0);
    let out = run(sb
        .kopai()
        .args(["open", "logs", "--url", "http://kopai.test"])
        .env("BROWSER", &script));
    assert_ok(&out);
    assert_eq!(out.stdout, "http://kopai.test/?tab=logs\n");
    assert!(!opened.exists(), "the browser was started");
}

#[cfg(unix)]
#[test]
fn a_browser_path_with_spaces_is_one_program() {
    let sb = Sandbox::new();
    let (script, opened) = fake_browser(&sb, 0);
    let spaced = sb.home.join("My Browser");
    std::fs::create_dir_all(&spaced).unwrap();
    let moved = spaced.join("browser.sh");
    std::fs::rename(&script, &moved).unwrap();
    // The first entry cannot start; the second is tried.
    let browser = format!("{}:{}", sb.home.join("absent").display(), moved.display());
    on_terminal(
        &sb,
        &browser,
        &["open", "logs", "--url", "http://kopai.test"],
    );
    assert_eq!(wait_for_file(&opened), "http://kopai.test/?tab=logs\n");
}
