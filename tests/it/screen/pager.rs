//! The pager: a table or waterfall on a terminal goes through `KOPAI_PAGER`, else `PAGER`
//! (else `less -FRX`); never in a pipe, with `--no-pager`, with an empty `KOPAI_PAGER`, or for
//! `--follow`. A fake pager script shows what it was given.

use super::*;
use std::os::unix::fs::PermissionsExt;

/// A pager that says how it was started, passes its input on, and says when it ends.
fn fake_pager(dir: &std::path::Path) -> String {
    let path = dir.join("fake-pager");
    write(
        &path,
        "#!/bin/sh\necho \"[pager $# args: $*]\"\ncat\necho \"[pager end, LESS=$LESS]\"\n",
    );
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.to_str().unwrap().to_owned()
}

/// kopai in a pseudo-terminal with the pager variables as given (`None`: unset).
fn paged(url: &str, line: &str, kopai_pager: Option<&str>, pager: Option<&str>) -> String {
    let sb = Sandbox::new();
    let mut cmd = sb.process();
    cmd.args(owned_words(line))
        .args(["--url", url, "--token", TOKEN])
        .env("COLUMNS", "120")
        .env("TZ", "UTC")
        .env("KOPAI_TEST_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .env_remove("KOPAI_PAGER");
    if let Some(value) = kopai_pager {
        cmd.env("KOPAI_PAGER", value);
    }
    if let Some(value) = pager {
        cmd.env("PAGER", value);
    }
    let mut session = rexpect::session::spawn_command(cmd, Some(20_000)).expect("pty");
    utf8(&session.exp_eof().expect("exits"))
}

#[tokio::test]
async fn a_table_on_a_terminal_goes_through_the_pager_split_without_a_shell() {
    let server = serve_fixture("POST", "/signals/traces/search", "traces-search-page1.json").await;
    let dir = tempfile::tempdir().unwrap();
    let pager = fake_pager(dir.path());
    // Quotes group words as a shell would; `$(…)` and `;` are only characters.
    let line = format!("{pager} --flag 'two words' $(touch pwned);");
    let shown = paged(&server.uri(), "traces search", Some(&line), None);
    let lines = visible(&shown);
    assert_eq!(
        lines[0], "[pager 4 args: --flag two words $(touch pwned);]",
        "{shown}"
    );
    assert!(lines[1].starts_with("TIME "), "{shown}");
    let end = lines
        .iter()
        .position(|l| l.starts_with("[pager end"))
        .unwrap();
    assert_eq!(lines[end], "[pager end, LESS=FRX]");
    // A hint about the output comes after the pager has quit, not over its screen.
    let hint = lines
        .iter()
        .position(|l| l.starts_with("hint: there are more"))
        .unwrap();
    assert!(hint > end, "{shown}");
    assert!(!dir.path().join("pwned").exists());
}

#[tokio::test]
async fn kopai_pager_wins_over_pager_and_empty_turns_it_off() {
    let server = serve_fixture("POST", "/signals/traces/search", "traces-search-page1.json").await;
    let dir = tempfile::tempdir().unwrap();
    let pager = fake_pager(dir.path());
    let from_pager = paged(&server.uri(), "traces search", None, Some(&pager));
    assert!(from_pager.starts_with("[pager 0 args: ]"), "{from_pager}");
    let other = format!("{pager} kopai");
    let both = paged(&server.uri(), "traces search", Some(&other), Some(&pager));
    assert!(both.starts_with("[pager 1 args: kopai]"), "{both}");
    let off = paged(&server.uri(), "traces search", Some(""), Some(&pager));
    assert!(!off.contains("[pager"), "{off}");
    assert!(off.starts_with("TIME "), "{off}");
    let flag = paged(
        &server.uri(),
        "traces search --no-pager",
        None,
        Some(&pager),
    );
    assert!(!flag.contains("[pager"), "{flag}");
}

#[tokio::test]
async fn a_trace_waterfall_is_paged_too() {
    let route = format!("/signals/traces/{TRACE_ID}");
    let server = serve_fixture("GET", &route, "traces-get.json").await;
    let dir = tempfile::tempdir().unwrap();
    let pager = fake_pager(dir.path());
    let shown = paged(
        &server.uri(),
        &format!("traces get {TRACE_ID}"),
        Some(&pager),
        None,
    );
    assert!(shown.starts_with("[pager 0 args: ]\nTrace "), "{shown}");
}

#[tokio::test]
async fn never_in_a_pipe() {
    let server = serve_fixture("POST", "/signals/traces/search", "traces-search-page1.json").await;
    let dir = tempfile::tempdir().unwrap();
    let pager = fake_pager(dir.path());
    let out = kopai_with(&server.uri(), &words("traces search -t"), |cmd| {
        cmd.env("KOPAI_PAGER", &pager);
    });
    assert_ok(&out);
    assert!(out.stdout.starts_with("TIME"), "{}", out.stdout);
}

#[tokio::test]
async fn a_pager_that_cannot_start_leaves_the_output_on_the_terminal() {
    let server = serve_fixture("POST", "/signals/traces/search", "traces-search-page1.json").await;
    for (pager, why) in [
        ("/nonexistent/pager -R", "No such file or directory"),
        ("less 'unbalanced", "unbalanced quotes"),
    ] {
        let shown = paged(&server.uri(), "traces search", Some(pager), None);
        let lines = visible(&shown);
        // Said when the output starts, then the output itself.
        assert!(
            lines[0].starts_with("warning: could not start the pager") && lines[0].contains(why),
            "{shown}"
        );
        assert!(lines[1].starts_with("TIME "), "{shown}");
    }
}

/// `q` before the end: the rest of the output has nowhere to go, which is a normal end.
#[tokio::test]
async fn a_pager_that_quits_early_is_not_an_error() {
    let mut page = fixture_json("traces-search-page1.json");
    let row = page["data"][0].clone();
    page["data"] = Value::Array(vec![row; 3000]);
    page["nextCursor"] = Value::Null;
    let server = serve(
        "POST",
        "/signals/traces/search",
        json_response(&page.to_string()),
    )
    .await;
    let sb = Sandbox::new();
    let mut cmd = sb.process();
    cmd.args(["traces", "search", "--url", &server.uri(), "--token", TOKEN])
        .env("KOPAI_PAGER", "head -n 2");
    let mut session = rexpect::session::spawn_command(cmd, Some(20_000)).expect("pty");
    let shown = utf8(&session.exp_eof().expect("exits"));
    let status = session.process().wait().expect("exit status");
    assert!(
        matches!(status, rexpect::process::WaitStatus::Exited(_, 0)),
        "{status:?}: {shown}"
    );
    assert_eq!(visible(&shown).len(), 3, "two lines and the end: {shown}");
    assert!(!shown.contains("error"), "{shown}");
}

#[tokio::test]
async fn never_for_follow() {
    let server = serve_fixture("POST", "/signals/traces/search", "traces-search-page1.json").await;
    let dir = tempfile::tempdir().unwrap();
    let pager = fake_pager(dir.path());
    let sb = Sandbox::new();
    let mut cmd = sb.process();
    cmd.args(words("traces search --follow --interval 50ms"))
        .args(["--url", &server.uri(), "--token", TOKEN])
        .env("KOPAI_PAGER", &pager)
        .env("COLUMNS", "200");
    let mut session = rexpect::session::spawn_command(cmd, Some(15_000)).expect("pty");
    let first = session.exp_string("TIME").expect("the table");
    assert!(!first.contains("[pager"), "{first:?}");
    session.send_control('c').expect("Ctrl-C");
    let rest = session.exp_eof().expect("ends");
    assert!(!rest.contains("[pager"), "{rest:?}");
}
