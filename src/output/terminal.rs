//! The terminal, detected once at start-up and handed to whatever prints.

use std::io::{self, IsTerminal};

/// Which standard streams are terminals, how wide stdout is, and whether colour is allowed.
#[derive(Debug, Clone, Copy)]
pub struct Terminal {
    pub stdin: bool,
    pub stdout: bool,
    pub stderr: bool,
    /// `COLUMNS`, else the terminal's width; `None` (unlimited) in a pipe.
    pub width: Option<usize>,
    /// Only on a terminal (or with `CLICOLOR_FORCE`), never with `NO_COLOR`.
    pub color: bool,
}

impl Terminal {
    pub fn detect() -> Self {
        let stdout = io::stdout();
        let is_tty = stdout.is_terminal();
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .or_else(|| {
                is_tty
                    .then(|| terminal_size::terminal_size_of(&stdout).map(|(w, _)| w.0 as usize))
                    .flatten()
            });
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let force = std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0");
        Self {
            stdin: io::stdin().is_terminal(),
            stdout: is_tty,
            stderr: io::stderr().is_terminal(),
            width,
            color: !no_color && (is_tty || force),
        }
    }
}
