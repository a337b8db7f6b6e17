//! The few styles kopai prints, as anstyle styles that print nothing when colour is off, so a
//! printer writes `{style}text{style:#}` whatever the terminal allows.

use anstyle::{AnsiColor, Style};

/// The colours a service name may take in log lines: none of them red or yellow, which say
/// ERROR and WARN beside it.
const SERVICE_COLORS: [AnsiColor; 6] = [
    AnsiColor::Cyan,
    AnsiColor::Green,
    AnsiColor::Magenta,
    AnsiColor::Blue,
    AnsiColor::BrightCyan,
    AnsiColor::BrightMagenta,
];

#[derive(Debug, Clone, Copy)]
pub struct Palette {
    /// Headers: table column names, the waterfall's title.
    pub header: Style,
    /// An error status or label (`ERROR`, a failed span, `error:`).
    pub error: Style,
    /// A warning severity (`WARN`).
    pub warn: Style,
    /// What matters least: DEBUG and TRACE severities, a log line's attributes.
    pub dim: Style,
    /// The `error:` label, as clap styles its own.
    pub error_label: Style,
    /// The `hint:` label, as clap styles its tips.
    pub hint_label: Style,
    /// A span's bar in the waterfall.
    pub bar: Style,
    color: bool,
}

impl Palette {
    pub fn new(color: bool) -> Self {
        if !color {
            let plain = Style::new();
            return Self {
                header: plain,
                error: plain,
                warn: plain,
                dim: plain,
                error_label: plain,
                hint_label: plain,
                bar: plain,
                color,
            };
        }
        let red = Style::new().fg_color(Some(AnsiColor::Red.into()));
        Self {
            header: Style::new().bold(),
            error: red,
            warn: Style::new().fg_color(Some(AnsiColor::Yellow.into())),
            dim: Style::new().dimmed(),
            error_label: red.bold(),
            hint_label: Style::new().fg_color(Some(AnsiColor::Green.into())),
            bar: Style::new().fg_color(Some(AnsiColor::Cyan.into())),
            color,
        }
    }

    /// A service's own colour, the same on every run and machine: FNV-1a of its name (Rust's
    /// own hasher is seeded afresh each run) picks one of a few.
    pub fn service(&self, name: &str) -> Style {
        if !self.color {
            return Style::new();
        }
        let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
        });
        let at = usize::try_from(hash % SERVICE_COLORS.len() as u64).unwrap_or(0);
        Style::new().fg_color(Some(SERVICE_COLORS[at].into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_keeps_its_colour_and_services_differ() {
        let palette = Palette::new(true);
        assert_eq!(
            palette.service("checkout-api"),
            palette.service("checkout-api")
        );
        let colours: std::collections::BTreeSet<String> =
            ["checkout-api", "payment-service", "cart", "frontend"]
                .iter()
                .map(|name| palette.service(name).render().to_string())
                .collect();
        assert!(colours.len() > 1, "{colours:?}");
        assert_eq!(Palette::new(false).service("checkout-api"), Style::new());
    }
}
