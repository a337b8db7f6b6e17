//! Printing to stdout and stderr that never panics: `println!` panics when stdout is a closed
//! pipe (`kopai whoami | true`), and the exit code must still tell the story.

use std::io;
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

/// A result line on stdout.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        $crate::stdio::record_stdout(writeln!(std::io::stdout(), $($arg)*));
    }};
}

/// Text on stdout as it is (help, version), flushed.
macro_rules! outprint {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut stdout = std::io::stdout();
        $crate::stdio::record_stdout(write!(stdout, $($arg)*).and_then(|()| stdout.flush()));
    }};
}

/// A message line on stderr: warnings, hints, errors.
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
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
