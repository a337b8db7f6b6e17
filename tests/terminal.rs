//! Behaviour that needs a real terminal: the hidden token prompt.
#![cfg(unix)]

mod common;

use common::*;

/// rexpect turns echo off by itself, which would hide a plain `read_line`; `stty echo` first
/// makes the test fail unless kopai switches echo off on its own.
#[test]
fn the_token_prompt_does_not_echo() {
    let sb = Sandbox::new();
    let mut cmd = std::process::Command::new("sh");
    cmd.args(["-c", "stty echo; exec \"$@\"", "sh"])
        .arg(env!("CARGO_BIN_EXE_kopai"))
        .args(["login", "--no-verify"]);
    sb.configure(&mut cmd);

    let mut session = rexpect::session::spawn_command(cmd, Some(10_000)).expect("pty");
    session.exp_string("Token: ").expect("prompt");
    session.send_line(TOKEN).expect("typed");
    let shown = session.exp_string("Logged in. Token: ").expect("logged in");
    let rest = session.exp_eof().expect("exits");
    assert!(!shown.contains(TOKEN), "the token was echoed: {shown:?}");
    assert!(!rest.contains(TOKEN), "the token was printed: {rest:?}");
    assert!(rest.starts_with(PREFIX), "{rest:?}");
    assert!(read(&sb.local_rc()).contains(TOKEN));
}

#[test]
fn a_plain_read_would_have_echoed() {
    // Guards the guard: with echo on, what is typed does come back.
    let mut cmd = std::process::Command::new("sh");
    cmd.args(["-c", "stty echo; echo ready; read line; echo done"]);
    let mut session = rexpect::session::spawn_command(cmd, Some(10_000)).expect("pty");
    session.exp_string("ready").expect("ready");
    session.send_line("visible-text").expect("typed");
    let shown = session.exp_string("done").expect("done");
    assert!(shown.contains("visible-text"), "{shown:?}");
}
