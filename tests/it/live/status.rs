//! `--follow` and `--wait` on a terminal say on stderr what they are waiting for until the
//! first row, with the hints an empty search gives; the line goes when rows arrive, and never
//! shows with `-q` (nor in a pipe: the other live tests read an empty stderr there).

use super::*;

/// The fake logs route, and the server's services beside it.
fn serve_logs_and_services(fake: &Fake) -> (tokio::runtime::Runtime, MockServer) {
    let (runtime, server) = serve_fake(fake, LOGS_SEARCH);
    runtime.block_on(
        Mock::given(method("GET"))
            .and(path("/signals/services"))
            .respond_with(json_response(&fixture("services.json")))
            .mount(&server),
    );
    (runtime, server)
}

fn on_a_terminal(sb: &Sandbox, url: &str, line: &str) -> rexpect::session::PtySession {
    let mut cmd = sb.process();
    cmd.args(words(line))
        .args(["--url", url, "--token", TOKEN])
        .env("COLUMNS", "200")
        .env("NO_COLOR", "1");
    rexpect::session::spawn_command(cmd, Some(15_000)).expect("pty")
}

/// rexpect hands back one char per byte; the terminal got UTF-8.
fn text(raw: &str) -> String {
    let bytes: Vec<u8> = raw.chars().map(|c| c as u32 as u8).collect();
    String::from_utf8(bytes).expect("UTF-8")
}

fn unknown_service_record(body: &str) -> Value {
    let mut row = log(body, 1);
    row["ServiceName"] = json!("nonexistent-svc");
    row
}

const STATUS: &str = "\rwaiting for logs from nonexistent-svc… — no such service yet; known: \
                      checkout-api, payment-service\x1b[K";

#[cfg(unix)]
#[test]
fn follow_says_what_it_waits_for_until_the_first_row() {
    let fake = Fake::default();
    let (_rt, server) = serve_logs_and_services(&fake);
    let sb = Sandbox::new();
    let line = "logs search --follow --interval 50ms -s nonexistent-svc";
    let mut session = on_a_terminal(&sb, &server.uri(), line);
    let waiting = session
        .exp_string("checkout-api, payment-service")
        .expect("the status line");
    fake.add([unknown_service_record("first record")]);
    let before_row = text(&session.exp_string("first record").expect("the row"));
    let shown = text(&waiting) + "checkout-api, payment-service" + &before_row;
    let status = shown.find(STATUS).unwrap_or_else(|| panic!("{shown:?}"));
    let cleared = shown
        .rfind("\r\x1b[K")
        .unwrap_or_else(|| panic!("{shown:?}"));
    assert!(status < cleared, "cleared after it was shown: {shown:?}");
    assert!(
        !shown[cleared..].contains("waiting"),
        "not shown again: {shown:?}"
    );
    // Polls that find nothing new after the first row do not bring it back.
    fake.wait_for_more_requests(3);
    session.send_control('c').expect("Ctrl-C");
    let rest = session.exp_eof().expect("ends");
    assert!(!rest.contains("waiting"), "{rest:?}");
}

#[cfg(unix)]
#[test]
fn quiet_follow_shows_no_status_line() {
    let fake = Fake::default();
    let (_rt, server) = serve_logs_and_services(&fake);
    let sb = Sandbox::new();
    let line = "logs search --follow --interval 50ms -s nonexistent-svc -q";
    let mut session = on_a_terminal(&sb, &server.uri(), line);
    fake.wait_for_requests(3);
    fake.add([unknown_service_record("first record")]);
    let before_row = session.exp_string("first record").expect("the row");
    session.send_control('c').expect("Ctrl-C");
    let rest = session.exp_eof().expect("ends");
    let shown = before_row + &rest;
    assert!(!shown.contains("waiting"), "{shown:?}");
    assert!(!shown.contains("\x1b[K"), "{shown:?}");
}

#[cfg(unix)]
#[test]
fn wait_says_what_it_waits_for_then_prints_the_rows() {
    let fake = Fake::default();
    let (_rt, server) = serve_logs_and_services(&fake);
    let sb = Sandbox::new();
    let line = "logs search --wait 10s --interval 50ms -s nonexistent-svc";
    let mut session = on_a_terminal(&sb, &server.uri(), line);
    let waiting = session
        .exp_string("checkout-api, payment-service")
        .expect("the status line");
    fake.add([unknown_service_record("first record")]);
    let rest = session.exp_eof().expect("ends");
    let shown = text(&waiting) + "checkout-api, payment-service" + &text(&rest);
    let status = shown.find(STATUS).unwrap_or_else(|| panic!("{shown:?}"));
    let row = shown
        .find("first record")
        .unwrap_or_else(|| panic!("{shown:?}"));
    let cleared = shown[status..row].find("\r\x1b[K");
    assert!(cleared.is_some(), "cleared before the row: {shown:?}");
    assert!(!shown[row..].contains("waiting"), "{shown:?}");
}
