//! What kopai knows about the terminal and draws on it, apart from the data it prints: the
//! terminal itself (detected once at start-up and handed down), the stderr status line, and
//! `sanitize` for text from outside (a server, a file) shown to a person.

use std::io::{self, IsTerminal};

mod sanitize;
mod status;

pub use sanitize::{clean, escape_json_controls, sanitize, sanitize_multiline};
pub use status::StatusLine;

/// Which standard streams are terminals, how wide stdout is, and whether colour is allowed.
#[derive(Debug, Clone, Copy)]
pub struct Terminal {
    pub stdin_is_terminal: bool,
    pub stdout_is_terminal: bool,
    pub stderr_is_terminal: bool,
    /// `COLUMNS`, else the terminal's width; `None` (unlimited) in a pipe.
    pub width: Option<usize>,
    /// Colour on stdout: only on a terminal (or with `CLICOLOR_FORCE`), never with `NO_COLOR`.
    pub stdout_color: bool,
    /// The same rule for stderr (error and hint labels).
    pub stderr_color: bool,
}

impl Terminal {
    pub fn detect() -> Self {
        let stdout = io::stdout();
        let stdout_is_terminal = stdout.is_terminal();
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse().ok())
            .filter(|&w: &usize| w > 0)
            .or_else(|| {
                stdout_is_terminal
                    .then(|| terminal_size::terminal_size_of(&stdout).map(|(w, _)| w.0 as usize))
                    .flatten()
            });
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let force = std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0");
        let stderr_is_terminal = io::stderr().is_terminal();
        Self {
            stdin_is_terminal: io::stdin().is_terminal(),
            stdout_is_terminal,
            stderr_is_terminal,
            width,
            stdout_color: !no_color && (stdout_is_terminal || force),
            stderr_color: !no_color && (stderr_is_terminal || force),
        }
    }
}
