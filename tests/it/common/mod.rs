//! Test harness: every test runs the real binary in its own temp HOME and working directory,
//! with every `KOPAI_*` variable removed, against a fake Kopai server on 127.0.0.1.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const TOKEN: &str = "kpi_live_0123456789abcdefghijklmnopqrstuv";
pub const PREFIX: &str = "kpi_live_0...";

pub struct Sandbox {
    _root: TempDir,
    pub home: PathBuf,
    pub cwd: PathBuf,
}

impl Sandbox {
    pub fn new() -> Self {
        let root = tempfile::tempdir().expect("temp dir");
        // Canonical paths, so what the binary prints matches what the test expects.
        let base = root.path().canonicalize().expect("canonical temp dir");
        let home = base.join("home");
        let cwd = base.join("work");
        fs::create_dir_all(&home).unwrap();
        fs::create_dir_all(&cwd).unwrap();
        Self {
            _root: root,
            home,
            cwd,
        }
    }

    /// `kopai` with a clean environment: no KOPAI_*, no proxies, no colour, git isolated.
    pub fn kopai(&self) -> Command {
        let mut cmd = Command::from_std(self.process());
        cmd.timeout(std::time::Duration::from_secs(60));
        cmd
    }

    /// The same, as a plain `std::process::Command` (to spawn several at once).
    pub fn process(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kopai"));
        self.configure(&mut cmd);
        cmd
    }

    /// Applies the sandbox (cwd, HOME, clean environment) to any command.
    pub fn configure(&self, cmd: &mut std::process::Command) {
        for (key, _) in std::env::vars_os() {
            let key = key.to_string_lossy().into_owned();
            if key.starts_with("KOPAI_")
                || key.to_ascii_lowercase().ends_with("_proxy")
                || key.starts_with("GIT_")
            {
                cmd.env_remove(&key);
            }
        }
        for key in [
            "SSL_CERT_FILE",
            "SSL_CERT_DIR",
            "NO_COLOR",
            "CLICOLOR_FORCE",
            "COLUMNS",
        ] {
            cmd.env_remove(key);
        }
        cmd.current_dir(&self.cwd)
            .env("HOME", &self.home)
            .env("USERPROFILE", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("NO_PROXY", "127.0.0.1,localhost");
    }

    pub fn local_rc(&self) -> PathBuf {
        self.cwd.join(".kopairc")
    }

    pub fn home_rc(&self) -> PathBuf {
        self.home.join(".kopairc")
    }

    /// Replaces the sandbox paths in output with `[HOME]` and `[CWD]`.
    pub fn scrub(&self, text: &str) -> String {
        text.replace(&self.cwd.display().to_string(), "[CWD]")
            .replace(&self.home.display().to_string(), "[HOME]")
    }
}

pub fn write(path: &Path, content: &str) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(path, content).unwrap();
}

pub fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// A captured response from the real server (tests/fixtures, copied from shared/kopai-api).
pub fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    read(&path)
}

pub fn json_response(body: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

/// A fake server that accepts any token on the validation endpoint.
pub async fn accepting_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/signals/traces/search"))
        .respond_with(json_response(r#"{"data":[],"nextCursor":null}"#))
        .mount(&server)
        .await;
    server
}

/// A fake server that answers the validation endpoint with `status`.
pub async fn server_answering(status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/signals/traces/search"))
        .respond_with(ResponseTemplate::new(status))
        .mount(&server)
        .await;
    server
}

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

/// Writes a config file the way `kopai login` would: readable by its owner only.
pub fn write_private(path: &Path, content: &str) {
    write(path, content);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600)).unwrap();
    }
}
