//! What one table cell shows: columns, the formatting of each kind of field, and what the
//! terminal and the flags make of it (`--wide`, `--utc`, short IDs, local times).

use serde_json::value::RawValue;

use super::human::{format_duration, format_number, format_time, ns_of, Clock};
use super::json::{members, number, text, RowFields};
use super::measure::MetricCell;
pub use crate::term::truncate;
use crate::term::{Palette, Terminal};

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
pub enum CellKind {
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
    /// A number read as a person would (`1234`, `0.25`, `12.35`).
    Number(String),
    /// A share from 0 to 1, shown as a percentage (`3.1 %`).
    Ratio(String),
    /// A rate per second (`12.4/s`).
    PerSecond(String),
    /// A metric point's value in its unit, or a histogram's estimate.
    Metric(MetricCell),
}

impl CellKind {
    /// The top-level fields this cell reads, or `None` when it shows the whole row.
    pub fn fields(&self) -> Option<Vec<&str>> {
        match self {
            CellKind::Itself => None,
            CellKind::Metric(cell) => Some(cell.fields()),
            CellKind::Field(key)
            | CellKind::Time(key)
            | CellKind::Duration(key)
            | CellKind::Enum(key, _)
            | CellKind::Id(key)
            | CellKind::Attrs(key)
            | CellKind::CountKeys(key)
            | CellKind::Number(key)
            | CellKind::Ratio(key)
            | CellKind::PerSecond(key) => Some(vec![key]),
        }
    }

    /// The cell for a field, formatted by what its name says it holds. IDs stay whole here:
    /// a field asked for by name is shown in full.
    pub fn for_field(key: &str) -> Self {
        let key = key.to_owned();
        match key.as_str() {
            "Timestamp" | "TimeUnix" | "StartTimeUnix" | "startTimeNs" => CellKind::Time(key),
            "Duration" | "durationNs" => CellKind::Duration(key),
            "SpanKind" => CellKind::Enum(key, "SPAN_KIND_"),
            "StatusCode" => CellKind::Enum(key, "STATUS_CODE_"),
            _ => CellKind::Field(key),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Column {
    pub header: String,
    pub kind: CellKind,
    /// Free text that may be cut short to fit the terminal, down to `floor` characters.
    pub flexible: bool,
    pub(super) floor: usize,
    /// Columns with a higher rank are dropped first when the table cannot fit; 0 never.
    pub(super) drop_rank: u8,
    /// Numbers line up on their last digit.
    pub(super) right: bool,
    /// Left out when empty in every row of the first batch: it says nothing.
    pub(super) hides_when_empty: bool,
    /// Cut before the other free text when the table does not fit.
    pub(super) cut_first: bool,
}

impl Column {
    pub fn new(header: &str, kind: CellKind) -> Self {
        Self {
            header: header.to_owned(),
            kind,
            flexible: false,
            floor: 0,
            drop_rank: 0,
            right: false,
            hides_when_empty: false,
            cut_first: false,
        }
    }

    /// Right-aligned, as numbers are.
    pub fn right(mut self) -> Self {
        self.right = true;
        self
    }

    pub fn flex(header: &str, kind: CellKind) -> Self {
        Self {
            flexible: true,
            floor: 10,
            ..Self::new(header, kind)
        }
    }

    /// The fewest characters this (flexible) column is cut to before columns are dropped.
    pub fn floor(mut self, floor: usize) -> Self {
        self.floor = floor;
        self
    }

    /// Left out when no row of the first batch has a value for it.
    pub fn hides_when_empty(mut self) -> Self {
        self.hides_when_empty = true;
        self
    }

    /// Free text cut before the others when the table does not fit.
    pub fn cut_first(mut self) -> Self {
        self.cut_first = true;
        self
    }

    /// Dropped when the table does not fit; the highest rank goes first.
    pub fn drops(mut self, rank: u8) -> Self {
        self.drop_rank = rank;
        self
    }

    pub(super) fn render(&self, row: &RowFields, style: &Style) -> String {
        match &self.kind {
            CellKind::Itself => plain(row.whole()),
            CellKind::Field(key) => row.get(key).map(plain).unwrap_or_default(),
            CellKind::Time(key) => row
                .get(key)
                .map(|v| time_cell(v, style.clock.as_ref()))
                .unwrap_or_default(),
            CellKind::Duration(key) => row.get(key).map(duration_cell).unwrap_or_default(),
            CellKind::Enum(key, prefix) => row
                .get(key)
                .map(|v| enum_cell(v, prefix))
                .unwrap_or_default(),
            CellKind::Id(key) => {
                let id = row.get(key).map(plain).unwrap_or_default();
                if style.short_ids {
                    id.chars().take(SHORT_ID).collect()
                } else {
                    id
                }
            }
            CellKind::Attrs(key) => match row.get(key) {
                Some(value) => match members(value, None) {
                    Some(map) => map
                        .iter()
                        .map(|(k, v)| format!("{k}={}", plain(v)))
                        .collect::<Vec<_>>()
                        .join(" "),
                    None => plain(value),
                },
                None => String::new(),
            },
            CellKind::CountKeys(key) => row
                .get(key)
                .and_then(|a| members(a, Some(&["values"])))
                .and_then(|a| members(a.first()?.1, None))
                .map(|m| m.len().to_string())
                .unwrap_or_default(),
            CellKind::Number(key) => number_cell(row.get(key), ""),
            CellKind::Ratio(key) => match row.get(key).and_then(number) {
                Some(share) => format!("{} %", format_number(share * 100.0)),
                None => number_cell(row.get(key), ""),
            },
            CellKind::PerSecond(key) => number_cell(row.get(key), "/s"),
            CellKind::Metric(cell) => cell.render(row, plain),
        }
    }
}

/// `STATUS_CODE_ERROR`, `Error` and `error` all read `ERROR`, whatever the backend stores.
pub fn enum_text(text: &str, prefix: &str) -> String {
    let upper = text.to_ascii_uppercase();
    upper.strip_prefix(prefix).unwrap_or(&upper).to_owned()
}

fn enum_cell(value: &RawValue, prefix: &str) -> String {
    enum_text(&plain(value), prefix)
}

/// Columns for `--fields`: each named field, formatted by what its name says it holds. A
/// trace or span ID is never cut to fit (a stub can be neither pasted nor typed back as a
/// prefix): it stays whole and the other columns give way.
pub fn field_columns(fields: &[String]) -> Vec<Column> {
    fields
        .iter()
        .map(|f| {
            let lower = f.to_ascii_lowercase();
            if lower.ends_with("traceid") || lower.ends_with("spanid") {
                Column::new(f, CellKind::for_field(f))
            } else {
                Column::flex(f, CellKind::for_field(f))
            }
        })
        .collect()
}

/// What the terminal and the flags make of every cell.
pub(super) struct Style {
    /// Compact local times (on a terminal), else RFC 3339 UTC.
    pub clock: Option<Clock>,
    pub short_ids: bool,
    /// Styles for headers and errors (plain when colour is off).
    pub palette: Palette,
    /// The most a line may take; `None` in a pipe or with `--wide`.
    pub width: Option<usize>,
}

impl Style {
    pub fn new(terminal: &Terminal, view: View) -> Self {
        let compact = terminal.stdout_is_terminal && !view.wide;
        Self {
            clock: compact.then(|| Clock::new(view.utc)),
            short_ids: compact,
            palette: terminal.stdout_palette(),
            width: if view.wide { None } else { terminal.width },
        }
    }
}

impl Style {
    pub(super) fn clock_is_utc(&self) -> bool {
        self.clock.as_ref().is_some_and(Clock::is_utc)
    }
}

/// Text of a JSON value for a cell: strings bare, `null` empty, the rest as compact JSON.
pub fn plain(value: &RawValue) -> String {
    text(value).into_owned()
}

fn time_cell(value: &RawValue, clock: Option<&Clock>) -> String {
    let ns = ns_of(value);
    let text = match clock {
        Some(clock) => ns.and_then(|ns| clock.format(ns)),
        None => ns.and_then(format_time),
    };
    text.unwrap_or_else(|| plain(value))
}

/// A number as a person reads it, with a unit after it; anything else as it came.
fn number_cell(value: Option<&RawValue>, unit: &str) -> String {
    match value {
        Some(value) => match number(value) {
            Some(x) => format!("{}{unit}", format_number(x)),
            None => plain(value),
        },
        None => String::new(),
    }
}

fn duration_cell(value: &RawValue) -> String {
    ns_of(value)
        .map(format_duration)
        .unwrap_or_else(|| plain(value))
}
