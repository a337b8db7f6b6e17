//! Where rows go: a JSON array, NDJSON, CSV/TSV or a table, all streamed a page at a time.

use std::io::{self, BufWriter, StdoutLock};

use serde_json::Value;

use super::csv::{Delimited, Separator};
use super::ndjson::Ndjson;
use super::{field_columns, select, Column, Format, JsonArray, OutputSpec, Table, Terminal};

/// Stdout is line-buffered; rows go out in page-sized writes instead of one per line.
type Out = BufWriter<StdoutLock<'static>>;

pub enum Sink {
    Json(JsonArray<Out>, Vec<String>),
    Table(Table<Out>),
    Ndjson(Ndjson<Out>, Vec<String>),
    Delimited(Delimited<Out>),
}

impl Sink {
    /// `columns` are the command's table; `-f` replaces them with the fields named.
    pub fn new(spec: &OutputSpec, columns: Vec<Column>, terminal: &Terminal) -> Self {
        let out = BufWriter::with_capacity(64 * 1024, io::stdout().lock());
        let delimited = |out, separator| {
            // Rows that are plain strings (`services`) take the table's header.
            let scalar_header = columns
                .first()
                .map_or_else(|| "value".to_owned(), |c| c.header.clone());
            let fields = spec.fields.clone();
            Sink::Delimited(Delimited::new(
                out,
                separator,
                fields,
                scalar_header,
                terminal.stdout,
            ))
        };
        match spec.format {
            Format::Json => Sink::Json(JsonArray::new(out), spec.fields.clone()),
            Format::Ndjson => Sink::Ndjson(Ndjson::new(out), spec.fields.clone()),
            Format::Csv => delimited(out, Separator::Comma),
            Format::Tsv => delimited(out, Separator::Tab),
            Format::Table => {
                let columns = if spec.fields.is_empty() {
                    columns
                } else {
                    field_columns(&spec.fields)
                };
                Sink::Table(Table::new(out, columns, terminal))
            }
        }
    }

    /// Writes one batch (a page) and flushes it, so rows show up as they arrive.
    pub fn push(&mut self, rows: &[Value]) -> io::Result<()> {
        match self {
            Sink::Json(array, fields) => {
                for row in rows {
                    if fields.is_empty() {
                        array.push(row)?;
                    } else {
                        array.push(&select(row, fields))?;
                    }
                }
                array.flush()
            }
            Sink::Ndjson(lines, fields) => {
                for row in rows {
                    if fields.is_empty() {
                        lines.push(row)?;
                    } else {
                        lines.push(&select(row, fields))?;
                    }
                }
                lines.flush()
            }
            Sink::Delimited(writer) => {
                for row in rows {
                    writer.push(row)?;
                }
                writer.flush()
            }
            Sink::Table(table) => table.push_batch(rows),
        }
    }

    pub fn finish(self) -> io::Result<()> {
        match self {
            Sink::Json(array, _) => array.finish(),
            Sink::Ndjson(mut lines, _) => lines.flush(),
            Sink::Delimited(writer) => writer.finish(),
            Sink::Table(table) => table.finish(),
        }
    }
}
