//! Tables for people: columns formatted by what their field holds, fitted to the terminal and
//! streamed a page at a time.

use std::io::{self, Write};

use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use super::human::{format_duration, format_time, ns_of, Clock};
use super::terminal::{clean, truncate};
use super::Terminal;

/// `--wide` (lines may run long, IDs whole) and `--utc`, set per command.
#[derive(Debug, Clone, Copy, Default)]
pub struct View {
    pub wide: bool,
    pub utc: bool,
}

/// How many characters of an ID a terminal shows, as git shows hashes.
const SHORT_ID: usize = 8;

/// How a column turns a row into text.
#[derive(Debug, Clone)]
pub enum Cell {
    /// The value itself (rows that are plain strings).
    Itself,
    /// A top-level field, formatted by what it holds.
    Field(String),
    /// A nanosecond timestamp field: RFC 3339 UTC, or compact local time on a terminal.
    Time(String),
    /// A nanosecond duration field, shown in µs/ms/s.
    Duration(String),
    /// `SPAN_KIND_SERVER` or `Server` → `SERVER`.
    Enum(String, &'static str),
    /// A trace or span ID: shortened on a terminal.
    Id(String),
    /// An attribute map shown as `k=v k=v`.
    Attrs(String),
    /// How many keys `field.values` holds (metrics discover).
    CountKeys(String),
}

impl Cell {
    /// The cell for a field, formatted by what its name says it holds. IDs stay whole here:
    /// a field asked for by name is shown in full.
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
    /// Free text that may be cut short to fit the terminal, down to `floor` characters.
    pub flexible: bool,
    floor: usize,
    /// Columns with a higher rank are dropped first when the table cannot fit; 0 never.
    drop_rank: u8,
}

impl Column {
    pub fn new(header: &str, cell: Cell) -> Self {
        Self {
            header: header.to_owned(),
            cell,
            flexible: false,
            floor: 0,
            drop_rank: 0,
        }
    }

    pub fn flex(header: &str, cell: Cell) -> Self {
        Self {
            flexible: true,
            floor: 10,
            ..Self::new(header, cell)
        }
    }

    /// The fewest characters this (flexible) column is cut to before columns are dropped.
    pub fn floor(mut self, floor: usize) -> Self {
        self.floor = floor;
        self
    }

    /// Dropped when the table does not fit; the highest rank goes first.
    pub fn drops(mut self, rank: u8) -> Self {
        self.drop_rank = rank;
        self
    }

    fn render(&self, row: &Value, style: &Style) -> String {
        match &self.cell {
            Cell::Itself => plain(row),
            Cell::Field(key) => row.get(key).map(plain).unwrap_or_default(),
            Cell::Time(key) => row
                .get(key)
                .map(|v| time_cell(v, style.clock.as_ref()))
                .unwrap_or_default(),
            Cell::Duration(key) => row.get(key).map(duration_cell).unwrap_or_default(),
            Cell::Enum(key, prefix) => row
                .get(key)
                .map(|v| enum_cell(v, prefix))
                .unwrap_or_default(),
            Cell::Id(key) => {
                let id = row.get(key).map(plain).unwrap_or_default();
                if style.short_ids {
                    id.chars().take(SHORT_ID).collect()
                } else {
                    id
                }
            }
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

/// `STATUS_CODE_ERROR`, `Error` and `error` all read `ERROR`, whatever the backend stores.
pub fn enum_text(text: &str, prefix: &str) -> String {
    let upper = text.to_ascii_uppercase();
    upper.strip_prefix(prefix).unwrap_or(&upper).to_owned()
}

fn enum_cell(value: &Value, prefix: &str) -> String {
    enum_text(&plain(value), prefix)
}

/// Columns for `--fields`: each named field, formatted by what its name says it holds.
pub fn field_columns(fields: &[String]) -> Vec<Column> {
    fields
        .iter()
        .map(|f| Column::flex(f, Cell::for_field(f)))
        .collect()
}

/// What the terminal and the flags make of every cell.
pub(super) struct Style {
    /// Compact local times (on a terminal), else RFC 3339 UTC.
    pub clock: Option<Clock>,
    pub short_ids: bool,
    pub color: bool,
    /// The most a line may take; `None` in a pipe or with `--wide`.
    pub width: Option<usize>,
}

impl Style {
    pub fn new(terminal: &Terminal, view: View) -> Self {
        let compact = terminal.stdout && !view.wide;
        Self {
            clock: compact.then(|| Clock::new(view.utc)),
            short_ids: compact,
            color: terminal.color,
            width: if view.wide { None } else { terminal.width },
        }
    }
}

/// A streaming table. Which columns show, and how wide, is decided from the first batch of
/// rows (the first page) and holds for later pages, so memory stays flat however many rows
/// follow and every line stays within the terminal.
pub struct Table<W: Write> {
    out: W,
    columns: Vec<Column>,
    /// (column, width) of the columns shown, once the first batch has been seen.
    layout: Option<Vec<(usize, usize)>>,
    style: Style,
    rows: usize,
}

impl<W: Write> Table<W> {
    pub fn new(out: W, columns: Vec<Column>, terminal: &Terminal, view: View) -> Self {
        Self {
            out,
            columns,
            layout: None,
            style: Style::new(terminal, view),
            rows: 0,
        }
    }

    pub fn push_batch(&mut self, rows: &[Value]) -> io::Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let layout = match self.layout.take() {
            Some(layout) => layout,
            None => {
                let all: Vec<usize> = (0..self.columns.len()).collect();
                let cells = self.cells(rows, &all);
                let layout = self.fit(&cells);
                let header: Vec<String> = layout.iter().map(|&(i, _)| self.header(i)).collect();
                self.write_line(&header, &layout, true)?;
                let shown: Vec<Vec<String>> = cells
                    .into_iter()
                    .map(|row| layout.iter().map(|&(i, _)| row[i].clone()).collect())
                    .collect();
                self.write_rows(&shown, &layout)?;
                self.layout = Some(layout);
                self.rows += rows.len();
                return self.out.flush();
            }
        };
        let shown: Vec<usize> = layout.iter().map(|&(i, _)| i).collect();
        let cells = self.cells(rows, &shown);
        self.write_rows(&cells, &layout)?;
        self.layout = Some(layout);
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

    fn cells(&self, rows: &[Value], columns: &[usize]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| {
                columns
                    .iter()
                    .map(|&i| clean(&self.columns[i].render(r, &self.style)))
                    .collect()
            })
            .collect()
    }

    fn header(&self, i: usize) -> String {
        let column = &self.columns[i];
        let header = column.header.to_uppercase();
        let utc_clock = self.style.clock.is_some() && self.style.clock_is_utc();
        if utc_clock && matches!(column.cell, Cell::Time(_)) {
            format!("{header} (UTC)")
        } else {
            header
        }
    }

    fn write_rows(&mut self, rows: &[Vec<String>], layout: &[(usize, usize)]) -> io::Result<()> {
        for row in rows {
            self.write_line(row, layout, false)?;
        }
        Ok(())
    }

    /// Picks the columns to show and their widths: every column as wide as its widest cell
    /// if that fits; else free text is cut (the widest first, down to each column's floor);
    /// else columns are dropped by rank and the rest fitted again.
    fn fit(&self, cells: &[Vec<String>]) -> Vec<(usize, usize)> {
        let natural: Vec<usize> = (0..self.columns.len())
            .map(|i| {
                cells
                    .iter()
                    .map(|r| r[i].width())
                    .chain([self.header(i).width()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut shown: Vec<usize> = (0..self.columns.len()).collect();
        let Some(max) = self.style.width else {
            return shown.iter().map(|&i| (i, natural[i])).collect();
        };
        loop {
            let floor = |i: usize| natural[i].min(self.columns[i].floor);
            if let Some(layout) = self.shrink(&shown, &natural, max, floor) {
                return layout;
            }
            let drop = shown
                .iter()
                .enumerate()
                .filter(|(_, &i)| self.columns[i].drop_rank > 0)
                .max_by_key(|(at, &i)| (self.columns[i].drop_rank, *at))
                .map(|(at, _)| at);
            match drop {
                Some(at) => {
                    shown.remove(at);
                }
                // Nothing left to drop: cut free text to a few characters; a line that is
                // still too long is cut at the edge when written.
                None => {
                    return self
                        .shrink(&shown, &natural, max, |i| natural[i].min(3))
                        .unwrap_or_else(|| shown.iter().map(|&i| (i, natural[i])).collect())
                }
            }
        }
    }

    fn shrink(
        &self,
        shown: &[usize],
        natural: &[usize],
        max: usize,
        floor: impl Fn(usize) -> usize,
    ) -> Option<Vec<(usize, usize)>> {
        let gaps = 2 * shown.len().saturating_sub(1);
        let mut widths: Vec<(usize, usize)> = shown.iter().map(|&i| (i, natural[i])).collect();
        let mut total: usize = widths.iter().map(|w| w.1).sum::<usize>() + gaps;
        while total > max {
            let widest = widths
                .iter_mut()
                .filter(|(i, w)| self.columns[*i].flexible && *w > floor(*i))
                .max_by_key(|(_, w)| *w)?;
            widest.1 -= 1;
            total -= 1;
        }
        Some(widths)
    }

    fn write_line(
        &mut self,
        cells: &[String],
        layout: &[(usize, usize)],
        header: bool,
    ) -> io::Result<()> {
        let mut line = String::new();
        let mut width = 0;
        let last = cells.len().saturating_sub(1);
        let color = self.style.color;
        for (n, (cell, &(_, col_width))) in cells.iter().zip(layout).enumerate() {
            let mut text = truncate(cell, col_width);
            if let Some(max) = self.style.width {
                text = truncate(&text, max.saturating_sub(width));
            }
            let text_width = text.width();
            if header && color {
                line.push_str(&format!("\x1b[1m{text}\x1b[0m"));
            } else if color && !header && (text == "ERROR" || text == "FATAL") {
                line.push_str(&format!("\x1b[31m{text}\x1b[0m"));
            } else {
                line.push_str(&text);
            }
            width += text_width;
            if n != last {
                let pad = col_width.saturating_sub(text_width) + 2;
                line.push_str(&" ".repeat(pad));
                width += pad;
            }
        }
        writeln!(self.out, "{}", line.trim_end())
    }
}

impl Style {
    fn clock_is_utc(&self) -> bool {
        self.clock.as_ref().is_some_and(Clock::is_utc)
    }
}

/// Text of a JSON value for a cell: strings bare, everything else as compact JSON.
pub(super) fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        // serde_json's own Display recurses once per level; a server's value may be deeper.
        other => super::json::to_compact(other),
    }
}

fn time_cell(value: &Value, clock: Option<&Clock>) -> String {
    let ns = ns_of(value);
    let text = match clock {
        Some(clock) => ns.and_then(|ns| clock.format(ns)),
        None => ns.and_then(format_time),
    };
    text.unwrap_or_else(|| plain(value))
}

fn duration_cell(value: &Value) -> String {
    ns_of(value)
        .map(format_duration)
        .unwrap_or_else(|| plain(value))
}
