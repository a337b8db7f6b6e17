//! Errors for a person, even when JSON output is implied.

use super::*;

/// kopai with stdout sent to a file and stderr on a pseudo-terminal.
fn stderr_on_terminal(args: &str, env: &[(&str, &str)]) -> String {
    let sb = Sandbox::new();
    let mut cmd = std::process::Command::new("sh");
    cmd.args(["-c", "exec \"$@\" > out.json", "sh"])
        .arg(env!("CARGO_BIN_EXE_kopai"))
        .args(owned_words(args));
    sb.configure(&mut cmd);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut session = rexpect::session::spawn_command(cmd, Some(20_000)).expect("pty");
    utf8(&session.exp_eof().expect("exits"))
}

#[tokio::test]
async fn implied_json_leaves_a_person_the_usual_error() {
    let server = serve("POST", "/signals/traces/search", ResponseTemplate::new(401)).await;
    let line = format!("traces search --url {}", server.uri());
    let shown = stderr_on_terminal(&line, &[("NO_COLOR", "1")]);
    assert_eq!(
        shown,
        "error: Not logged in: the server wants a token (HTTP 401).\n\
         hint: run `kopai login` or set KOPAI_TOKEN\n"
    );
    let coloured = stderr_on_terminal(&line, &[]);
    assert!(
        coloured.starts_with("\x1b[1m\x1b[31merror:\x1b[0m Not logged in"),
        "{coloured:?}"
    );
    assert!(
        coloured.contains("\x1b[32mhint:\x1b[0m run"),
        "{coloured:?}"
    );

    let asked = stderr_on_terminal(&format!("{line} --json"), &[]);
    assert!(
        asked.starts_with(r#"{"error":{"name":"AuthError""#),
        "{asked}"
    );

    // A bad flag, too.
    let usage = stderr_on_terminal("traces search --limit 0", &[("NO_COLOR", "1")]);
    assert!(
        usage.starts_with("error: invalid value '0' for '--limit <N>'"),
        "{usage}"
    );

    // No terminal anywhere: JSON, as before.
    let out = run(Sandbox::new()
        .kopai()
        .args(["traces", "search", "--url", &server.uri()]));
    assert!(out.stderr.starts_with(r#"{"error":"#), "{}", out.stderr);
}

/// A warning longer than the terminal breaks between words, its later lines under its text;
/// in a pipe it stays one line.
#[test]
fn a_long_warning_wraps_at_word_boundaries_on_a_terminal() {
    // --no-verify: nothing is sent to this address.
    let url = "http://10.255.255.1:9";
    let shown = screen(url, "login --no-verify", 40, "UTC", &[]);
    let lines = visible(&shown);
    let start = lines
        .iter()
        .position(|l| l.starts_with("warning: "))
        .expect("the warning");
    assert_eq!(
        &lines[start..start + 3],
        [
            "warning: http://10.255.255.1:9 uses",
            "         plain http: the token is sent",
            "         unencrypted; use https",
        ],
        "{shown}"
    );
    let piped = run(Sandbox::new()
        .kopai()
        .args(["login", "--no-verify", "--url", url, "--token", TOKEN])
        .env("COLUMNS", "40"));
    assert!(
        piped
            .stderr
            .contains("warning: http://10.255.255.1:9 uses plain http: the token is sent unencrypted; use https\n"),
        "{}",
        piped.stderr
    );
}

/// An error or hint longer than the terminal breaks between words (a URL or a flag stays whole),
/// its later lines under its text, as warnings do; in a pipe each stays one line.
#[tokio::test]
async fn a_long_error_and_hint_wrap_at_word_boundaries_on_a_terminal() {
    let server = MockServer::start().await;
    let uri = server.uri();
    let shown = screen(&uri, "traces search -t", 60, "UTC", &[]);
    assert_eq!(
        visible(shown.trim_end()),
        [
            "error: Not Found (HTTP 404) for POST".to_owned(),
            format!("       {uri}/signals/traces/search"),
        ],
        "{shown}"
    );
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let shown = screen(&uri, "traces search -t", 40, "UTC", &[]);
    assert_fits(&shown, 40);
    let lines = visible(shown.trim_end());
    let hint = lines
        .iter()
        .position(|l| l.starts_with("hint: "))
        .expect("the hint");
    assert!(lines.len() > hint + 1, "{shown}");
    for line in &lines[hint + 1..] {
        assert!(
            line.starts_with("      ") && !line.starts_with("       "),
            "{shown}"
        );
    }
    let words: Vec<&str> = lines[hint..]
        .iter()
        .flat_map(|l| l.split_whitespace())
        .collect();
    assert_eq!(
        words.join(" "),
        "hint: create a new CLI token in the dashboard (Settings → Access Tokens), then run \
         `kopai login` or set KOPAI_TOKEN"
    );
    let piped = run(Sandbox::new()
        .kopai()
        .args(["traces", "search", "-t", "--url", &uri, "--token", TOKEN])
        .env("COLUMNS", "40"));
    assert!(
        piped.stderr.ends_with(
            "hint: create a new CLI token in the dashboard (Settings → Access Tokens), then run \
             `kopai login` or set KOPAI_TOKEN\n"
        ),
        "{}",
        piped.stderr
    );
}
