//! Where rows go: a JSON array or a table, both streamed a page at a time.

use std::io::{self, BufWriter, StdoutLock};

use serde_json::Value;

use super::{field_columns, select, Column, Format, JsonArray, OutputSpec, Table, Terminal};

/// Stdout is line-buffered; rows go out in page-sized writes instead of one per line.
type Out = BufWriter<StdoutLock<'static>>;

pub enum Sink {
    Json(JsonArray<Out>, Vec<String>),
    Table(Table<Out>),
}

impl Sink {
    /// `columns` are the command's table; `-f` replaces them with the fields named.
    pub fn new(spec: &OutputSpec, columns: Vec<Column>, terminal: &Terminal) -> Self {
        let out = BufWriter::with_capacity(64 * 1024, io::stdout().lock());
        match spec.format {
            Format::Json => Sink::Json(JsonArray::new(out), spec.fields.clone()),
            Format::Table => {
                let columns = if spec.fields.is_empty() {
                    columns
                } else {
                    field_columns(&spec.fields)
                };
                Sink::Table(Table::new(out, columns, terminal, spec.view))
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
            Sink::Table(table) => table.push_batch(rows),
        }
    }

    pub fn finish(self) -> io::Result<()> {
        match self {
            Sink::Json(array, _) => array.finish(),
            Sink::Table(table) => table.finish(),
        }
    }
}
