//! Real shells completing `kopai`: the scripts `kopai completions` prints, sourced into bash,
//! zsh and fish with the built `kopai` first on PATH, in a sandbox.

use std::path::PathBuf;
use std::time::Duration;

use assert_cmd::Command;

use super::{run, write, Output, Sandbox};

/// Longer than the 2 s that `services --for-completion` allows the server, shorter than a hang.
const COMPLETION_TIMEOUT: Duration = Duration::from_secs(20);

/// A sandbox whose HOME holds the completion scripts; its working directory is left to the
/// test (for bait files a glob or an injected command would show up in).
pub struct Shells {
    pub sb: Sandbox,
    scripts: PathBuf,
}

impl Shells {
    pub fn new() -> Self {
        let sb = Sandbox::new();
        let scripts = sb.home.join("completions");
        for shell in ["bash", "zsh", "fish"] {
            let out = run(sb.kopai().args(["completions", shell]));
            assert_eq!(out.code, 0, "{}", out.stderr);
            write(&scripts.join(shell), &out.stdout);
        }
        Self { sb, scripts }
    }

    /// `program` in the sandbox (clean environment, its HOME and cwd), `kopai` on PATH,
    /// `KOPAI_URL=url`, killed if it runs past the completion timeout.
    pub fn shell(&self, program: &str, url: &str) -> Command {
        let mut cmd = Command::from_std(self.process(program, url));
        cmd.timeout(COMPLETION_TIMEOUT);
        cmd
    }

    /// The same as a plain process (for a pseudo-terminal).
    pub fn process(&self, program: &str, url: &str) -> std::process::Command {
        let mut cmd = std::process::Command::new(program);
        self.sb.configure(&mut cmd);
        let bin = std::path::Path::new(env!("CARGO_BIN_EXE_kopai"))
            .parent()
            .unwrap();
        let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
        cmd.env("PATH", path)
            .env("KOPAI_URL", url)
            .env("LC_ALL", "C.UTF-8");
        cmd
    }

    pub fn script(&self, shell: &str) -> PathBuf {
        self.scripts.join(shell)
    }

    /// What bash's completion offers for the last of `words` (COMP_WORDS, the last one the
    /// word being completed), as COMPREPLY holds it. `compopt` only works while readline
    /// completes, so it is a no-op here (the pseudo-terminal tests use the real one).
    pub fn bash_offers(&self, url: &str, words: &[&str]) -> Vec<String> {
        let program = r#"source "$1"; shift
compopt() { :; }
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
_kopai kopai "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
if [[ ${#COMPREPLY[@]} -gt 0 ]]; then printf '%s\0' "${COMPREPLY[@]}"; fi"#;
        let out = run(self
            .shell("bash", url)
            .args(["-c", program, "bash"])
            .arg(self.script("bash"))
            .args(words));
        assert_eq!(out.code, 0, "{}", out.stderr);
        nul_separated(&out)
    }

    /// The words bash's parser makes of `offered` when the completed line is run: what the
    /// program would receive. (Running them is the point: an offered word that still held a
    /// command substitution would run it here.)
    pub fn bash_parses(&self, offered: &[String]) -> Vec<String> {
        let program = r#"for word in "$@"; do eval "printf '%s\0' $word"; done"#;
        let out = run(self
            .shell("bash", "http://127.0.0.1:9")
            .args(["-c", program, "bash"])
            .args(offered));
        assert_eq!(out.code, 0, "{}", out.stderr);
        nul_separated(&out)
    }
}

fn nul_separated(out: &Output) -> Vec<String> {
    out.stdout
        .split_terminator('\0')
        .map(str::to_owned)
        .collect()
}

/// An interactive shell in a pseudo-terminal, where TAB completes as a person presses it.
pub struct TabSession(rexpect::session::PtySession);

impl TabSession {
    /// Starts `shell` and runs `setup`, which must bind Ctrl-T to print the line between the
    /// markers `42<` and `>42` and end by printing `READY-42` (`$((6*7))` in the typed text,
    /// so the echo of what was typed never matches).
    pub fn start(shell: std::process::Command, setup: &str) -> Self {
        let mut session = rexpect::session::spawn_command(shell, Some(20_000)).expect("pty");
        session.send_line(setup).unwrap();
        session.exp_string("READY-42").unwrap();
        Self(session)
    }

    /// The line as TAB left it after typing `line`: Ctrl-T prints it, Ctrl-U then empties the
    /// line for the next case.
    pub fn tab(&mut self, line: &str) -> String {
        self.0.send(&format!("{line}\t\x14\x15")).unwrap();
        self.0.flush().unwrap();
        self.0.exp_string("42<").unwrap();
        self.0.exp_string(">42").unwrap()
    }

    /// Ends the shell (an interactive bash ignores the SIGTERM the session would end it with).
    pub fn exit(mut self) {
        self.0.send_line("exit").unwrap();
        self.0.exp_eof().unwrap();
    }
}
