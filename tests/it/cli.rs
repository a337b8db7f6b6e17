//! The command line itself: help, version, completions, usage errors.

use crate::common::*;

#[test]
fn help_has_examples_and_exit_codes() {
    let out = run(Sandbox::new().kopai().arg("--help"));
    assert_ok(&out);
    assert!(out.stdout.contains("Examples:"));
    assert!(out.stdout.contains("echo \"$KOPAI_TOKEN\" | kopai login"));
    assert!(out
        .stdout
        .contains("Exit codes: 0 ok, 1 API or network error"));
    let out = run(Sandbox::new().kopai().args(["login", "--help"]));
    assert!(out.stdout.contains("--global") && out.stdout.contains("--no-verify"));
}

#[test]
fn version() {
    let out = run(Sandbox::new().kopai().arg("--version"));
    assert_eq!(out.stdout, format!("kopai {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn completions_for_every_shell() {
    for (shell, marker) in [
        ("bash", "_kopai()"),
        ("zsh", "#compdef kopai"),
        ("fish", "complete -c kopai"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = run(Sandbox::new().kopai().args(["completions", shell]));
        assert_eq!(out.code, 0, "{shell}");
        assert!(out.stdout.contains(marker), "{shell}");
    }
    let out = run(Sandbox::new().kopai().args(["completions", "tcsh"]));
    assert_eq!(out.code, 2);
}

/// Milliseconds that overflow in nanoseconds once panicked (found by the flag proptest).
#[test]
fn a_timeout_too_long_in_nanoseconds_is_exit_2() {
    let sb = Sandbox::new();
    for ms in [
        "1000000000000000000000000000000000",
        "9".repeat(60).as_str(),
    ] {
        let out = run(sb.kopai().args(["whoami", "--no-verify", "--timeout", ms]));
        assert_eq!(out.code, 2, "{}", out.stderr);
        assert!(
            out.stderr.contains("the timeout is too long"),
            "{}",
            out.stderr
        );
    }
}

#[test]
fn usage_errors_exit_2_naming_the_flag() {
    let sb = Sandbox::new();
    let out = run(sb.kopai().args(["whoami", "--timeout", "soon"]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with("error: invalid value 'soon' for '--timeout <DURATION>'"),
        "{}",
        out.stderr
    );
    let out = run(sb.kopai().args(["whoami", "--bogus"]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--bogus"));
    let out = run(sb.kopai().arg("frobnicate"));
    assert_eq!(out.code, 2);
}

#[test]
fn global_options_work_after_the_command_too() {
    let sb = Sandbox::new();
    let before = run(sb.kopai().args(["--token", TOKEN, "whoami", "--no-verify"]));
    let after = run(sb.kopai().args(["whoami", "--no-verify", "--token", TOKEN]));
    assert_ok(&before);
    assert_eq!(before.stdout, after.stdout);
}

/// A reader that went away (`kopai … | head -0`) is not a crash, and the exit code stands.
#[test]
fn a_closed_pipe_on_stdout_is_not_a_crash() {
    let sb = Sandbox::new();
    for (args, code) in [
        (vec!["whoami", "--no-verify", "--token", TOKEN], 0),
        (vec!["whoami", "--no-verify"], 4),
        (vec!["completions", "bash"], 0),
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = sb.process().args(&args).stdout(writer).output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}");
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains("panicked"),
            "{args:?}"
        );
    }
}
