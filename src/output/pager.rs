//! A pager for a person reading a long table or waterfall at a terminal, as git and gh do:
//! `KOPAI_PAGER`, else `PAGER`, else `less -FRX` (which quits at once when the output fits).
//! It is started at the first byte of output (the spinner and errors before it stay on the
//! terminal), run without a shell, and fed through file descriptor 1, so every writer of
//! stdout reaches it. A pager that cannot start leaves the output on the terminal, with a
//! warning; one that quits early (`q`) ends the output like a closed pipe, without an error.

use std::io::{self, Write};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Mutex;

#[cfg(unix)]
use std::process::{Child, Command, Stdio};

/// Whether the command asked for a pager, and whether it has started.
static STATE: AtomicU8 = AtomicU8::new(OFF);
const OFF: u8 = 0;
const WANTED: u8 = 1;
const STARTED: u8 = 2;

#[cfg(unix)]
static CHILD: Mutex<Option<Child>> = Mutex::new(None);

const DEFAULT: &str = "less -FRX";

/// The command prints a table or waterfall to a terminal: page it if a pager is configured.
pub fn want() {
    let _ = STATE.compare_exchange(OFF, WANTED, Ordering::SeqCst, Ordering::SeqCst);
}

/// Never page this run (`--follow` prints until Ctrl-C).
pub fn forbid() {
    let _ = STATE.compare_exchange(WANTED, OFF, Ordering::SeqCst, Ordering::SeqCst);
}

/// The pager's command line from the environment: `KOPAI_PAGER` (empty: none) over `PAGER`
/// (empty: none), else `less -FRX`.
fn configured() -> Option<String> {
    let chosen = match std::env::var("KOPAI_PAGER") {
        Ok(value) => value,
        Err(_) => std::env::var("PAGER").unwrap_or_else(|_| DEFAULT.to_owned()),
    };
    let chosen = chosen.trim().to_owned();
    (!chosen.is_empty()).then_some(chosen)
}

/// Starts the pager if one is wanted and not yet running. Called before the first write.
fn start() {
    if STATE
        .compare_exchange(WANTED, STARTED, Ordering::SeqCst, Ordering::SeqCst)
        .is_err()
    {
        return;
    }
    #[cfg(unix)]
    if let Some(line) = configured() {
        if let Err(why) = spawn(&line) {
            noteln!(
                "warning: could not start the pager `{}` ({why}); printing directly",
                crate::term::sanitize(&line)
            );
        }
    }
}

#[cfg(unix)]
fn spawn(line: &str) -> Result<(), String> {
    use std::os::fd::AsRawFd;
    // Split as a shell would split words, quotes and backslashes included, but never run by
    // one: `$(…)`, `;` and `|` in PAGER are only characters.
    let words = shlex::split(line).ok_or("unbalanced quotes")?;
    let (program, args) = words.split_first().ok_or("no command")?;
    let mut command = Command::new(program);
    command.args(args).stdin(Stdio::piped());
    // As git does: colours and quit-if-one-screen for a plain `less` too.
    if std::env::var_os("LESS").is_none() {
        command.env("LESS", "FRX");
    }
    if std::env::var_os("LV").is_none() {
        command.env("LV", "-c");
    }
    let mut child = command.spawn().map_err(|e| e.to_string())?;
    let pipe = child.stdin.take().ok_or("no pipe")?;
    let _ = io::stdout().flush();
    // SAFETY: both descriptors are open; fd 1 becomes a second handle on the pipe, which stays
    // open after `pipe` is dropped here.
    let moved = unsafe { libc::dup2(pipe.as_raw_fd(), libc::STDOUT_FILENO) };
    if moved < 0 {
        let _ = child.kill();
        let _ = child.wait();
        return Err(io::Error::last_os_error().to_string());
    }
    crate::stdio::set_paging(true);
    *CHILD.lock().unwrap_or_else(|e| e.into_inner()) = Some(child);
    Ok(())
}

/// Ends the output: the pager sees the end of its input and is waited for, so that the shell
/// prompt (and an error said after the output) comes after it.
pub fn finish() {
    #[cfg(unix)]
    {
        let child = CHILD.lock().unwrap_or_else(|e| e.into_inner()).take();
        let Some(mut child) = child else {
            return;
        };
        let _ = io::stdout().flush();
        // Closing fd 1 is what tells the pager the output is over; /dev/null takes its place
        // so that a late write fails quietly instead of reaching another file.
        if let Ok(null) = std::fs::OpenOptions::new().write(true).open("/dev/null") {
            use std::os::fd::AsRawFd;
            // SAFETY: both descriptors are open.
            unsafe { libc::dup2(null.as_raw_fd(), libc::STDOUT_FILENO) };
        }
        let _ = child.wait();
        crate::stdio::set_paging(false);
    }
}

/// Stdout that starts the pager before its first byte.
pub struct Paged<W: Write>(pub W);

impl<W: Write> Write for Paged<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        start();
        self.0.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}
