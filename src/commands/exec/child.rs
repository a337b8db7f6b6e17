//! Running the command: stdin, stdout and stderr inherited untouched, the trace context in its
//! environment, signals to kopai passed on, and how it ended in a shell's terms.

use std::ffi::{OsStr, OsString};
use std::io;
use std::process::{Command, ExitStatus};

use crate::signals::Forwarding;

/// How the command ended.
pub enum Ending {
    /// It exited with this code.
    Exited(u8),
    /// Signal N ended it.
    Signalled(i32),
    /// It never ran: `code` is what a shell would say (127 not found, 126 not runnable).
    NotStarted { code: u8, why: String },
}

impl Ending {
    /// The exit code a shell would report.
    pub fn code(&self) -> u8 {
        match self {
            Ending::Exited(code) => *code,
            // Signal numbers are below 128 on every Unix.
            Ending::Signalled(signal) => 128u8.saturating_add(u8::try_from(*signal).unwrap_or(0)),
            Ending::NotStarted { code, .. } => *code,
        }
    }
}

/// Runs `program args` with `TRACEPARENT` (and `TRACESTATE`, or none) set, and waits for it.
pub fn run(
    program: &OsStr,
    args: &[OsString],
    traceparent: &str,
    tracestate: Option<&OsStr>,
) -> Ending {
    let mut command = Command::new(program);
    command.args(args).env("TRACEPARENT", traceparent);
    match tracestate {
        Some(state) => command.env("TRACESTATE", state),
        None => command.env_remove("TRACESTATE"),
    };
    // Caught before the spawn, so a signal that comes while it starts is passed on too.
    let forwarding = Forwarding::new();
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(error) => return not_started(program, &error),
    };
    forwarding.to(child.id());
    match child.wait() {
        Ok(status) => ending(status),
        Err(error) => Ending::NotStarted {
            code: 1,
            why: format!("could not wait for {}: {error}", shown(program)),
        },
    }
}

/// 127 for a command that is not there, 126 for one that cannot be run, as shells say.
fn not_started(program: &OsStr, error: &io::Error) -> Ending {
    let program = shown(program);
    match error.kind() {
        io::ErrorKind::NotFound => Ending::NotStarted {
            code: 127,
            why: format!("{program}: command not found"),
        },
        io::ErrorKind::PermissionDenied => Ending::NotStarted {
            code: 126,
            why: format!("{program}: permission denied (not an executable file)"),
        },
        _ => Ending::NotStarted {
            code: 126,
            why: format!("{program}: cannot run it: {error}"),
        },
    }
}

fn ending(status: ExitStatus) -> Ending {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return Ending::Signalled(signal);
        }
    }
    // Windows codes can exceed 255; what a process can return here cannot.
    Ending::Exited(
        status
            .code()
            .and_then(|c| u8::try_from(c).ok())
            .unwrap_or(1),
    )
}

pub fn shown(program: &OsStr) -> String {
    crate::term::sanitize(&program.to_string_lossy()).into_owned()
}

/// The name of signal `signal`, for the span (numbers differ between systems).
pub fn signal_name(signal: i32) -> Option<&'static str> {
    #[cfg(unix)]
    {
        let names = [
            (libc::SIGHUP, "SIGHUP"),
            (libc::SIGINT, "SIGINT"),
            (libc::SIGQUIT, "SIGQUIT"),
            (libc::SIGILL, "SIGILL"),
            (libc::SIGTRAP, "SIGTRAP"),
            (libc::SIGABRT, "SIGABRT"),
            (libc::SIGBUS, "SIGBUS"),
            (libc::SIGFPE, "SIGFPE"),
            (libc::SIGKILL, "SIGKILL"),
            (libc::SIGUSR1, "SIGUSR1"),
            (libc::SIGSEGV, "SIGSEGV"),
            (libc::SIGUSR2, "SIGUSR2"),
            (libc::SIGPIPE, "SIGPIPE"),
            (libc::SIGALRM, "SIGALRM"),
            (libc::SIGTERM, "SIGTERM"),
        ];
        names
            .iter()
            .find(|(number, _)| *number == signal)
            .map(|(_, name)| *name)
    }
    #[cfg(not(unix))]
    {
        let _ = signal;
        None
    }
}
