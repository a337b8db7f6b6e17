//! The terminal, detected once at start-up and handed to whatever prints; and the one status
//! line kopai draws on it (the `--all` progress, the spinner).

use std::borrow::Cow;
use std::future::Future;
use std::io::{self, IsTerminal};
use std::time::Duration;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Which standard streams are terminals, how wide stdout is, and whether colour is allowed.
#[derive(Debug, Clone, Copy)]
pub struct Terminal {
    pub stdin: bool,
    pub stdout: bool,
    pub stderr: bool,
    /// `COLUMNS`, else the terminal's width; `None` (unlimited) in a pipe.
    pub width: Option<usize>,
    /// Colour on stdout: only on a terminal (or with `CLICOLOR_FORCE`), never with `NO_COLOR`.
    pub color: bool,
    /// The same rule for stderr (error and hint labels).
    pub err_color: bool,
}

impl Terminal {
    pub fn detect() -> Self {
        let stdout = io::stdout();
        let is_tty = stdout.is_terminal();
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse().ok())
            .filter(|&w: &usize| w > 0)
            .or_else(|| {
                is_tty
                    .then(|| terminal_size::terminal_size_of(&stdout).map(|(w, _)| w.0 as usize))
                    .flatten()
            });
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let force = std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0");
        let stderr = io::stderr().is_terminal();
        Self {
            stdin: io::stdin().is_terminal(),
            stdout: is_tty,
            stderr,
            width,
            color: !no_color && (is_tty || force),
            err_color: !no_color && (stderr || force),
        }
    }
}

/// Text from outside (a server, a file) made safe to print to a person on one line: line
/// breaks and tabs become spaces; every other control character (C0, DEL, C1: escape
/// sequences that retitle the window, clear the screen or hide a link) and the bidirectional
/// overrides that reorder what is shown (U+202A–U+202E, U+2066–U+2069) become U+FFFD, so
/// the reader sees that something was there.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    replace_unsafe(text, false)
}

/// The same for multi-line text (a markdown document): line breaks and tabs are kept.
pub fn sanitize_multiline(text: &str) -> Cow<'_, str> {
    replace_unsafe(text, true)
}

fn replace_unsafe(text: &str, keep_lines: bool) -> Cow<'_, str> {
    let keep = |c: char| keep_lines && matches!(c, '\n' | '\t');
    let unsafe_char = |c: char| !keep(c) && (c.is_control() || is_bidi_control(c));
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let replaced = text
        .chars()
        .map(|c| match c {
            _ if !unsafe_char(c) => c,
            '\n' | '\r' | '\t' => ' ',
            _ => char::REPLACEMENT_CHARACTER,
        })
        .collect();
    Cow::Owned(replaced)
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// One line of status on stderr, drawn only when stderr is a terminal and cleared before
/// anything else is printed, so it never mixes with rows on a shared screen.
pub struct StatusLine {
    enabled: bool,
    shown: bool,
}

const SPINNER: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/// A request answered within this time shows no spinner.
const SPINNER_AFTER: Duration = Duration::from_secs(1);

impl StatusLine {
    pub fn new(terminal: &Terminal) -> Self {
        Self {
            enabled: terminal.stderr,
            shown: false,
        }
    }

    /// Replaces the line with `text`.
    pub fn show(&mut self, text: &str) {
        if self.enabled {
            errprint!("\r{text}\x1b[K");
            self.shown = true;
        }
    }

    pub fn clear(&mut self) {
        if self.shown {
            errprint!("\r\x1b[K");
            self.shown = false;
        }
    }

    /// Awaits `work`; once it has taken over a second, a spinner turns after `label` until it
    /// is done. The line is left as it was found (cleared if the spinner drew on it).
    pub async fn wait<F: Future>(&mut self, label: &str, work: F) -> F::Output {
        if !self.enabled {
            return work.await;
        }
        tokio::pin!(work);
        tokio::select! {
            out = &mut work => return out,
            () = tokio::time::sleep(SPINNER_AFTER) => {}
        }
        let mut tick = tokio::time::interval(Duration::from_millis(100));
        let mut frame = 0;
        loop {
            tokio::select! {
                out = &mut work => {
                    self.clear();
                    return out;
                }
                _ = tick.tick() => {
                    let text = format!("{label}{} waiting for the server…", SPINNER[frame % SPINNER.len()]);
                    self.show(&text);
                    frame += 1;
                }
            }
        }
    }
}

impl Drop for StatusLine {
    fn drop(&mut self) {
        self.clear();
    }
}

/// One line per cell, owned: [`sanitize`] for table cells and summaries.
pub fn clean(text: &str) -> String {
    sanitize(text).into_owned()
}

/// Cuts `text` to `width` columns, marking the cut with `…`.
pub fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_replaces_controls_and_bidi_overrides() {
        assert!(matches!(sanitize("plain text é"), Cow::Borrowed(_)));
        assert_eq!(sanitize("a\x1b]0;pwned\x07b"), "a\u{FFFD}]0;pwned\u{FFFD}b");
        assert_eq!(sanitize("line\r\nnext\ttab"), "line  next tab");
        assert_eq!(
            sanitize("x\u{202E}y\u{2066}z\u{9b}"),
            "x\u{FFFD}y\u{FFFD}z\u{FFFD}"
        );
        assert_eq!(
            sanitize_multiline("# A\n\tb\x1b[2J\r"),
            "# A\n\tb\u{FFFD}[2J "
        );
    }

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate("abcdefghij", 5), "abcd…");
        assert_eq!(truncate("abc", 5), "abc");
        assert_eq!(truncate("abc", 0), "");
    }
}
