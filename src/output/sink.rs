//! Where rows go: a JSON array, NDJSON, CSV/TSV, a table or log lines, all streamed a page at a time. Rows
//! arrive as the server wrote them; JSON and NDJSON copy them through without building a `Value`.

use std::io::{self, BufWriter, StdoutLock};

use super::csv::{CellRules, Delimited, Separator};
use super::json::{Row, RowFields};
use super::lines::Lines;
use super::ndjson::Ndjson;
use super::pager::Paged;
use super::{field_columns, Column, Format, JsonArray, OutputSpec, Table};
use crate::term::Terminal;

/// How many rows a table (after its first page), log lines or CSV/TSV parse at once.
const TABLE_CHUNK: usize = 256;

/// Stdout is line-buffered; rows go out in page-sized writes instead of one per line.
type Out = BufWriter<Paged<StdoutLock<'static>>>;

pub struct Sink {
    writer: Writer,
    /// The only top-level fields printed or parsed (`-f`, or a table's columns); empty: all.
    keep: Vec<String>,
}

enum Writer {
    Json(JsonArray<Out>),
    Ndjson(Ndjson<Out>),
    Delimited(Delimited<Out>),
    Table(Table<Out>),
    Lines(Lines<Out>),
}

impl Sink {
    /// `columns` are the command's table; `-f` replaces them with the fields named.
    pub fn new(spec: &OutputSpec, columns: Vec<Column>, terminal: &Terminal) -> Self {
        let out = BufWriter::with_capacity(64 * 1024, Paged(io::stdout().lock()));
        let delimited = |out, separator| {
            // Rows that are plain strings (`services`) take the table's header.
            let scalar_header = columns
                .first()
                .map_or_else(|| "value".to_owned(), |c| c.header.clone());
            let fields = spec.fields.clone();
            Writer::Delimited(Delimited::new(
                out,
                separator,
                fields,
                scalar_header,
                CellRules {
                    terminal: terminal.stdout_is_terminal,
                    raw: spec.raw_cells,
                },
            ))
        };
        let writer = match spec.format {
            Format::Json => Writer::Json(JsonArray::new(out)),
            Format::Ndjson => Writer::Ndjson(Ndjson::new(out)),
            Format::Csv => delimited(out, Separator::Comma),
            Format::Tsv => delimited(out, Separator::Tab),
            Format::Table => {
                let columns = if spec.fields.is_empty() {
                    columns
                } else {
                    field_columns(&spec.fields)
                };
                Writer::Table(Table::new(out, columns, terminal, spec.view, spec.streamed))
            }
            Format::Lines => Writer::Lines(Lines::new(out, terminal, spec.view, spec.attrs)),
        };
        let keep = match &writer {
            Writer::Table(table) => table.fields_read().unwrap_or_default(),
            Writer::Lines(lines) => lines.fields_read(),
            _ => spec.fields.clone(),
        };
        Self { writer, keep }
    }

    /// Writes one batch (a page) of rows, each a JSON value as the server wrote it (already
    /// validated), and flushes it, so rows show up as they arrive.
    pub fn push(&mut self, rows: &[Row]) -> io::Result<()> {
        // With `-f`, JSON keeps each row's own key order, as the Node CLI prints it.
        let keep = (!self.keep.is_empty()).then(|| self.keep.iter().map(String::as_str));
        let keep: Option<Vec<&str>> = keep.map(Iterator::collect);
        let keep = keep.as_deref();
        match &mut self.writer {
            Writer::Json(array) => {
                for &row in rows {
                    array.push(row, keep)?;
                }
                array.flush()
            }
            Writer::Ndjson(lines) => {
                for &row in rows {
                    lines.push(row, keep)?;
                }
                lines.flush()
            }
            Writer::Delimited(writer) => {
                in_parsed_chunks(rows, keep, TABLE_CHUNK, |values| {
                    values.iter().try_for_each(|v| writer.push(v))
                })?;
                writer.flush()
            }
            Writer::Table(table) => {
                // The first page sets the columns: read whole, a column is left out only when
                // it is empty in every row of it.
                let chunk = if table.laid_out() {
                    TABLE_CHUNK
                } else {
                    rows.len()
                };
                in_parsed_chunks(rows, keep, chunk, |values| table.push_batch(values))
            }
            Writer::Lines(lines) => {
                in_parsed_chunks(rows, keep, TABLE_CHUNK, |values| lines.push_batch(values))
            }
        }
    }

    pub fn finish(self) -> io::Result<()> {
        match self.writer {
            Writer::Json(array) => array.finish().map(drop),
            Writer::Ndjson(mut lines) => lines.flush(),
            Writer::Delimited(writer) => writer.finish(),
            Writer::Table(table) => table.finish(),
            Writer::Lines(lines) => lines.finish(),
        }
    }
}

/// Hands `rows` to `write` with their top-level fields read, `chunk` at a time. With
/// `keep`, only those fields are read: a span's attributes are most of it, and a table shows a
/// few columns.
fn in_parsed_chunks(
    rows: &[Row],
    keep: Option<&[&str]>,
    chunk: usize,
    mut write: impl FnMut(&[RowFields]) -> io::Result<()>,
) -> io::Result<()> {
    for chunk in rows.chunks(chunk.max(1)) {
        let fields: Vec<RowFields> = chunk
            .iter()
            .map(|&row| RowFields::read(row, keep))
            .collect();
        write(&fields)?;
    }
    Ok(())
}
