//! Printing to stdout and stderr that never panics: `println!` panics when stdout is a closed
//! pipe (`kopai whoami | true`), and the exit code must still tell the story.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

/// The first failed write to stdout other than a closed pipe (`> /dev/full`, a disk that filled
/// up): the run then fails (exit 1) even if the command itself went well.
static STDOUT_ERROR: OnceLock<String> = OnceLock::new();

/// Remembers a failed write to stdout. A closed pipe is not a failure: the reader (`| head`) has
/// what it wanted.
pub fn record_stdout(result: io::Result<()>) {
    if let Err(error) = result {
        if error.kind() != io::ErrorKind::BrokenPipe {
            let _ = STDOUT_ERROR.set(error.to_string());
        }
    }
}

/// Why stdout lost output, if it did.
pub fn stdout_error() -> Option<&'static str> {
    STDOUT_ERROR.get().map(String::as_str)
}

/// `-q/--quiet`: set once, before the command runs, and read wherever a message is printed
/// (down to the TLS set-up, which has no terminal to ask).
static QUIET: AtomicBool = AtomicBool::new(false);

pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// Whether a pager is showing stdout, and what stderr lines wait for it to quit.
static PAGING: AtomicBool = AtomicBool::new(false);
static HELD: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

pub fn paging() -> bool {
    PAGING.load(Ordering::Relaxed)
}

/// While paging, stderr lines are held; when it ends, they are said.
pub fn set_paging(paging: bool) {
    PAGING.store(paging, Ordering::Relaxed);
    if !paging {
        let held = std::mem::take(&mut *HELD.lock().unwrap_or_else(|e| e.into_inner()));
        for line in held {
            say(line);
        }
    }
}

/// One line on stderr, or held while a pager shows the output (at most 1000 lines).
pub fn say(line: String) {
    use std::io::Write as _;
    if paging() {
        let mut held = HELD.lock().unwrap_or_else(|e| e.into_inner());
        if held.len() < 1000 {
            held.push(line);
        }
        return;
    }
    let _ = writeln!(io::stderr(), "{line}");
}

/// The width of stderr when it is a terminal, set once at start-up.
static STDERR_WIDTH: OnceLock<usize> = OnceLock::new();

pub fn set_stderr_width(width: usize) {
    let _ = STDERR_WIDTH.set(width);
}

/// The width of stderr, when it is a terminal.
pub fn stderr_width() -> Option<usize> {
    STDERR_WIDTH.get().copied()
}

const WARNING: &str = "warning: ";

/// A warning longer than the terminal, broken at spaces (not mid-word, as the terminal would)
/// with its later lines under its text. Anything else, and any line in a pipe, as it is.
pub fn fit_warning(text: String) -> String {
    match text.starts_with(WARNING) {
        true => fit_labelled(text, WARNING.len()),
        false => text,
    }
}

/// A line whose label (`error: `, `hint: `) takes its first `indent` columns, longer than the
/// terminal, broken at spaces with its later lines under its text; in a pipe, as it is.
pub fn fit_labelled(text: String, indent: usize) -> String {
    match STDERR_WIDTH.get() {
        Some(&width) if !text.contains('\n') => wrap(&text, width, indent),
        _ => text,
    }
}

/// Greedy word wrap to `width` columns; a word longer than a line (a URL) stays whole.
fn wrap(text: &str, width: usize, indent: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let mut out = String::with_capacity(text.len() + 16);
    let mut used = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let w = word.width();
        if used > indent && used + 1 + w > width {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            used = indent;
        } else if !out.is_empty() {
            out.push(' ');
            used += 1;
        }
        out.push_str(word);
        used += w;
    }
    out
}

/// A result line on stdout.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        $crate::stdio::record_stdout(writeln!(std::io::stdout(), $($arg)*));
    }};
}

/// A message line on stderr: warnings, hints, errors. While a pager shows the output, it is
/// held and said once the pager has quit, after what it belongs to.
macro_rules! errln {
    ($($arg:tt)*) => {{
        $crate::stdio::say($crate::stdio::fit_warning(format!($($arg)*)));
    }};
}

/// A message on stderr a person can do without: a note, a hint, progress, a warning that is
/// not about the token's safety. `-q` silences it; errors and safety warnings use `errln!`.
macro_rules! noteln {
    ($($arg:tt)*) => {{
        if !$crate::stdio::quiet() {
            errln!($($arg)*);
        }
    }};
}

/// Text on stderr without a newline (prompts, progress).
macro_rules! errprint {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut stderr = std::io::stderr();
        let _ = write!(stderr, $($arg)*);
        let _ = stderr.flush();
    }};
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn warnings_wrap_at_spaces_under_their_text() {
        let text = "warning: the token in ./.kopairc can be read by other users; run chmod 600";
        assert_eq!(
            wrap(text, 40, 9),
            "warning: the token in ./.kopairc can be\n         read by other users; run chmod\n         600"
        );
        let url = "warning: https://example.com/a/very/long/path/that/does/not/fit ends";
        assert_eq!(
            wrap(url, 20, 9),
            "warning: https://example.com/a/very/long/path/that/does/not/fit\n         ends"
        );
        assert_eq!(wrap("warning: short", 40, 9), "warning: short");
    }
}
