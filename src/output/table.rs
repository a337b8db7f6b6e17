//! Tables for people: columns formatted by what their field holds, fitted to the terminal and
//! streamed a page at a time.

use std::io::{self, Write};

use serde_json::Value;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::human::{format_duration, format_time, ns_of};
use super::Terminal;

/// How a column turns a row into text.
#[derive(Debug, Clone)]
pub enum Cell {
    /// The value itself (rows that are plain strings).
    Itself,
    /// A top-level field, formatted by what it holds.
    Field(String),
    /// A nanosecond timestamp field, shown as RFC 3339 UTC.
    Time(String),
    /// A nanosecond duration field, shown in µs/ms/s.
    Duration(String),
    /// `SPAN_KIND_SERVER` → `SERVER`.
    Enum(String, &'static str),
    /// An attribute map shown as `k=v k=v`.
    Attrs(String),
    /// How many keys `field.values` holds (metrics discover).
    CountKeys(String),
}

impl Cell {
    /// The cell for a field, formatted by what its name says it holds.
    pub fn for_field(key: &str) -> Self {
        let key = key.to_owned();
        match key.as_str() {
            "Timestamp" | "TimeUnix" | "StartTimeUnix" | "startTimeNs" => Cell::Time(key),
            "Duration" | "durationNs" => Cell::Duration(key),
            "SpanKind" => Cell::Enum(key, "SPAN_KIND_"),
            "StatusCode" => Cell::Enum(key, "STATUS_CODE_"),
            _ => Cell::Field(key),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Column {
    pub header: String,
    pub cell: Cell,
    /// Free text that may be cut short to fit the terminal.
    pub flexible: bool,
}

impl Column {
    pub fn new(header: &str, cell: Cell) -> Self {
        Self {
            header: header.to_owned(),
            cell,
            flexible: false,
        }
    }

    pub fn flex(header: &str, cell: Cell) -> Self {
        Self {
            flexible: true,
            ..Self::new(header, cell)
        }
    }

    fn render(&self, row: &Value) -> String {
        match &self.cell {
            Cell::Itself => plain(row),
            Cell::Field(key) => row.get(key).map(plain).unwrap_or_default(),
            Cell::Time(key) => row.get(key).map(time_cell).unwrap_or_default(),
            Cell::Duration(key) => row.get(key).map(duration_cell).unwrap_or_default(),
            Cell::Enum(key, prefix) => row
                .get(key)
                .map(|v| {
                    let text = plain(v);
                    text.strip_prefix(prefix).map(str::to_owned).unwrap_or(text)
                })
                .unwrap_or_default(),
            Cell::Attrs(key) => match row.get(key) {
                Some(Value::Object(map)) => map
                    .iter()
                    .map(|(k, v)| format!("{k}={}", plain(v)))
                    .collect::<Vec<_>>()
                    .join(" "),
                Some(other) => plain(other),
                None => String::new(),
            },
            Cell::CountKeys(key) => row
                .get(key)
                .and_then(|a| a.get("values"))
                .and_then(Value::as_object)
                .map(|m| m.len().to_string())
                .unwrap_or_default(),
        }
    }
}

/// Columns for `--fields`: each named field, formatted by what its name says it holds.
pub fn field_columns(fields: &[String]) -> Vec<Column> {
    fields
        .iter()
        .map(|f| Column::flex(f, Cell::for_field(f)))
        .collect()
}

/// A streaming table. Column widths come from the first batch of rows (the first page) and
/// hold for later pages, so memory stays flat however many rows follow.
pub struct Table<W: Write> {
    out: W,
    columns: Vec<Column>,
    widths: Option<Vec<usize>>,
    max_width: Option<usize>,
    color: bool,
    rows: usize,
}

impl<W: Write> Table<W> {
    pub fn new(out: W, columns: Vec<Column>, terminal: &Terminal) -> Self {
        Self {
            out,
            columns,
            widths: None,
            max_width: terminal.width,
            color: terminal.color,
            rows: 0,
        }
    }

    pub fn push_batch(&mut self, rows: &[Value]) -> io::Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|r| self.columns.iter().map(|c| clean(&c.render(r))).collect())
            .collect();
        if self.widths.is_none() {
            let widths = self.fit(&cells);
            let header: Vec<String> = self
                .columns
                .iter()
                .map(|c| c.header.to_uppercase())
                .collect();
            self.write_line(&header, &widths, true)?;
            self.widths = Some(widths);
        }
        let widths = self.widths.clone().unwrap_or_default();
        for row in &cells {
            self.write_line(row, &widths, false)?;
        }
        self.rows += rows.len();
        self.out.flush()
    }

    /// Ends the table; an empty one says so.
    pub fn finish(mut self) -> io::Result<()> {
        if self.rows == 0 {
            writeln!(self.out, "No results found.")?;
        }
        self.out.flush()
    }

    fn fit(&self, cells: &[Vec<String>]) -> Vec<usize> {
        let mut widths: Vec<usize> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                cells
                    .iter()
                    .map(|r| r[i].width())
                    .chain([c.header.width()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let Some(max) = self.max_width else {
            return widths;
        };
        let gaps = 2 * widths.len().saturating_sub(1);
        // Shrink the widest flexible column, one character at a time, down to a floor.
        const FLOOR: usize = 8;
        while widths.iter().sum::<usize>() + gaps > max {
            let widest = (0..widths.len())
                .filter(|&i| self.columns[i].flexible && widths[i] > FLOOR)
                .max_by_key(|&i| widths[i]);
            match widest {
                Some(i) => widths[i] -= 1,
                None => break,
            }
        }
        widths
    }

    fn write_line(&mut self, cells: &[String], widths: &[usize], header: bool) -> io::Result<()> {
        let mut line = String::new();
        let last = cells.len().saturating_sub(1);
        for (i, (cell, &width)) in cells.iter().zip(widths).enumerate() {
            let text = truncate(cell, width);
            let pad = width.saturating_sub(text.width());
            if header && self.color {
                line.push_str(&format!("\x1b[1m{text}\x1b[0m"));
            } else if self.color && !header && (text == "ERROR" || text == "FATAL") {
                line.push_str(&format!("\x1b[31m{text}\x1b[0m"));
            } else {
                line.push_str(&text);
            }
            if i != last {
                line.push_str(&" ".repeat(pad + 2));
            }
        }
        writeln!(self.out, "{}", line.trim_end())
    }
}

/// Text of a JSON value for a cell: strings bare, everything else as compact JSON.
fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// One line per row: control characters (newlines in log bodies) become spaces.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

fn time_cell(value: &Value) -> String {
    ns_of(value)
        .and_then(format_time)
        .unwrap_or_else(|| plain(value))
}

fn duration_cell(value: &Value) -> String {
    ns_of(value)
        .map(format_duration)
        .unwrap_or_else(|| plain(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate("abcdefghij", 5), "abcd…");
        assert_eq!(truncate("abc", 5), "abc");
    }
}
