//! A span's events (each at its offset from the span's start, with its attributes; an
//! exception laid out as a stack trace) and its links. The server sends both as parallel
//! arrays (`Events.Name`, `Events.Timestamp`, `Events.Attributes`; `Links.TraceId`, …).

use std::io::{self, Write};

use serde_json::value::RawValue;
use unicode_width::UnicodeWidthStr;

use super::{attributes, Printer};
use crate::output::human::{format_duration, ns_of};
use crate::output::json::{text, RowFields};

const EXCEPTION_TYPE: &str = "exception.type";
const EXCEPTION_MESSAGE: &str = "exception.message";
const EXCEPTION_STACKTRACE: &str = "exception.stacktrace";

/// The elements of an array field; nothing for a missing field or another value.
fn array<'a>(fields: &RowFields<'a>, key: &str) -> Vec<&'a RawValue> {
    fields
        .get(key)
        .filter(|v| v.get().starts_with('['))
        .and_then(|v| serde_json::from_str(v.get()).ok())
        .unwrap_or_default()
}

struct Event {
    offset: Option<i128>,
    name: String,
    attrs: Vec<(String, String)>,
}

/// `+465 ms` from the span's start (`-2 ms` before it).
fn offset_text(offset: Option<i128>) -> String {
    match offset {
        None => "?".to_owned(),
        Some(ns) if ns < 0 => format!("-{}", format_duration(ns.saturating_neg())),
        Some(ns) => format!("+{}", format_duration(ns)),
    }
}

pub(super) fn events(
    out: &mut impl Write,
    printer: &Printer,
    fields: &RowFields,
    span_start: i128,
) -> io::Result<()> {
    let names = array(fields, "Events.Name");
    let times = array(fields, "Events.Timestamp");
    let attrs = array(fields, "Events.Attributes");
    let count = names.len().max(times.len()).max(attrs.len());
    if count == 0 {
        return Ok(());
    }
    let mut events: Vec<Event> = (0..count)
        .map(|i| Event {
            offset: times
                .get(i)
                .and_then(|t| ns_of(t))
                .map(|t| t.saturating_sub(span_start)),
            name: names
                .get(i)
                .map(|n| text(n).into_owned())
                .unwrap_or_default(),
            attrs: attributes(attrs.get(i).copied()),
        })
        .collect();
    // In time order, as they happened; the server keeps the order they were recorded in.
    events.sort_by_key(|e| e.offset.unwrap_or(i128::MAX));
    printer.title(out, "Events", count)?;
    let offsets: Vec<String> = events.iter().map(|e| offset_text(e.offset)).collect();
    let offset_width = offsets.iter().map(|o| o.width()).max().unwrap_or(0);
    // Under an event: its exception, then its attributes, indented past the offsets.
    let inner = 2 + offset_width + 2;
    for (event, offset) in events.iter().zip(&offsets) {
        let first = format!("  {offset:>offset_width$}  ");
        let name = if event.name.is_empty() {
            "(no name)"
        } else {
            &event.name
        };
        printer.lines(out, &first, inner, name, None)?;
        let rest = exception(out, printer, inner + 2, &event.attrs)?;
        printer.pairs(out, inner + 2, &rest)?;
    }
    Ok(())
}

/// An exception's `type: message` on one line, then its stack trace's lines indented under it,
/// each kept whole. Returns the event's other attributes, to be listed after it.
fn exception(
    out: &mut impl Write,
    printer: &Printer,
    indent: usize,
    attrs: &[(String, String)],
) -> io::Result<Vec<(String, String)>> {
    let get = |key: &str| {
        attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let (kind, message) = (get(EXCEPTION_TYPE), get(EXCEPTION_MESSAGE));
    let rest = |keys: &[&str]| {
        attrs
            .iter()
            .filter(|(k, _)| !keys.contains(&k.as_str()))
            .cloned()
            .collect()
    };
    if kind.is_none() && message.is_none() {
        return Ok(rest(&[]));
    }
    let headline = match (kind, message) {
        (Some(kind), Some(message)) => format!("{kind}: {message}"),
        (Some(text), None) | (None, Some(text)) => text.to_owned(),
        (None, None) => String::new(),
    };
    let pad = " ".repeat(indent);
    printer.lines(out, &pad, indent, &headline, Some(printer.palette.error))?;
    if let Some(stack) = get(EXCEPTION_STACKTRACE) {
        let lines: Vec<&str> = stack.lines().collect();
        // Most runtimes start the trace with the headline just written: not said twice.
        let skip = usize::from(lines.first().is_some_and(|l| l.trim() == headline.trim()));
        let lines = &lines[skip..];
        // The trace's own indentation is kept relative to its least indented line.
        let margin = lines
            .iter()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.len() - l.trim_start().len())
            .min()
            .unwrap_or(0);
        for line in lines {
            let line = line.get(margin..).unwrap_or(line.trim_start());
            let own = line.len() - line.trim_start().len();
            let col = indent + 2 + own;
            printer.lines(out, &" ".repeat(col), col, line.trim_start(), None)?;
        }
    }
    Ok(rest(&[
        EXCEPTION_TYPE,
        EXCEPTION_MESSAGE,
        EXCEPTION_STACKTRACE,
    ]))
}

pub(super) fn links(out: &mut impl Write, printer: &Printer, fields: &RowFields) -> io::Result<()> {
    let traces = array(fields, "Links.TraceId");
    let spans = array(fields, "Links.SpanId");
    let attrs = array(fields, "Links.Attributes");
    let states = array(fields, "Links.TraceState");
    let count = traces.len().max(spans.len());
    if count == 0 {
        return Ok(());
    }
    let this_trace = fields.get("TraceId").map(text).unwrap_or_default();
    printer.title(out, "Links", count)?;
    let id = |list: &[&RawValue], i: usize| {
        list.get(i)
            .map(|v| text(v).into_owned())
            .unwrap_or_default()
    };
    for i in 0..count {
        let trace = id(&traces, i);
        let mut pairs = vec![
            (
                "Trace ID".to_owned(),
                if !trace.is_empty() && trace.eq_ignore_ascii_case(&this_trace) {
                    format!("{trace}  (this trace)")
                } else {
                    trace
                },
            ),
            ("Span ID".to_owned(), id(&spans, i)),
        ];
        let state = id(&states, i);
        if !state.is_empty() {
            pairs.push(("Trace state".to_owned(), state));
        }
        if i > 0 {
            writeln!(out)?;
        }
        printer.pairs(out, 2, &pairs)?;
        printer.pairs(out, 4, &attributes(attrs.get(i).copied()))?;
    }
    Ok(())
}
