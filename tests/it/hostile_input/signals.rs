//! Signals: a save interrupted leaves no temp file, Ctrl-C at the token prompt restores echo.

use super::*;

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
