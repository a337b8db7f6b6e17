//! Test harness: every test runs the real binary in its own temp HOME and working directory,
//! with every `KOPAI_*` variable removed, against a fake Kopai server on 127.0.0.1.
//!
//! - [`Sandbox`]: the temp HOME and working directory, and `kopai` commands that run in them.
//! - [`run`], [`kopai_at`], [`kopai_with`]: run `kopai` and capture an [`Output`].
//! - [`assert_ok`], [`assert_failed`], [`assert_no_secret`], [`json_error`]: checks on an
//!   [`Output`].
//! - `server`: fake servers ([`serve`], [`serve_fixture`], [`accepting_server`], ...) and what
//!   they received ([`requests`], [`bodies`]).
//! - `fixtures`: captured responses ([`fixture`], [`fixture_json`], [`data`]).
//! - `snapshot`: [`kopai_snapshot!`], exit code, stdout and stderr in one insta snapshot with
//!   temp paths and the server's address filtered.

mod fixtures;
mod https;
mod sandbox;
mod server;
mod shells;
mod snapshot;

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

pub use fixtures::*;
pub use https::{https_server, private_ca_server};
pub use sandbox::Sandbox;
pub use server::*;
pub use shells::{Shells, TabSession};
pub(crate) use snapshot::kopai_snapshot;
pub use snapshot::{snapshot_settings, snapshot_text, Outcome};

pub const TOKEN: &str = "kpi_live_0123456789abcdefghijklmnopqrstuv";
pub const PREFIX: &str = "kpi_live_0...";

// ---- files ----

pub fn write(path: &Path, content: &str) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(path, content).unwrap();
}

pub fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Writes a config file the way `kopai login` would: readable by its owner only.
pub fn write_private(path: &Path, content: &str) {
    write(path, content);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600)).unwrap();
    }
}

/// A `.kopairc` with a URL and a token, as the Node CLI writes it.
pub fn config(url: &str, token: &str) -> String {
    format!("{{\n  \"url\": \"{url}\",\n  \"token\": \"{token}\"\n}}\n")
}

/// A config file that `kopai` saved, parsed.
pub fn saved(path: &Path) -> Value {
    serde_json::from_str(&read(path)).expect("saved config is JSON")
}

/// The keys of a JSON object, in order.
pub fn keys(value: &Value) -> Vec<String> {
    value.as_object().unwrap().keys().cloned().collect()
}

// ---- running kopai ----

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs to completion and captures what the user would see.
pub fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("kopai runs");
    Output {
        code: out.status.code().expect("exited normally, not by a signal"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// A command line split on whitespace (values with spaces are added separately).
pub fn words(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
}

/// `kopai ARGS --url URL --token TOKEN` in a fresh sandbox, stdout a pipe.
pub fn kopai_at(url: &str, args: &[&str]) -> Output {
    kopai_with(url, args, |_| {})
}

/// Like [`kopai_at`], after `setup` has added environment or stdin.
pub fn kopai_with(url: &str, args: &[&str], setup: impl FnOnce(&mut Command)) -> Output {
    let sb = Sandbox::new();
    let mut cmd = sb.kopai();
    cmd.args(args).args(["--url", url, "--token", TOKEN]);
    setup(&mut cmd);
    let out = run(&mut cmd);
    assert_no_secret(&out, TOKEN);
    out
}

/// What `JSON.stringify(value, null, 2)` prints, plus the newline `console.log` adds.
pub fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap() + "\n"
}

// ---- checks ----

/// A successful run (stderr is shown if it was not).
pub fn assert_ok(out: &Output) {
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
}

/// A failed run: the exit code, and nothing on stdout that a script could take for data.
pub fn assert_failed(out: &Output, code: i32) {
    assert_eq!(out.code, code, "stderr: {}", out.stderr);
    assert_eq!(out.stdout, "", "stdout must stay empty on errors");
}

/// stderr in JSON mode: exactly one compact JSON object on one line.
pub fn json_error(out: &Output) -> Value {
    assert_eq!(out.stderr.lines().count(), 1, "stderr: {}", out.stderr);
    serde_json::from_str(&out.stderr).expect("stderr is one JSON object")
}

/// No output stream may ever carry the whole token.
pub fn assert_no_secret(out: &Output, token: &str) {
    assert!(
        !out.stdout.contains(token),
        "token leaked to stdout: {}",
        out.stdout
    );
    assert!(
        !out.stderr.contains(token),
        "token leaked to stderr: {}",
        out.stderr
    );
}

/// Runs git in `dir` as the sandbox's user (its HOME and config, no system config).
pub fn git(dir: &Path, args: &[&str], sb: &Sandbox) {
    let out = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("HOME", &sb.home)
        .env("XDG_CONFIG_HOME", sb.home.join(".config"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("git is installed (CI installs it)");
    assert!(out.status.success(), "git {args:?}: {out:?}");
}
