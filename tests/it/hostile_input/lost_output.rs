//! Output that cannot be written: a full disk is exit 1, a closed pipe is exit 0.

use super::*;

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
