//! Log records as lines, as `kubectl logs`, stern and logcli print them:
//! `13:20:01.123 checkout-api ERROR payment failed: card declined`, the whole body wrapped
//! under itself to the terminal's width, the severity coloured by level and each service in a
//! colour of its own. `--attrs` adds the record's attributes below it, one `key=value` a line.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use super::cell::{truncate, View};
use super::human::{format_time, ns_of, Clock};
use super::json::{members, text, RowFields};
use super::severity::{severity, Level};
use crate::term::{sanitize, wrap, Palette, Terminal};

/// The fields a line shows.
const LINE_FIELDS: [&str; 5] = [
    "Timestamp",
    "ServiceName",
    "SeverityText",
    "SeverityNumber",
    "Body",
];

/// What `--attrs` shows below a line.
const ATTRIBUTES: &str = "LogAttributes";

/// The fewest columns a body keeps beside its line's start; with less room, its later lines
/// go under a small indent instead, so a narrow terminal still shows words, not letters.
const MIN_BODY: usize = 20;
const NARROW_INDENT: usize = 4;

/// With less room than this after the start of a line, the body begins on the next line.
const MIN_FIRST: usize = 8;

/// The widest severity of the usual six (`ERROR`): shorter ones are padded to it, so bodies
/// line up when services do.
const SEVERITY_WIDTH: usize = 5;

pub struct Lines<W: Write> {
    out: W,
    /// Compact local times on a terminal; in a pipe, RFC 3339 UTC.
    clock: Option<Clock>,
    palette: Palette,
    /// The terminal's width; `None` in a pipe or with `--wide`: nothing is wrapped.
    width: Option<usize>,
    attrs: bool,
    rows: usize,
    /// One row's text, reused.
    buf: String,
}

impl<W: Write> Lines<W> {
    pub fn new(out: W, terminal: &Terminal, view: View, attrs: bool) -> Self {
        Self {
            out,
            clock: terminal.stdout_is_terminal.then(|| Clock::new(view.utc)),
            palette: terminal.stdout_palette(),
            width: if view.wide { None } else { terminal.width },
            attrs,
            rows: 0,
            buf: String::with_capacity(256),
        }
    }

    /// The top-level fields the lines read; the rest of each row is skipped unparsed.
    pub fn fields_read(&self) -> Vec<String> {
        let attrs = self.attrs.then_some(ATTRIBUTES);
        LINE_FIELDS
            .into_iter()
            .chain(attrs)
            .map(str::to_owned)
            .collect()
    }

    pub fn push_batch(&mut self, rows: &[RowFields]) -> io::Result<()> {
        for row in rows {
            self.buf.clear();
            self.line(row);
            self.out.write_all(self.buf.as_bytes())?;
        }
        self.rows += rows.len();
        self.out.flush()
    }

    /// Ends the lines; none at all says so.
    pub fn finish(mut self) -> io::Result<()> {
        super::end_rows(&mut self.out, self.rows)
    }

    fn line(&mut self, row: &RowFields) {
        let palette = self.palette;
        let mut column = 0;
        if let Some(time) = row.get("Timestamp") {
            let shown = match (ns_of(time), &self.clock) {
                (Some(ns), Some(clock)) => {
                    clock
                        .format(ns)
                        .map(|shown| if clock.is_utc() { shown + "Z" } else { shown })
                }
                (Some(ns), None) => format_time(ns),
                (None, _) => None,
            };
            let shown = shown.unwrap_or_else(|| sanitize(&text(time)).into_owned());
            column = self.part(column, &shown, anstyle::Style::new(), 0);
        }
        let service = row.get("ServiceName").map(text).unwrap_or_default();
        let service = sanitize(&service);
        if !service.is_empty() {
            column = self.part(column, &service, palette.service(&service), 0);
        }
        let (severity, level) = severity(row);
        let style = match level {
            Level::Error => palette.error,
            Level::Warn => palette.warn,
            Level::Quiet => palette.dim,
            Level::Plain => anstyle::Style::new(),
        };
        column = self.part(column, &sanitize(&severity), style, SEVERITY_WIDTH);
        let body = row.get("Body").map(text).unwrap_or_default();
        let indent = self.body(&body, column);
        if self.attrs {
            self.attributes(row, indent);
        }
    }

    /// Writes `text` in `style` at `column`, padded to `pad` columns, and the space after it;
    /// on a terminal too narrow for it there, on a line of its own (cut short if need be).
    /// Returns the column after it.
    fn part(&mut self, mut column: usize, text: &str, style: anstyle::Style, pad: usize) -> usize {
        let mut text = Cow::Borrowed(text);
        if let Some(width) = self.width {
            if column > 0 && column + text.width() > width {
                self.newline(NARROW_INDENT);
                column = NARROW_INDENT;
            }
            let room = width.saturating_sub(column).max(1);
            if text.width() > room {
                text = truncate(&text, room).into();
            }
        }
        let _ = write!(self.buf, "{style}{text}{style:#}");
        let width = text.width();
        let padded = width.max(pad) + 1;
        push_spaces(&mut self.buf, padded - width);
        column + padded
    }

    /// Writes the body from column `start`: each of its own lines, wrapped at spaces to the
    /// terminal's width, the later ones indented to where it starts (less on a narrow
    /// terminal). Returns that indent.
    fn body(&mut self, body: &str, start: usize) -> usize {
        let Some(width) = self.width else {
            for (n, line) in body_lines(body).enumerate() {
                if n > 0 {
                    self.newline(start);
                }
                self.buf.push_str(&line);
            }
            end_line(&mut self.buf);
            return start;
        };
        let indent = if width >= start + MIN_BODY {
            start
        } else {
            NARROW_INDENT.min(start)
        };
        let rest = width.saturating_sub(indent).max(1);
        let mut first = width.saturating_sub(start);
        if first < MIN_FIRST {
            self.newline(indent);
            first = rest;
        }
        let mut at_start = true;
        for line in body_lines(body) {
            for piece in wrap(&line, if at_start { first } else { rest }, rest) {
                if !at_start {
                    self.newline(indent);
                }
                self.buf.push_str(piece);
                at_start = false;
            }
        }
        end_line(&mut self.buf);
        indent
    }

    /// The record's attributes, one `key=value` a line in key order under the body, dimmed.
    fn attributes(&mut self, row: &RowFields, indent: usize) {
        let Some(attributes) = row.get(ATTRIBUTES).and_then(|a| members(a, None)) else {
            return;
        };
        let mut attributes: Vec<_> = attributes.iter().collect();
        attributes.sort_by(|a, b| a.0.cmp(&b.0));
        let pairs = attributes
            .into_iter()
            .map(|(key, value)| format!("{}={}", sanitize(key), sanitize(&text(value))));
        let style = self.palette.dim;
        let rest = self.width.map(|w| w.saturating_sub(indent).max(1));
        for pair in pairs {
            let pieces = match rest {
                Some(rest) => wrap(&pair, rest, rest),
                None => vec![pair.as_str()],
            };
            for piece in pieces {
                push_spaces(&mut self.buf, indent);
                let _ = writeln!(self.buf, "{style}{piece}{style:#}");
            }
        }
    }

    fn newline(&mut self, indent: usize) {
        end_line(&mut self.buf);
        push_spaces(&mut self.buf, indent);
    }
}

fn push_spaces(buf: &mut String, count: usize) {
    buf.extend(std::iter::repeat_n(' ', count));
}

/// Ends the line being written, without the spaces it may end in.
fn end_line(buf: &mut String) {
    let kept = buf.trim_end_matches(' ').len();
    buf.truncate(kept);
    buf.push('\n');
}

/// A body's own lines (a stack trace keeps its shape), each made safe to show; a tab is four
/// spaces, trailing blank lines are dropped.
fn body_lines(body: &str) -> impl Iterator<Item = Cow<'_, str>> {
    body.trim_end().split('\n').map(|line| {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.contains('\t') {
            sanitize(&line.replace('\t', "    ")).into_owned().into()
        } else {
            sanitize(line)
        }
    })
}
