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

/// A result line on stdout.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        $crate::stdio::record_stdout(writeln!(std::io::stdout(), $($arg)*));
    }};
}

/// A message line on stderr: warnings, hints, errors.
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
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
