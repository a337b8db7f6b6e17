//! `traces get ID --logs`: the trace's log records in the waterfall's timeline. A record sits
//! under the span it was written in (its `SpanId`), among that span's children at its time; one
//! without a span, or whose span is not in the trace, sits at the top level at its time. Each
//! shows its offset from the trace's start, its severity and the first line of its body.

use std::borrow::Cow;
use std::io::{self, Write};

use super::order::{Kept, Line};
use super::span::Span;
use super::{fit, Layout};
use crate::output::human::{format_duration, ns_of};
use crate::output::json::{text, Row, RowFields};
use crate::output::severity::{severity, Level};
use crate::term::sanitize;

const NONE: u32 = u32::MAX;
/// The offset and duration columns of a span's row, each with the gap after it.
const TIMES: usize = 8 + 2 + 8 + 2;

/// One log record as the waterfall shows it.
pub struct Log<'a> {
    span: Cow<'a, str>,
    time: i128,
    severity: Cow<'a, str>,
    error: bool,
    body: Cow<'a, str>,
}

/// The log records of a trace, as fetched (one bounded page).
pub struct TraceLogs<'a> {
    logs: Vec<Log<'a>>,
    /// The page was full: more records may exist than are shown.
    pub cut: bool,
}

impl<'a> TraceLogs<'a> {
    pub fn read(rows: &[Row<'a>], cut: bool) -> Self {
        const KEEP: [&str; 5] = [
            "Timestamp",
            "SpanId",
            "SeverityText",
            "SeverityNumber",
            "Body",
        ];
        let logs = rows
            .iter()
            .map(|&row| {
                let fields = RowFields::read(row, Some(&KEEP));
                let str_of = |key: &str| fields.get(key).map(text).unwrap_or_default();
                let (severity, level) = severity(&fields);
                let error = level == Level::Error;
                let span = str_of("SpanId");
                Log {
                    span: if span.bytes().any(|b| b.is_ascii_uppercase()) {
                        Cow::Owned(span.to_ascii_lowercase())
                    } else {
                        span
                    },
                    time: fields.get("Timestamp").and_then(ns_of).unwrap_or(0),
                    severity,
                    error,
                    body: str_of("Body"),
                }
            })
            .collect();
        Self { logs, cut }
    }

    pub fn len(&self) -> usize {
        self.logs.len()
    }
}

/// Writes the records between the waterfall's rows, as the rows are written: each span's
/// records among its children at their time, the rest after its last child.
pub(super) struct Placer<'l, 'a> {
    logs: &'l [Log<'a>],
    /// Records by the row they sit under (`NONE`: the top level), each group in time order.
    order: Vec<(u32, i128, u32)>,
    done: Vec<bool>,
    /// Rows whose records are still to come, outermost first.
    open: Vec<u32>,
    trace_start: u64,
    /// Records of spans a fold hid: not shown, counted.
    pub hidden: usize,
}

impl<'l, 'a> Placer<'l, 'a> {
    pub fn new(logs: &'l TraceLogs<'a>, spans: &[Span], lines: &[Line], kept: &Kept) -> Self {
        let mut rows: Vec<(&str, u32)> = lines
            .iter()
            .enumerate()
            .map(|(row, line)| (spans[line.span as usize].id.as_ref(), row as u32))
            .filter(|(id, _)| !id.is_empty())
            .collect();
        rows.sort_unstable();
        let row_of = |span: &str| {
            let at = rows.partition_point(|&(id, _)| id < span);
            rows.get(at)
                .filter(|(id, _)| *id == span)
                .map(|&(_, row)| row)
        };
        let mut hidden = 0;
        let mut order = Vec::with_capacity(logs.logs.len());
        for (i, log) in logs.logs.iter().enumerate() {
            match row_of(&log.span) {
                Some(row) if !kept.shown[row as usize] => hidden += 1,
                Some(row) => order.push((row, log.time, i as u32)),
                None => order.push((NONE, log.time, i as u32)),
            }
        }
        order.sort_unstable();
        let trace_start = super::extent(spans).0;
        Self {
            logs: &logs.logs,
            done: vec![false; order.len()],
            order,
            open: Vec::new(),
            trace_start,
            hidden,
        }
    }

    /// Before row `row` is written: the records of rows whose children are done, then those of
    /// its parent (or the top level) that come before it.
    pub fn before(
        &mut self,
        out: &mut impl Write,
        row: usize,
        spans: &[Span],
        lines: &[Line],
        layout: &Layout,
    ) -> io::Result<()> {
        let parent = lines[row].parent().map_or(NONE, |p| p as u32);
        while let Some(&top) = self.open.last() {
            if top == parent {
                break;
            }
            self.open.pop();
            self.flush(out, top, i128::MAX, lines, layout)?;
        }
        let start = i128::from(spans[lines[row].span as usize].start);
        self.flush(out, parent, start, lines, layout)?;
        self.open.push(row as u32);
        Ok(())
    }

    /// After the last row: every record still to come.
    pub fn finish(
        &mut self,
        out: &mut impl Write,
        lines: &[Line],
        layout: &Layout,
    ) -> io::Result<()> {
        while let Some(top) = self.open.pop() {
            self.flush(out, top, i128::MAX, lines, layout)?;
        }
        self.flush(out, NONE, i128::MAX, lines, layout)
    }

    /// The records of `row` not yet shown from before `until` (or at it), in time order.
    fn flush(
        &mut self,
        out: &mut impl Write,
        row: u32,
        until: i128,
        lines: &[Line],
        layout: &Layout,
    ) -> io::Result<()> {
        // A row's records are together in `order`, those shown first.
        let mut i = self.order.partition_point(|&(r, _, _)| r < row);
        while self.done.get(i) == Some(&true) {
            i += 1;
        }
        let depth = match row {
            NONE => 0,
            row => lines[row as usize].depth as usize + 1,
        };
        while let Some(&(r, time, log)) = self.order.get(i) {
            // A record at the very time a span starts comes before it.
            if r != row || time > until {
                break;
            }
            self.write(out, &self.logs[log as usize], depth, layout)?;
            self.done[i] = true;
            i += 1;
        }
        Ok(())
    }

    fn write(
        &self,
        out: &mut impl Write,
        log: &Log,
        depth: usize,
        layout: &Layout,
    ) -> io::Result<()> {
        let offset = match log.time - i128::from(self.trace_start) {
            // A record without a time (read as 0) has no offset to show.
            _ if log.time == 0 => "?".to_owned(),
            0 => "0 ms".to_owned(),
            ns if ns < 0 => format!("-{}", format_duration(ns.saturating_neg())),
            ns => format_duration(ns),
        };
        let mut body = log.body.lines();
        let first = sanitize(body.next().unwrap_or(""));
        let more = if body.next().is_some() { " …" } else { "" };
        let indent = 2 * depth.min(24);
        let line = format!(
            "{offset:>8}  {:8}  {:indent$}· {:<5} {first}{more}",
            "",
            "",
            sanitize(&log.severity.to_uppercase())
        );
        let line = fit(&line, layout.width);
        let style = if log.error {
            layout.palette.error
        } else {
            anstyle::Style::new()
        };
        // The times stay plain; the record is coloured as an error where it is one.
        match line.char_indices().nth(TIMES) {
            Some((at, _)) => writeln!(
                out,
                "{}{style}{}{style:#}",
                &line[..at],
                line[at..].trim_end()
            ),
            None => writeln!(out, "{}", line.trim_end()),
        }
    }
}
