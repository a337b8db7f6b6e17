//! Everything printed as data: the format a command prints in, and one writer per format.
//! Messages for people go to stderr instead: errors and safety warnings through `errln!`, what
//! `-q` silences (notes, hints, other warnings) through `noteln!`.

mod cell;
mod chart;
mod csv;
mod human;
mod json;
mod lines;
mod measure;
mod ndjson;
pub mod pager;
mod severity;
mod sink;
mod span_details;
mod spark;
mod table;
mod tree;

pub use cell::{field_columns, CellKind, Column, View};
pub use chart::{write_chart, Canvas, Glyphs, CHART_GROUPS};
pub use human::{format_time, ns_of, Clock};
pub use json::{
    number, split_rows, text, write_json, BuiltRow, JsonArray, Page, Row, RowFields, ShapeError,
};
pub use measure::MetricCell;
pub use sink::Sink;
pub use span_details::write_span_details;
pub use spark::{write_sparklines, Series};
pub use table::Table;
pub use tree::{plain_tree, write_tree, Fold, Trace, TraceLogs};

/// Ends rows printed for a person (a table, log lines): none at all says so.
fn end_rows(out: &mut impl std::io::Write, rows: usize) -> std::io::Result<()> {
    if rows == 0 {
        writeln!(out, "No results found.")?;
    }
    out.flush()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Table,
    /// Log records as lines for a person (`logs search` on a terminal).
    Lines,
    /// One compact JSON object a line.
    Ndjson,
    /// RFC 4180 comma-separated values.
    Csv,
    /// Tab-separated values.
    Tsv,
}

impl Format {
    /// `--json` / `--table`, else a table on a terminal and JSON in a pipe.
    pub fn pick(json: bool, table: bool, stdout_is_terminal: bool) -> Self {
        if json {
            Format::Json
        } else if table || stdout_is_terminal {
            Format::Table
        } else {
            Format::Json
        }
    }

    /// Output for programs that read JSON: their errors are JSON too, on stderr.
    pub fn is_json(self) -> bool {
        matches!(self, Format::Json | Format::Ndjson)
    }

    /// Read by a person rather than a program: hints about what was not shown apply.
    pub fn is_for_people(self) -> bool {
        matches!(self, Format::Table | Format::Lines)
    }
}

/// Output options resolved once per command.
#[derive(Clone)]
pub struct OutputSpec {
    pub format: Format,
    /// `-f/--fields`: only these, in this order; empty for all.
    pub fields: Vec<String>,
    /// `--wide` and `--utc` (tables only).
    pub view: View,
    /// `--csv-raw`: CSV and TSV text cells as sent, without the `'` that keeps a spreadsheet
    /// from running them as formulas.
    pub raw_cells: bool,
    /// `--attrs`: log lines show each record's attributes below it.
    pub attrs: bool,
    /// Rows come in more than one batch (`--all`, `--follow`), and a table's columns are set
    /// by the first: none is hidden for being empty there.
    pub streamed: bool,
}

impl OutputSpec {
    pub fn new(format: Format, fields: &[String]) -> Self {
        Self {
            format,
            fields: fields
                .iter()
                .map(|f| f.trim().to_owned())
                .filter(|f| !f.is_empty())
                .collect(),
            view: View::default(),
            raw_cells: false,
            attrs: false,
            streamed: false,
        }
    }

    /// The same output for rows that never end (`--follow`): a JSON array could never be
    /// closed, so JSON becomes one object a line (NDJSON).
    pub fn endless(mut self) -> Self {
        if self.format == Format::Json {
            self.format = Format::Ndjson;
        }
        self.streamed = true;
        self
    }
}
