//! The one status line kopai draws on stderr: the `--all` progress and the spinner.

use std::future::Future;
use std::time::Duration;

use crate::term::Terminal;

/// One line of status on stderr, drawn only when stderr is a terminal (and not with `-q`), and
/// cleared before anything else is printed, so it never mixes with rows on a shared screen.
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
            enabled: terminal.stderr_is_terminal && !crate::stdio::quiet(),
            shown: false,
        }
    }

    /// Whether the line is drawn at all: work done only for it can be skipped otherwise.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// Replaces the line with `text`, cut to the terminal's width: a line the terminal wrapped
    /// could not be cleared.
    pub fn show(&mut self, text: &str) {
        // Not over a pager's screen.
        if self.enabled && !crate::stdio::paging() {
            let text = match crate::stdio::stderr_width() {
                Some(width) => super::truncate(text, width.saturating_sub(1)),
                None => text.to_owned(),
            };
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
