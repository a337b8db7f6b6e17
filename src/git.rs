//! Would git commit this file? Asked of git itself, so every ignore rule counts: nested
//! `.gitignore` files, `.git/info/exclude`, the global excludes file, negations.

use std::path::Path;
use std::process::{Command, Stdio};

#[derive(Debug, PartialEq, Eq)]
pub enum Exposure {
    /// Not in a work tree, ignored, or git is not installed: nothing to say.
    Safe,
    /// In a work tree and not ignored: `git add .` would pick it up.
    NotIgnored,
    /// Already tracked: the next commit would include the token.
    Tracked,
}

/// Whether git would commit the file at `path`, asked where the file really lives: a
/// `~/.kopairc` that links into a dotfiles repository belongs to that repository.
pub fn exposure(path: &Path) -> Exposure {
    let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let (Some(dir), Some(name)) = (real.parent(), real.file_name()) else {
        return Exposure::Safe;
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    // check-ignore: 0 ignored, 1 not ignored (or tracked), 128 not a work tree.
    match git(dir, &["check-ignore", "-q", "--"], name) {
        Some(1) => {}
        _ => return Exposure::Safe,
    }
    match git(dir, &["ls-files", "--error-unmatch", "--"], name) {
        Some(0) => Exposure::Tracked,
        _ => Exposure::NotIgnored,
    }
}

/// Settings that keep the repository's own config from running commands: a cloned
/// repository's `core.fsmonitor` is a program git would start; the others keep git from
/// writing to the index, paging or calling external tools.
const SAFE_CONFIG: &[&str] = &[
    "core.fsmonitor=false",
    "core.untrackedCache=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "diff.external=",
    "core.sshCommand=false",
    "protocol.allow=never",
];

/// Runs git quietly; `None` when git cannot be run at all.
fn git(dir: &Path, args: &[&str], name: &std::ffi::OsStr) -> Option<i32> {
    let mut command = Command::new("git");
    for setting in SAFE_CONFIG {
        command.arg("-c").arg(setting);
    }
    command
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_PAGER", "cat")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env_remove("GIT_EXTERNAL_DIFF")
        .arg("-C")
        .arg(dir)
        .args(args)
        .arg(name)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()?
        .code()
}
