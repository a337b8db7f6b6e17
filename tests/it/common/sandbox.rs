//! The sandbox every test runs `kopai` in: its own HOME and working directory, a clean
//! environment.

use std::fs;
use std::path::PathBuf;

use assert_cmd::Command;
use tempfile::TempDir;

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
        default_signals(cmd);
        for (key, _) in std::env::vars_os() {
            let key = key.to_string_lossy().into_owned();
            if key.starts_with("KOPAI_")
                || key.starts_with("OTEL_")
                || key.to_ascii_lowercase().ends_with("_proxy")
                || key.starts_with("GIT_")
            {
                cmd.env_remove(&key);
            }
        }
        for key in [
            "SSL_CERT_FILE",
            "SSL_CERT_DIR",
            "NODE_EXTRA_CA_CERTS",
            "NO_COLOR",
            "CLICOLOR_FORCE",
            "COLUMNS",
            // Agent mode when the tests run under Claude Code.
            "CLAUDECODE",
            "PAGER",
            "LESS",
        ] {
            cmd.env_remove(key);
        }
        // No pager (the default is less) unless a test names one.
        cmd.env("KOPAI_PAGER", "");
        cmd.current_dir(&self.cwd)
            .env("HOME", &self.home)
            .env("USERPROFILE", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("XDG_CACHE_HOME", self.home.join(".cache"))
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

/// A test run started in the background or under `nohup` hands its children SIGINT or SIGHUP
/// already ignored, and kopai (like a shell) keeps an ignored signal ignored. Reset them, so the
/// signal tests see what a program started from a terminal gets.
fn default_signals(cmd: &mut std::process::Command) {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: signal() is async-signal-safe, as a pre_exec hook must be.
        unsafe {
            cmd.pre_exec(|| {
                for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT] {
                    libc::signal(signal, libc::SIG_DFL);
                }
                Ok(())
            });
        }
    }
    #[cfg(not(unix))]
    let _ = cmd;
}
