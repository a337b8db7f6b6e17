//! `traces get ID --span SPANID` for a person: what the web UI's span panel shows, as text.
//! The span's name, IDs, parent, service, kind, status, start and duration; its attributes and
//! its resource's (sorted by key, each value whole, wrapped under itself); its scope; its
//! events (an exception laid out as a stack trace) and its links. Every text from the server is
//! sanitised where it is written.

use std::borrow::Cow;
use std::io::{self, Write};

use anstyle::Style;
use serde_json::value::RawValue;
use unicode_width::UnicodeWidthStr;

use super::cell::{enum_text, truncate, View};
use super::human::{format_duration, format_time, ns_of, Clock};
use super::json::{members, text, Row, RowFields};
use super::tree::Trace;
use crate::term::{self, sanitize, Palette, Terminal};

mod events;

/// A key column never takes more than this share of the width (1/N); longer keys put their
/// value on the next line.
const KEY_SHARE: usize = 2;
/// A value wrapped beside its key keeps at least this many columns, else it goes under the key.
const VALUE_MIN: usize = 20;
/// Text indented too deep for the screen moves left to keep this many columns.
const ROOM_MIN: usize = 8;

/// How the details are written: to a terminal's width and colours, or plain.
struct Printer {
    width: Option<usize>,
    palette: Palette,
    /// Local (or `--utc`) compact times on a terminal; RFC 3339 UTC otherwise.
    clock: Option<Clock>,
}

impl Printer {
    fn time(&self, ns: i128) -> String {
        let shown = match &self.clock {
            Some(clock) => clock.format(ns).map(|t| {
                if clock.is_utc() {
                    format!("{t} UTC")
                } else {
                    t
                }
            }),
            None => format_time(ns),
        };
        shown.unwrap_or_else(|| ns.to_string())
    }

    /// A section's title: `Attributes (6)`.
    fn title(&self, out: &mut impl Write, title: &str, count: usize) -> io::Result<()> {
        let style = self.palette.header;
        let line = format!("{title} ({count})");
        writeln!(out, "\n{style}{}{style:#}", self.fit(&line))
    }

    fn fit<'t>(&self, text: &'t str) -> Cow<'t, str> {
        match self.width {
            Some(w) if text.width() > w => Cow::Owned(truncate(text, w)),
            _ => Cow::Borrowed(text),
        }
    }

    /// Keys and their values in two columns from `indent`: each value's lines (it may hold
    /// several) wrapped under themselves, never cut. A key too long for its column, or a
    /// column too narrow for its value, puts the value on the lines under the key.
    fn pairs(
        &self,
        out: &mut impl Write,
        indent: usize,
        pairs: &[(String, String)],
    ) -> io::Result<()> {
        self.styled_pairs(out, indent, pairs, |_| None)
    }

    /// The same, each value in the style `style` gives its key.
    fn styled_pairs(
        &self,
        out: &mut impl Write,
        indent: usize,
        pairs: &[(String, String)],
        style: impl Fn(&str) -> Option<Style>,
    ) -> io::Result<()> {
        let widest = pairs.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
        let cap = self.width.map_or(usize::MAX, |w| {
            (w.saturating_sub(indent) / KEY_SHARE).max(8)
        });
        let key_width = widest.min(cap);
        let value_col = indent + key_width + 2;
        let beside = self
            .width
            .is_none_or(|w| w.saturating_sub(value_col) >= VALUE_MIN);
        for (key, value) in pairs {
            if beside && key.width() <= key_width {
                let first = format!("{:indent$}{key:<key_width$}  ", "");
                self.lines(out, &first, value_col, value, style(key))?;
            } else {
                self.lines(out, &" ".repeat(indent), indent, key, None)?;
                let under = indent + 4;
                self.lines(out, &" ".repeat(under), under, value, style(key))?;
            }
        }
        Ok(())
    }

    /// `text` (sanitised here, line by line) from column `col`, each of its lines wrapped to
    /// the width; the first line after `first` (which ends at `col`), the rest under it.
    fn lines(
        &self,
        out: &mut impl Write,
        first: &str,
        col: usize,
        text: &str,
        style: Option<Style>,
    ) -> io::Result<()> {
        let style = style.unwrap_or_default();
        // Too deep for the screen: what leads goes on its own line, the text further left.
        let (mut lead, col) = match self.width {
            Some(w) if col + ROOM_MIN > w => {
                let head = first.trim_end();
                if !head.is_empty() {
                    writeln!(out, "{}", self.fit(head))?;
                }
                let col = w.saturating_sub(ROOM_MIN);
                (Cow::Owned(" ".repeat(col)), col)
            }
            _ => (Cow::Borrowed(first), col),
        };
        let room = self.width.map(|w| w.saturating_sub(col).max(1));
        let mut any = false;
        for line in text.split('\n') {
            let line = sanitize(line.strip_suffix('\r').unwrap_or(line));
            for piece in wrap(line.trim_end(), room) {
                // (A piece broken off at one of two spaces keeps the other.)
                let piece = piece.trim_end();
                writeln!(out, "{lead}{style}{piece}{style:#}")?;
                lead = Cow::Owned(" ".repeat(col));
                any = true;
            }
        }
        if !any {
            writeln!(out, "{}", lead.trim_end())?;
        }
        Ok(())
    }
}

/// A line cut into pieces of at most `room` columns (see [`term::wrap`]); whole without one.
fn wrap(line: &str, room: Option<usize>) -> Vec<&str> {
    match room {
        Some(room) => term::wrap(line, room, room),
        None => vec![line],
    }
}

/// Writes the details of `row`, one span of `trace` (which places it: its parent's name, its
/// offset in the trace).
pub fn write_span_details(
    out: &mut impl Write,
    row: Row,
    trace: &Trace,
    terminal: &Terminal,
    view: View,
) -> io::Result<()> {
    let compact = terminal.stdout_is_terminal && !view.wide;
    let printer = Printer {
        width: if view.wide { None } else { terminal.width },
        palette: terminal.stdout_palette(),
        clock: compact.then(|| Clock::new(view.utc)),
    };
    let fields = RowFields::read(row, None);
    let str_of = |key: &str| fields.get(key).map(text).unwrap_or_default();

    let name = str_of("SpanName");
    let style = printer.palette.header;
    let title = sanitize(&name);
    printer.lines(
        out,
        "",
        0,
        if title.is_empty() {
            "(no name)"
        } else {
            &title
        },
        Some(style),
    )?;
    overview(out, &printer, &fields, trace)?;

    for (title, key) in [
        ("Attributes", "SpanAttributes"),
        ("Resource attributes", "ResourceAttributes"),
    ] {
        let attrs = attributes(fields.get(key));
        if !attrs.is_empty() {
            printer.title(out, title, attrs.len())?;
            printer.pairs(out, 2, &attrs)?;
        }
    }
    let start = fields.get("Timestamp").and_then(ns_of).unwrap_or(0);
    events::events(out, &printer, &fields, start)?;
    events::links(out, &printer, &fields)
}

/// The span in a few lines: IDs, parent, service, kind, status, when and how long, scope.
fn overview(
    out: &mut impl Write,
    printer: &Printer,
    fields: &RowFields,
    trace: &Trace,
) -> io::Result<()> {
    let str_of = |key: &str| fields.get(key).map(text).unwrap_or_default();
    let mut pairs: Vec<(&str, String)> = vec![
        ("Span ID", str_of("SpanId").into_owned()),
        ("Trace ID", str_of("TraceId").into_owned()),
    ];
    let parent = str_of("ParentSpanId").to_ascii_lowercase();
    let parent = match trace.span_name(&parent) {
        _ if parent.is_empty() => "none (the trace's root)".to_owned(),
        Some(name) => format!("{parent}  {name}"),
        None => format!("{parent}  (not in this trace)"),
    };
    pairs.push(("Parent", parent));
    pairs.push(("Service", str_of("ServiceName").into_owned()));
    pairs.push(("Kind", enum_text(&str_of("SpanKind"), "SPAN_KIND_")));
    let status = enum_text(&str_of("StatusCode"), "STATUS_CODE_");
    let message = str_of("StatusMessage");
    let status = match (status.as_str(), message.is_empty()) {
        ("", true) => "UNSET".to_owned(),
        (status, true) => status.to_owned(),
        (status, false) => format!("{status}: {message}"),
    };
    let error = status.starts_with("ERROR");
    pairs.push(("Status", status));
    if let Some(start) = fields.get("Timestamp").and_then(ns_of) {
        let offset = start.saturating_sub(i128::from(trace.first_start()));
        let into = match offset {
            0 => String::new(),
            ns => format!("  (+{} into the trace)", format_duration(ns)),
        };
        pairs.push(("Start", format!("{}{into}", printer.time(start))));
    }
    if let Some(duration) = fields.get("Duration").and_then(ns_of) {
        pairs.push(("Duration", format_duration(duration)));
    }
    let scope = [str_of("ScopeName"), str_of("ScopeVersion")];
    let scope: Vec<&str> = scope
        .iter()
        .map(Cow::as_ref)
        .filter(|s| !s.is_empty())
        .collect();
    if !scope.is_empty() {
        pairs.push(("Scope", scope.join(" ")));
    }
    let state = str_of("TraceState");
    if !state.is_empty() {
        pairs.push(("Trace state", state.into_owned()));
    }
    // Status is coloured as the waterfall colours a failed span; the rest plain.
    let pairs: Vec<(String, String)> = pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    let style = |key: &str| (key == "Status" && error).then_some(printer.palette.error);
    printer.styled_pairs(out, 2, &pairs, style)
}

/// An attribute map's members as (key, value text), sorted by key; nothing for what is not a
/// map. Keys are sanitised here; values where they are written (they may hold lines).
fn attributes(map: Option<&RawValue>) -> Vec<(String, String)> {
    let Some(members) = map.and_then(|m| members(m, None)) else {
        return Vec::new();
    };
    let mut pairs: Vec<(String, String)> = members
        .into_iter()
        .map(|(k, v)| (sanitize(&k).into_owned(), text(v).into_owned()))
        .collect();
    pairs.sort();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_wrap_at_spaces_and_keep_every_character() {
        assert_eq!(
            wrap("card declined: insufficient funds", Some(15)),
            ["card declined:", "insufficient", "funds"]
        );
        assert_eq!(wrap("abcdefghij", Some(4)), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("a  b", Some(2)), ["a ", "b"]);
        assert_eq!(wrap("", Some(4)), [""]);
        assert_eq!(wrap("whole line", None), ["whole line"]);
        assert_eq!(wrap("日本語", Some(1)), ["日", "本", "語"]);
    }
}
