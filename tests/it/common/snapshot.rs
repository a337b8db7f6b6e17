//! [`kopai_snapshot!`]: the exit code, stdout and stderr of one run in one insta snapshot, with
//! what changes from run to run (temp paths, the fake server's port) filtered out.

use std::path::PathBuf;

use assert_cmd::Command;

use super::{run, Output};

/// Records what a user sees of one run of `kopai` in an insta snapshot: the exit code, stdout and
/// stderr, in that order. The argument is an [`Output`] (or `&Output`), or a `&mut Command`
/// that is run first; the macro returns the [`Output`] for further checks.
///
/// The snapshot is named after the test (`kopai_snapshot!(out)`) or explicitly
/// (`kopai_snapshot!("name", out)`), and stored in `snapshots/` next to the test file.
/// [`snapshot_settings`] lists the filters.
///
/// ```ignore
/// let out = kopai_snapshot!(sb.kopai().arg("whoami"));
/// assert!(!sb.local_rc().exists());
/// ```
macro_rules! kopai_snapshot {
    ($name:expr, $out:expr $(,)?) => {{
        let out = $crate::common::Outcome::outcome($out);
        $crate::common::snapshot_settings().bind(|| {
            insta::assert_snapshot!($name, $crate::common::snapshot_text(&out));
        });
        out
    }};
    ($out:expr $(,)?) => {{
        let out = $crate::common::Outcome::outcome($out);
        $crate::common::snapshot_settings().bind(|| {
            insta::assert_snapshot!($crate::common::snapshot_text(&out));
        });
        out
    }};
}
pub(crate) use kopai_snapshot;

/// What [`kopai_snapshot!`] accepts: a finished run, or a command to run.
pub trait Outcome {
    fn outcome(self) -> Output;
}

impl Outcome for Output {
    fn outcome(self) -> Output {
        self
    }
}

impl Outcome for &Output {
    fn outcome(self) -> Output {
        Output {
            code: self.code,
            stdout: self.stdout.clone(),
            stderr: self.stderr.clone(),
        }
    }
}

impl Outcome for &mut Command {
    fn outcome(self) -> Output {
        run(self)
    }
}

/// The text of a snapshot: the exit code, then stdout and stderr, each under a header.
pub fn snapshot_text(out: &Output) -> String {
    format!(
        "exit code: {}\n----- stdout -----\n{}\n----- stderr -----\n{}",
        out.code, out.stdout, out.stderr
    )
}

/// insta settings with the filters [`kopai_snapshot!`] applies, in this order:
///
/// - `<temp>/.tmpXXXXXX/home` → `[HOME]` and `<temp>/.tmpXXXXXX/work` → `[CWD]` (a
///   [`Sandbox`](super::Sandbox)'s directories, whichever sandbox they belong to);
/// - any other `<temp>/.tmpXXXXXX` → `[TEMP]`;
/// - `127.0.0.1:<port>` (a fake server) → `[SERVER]`.
///
/// `<temp>` is the system temp directory, as given and canonicalised.
pub fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_omit_expression(true);
    for temp in temp_dirs() {
        let temp = regex_escape(temp.display().to_string().trim_end_matches('/'));
        let sandbox = format!(r"{temp}/\.tmp[A-Za-z0-9]+");
        settings.add_filter(&format!("{sandbox}/home"), "[HOME]");
        settings.add_filter(&format!("{sandbox}/work"), "[CWD]");
        settings.add_filter(&sandbox, "[TEMP]");
    }
    settings.add_filter(r"127\.0\.0\.1:\d+", "[SERVER]");
    settings
}

/// The temp directory sandboxes are made in, as given and canonicalised (they differ where
/// it is a symlink, as on macOS).
fn temp_dirs() -> Vec<PathBuf> {
    let given = std::env::temp_dir();
    let mut dirs = Vec::new();
    if let Ok(canonical) = given.canonicalize() {
        dirs.push(canonical);
    }
    if !dirs.contains(&given) {
        dirs.push(given);
    }
    dirs
}

/// `text` as a regex that matches exactly it.
fn regex_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
