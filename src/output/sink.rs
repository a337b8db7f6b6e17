//! Where rows go: a JSON array or a table, both streamed a page at a time. Rows arrive as the
//! server wrote them; JSON copies them through without building a `Value`.

use std::io::{self, BufWriter, StdoutLock};

use super::json::{drop_value, parse_value};
use super::{field_columns, Column, Format, JsonArray, OutputSpec, Table, Terminal};

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

    /// Writes one batch (a page) of rows, each a JSON value as the server wrote it (already
    /// validated), and flushes it, so rows show up as they arrive.
    pub fn push(&mut self, rows: &[&[u8]]) -> io::Result<()> {
        match self {
            Sink::Json(array, fields) => {
                // With `-f`, each row keeps its own key order, as the Node CLI prints it.
                let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
                let fields = (!fields.is_empty()).then_some(&fields[..]);
                for row in rows {
                    array.push(row, fields)?;
                }
                array.flush()
            }
            Sink::Table(table) => {
                let values: Vec<_> = rows.iter().filter_map(|r| parse_value(r).ok()).collect();
                let written = table.push_batch(&values);
                // serde_json drops nested values recursively; a very deep row would overflow.
                values.into_iter().for_each(drop_value);
                written
            }
        }
    }

    pub fn finish(self) -> io::Result<()> {
        match self {
            Sink::Json(array, _) => array.finish().map(drop),
            Sink::Table(table) => table.finish(),
        }
    }
}
