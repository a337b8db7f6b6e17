//! The waterfall's rows: offset, duration, the indented name with its notes, and the bar. An
//! error's status message that does not fit beside the name wraps under the row, indented to
//! the tree, so it is never cut.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

use anstyle::Style;
use unicode_width::UnicodeWidthStr;

use super::logs::Placer;
use super::order::{Kept, Line};
use super::span::Span;
use super::{fit, wrap_words, Layout};
use crate::output::cell::truncate;
use crate::output::human::format_duration;
use crate::term::sanitize;

/// The deepest indentation drawn; deeper spans line up at this depth.
const MAX_INDENT: usize = 24;
/// The bar's width where there is no terminal width to fill.
const PIPE_BAR: usize = 40;
/// The offset and duration columns, each with the gap after it.
const FIXED: usize = 8 + 2 + 8 + 2;
/// A message wrapped under a deep row still gets this many columns.
const MESSAGE_MIN: usize = 20;

/// What a row shows of its span besides the times: the indented name, where the service
/// changes, a missing parent, how many spans `--depth` hid below, the error and its message.
struct Label<'s> {
    indent: usize,
    name: Cow<'s, str>,
    service: Option<Cow<'s, str>>,
    orphan: Option<&'s str>,
    below: u32,
    error: bool,
    message: Cow<'s, str>,
}

impl<'s> Label<'s> {
    fn of(spans: &'s [Span], lines: &[Line], kept: &Kept, row: usize) -> Self {
        let line = &lines[row];
        let span = &spans[line.span as usize];
        let parent_service = line
            .parent()
            .map(|p| spans[lines[p].span as usize].service.as_ref());
        let service = (parent_service != Some(span.service.as_ref()) && !span.service.is_empty())
            .then(|| sanitize(&span.service));
        let orphan = line.orphan.then(|| {
            let end = span
                .parent
                .char_indices()
                .nth(8)
                .map_or(span.parent.len(), |(i, _)| i);
            &span.parent[..end]
        });
        Self {
            indent: 2 * (line.depth as usize).min(MAX_INDENT),
            name: sanitize(&span.name),
            service,
            orphan,
            below: kept.below[row],
            error: span.error,
            message: sanitize(&span.message),
        }
    }

    /// The indented name and its notes; of the error, as much as `error` says.
    fn write(&self, out: &mut String, error: Error) {
        out.extend(std::iter::repeat_n(' ', self.indent));
        out.push_str(&self.name);
        if let Some(service) = &self.service {
            let _ = write!(out, "  [{service}]");
        }
        if let Some(parent) = self.orphan {
            let _ = write!(out, "  (parent {} not in trace)", sanitize(parent));
        }
        if self.below > 0 {
            let _ = write!(out, "  (+{} below)", self.below);
        }
        if self.error && error != Error::Under {
            out.push_str("  ");
            out.push_str(&self.error_text(error));
        }
    }

    /// `ERROR`, with the message where the row has room for it.
    fn error_text(&self, error: Error) -> String {
        match error {
            Error::Marker => "ERROR".to_owned(),
            _ if self.message.is_empty() => "ERROR".to_owned(),
            _ => format!("ERROR: {}", self.message),
        }
    }

    /// The width of what `write(error)` writes, counted without writing it.
    fn width(&self, error: Error) -> usize {
        let digits = |n: u32| n.checked_ilog10().unwrap_or(0) as usize + 1;
        let service = self.service.as_ref().map_or(0, |s| columns(s) + 4);
        let orphan = self.orphan.map_or(0, |p| columns(&sanitize(p)) + 24);
        let below = if self.below > 0 {
            digits(self.below) + 11
        } else {
            0
        };
        let error = match error {
            _ if !self.error => 0,
            Error::Under => 0,
            Error::Marker => 7,
            Error::Beside if self.message.is_empty() => 7,
            Error::Beside => 9 + columns(&self.message),
        };
        self.indent + columns(&self.name) + service + orphan + below + error
    }

    /// How much of the error fits beside the name; the rest goes under the row.
    fn fit_error(&self, width: Option<usize>) -> Error {
        match width {
            _ if !self.error => Error::Beside,
            None => Error::Beside,
            Some(w) if self.width(Error::Beside) <= w => Error::Beside,
            Some(w) if self.width(Error::Marker) <= w && !self.message.is_empty() => Error::Marker,
            Some(_) => Error::Under,
        }
    }
}

/// Where a failed span's error is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Error {
    /// `ERROR: message` beside the name.
    Beside,
    /// `ERROR` beside the name, the message under the row.
    Marker,
    /// `ERROR: message` under the row.
    Under,
}

pub(super) fn rows(
    out: &mut impl Write,
    spans: &[Span],
    lines: &[Line],
    kept: &Kept,
    layout: &Layout,
    mut logs: Option<&mut Placer>,
) -> io::Result<()> {
    let shown = || (0..lines.len()).filter(|&i| kept.shown[i]);
    let (start, end) = super::extent(spans);
    let total = end - start;
    let width = layout.width;
    let palette = layout.palette;

    // The name column's widest use, at most `cap`: a message that would not fit beside its
    // name goes under the row, so it does not widen the column.
    let cap = width.map(|w| {
        let free = w.saturating_sub(FIXED + 2);
        // On a narrow terminal the names matter more than the bars.
        let bar_min = if free >= 30 { (free / 3).max(10) } else { 0 };
        free.saturating_sub(bar_min)
    });
    let natural = shown()
        .map(|i| {
            let label = Label::of(spans, lines, kept, i);
            label.width(label.fit_error(cap))
        })
        .chain(["SPAN".len()])
        .max()
        .unwrap_or(0);
    let (name_width, bar_width) = match (width, cap) {
        (Some(w), Some(cap)) => {
            let name_width = natural.min(cap);
            (name_width, w.saturating_sub(FIXED + 2 + name_width))
        }
        _ => (natural, PIPE_BAR),
    };
    let head = format!(
        "{:>8}  {:>8}  {:<name_width$}  ",
        "OFFSET", "DURATION", "SPAN"
    );
    writeln!(out, "{}", fit(&head, width).trim_end())?;

    let mut row = String::new();
    for i in shown() {
        if let Some(logs) = logs.as_mut() {
            logs.before(out, i, spans, lines, layout)?;
        }
        let label = Label::of(spans, lines, kept, i);
        let span = &spans[lines[i].span as usize];
        row.clear();
        // A span without a start has no place in the timeline: no offset, no bar.
        let offset = match span.started().map(|s| s - start) {
            None => "?".to_owned(),
            Some(0) => "0 ms".to_owned(),
            Some(ns) => format_duration(i128::from(ns)),
        };
        let duration = format_duration(i128::from(span.duration));
        let _ = write!(row, "{offset:>8}  {duration:>8}  ");
        let times = row.len();
        // The error goes beside the name when it fits there, else under the row.
        let error = label.fit_error(width.map(|_| name_width));
        label.write(&mut row, error);
        let mut text_width = label.width(error);
        if text_width > name_width {
            let cut = truncate(&row[times..], name_width);
            row.truncate(times);
            row.push_str(&cut);
            text_width = columns(&cut);
        }
        // The notes (service, error) are coloured apart from the name where they survived.
        let name_end = times + label.indent + label.name.len();
        if span.error && row.len() > name_end && row.is_char_boundary(name_end) {
            let style = palette.error;
            row.insert_str(name_end, &style.to_string());
            let _ = write!(row, "{style:#}");
        }
        if !layout.bars || width.is_some_and(|w| w < FIXED + 2) {
            // No bars, or too narrow even for the times: plain text, cut at the edge.
            let shown = fit(&row, width);
            writeln!(out, "{}", shown.trim_end())?;
        } else {
            row.extend(std::iter::repeat_n(
                ' ',
                name_width.saturating_sub(text_width) + 2,
            ));
            let style = if span.error {
                palette.error
            } else {
                palette.bar
            };
            if let Some(started) = span.started() {
                let offset = started - start;
                bar(&mut row, offset, span.duration, total, bar_width, style);
            }
            writeln!(out, "{}", row.trim_end())?;
        }
        if let (Some(w), true) = (width, error != Error::Beside) {
            let text = match error {
                Error::Marker => label.message.to_string(),
                _ => label.error_text(error),
            };
            under(out, &text, label.indent, w, layout)?;
        }
    }
    match logs {
        Some(logs) => logs.finish(out, lines, layout),
        None => Ok(()),
    }
}

/// How many columns sanitised text takes: its length when it is ASCII, as most names are.
fn columns(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.width()
    }
}

/// An error under its row, a level deeper than the name, wrapped to the edge.
fn under(
    out: &mut impl Write,
    text: &str,
    indent: usize,
    width: usize,
    layout: &Layout,
) -> io::Result<()> {
    let column = (FIXED + indent + 2).min(width.saturating_sub(MESSAGE_MIN));
    let style = layout.palette.error;
    for line in wrap_words(text, width - column) {
        writeln!(out, "{:column$}{style}{line}{style:#}", "")?;
    }
    Ok(())
}

/// Spaces up to the span's start, then a block as long as it lasted (at least one), in `style`.
fn bar(out: &mut String, offset: u64, duration: u64, total: u64, width: usize, style: Style) {
    if width == 0 {
        return;
    }
    // Nanoseconds fit 64 bits, so these products fit 128.
    let (offset, duration, total) = (offset as u128, duration as u128, total as u128);
    let width_n = width as u128;
    let (from, to) = match (offset * width_n).checked_div(total) {
        None => (0, 1),
        Some(from) => {
            let from = from.min(width_n - 1);
            let to = ((offset + duration) * width_n).div_ceil(total);
            (from, to.clamp(from + 1, width_n))
        }
    };
    out.extend(std::iter::repeat_n(' ', from as usize));
    let _ = write!(out, "{style}");
    out.extend(std::iter::repeat_n('█', (to - from) as usize));
    let _ = write!(out, "{style:#}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_is_as_wide_as_it_is_written() {
        let mut label = Label {
            indent: 4,
            name: "charge-card".into(),
            service: Some("payment-service".into()),
            orphan: Some("00f067aa"),
            below: 120,
            error: true,
            message: "card declined".into(),
        };
        for message in ["card declined", ""] {
            label.message = message.into();
            for error in [Error::Beside, Error::Marker, Error::Under] {
                let mut written = String::new();
                label.write(&mut written, error);
                assert_eq!(label.width(error), written.width(), "{message:?}");
            }
        }
    }

    #[test]
    fn bars_scale_to_the_width() {
        let bar_of = |offset, duration, total, width| {
            let mut out = String::new();
            bar(&mut out, offset, duration, total, width, Style::new());
            out
        };
        assert_eq!(bar_of(0, 100, 100, 10), "██████████");
        assert_eq!(bar_of(50, 10, 100, 10), "     █");
        assert_eq!(bar_of(0, 0, 0, 10), "█");
        assert_eq!(bar_of(u64::MAX, u64::MAX, u64::MAX, 10), "         █");
        assert_eq!(bar_of(0, 1, 1, 0), "");
    }
}
