//! Rendering rows as JSON (byte-compatible with the Node CLI) or as a table for people.
//! Both writers stream: rows are written as they arrive and never collected.

use std::io::{self, IsTerminal, Write};

use serde_json::{Map, Value};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::cli::OutputArgs;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Table,
}

impl Format {
    /// `--json` / `--table`, else a table on a terminal and JSON in a pipe.
    pub fn pick(json: bool, table: bool) -> Self {
        if json {
            Format::Json
        } else if table || io::stdout().is_terminal() {
            Format::Table
        } else {
            Format::Json
        }
    }
}

/// Pretty JSON exactly as `JSON.stringify(value, null, 2)` prints it, plus a newline.
pub fn write_json(out: &mut impl Write, value: &Value) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}

/// Writes a JSON array one element at a time, in the same layout as [`write_json`].
pub struct JsonArray<W: Write> {
    out: W,
    count: usize,
    buf: Vec<u8>,
}

impl<W: Write> JsonArray<W> {
    pub fn new(out: W) -> Self {
        Self {
            out,
            count: 0,
            buf: Vec::new(),
        }
    }

    pub fn push(&mut self, item: &Value) -> io::Result<()> {
        self.out
            .write_all(if self.count == 0 { b"[\n  " } else { b",\n  " })?;
        self.buf.clear();
        serde_json::to_writer_pretty(&mut self.buf, item)?;
        // Raw newlines only occur between tokens (strings escape theirs), so indenting after
        // each one nests the element one level deeper.
        for (i, line) in self.buf.split(|&b| b == b'\n').enumerate() {
            if i > 0 {
                self.out.write_all(b"\n  ")?;
            }
            self.out.write_all(line)?;
        }
        self.count += 1;
        Ok(())
    }

    /// Sends what was pushed so far, so each page shows up as it arrives.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    pub fn finish(mut self) -> io::Result<()> {
        self.out
            .write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?;
        self.out.flush()
    }
}

/// Keeps only `fields`, in the order given; fields a row lacks are left out.
pub fn select(row: &Value, fields: &[String]) -> Value {
    let Value::Object(map) = row else {
        return row.clone();
    };
    let picked: Map<String, Value> = fields
        .iter()
        .filter_map(|f| map.get(f).map(|v| (f.clone(), v.clone())))
        .collect();
    Value::Object(picked)
}

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
    pub fn new(out: W, columns: Vec<Column>, style: Style) -> Self {
        Self {
            out,
            columns,
            widths: None,
            max_width: style.width,
            color: style.color,
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

/// Terminal facts that shape a table.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub width: Option<usize>,
    pub color: bool,
}

impl Style {
    /// Width: the terminal's, else `COLUMNS`, else unlimited. Colour: only on a terminal (or
    /// with `CLICOLOR_FORCE`), never with `NO_COLOR`.
    pub fn detect() -> Self {
        let stdout = io::stdout();
        let tty = stdout.is_terminal();
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .or_else(|| {
                tty.then(|| terminal_size::terminal_size_of(&stdout).map(|(w, _)| w.0 as usize))
                    .flatten()
            });
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let force = std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0");
        Self {
            width,
            color: !no_color && (tty || force),
        }
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

fn ns_of(value: &Value) -> Option<i128> {
    match value {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.to_string().parse().ok(),
        _ => None,
    }
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

/// Nanoseconds since the epoch as RFC 3339 UTC with milliseconds.
pub fn format_time(ns: i128) -> Option<String> {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(ns).ok()?;
    Some(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    ))
}

/// `850 ns`, `12.5 µs`, `412 ms`, `1.52 s`, `2m 3s`. A value that rounds up to the next
/// unit is shown in it (`1 s`, not `1000 ms`).
pub fn format_duration(ns: i128) -> String {
    fn trim(x: f64, decimals: usize) -> String {
        let s = format!("{x:.decimals$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_owned()
        } else {
            s
        }
    }
    if ns < 1_000 {
        return format!("{ns} ns");
    }
    let units: [(f64, usize, &str, f64); 3] = [
        (1e3, 1, "µs", 1000.0),
        (1e6, 1, "ms", 1000.0),
        (1e9, 2, "s", 60.0),
    ];
    for (scale, decimals, unit, next) in units {
        let text = trim(ns as f64 / scale, decimals);
        if text.parse::<f64>().is_ok_and(|x| x < next) {
            return format!("{text} {unit}");
        }
    }
    let secs = (ns + 500_000_000) / 1_000_000_000;
    format!("{}m {}s", secs / 60, secs % 60)
}

/// Output options resolved once per command.
pub struct OutputSpec {
    pub format: Format,
    pub fields: Vec<String>,
}

impl OutputSpec {
    pub fn from_args(args: &OutputArgs) -> Self {
        Self {
            format: Format::pick(args.json, args.table),
            fields: args
                .fields
                .iter()
                .map(|f| f.trim().to_owned())
                .filter(|f| !f.is_empty())
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node_style(v: &Value) -> String {
        let mut out = Vec::new();
        write_json(&mut out, v).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn streamed_array_matches_whole_array() {
        let rows: Value = serde_json::from_str(
            r#"[{"a":{"b":[1,{"c":"x\ny"}],"e":{}},"d":[]},{"z":1.50},"s",[]]"#,
        )
        .unwrap();
        let mut out = Vec::new();
        let mut array = JsonArray::new(&mut out);
        for row in rows.as_array().unwrap() {
            array.push(row).unwrap();
        }
        array.finish().unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), node_style(&rows));

        let mut empty = Vec::new();
        JsonArray::new(&mut empty).finish().unwrap();
        assert_eq!(empty, b"[]\n");
    }

    #[test]
    fn durations_and_times_read_well() {
        assert_eq!(format_duration(412_000_000), "412 ms");
        assert_eq!(format_duration(1_520_000_000), "1.52 s");
        assert_eq!(format_duration(850), "850 ns");
        assert_eq!(format_duration(123_000_000_000), "2m 3s");
        assert_eq!(format_duration(1_500), "1.5 µs");
        assert_eq!(format_duration(999_999), "1 ms");
        assert_eq!(format_duration(999_960_000), "1 s");
        assert_eq!(format_duration(59_994_000_000), "59.99 s");
        assert_eq!(format_duration(59_999_000_000), "1m 0s");
        assert_eq!(
            format_time(1_795_820_400_001_000_000).unwrap(),
            "2026-11-27T23:00:00.001Z"
        );
    }

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate("abcdefghij", 5), "abcd…");
        assert_eq!(truncate("abc", 5), "abc");
    }
}
