//! `traces get` for a person: the trace as a waterfall, as trace viewers draw it. Spans in tree
//! order (parent before child, siblings by start time), names indented by depth, each span's
//! offset from the trace start and its duration, and a bar to scale across the free width.

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};

use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use super::cell::truncate;
use super::cell::View;
use super::human::format_duration;
use super::json::{BuiltRow, RowFields};
use crate::term::{Palette, Terminal};

mod span;

use span::Span;
pub use span::WATERFALL_FIELDS;

/// One line of the waterfall: a span, how deep it sits, and whether its parent is missing.
struct Line {
    span: usize,
    depth: usize,
    orphan: bool,
    show_service: bool,
}

/// The deepest indentation drawn; deeper spans line up at this depth.
const MAX_INDENT: usize = 24;
/// The bar's width where there is no terminal width to fill.
const PIPE_BAR: usize = 40;
const FIXED: usize = 8 + 2 + 8 + 2;

/// How the waterfall is drawn: for a terminal (its width, colour, bars) or as plain text.
struct Layout {
    width: Option<usize>,
    palette: Palette,
    bars: bool,
}

pub fn write_tree(
    out: &mut impl Write,
    trace_id: &str,
    rows: &[RowFields],
    terminal: &Terminal,
    view: View,
) -> io::Result<()> {
    let layout = Layout {
        width: if view.wide { None } else { terminal.width },
        palette: terminal.stdout_palette(),
        bars: true,
    };
    draw(out, trace_id, rows, &layout)
}

/// The same tree as plain text, without colour or bars: for `kopai mcp`, whose readers are
/// models.
pub fn plain_tree(trace_id: &str, rows: &[Value]) -> String {
    // The tool holds its spans as values: each is serialised once into a row like an answer's.
    let built: Vec<BuiltRow> = rows.iter().filter_map(|r| BuiltRow::new(r).ok()).collect();
    let rows: Vec<RowFields> = built
        .iter()
        .map(|row| RowFields::read(row.row(), Some(WATERFALL_FIELDS)))
        .collect();
    let layout = Layout {
        width: None,
        palette: Palette::new(false),
        bars: false,
    };
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = draw(&mut out, trace_id, &rows, &layout);
    String::from_utf8_lossy(&out).into_owned()
}

fn draw(
    out: &mut impl Write,
    trace_id: &str,
    rows: &[RowFields],
    layout: &Layout,
) -> io::Result<()> {
    let spans: Vec<Span> = rows.iter().map(Span::of).collect();
    let lines = tree_order(&spans);
    let start = spans.iter().map(|s| s.start).min().unwrap_or(0);
    let end = spans
        .iter()
        .map(|s| s.start.saturating_add(s.duration))
        .max()
        .unwrap_or(0);
    let total = end.saturating_sub(start).max(0);
    let width = layout.width;
    let palette = layout.palette;

    let mut services: Vec<&str> = Vec::new();
    for line in &lines {
        let service = spans[line.span].service.as_str();
        if !service.is_empty() && !services.contains(&service) {
            services.push(service);
        }
    }
    let errors = spans.iter().filter(|s| s.error).count();
    let root = lines
        .first()
        .map(|l| spans[l.span].name.as_str())
        .unwrap_or("");
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let parts = [
        format!("Trace {trace_id}"),
        root.to_owned(),
        format_duration(total),
        plural(spans.len(), "span"),
        plural(errors, "error"),
        services.join(", "),
    ];
    for header in wrap(&parts, width) {
        let style = palette.header;
        writeln!(out, "{style}{header}{style:#}")?;
    }

    let labels: Vec<(String, String)> = lines.iter().map(|l| label(&spans, l)).collect();
    let natural = labels
        .iter()
        .map(|(name, note)| name.width() + note.width())
        .chain(["SPAN".len()])
        .max()
        .unwrap_or(0);
    let (name_width, bar_width) = match width {
        None => (natural, PIPE_BAR),
        Some(w) => {
            let free = w.saturating_sub(FIXED + 2);
            // On a narrow terminal the names matter more than the bars.
            let bar_min = if free >= 30 { (free / 3).max(10) } else { 0 };
            let name_width = natural.min(free.saturating_sub(bar_min));
            (name_width, free.saturating_sub(name_width))
        }
    };
    let head = format!(
        "{:>8}  {:>8}  {:<name_width$}  ",
        "OFFSET", "DURATION", "SPAN"
    );
    writeln!(out, "{}", fit(&head, width).trim_end())?;

    for (line, (name, note)) in lines.iter().zip(&labels) {
        let span = &spans[line.span];
        let offset = match span.start.saturating_sub(start) {
            0 => "0 ms".to_owned(),
            ns => format_duration(ns),
        };
        let text = truncate(&format!("{name}{note}"), name_width);
        // The note (service, error) is coloured separately from the name when it survived the cut.
        let cut_in_note = text.len() > name.len() && text.is_char_boundary(name.len());
        let shown = if span.error && cut_in_note {
            let (n, rest) = text.split_at(name.len().min(text.len()));
            let style = palette.error;
            format!("{n}{style}{rest}{style:#}")
        } else {
            text.clone()
        };
        let pad = " ".repeat(name_width.saturating_sub(text.width()));
        let duration = format_duration(span.duration);
        if !layout.bars || width.is_some_and(|w| w < FIXED + 2) {
            // No bars, or too narrow even for the times: plain text, cut at the edge.
            let row = format!("{offset:>8}  {duration:>8}  {text}");
            writeln!(out, "{}", fit(&row, width).trim_end())?;
            continue;
        }
        let bar = bar(
            span.start.saturating_sub(start),
            span.duration,
            total,
            bar_width,
        );
        let bar = if !bar.trim().is_empty() {
            let style = if span.error {
                palette.error
            } else {
                palette.bar
            };
            let lead = bar.len() - bar.trim_start().len();
            format!("{}{style}{}{style:#}", &bar[..lead], bar.trim_start())
        } else {
            bar
        };
        let row = format!("{offset:>8}  {duration:>8}  {shown}{pad}  {bar}");
        writeln!(out, "{}", row.trim_end())?;
    }
    Ok(())
}

/// The name (indented) and what follows it: the service where it changes, a missing parent,
/// the error and its status message.
fn label(spans: &[Span], line: &Line) -> (String, String) {
    let span = &spans[line.span];
    let name = format!("{}{}", "  ".repeat(line.depth.min(MAX_INDENT)), span.name);
    let mut note = String::new();
    if line.show_service && !span.service.is_empty() {
        note.push_str(&format!("  [{}]", span.service));
    }
    if line.orphan {
        let parent: String = span.parent.chars().take(8).collect();
        note.push_str(&format!("  (parent {parent} not in trace)"));
    }
    if span.error {
        note.push_str("  ERROR");
        if !span.message.is_empty() {
            note.push_str(&format!(": {}", span.message));
        }
    }
    (name, note)
}

/// The header's parts joined by ` · `, onto a new line where the next part would not fit.
fn wrap(parts: &[String], width: Option<usize>) -> Vec<String> {
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
    lines.into_iter().map(|l| fit(&l, width)).collect()
}

fn fit(text: &str, width: Option<usize>) -> String {
    match width {
        Some(w) => truncate(text, w),
        None => text.to_owned(),
    }
}

/// Spaces up to the span's start, then a block as long as it lasted (at least one).
fn bar(offset: i128, duration: i128, total: i128, width: usize) -> String {
    if width == 0 {
        return String::new();
    }
    let width_i = width as i128;
    let (from, to) = if total <= 0 {
        (0, 1)
    } else {
        let from = (offset.saturating_mul(width_i) / total).clamp(0, width_i - 1);
        let end = offset.saturating_add(duration).saturating_mul(width_i);
        let to = end.saturating_add(total - 1) / total;
        (from, to.clamp(from + 1, width_i))
    };
    let mut bar = " ".repeat(from as usize);
    bar.push_str(&"█".repeat((to - from) as usize));
    bar
}

/// Parents before children, siblings by start time. A span whose parent is not in the answer
/// (or that sits in a parent cycle) is shown at the top level, marked.
fn tree_order(spans: &[Span]) -> Vec<Line> {
    let by_id: HashMap<&str, usize> = spans
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.id.is_empty())
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    let mut children: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut roots: Vec<usize> = Vec::new();
    for (i, span) in spans.iter().enumerate() {
        match by_id.get(span.parent.as_str()) {
            Some(&parent) if parent != i && !span.parent.is_empty() => {
                children.entry(parent).or_default().push(i)
            }
            _ => roots.push(i),
        }
    }
    let by_start = |list: &mut Vec<usize>| list.sort_by_key(|&i| (spans[i].start, i));
    by_start(&mut roots);
    for list in children.values_mut() {
        by_start(list);
    }

    let mut lines = Vec::with_capacity(spans.len());
    let mut seen: HashSet<usize> = HashSet::new();
    let visit = |top: usize, lines: &mut Vec<Line>, seen: &mut HashSet<usize>| {
        let orphan = !spans[top].parent.is_empty();
        let mut stack = vec![(top, 0usize, orphan, None::<usize>)];
        while let Some((i, depth, orphan, parent)) = stack.pop() {
            if !seen.insert(i) {
                continue;
            }
            let show_service = parent.is_none_or(|p| spans[p].service != spans[i].service);
            lines.push(Line {
                span: i,
                depth,
                orphan,
                show_service,
            });
            if let Some(kids) = children.get(&i) {
                for &kid in kids.iter().rev() {
                    stack.push((kid, depth + 1, false, Some(i)));
                }
            }
        }
    };
    for &root in &roots {
        visit(root, &mut lines, &mut seen);
    }
    // Spans caught in a parent cycle never hang from a root: show them at the top.
    let mut rest: Vec<usize> = (0..spans.len()).filter(|i| !seen.contains(i)).collect();
    by_start(&mut rest);
    for i in rest {
        visit(i, &mut lines, &mut seen);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(id: &str, parent: &str, start: i128) -> Span {
        Span {
            id: id.into(),
            parent: parent.into(),
            name: id.into(),
            service: "s".into(),
            start,
            duration: 1,
            error: false,
            message: String::new(),
        }
    }

    #[test]
    fn parents_come_before_children_and_siblings_by_start() {
        let spans = vec![
            span("c2", "root", 30),
            span("root", "", 0),
            span("c1", "root", 10),
            span("g1", "c1", 20),
            span("lost", "gone", 5),
            span("x", "y", 40),
            span("y", "x", 41),
        ];
        let order: Vec<(&str, usize, bool)> = tree_order(&spans)
            .iter()
            .map(|l| (spans[l.span].id.as_str(), l.depth, l.orphan))
            .collect();
        assert_eq!(
            order,
            [
                ("root", 0, false),
                ("c1", 1, false),
                ("g1", 2, false),
                ("c2", 1, false),
                ("lost", 0, true),
                ("x", 0, true),
                ("y", 1, false),
            ]
        );
    }

    #[test]
    fn bars_scale_to_the_width() {
        assert_eq!(bar(0, 100, 100, 10), "██████████");
        assert_eq!(bar(50, 10, 100, 10), "     █");
        assert_eq!(bar(0, 0, 0, 10), "█");
    }
}
