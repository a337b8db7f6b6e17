//! The few styles kopai prints, as anstyle styles that print nothing when colour is off, so a
//! printer writes `{style}text{style:#}` whatever the terminal allows.

use anstyle::{AnsiColor, Style};

#[derive(Debug, Clone, Copy)]
pub struct Palette {
    /// Headers: table column names, the waterfall's title.
    pub header: Style,
    /// An error status or label (`ERROR`, a failed span, `error:`).
    pub error: Style,
    /// The `error:` label, as clap styles its own.
    pub error_label: Style,
    /// The `hint:` label, as clap styles its tips.
    pub hint_label: Style,
    /// A span's bar in the waterfall.
    pub bar: Style,
}

impl Palette {
    pub fn new(color: bool) -> Self {
        if !color {
            let plain = Style::new();
            return Self {
                header: plain,
                error: plain,
                error_label: plain,
                hint_label: plain,
                bar: plain,
            };
        }
        let red = Style::new().fg_color(Some(AnsiColor::Red.into()));
        Self {
            header: Style::new().bold(),
            error: red,
            error_label: red.bold(),
            hint_label: Style::new().fg_color(Some(AnsiColor::Green.into())),
            bar: Style::new().fg_color(Some(AnsiColor::Cyan.into())),
        }
    }
}
