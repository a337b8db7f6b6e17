//! What kopai knows about the terminal and draws on it, apart from the data it prints: the
//! terminal itself (detected once at start-up and handed down), colour, the stderr status
//! line, and `sanitize` for text from outside (a server, a file) shown to a person.

use std::io::{self, IsTerminal};

mod palette;
mod sanitize;
mod status;

pub use anstream::ColorChoice;
pub use palette::Palette;
pub use sanitize::{escape_json_controls, sanitize, sanitize_multiline};
pub use status::StatusLine;

/// Which standard streams are terminals, how wide stdout is, and whether colour is allowed.
#[derive(Debug, Clone, Copy)]
pub struct Terminal {
    pub stdin_is_terminal: bool,
    pub stdout_is_terminal: bool,
    pub stderr_is_terminal: bool,
    /// `COLUMNS`, else the terminal's width; `None` (unlimited) in a pipe.
    pub width: Option<usize>,
    /// What `NO_COLOR` and `CLICOLOR_FORCE` ask for, read once with the rest.
    color_env: ColorEnv,
    /// `--color`: `Auto` until the command line has been read.
    color: ColorChoice,
    /// Run by an AI agent ([`agent_mode`]): stdout and stderr are treated as pipes (JSON,
    /// JSON errors, no colour, no status line) and nothing prompts.
    pub agent: bool,
}

/// `KOPAI_AGENT=1`, or an agent host that says it runs the command: Claude Code sets
/// `CLAUDECODE=1` in the shells it spawns (https://code.claude.com/docs/en/env-vars).
/// `KOPAI_AGENT=0` turns it off.
fn agent_mode() -> bool {
    let set = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    match set("KOPAI_AGENT") {
        Some(value) => value != "0",
        None => set("CLAUDECODE").is_some_and(|v| v == "1"),
    }
}

#[derive(Debug, Clone, Copy)]
enum ColorEnv {
    /// `NO_COLOR` is set (and not empty).
    Off,
    /// `CLICOLOR_FORCE` is set (not empty, not `0`), and `NO_COLOR` is not.
    Forced,
    /// Neither: colour on terminals only.
    OnTerminals,
}

impl Terminal {
    pub fn detect() -> Self {
        let agent = agent_mode();
        let stdout = io::stdout();
        let stdout_is_terminal = stdout.is_terminal() && !agent;
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse().ok())
            .filter(|&w: &usize| w > 0)
            .or_else(|| {
                stdout_is_terminal
                    .then(|| terminal_size::terminal_size_of(&stdout).map(|(w, _)| w.0 as usize))
                    .flatten()
            });
        let stderr = io::stderr();
        if stderr.is_terminal() {
            let stderr_width = std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.trim().parse().ok())
                .filter(|&w: &usize| w > 0)
                .or_else(|| terminal_size::terminal_size_of(&stderr).map(|(w, _)| w.0 as usize));
            if let Some(width) = stderr_width {
                crate::stdio::set_stderr_width(width);
            }
        }
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let force = std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0");
        let color_env = match (no_color || agent, force) {
            (true, _) => ColorEnv::Off,
            (false, true) => ColorEnv::Forced,
            (false, false) => ColorEnv::OnTerminals,
        };
        Self {
            stdin_is_terminal: io::stdin().is_terminal(),
            stdout_is_terminal,
            stderr_is_terminal: io::stderr().is_terminal() && !agent,
            width,
            color_env,
            color: ColorChoice::Auto,
            agent,
        }
    }

    /// The same terminal with `--color` applied.
    pub fn with_color(self, color: ColorChoice) -> Self {
        Self { color, ..self }
    }

    /// Colour on stdout (tables, the waterfall).
    pub fn stdout_color(&self) -> bool {
        self.color_on(self.stdout_is_terminal)
    }

    /// Colour on stderr (the `error:` and `hint:` labels, clap's messages).
    pub fn stderr_color(&self) -> bool {
        self.color_on(self.stderr_is_terminal)
    }

    /// `--color always` and `never` win over the environment; `auto` follows `NO_COLOR`, then
    /// `CLICOLOR_FORCE`, then whether the stream is a terminal.
    fn color_on(&self, is_terminal: bool) -> bool {
        match self.color {
            ColorChoice::Always | ColorChoice::AlwaysAnsi => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => match self.color_env {
                ColorEnv::Off => false,
                ColorEnv::Forced => true,
                ColorEnv::OnTerminals => is_terminal,
            },
        }
    }

    pub fn stdout_palette(&self) -> Palette {
        Palette::new(self.stdout_color())
    }

    pub fn stderr_palette(&self) -> Palette {
        Palette::new(self.stderr_color())
    }

    /// Writes text already styled with ANSI codes (clap's help and errors) to stderr, or to
    /// stdout, with the codes removed where colour is not allowed.
    pub fn write_styled(&self, to_stdout: bool, ansi: &str) {
        use std::io::Write as _;
        let choice = |on: bool| {
            if on {
                ColorChoice::Always
            } else {
                ColorChoice::Never
            }
        };
        if to_stdout {
            let mut out = anstream::AutoStream::new(io::stdout(), choice(self.stdout_color()));
            crate::stdio::record_stdout(out.write_all(ansi.as_bytes()).and_then(|()| out.flush()));
        } else {
            let mut out = anstream::AutoStream::new(io::stderr(), choice(self.stderr_color()));
            let _ = out.write_all(ansi.as_bytes());
            let _ = out.flush();
        }
    }
}

/// Cuts `text` to `width` columns, marking the cut with `…`.
pub fn truncate(text: &str, width: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
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

/// Cuts `text` into pieces of at most `first` columns, then `rest`: at the last space that
/// fits (which is dropped), or inside a word longer than a line. Every other character is
/// kept, so a value is shown whole (log lines' bodies, span details' values).
pub fn wrap(text: &str, first: usize, rest: usize) -> Vec<&str> {
    // No character is wider than its UTF-8 bytes: a short text needs no measuring.
    if text.len() <= first {
        return vec![text];
    }
    let mut pieces = Vec::new();
    let mut room = first;
    let (mut start, mut used) = (0, 0);
    let mut last_space: Option<usize> = None;
    for (at, c) in text.char_indices() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > room && at > start {
            room = rest;
            if c == ' ' {
                pieces.push(&text[start..at]);
                (start, used, last_space) = (at + 1, 0, None);
                continue;
            }
            let (end, next) = match last_space {
                Some(space) => (space, space + 1),
                None => (at, at),
            };
            pieces.push(&text[start..end]);
            start = next;
            used = unicode_width::UnicodeWidthStr::width(&text[start..at]);
            last_space = None;
        }
        if c == ' ' {
            last_space = Some(at);
        }
        used += w;
    }
    pieces.push(&text[start..]);
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate("abcdefghij", 5), "abcd…");
        assert_eq!(truncate("abc", 5), "abc");
        assert_eq!(truncate("abc", 0), "");
    }

    fn terminal(color_env: ColorEnv, color: ColorChoice) -> Terminal {
        Terminal {
            stdin_is_terminal: false,
            stdout_is_terminal: true,
            stderr_is_terminal: false,
            width: None,
            color_env,
            color,
            agent: false,
        }
    }

    #[test]
    fn the_flag_wins_over_the_environment_and_auto_follows_it() {
        use ColorChoice::{Always, Auto, Never};
        let cases = [
            (ColorEnv::Off, Always, (true, true)),
            (ColorEnv::Forced, Never, (false, false)),
            (ColorEnv::Off, Auto, (false, false)),
            (ColorEnv::Forced, Auto, (true, true)),
            // stdout is a terminal here, stderr is not.
            (ColorEnv::OnTerminals, Auto, (true, false)),
        ];
        for (env, flag, (stdout, stderr)) in cases {
            let t = terminal(env, flag);
            assert_eq!(
                (t.stdout_color(), t.stderr_color()),
                (stdout, stderr),
                "{env:?} {flag:?}"
            );
        }
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_inside_long_words() {
        assert_eq!(
            wrap("payment failed: card declined", 10, 10),
            ["payment", "failed:", "card", "declined"]
        );
        assert_eq!(wrap("a bb ccc", 4, 3), ["a bb", "ccc"]);
        assert_eq!(wrap("abcdefghij", 4, 3), ["abcd", "efg", "hij"]);
        assert_eq!(wrap("short", 10, 10), ["short"]);
        assert_eq!(wrap("", 10, 10), [""]);
        assert_eq!(wrap("日本語の文", 4, 4), ["日本", "語の", "文"]);
        for piece in wrap("x ".repeat(50).trim_end(), 7, 5).iter().skip(1) {
            assert!(
                unicode_width::UnicodeWidthStr::width(*piece) <= 5,
                "{piece:?}"
            );
        }
    }
}
