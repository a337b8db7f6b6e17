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

pub fn exposure(path: &Path) -> Exposure {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
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

/// Runs git quietly; `None` when git cannot be run at all.
fn git(dir: &Path, args: &[&str], name: &std::ffi::OsStr) -> Option<i32> {
    Command::new("git")
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
