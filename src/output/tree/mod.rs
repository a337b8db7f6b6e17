//! `traces get` for a person: the trace as a waterfall, as trace viewers draw it. Spans in tree
//! order (parent before child, siblings by start time), names indented by depth, each span's
//! offset from the trace start and its duration, and a bar to scale across the free width.
//! A big trace can be folded (`--depth`, `--service`, `--errors`); one too big for a screen is
//! not drawn there, but described, with the folds that would make it readable.

use std::borrow::Cow;
use std::io::{self, Write};

use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use super::cell::{truncate, View};
use super::human::format_duration;
use super::json::{read_rows, BuiltRow, Row, ShapeError};
use crate::term::{sanitize, Palette, Terminal};

mod big;
mod draw;
mod logs;
mod order;
mod span;

use logs::Placer;
pub use logs::TraceLogs;
pub use order::Fold;
use order::{tree_order, Line};
use span::Span;

/// More rows than this on a screen are not drawn: scrolling them tells a person nothing.
const SCREEN_ROWS: usize = 2_000;

/// A trace as the waterfall reads it: only the fields it draws, borrowed from the answer.
pub struct Trace<'a> {
    spans: Vec<Span<'a>>,
}

impl<'a> Trace<'a> {
    /// The spans of an answer (a JSON array), checked whole and read in one pass.
    pub fn parse(body: &'a [u8]) -> Result<Self, ShapeError> {
        Ok(Self {
            spans: read_rows(body)?,
        })
    }

    fn read(rows: &[Row<'a>]) -> Self {
        Self {
            spans: rows.iter().map(|&row| Span::read(row)).collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The trace's services, each once, sorted.
    pub fn services(&self) -> Vec<&str> {
        let mut services: Vec<&str> = self
            .spans
            .iter()
            .map(|s| s.service.as_ref())
            .filter(|s| !s.is_empty())
            .collect();
        services.sort_unstable();
        services.dedup();
        services
    }

    /// Its spans, in the answer's order (`links::root_service`, `--span`'s prefix).
    pub fn spans(&self) -> &[Span<'a>] {
        &self.spans
    }

    /// When the trace starts: its earliest span's start (spans without one do not count).
    pub fn first_start(&self) -> u64 {
        extent(&self.spans).0
    }

    /// The name of the span with this (lowercase) ID, made safe to show, if the trace has it.
    pub fn span_name(&self, id: &str) -> Option<Cow<'_, str>> {
        let span = self.spans.iter().find(|s| !id.is_empty() && s.id == id)?;
        Some(sanitize(&span.name))
    }
}

/// The trace's first start and last end over the spans that have a start: a span without one
/// says nothing about when the trace ran, and counted as starting at 0 it would skew them all.
fn extent(spans: &[Span]) -> (u64, u64) {
    let started = || spans.iter().filter(|s| s.started().is_some());
    let start = started().map(|s| s.start).min().unwrap_or(0);
    let end = started().map(Span::end).max().unwrap_or(start);
    (start, end)
}

/// How the waterfall is drawn: for a terminal (its width, colour, bars) or as plain text.
struct Layout {
    width: Option<usize>,
    palette: Palette,
    bars: bool,
    /// stdout is a screen: a trace too big to read there is described instead of drawn.
    screen: bool,
}

pub fn write_tree(
    out: &mut impl Write,
    trace_id: &str,
    trace: &Trace,
    logs: Option<&TraceLogs>,
    fold: &Fold,
    terminal: &Terminal,
    view: View,
) -> io::Result<()> {
    let layout = Layout {
        width: if view.wide { None } else { terminal.width },
        palette: terminal.stdout_palette(),
        bars: true,
        screen: terminal.stdout_is_terminal,
    };
    draw(out, trace_id, trace, logs, fold, &layout)
}

/// The same tree as plain text, without colour or bars: for `kopai mcp`, whose readers are
/// models.
pub fn plain_tree(trace_id: &str, rows: &[Value]) -> String {
    // The tool holds its spans as values: each is serialised once into a row like an answer's.
    let built: Vec<BuiltRow> = rows.iter().filter_map(|r| BuiltRow::new(r).ok()).collect();
    let rows: Vec<Row> = built.iter().map(BuiltRow::row).collect();
    let layout = Layout {
        width: None,
        palette: Palette::new(false),
        bars: false,
        screen: false,
    };
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = draw(
        &mut out,
        trace_id,
        &Trace::read(&rows),
        None,
        &Fold::default(),
        &layout,
    );
    String::from_utf8_lossy(&out).into_owned()
}

fn draw(
    out: &mut impl Write,
    trace_id: &str,
    trace: &Trace,
    logs: Option<&TraceLogs>,
    fold: &Fold,
    layout: &Layout,
) -> io::Result<()> {
    let spans = &trace.spans;
    let lines = tree_order(spans);
    let kept = order::fold(&lines, spans, fold);
    header(
        out,
        trace_id,
        spans,
        &lines,
        logs.map(TraceLogs::len),
        layout,
    )?;
    if kept.count == 0 {
        // Only a fold can leave nothing (an empty trace is said before drawing).
        let errors = if fold.errors {
            " (it has no errors)"
        } else {
            ""
        };
        return writeln!(
            out,
            "No span of this trace matches {}{errors}.",
            fold.flags()
        );
    }
    if layout.screen && kept.count > SCREEN_ROWS {
        return big::advise(out, spans, &lines, fold, kept.count, layout.width);
    }
    let mut placer = logs.map(|logs| Placer::new(logs, spans, &lines, &kept));
    draw::rows(out, spans, &lines, &kept, layout, placer.as_mut())?;
    let hidden = spans.len() - kept.count;
    if hidden > 0 {
        let of = count(spans.len());
        let mut line = format!("{} of {of} spans hidden by {}", count(hidden), fold.flags());
        if let Some(placer) = placer.as_ref().filter(|p| p.hidden > 0) {
            line.push_str(&format!(", and {}", plural(placer.hidden, "log")));
        }
        writeln!(out, "{}", fit(&line, layout.width))?;
    }
    if let Some(logs) = logs.filter(|l| l.cut) {
        let line = format!(
            "Only the first {} of this trace are shown; all of them: kopai logs search --trace-id {trace_id}",
            plural(logs.len(), "log")
        );
        for line in wrap_words(&line, layout.width.unwrap_or(usize::MAX)) {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

/// The trace in one line (or a few, on a narrow screen): its ID, root span, duration, spans,
/// errors and services.
fn header(
    out: &mut impl Write,
    trace_id: &str,
    spans: &[Span],
    lines: &[Line],
    logs: Option<usize>,
    layout: &Layout,
) -> io::Result<()> {
    let (start, end) = extent(spans);
    let mut services: Vec<&str> = Vec::new();
    for line in lines {
        let service = spans[line.span as usize].service.as_ref();
        if !service.is_empty() && !services.contains(&service) {
            services.push(service);
        }
    }
    let errors = spans.iter().filter(|s| s.error).count();
    let root = lines
        .first()
        .map(|l| spans[l.span as usize].name.as_ref())
        .unwrap_or("");
    let parts = [
        format!("Trace {trace_id}"),
        sanitize(root).into_owned(),
        match spans.iter().any(|s| s.started().is_some()) {
            true => format_duration(i128::from(end - start)),
            false => "duration unknown".to_owned(),
        },
        plural(spans.len(), "span"),
        plural(errors, "error"),
        logs.map(|n| plural(n, "log")).unwrap_or_default(),
        sanitize(&services.join(", ")).into_owned(),
    ];
    for header in wrap_parts(&parts, layout.width) {
        let style = layout.palette.header;
        writeln!(out, "{style}{header}{style:#}")?;
    }
    Ok(())
}

fn plural(n: usize, word: &str) -> String {
    format!("{} {word}{}", count(n), if n == 1 { "" } else { "s" })
}

/// A count with thousands separated: `50,000`.
fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The header's parts joined by ` · `, onto a new line where the next part would not fit.
fn wrap_parts(parts: &[String], width: Option<usize>) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for part in parts.iter().filter(|p| !p.is_empty()) {
        let joined = if line.is_empty() {
            part.clone()
        } else {
            format!("{line} · {part}")
        };
        if width.is_some_and(|w| joined.width() > w) && !line.is_empty() {
            lines.push(std::mem::replace(&mut line, part.clone()));
        } else {
            line = joined;
        }
    }
    lines.push(line);
    lines
        .into_iter()
        .map(|l| fit(&l, width).into_owned())
        .collect()
}

fn fit(text: &str, width: Option<usize>) -> Cow<'_, str> {
    match width {
        Some(w) if text.width() > w => Cow::Owned(truncate(text, w)),
        _ => Cow::Borrowed(text),
    }
}

/// Text cut into lines of at most `width` columns, at spaces where it can be, inside a word
/// only where the word alone is wider.
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let w = word.width();
        if used > 0 && used + 1 + w <= width {
            line.push(' ');
            line.push_str(word);
            used += 1 + w;
            continue;
        }
        if used > 0 {
            lines.push(std::mem::take(&mut line));
            used = 0;
        }
        for c in word.chars() {
            let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if used + cw > width && used > 0 {
                lines.push(std::mem::take(&mut line));
                used = 0;
            }
            line.push(c);
            used += cw;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_wrap_at_spaces_and_long_words_break() {
        assert_eq!(
            wrap_words("card declined: insufficient funds", 15),
            ["card declined:", "insufficient", "funds"]
        );
        assert_eq!(wrap_words("abcdefghij kl", 4), ["abcd", "efgh", "ij", "kl"]);
        assert_eq!(wrap_words("  ", 4), Vec::<String>::new());
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(count(7), "7");
        assert_eq!(count(1_000), "1,000");
        assert_eq!(count(50_000), "50,000");
        assert_eq!(count(1_234_567), "1,234,567");
    }
}
