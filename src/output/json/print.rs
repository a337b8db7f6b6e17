//! Printing checked rows in serde_json's layouts: one row, or a stream of them as one array.

use std::io::{self, Write};

use super::reindent::reindent;
use super::rows::Row;
use super::value::{drop_value, parse_value, write_value};

/// Writes `row` as `serde_json::to_writer_pretty` writes its parsed `Value`, with `indent`
/// extra spaces after every newline (2 for an element of a top-level array).
/// `fields` keeps only those top-level keys of an object row, in the row's own order.
pub fn write_pretty(out: &mut Vec<u8>, row: Row, indent: usize, fields: Option<&[&str]>) {
    write(out, row, Some(indent), fields);
}

/// Writes `row` as `serde_json::to_string` writes its parsed `Value` (one NDJSON line, without
/// the newline). `fields` as for [`write_pretty`].
pub fn write_compact(out: &mut Vec<u8>, row: Row, fields: Option<&[&str]>) {
    write(out, row, None, fields);
}

fn write(out: &mut Vec<u8>, row: Row, indent: Option<usize>, fields: Option<&[&str]>) {
    let mark = out.len();
    if reindent(out, row.as_bytes(), indent, fields).is_err() {
        // An object repeats a key: serde_json keeps its first place and last value. Servers
        // do not repeat keys, so this slow path may cost what it likes.
        out.truncate(mark);
        match parse_value(row.as_bytes()) {
            Ok(value) => {
                let value = select(value, fields);
                write_value(out, &value, indent);
                drop_value(value);
            }
            Err(_) => out.extend_from_slice(row.as_bytes()),
        }
    }
}

/// Keeps `fields` of an object, in its own order.
fn select(value: serde_json::Value, fields: Option<&[&str]>) -> serde_json::Value {
    use serde_json::{Map, Value};
    match (value, fields) {
        (Value::Object(map), Some(fields)) => {
            let mut kept = Map::new();
            for (k, v) in map {
                if fields.contains(&k.as_str()) {
                    kept.insert(k, v);
                } else {
                    drop_value(v);
                }
            }
            Value::Object(kept)
        }
        (value, _) => value,
    }
}

/// Printed rows on their way to a writer, sent in writes of about [`FLUSH_AT`] bytes (or one
/// row, if it is larger): large enough that the writer's own buffer passes them straight
/// through instead of copying them.
pub struct Batched<W: Write> {
    out: W,
    buf: Vec<u8>,
}

const FLUSH_AT: usize = 64 * 1024;

impl<W: Write> Batched<W> {
    pub fn new(out: W) -> Self {
        Self {
            out,
            buf: Vec::new(),
        }
    }

    /// Adds what `print` prints, and writes the batch once it is large enough.
    pub fn push(&mut self, print: impl FnOnce(&mut Vec<u8>)) -> io::Result<()> {
        print(&mut self.buf);
        if self.buf.len() >= FLUSH_AT {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Writes and flushes what was pushed so far.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.write_all(&self.buf)?;
        self.buf.clear();
        self.out.flush()
    }

    /// Flushes, and hands back the writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.flush()?;
        Ok(self.out)
    }
}

/// Streams rows as one pretty JSON array, laid out as `serde_json::to_writer_pretty` lays
/// out the whole array: `[]` when empty, else `[`, each row indented by two, `]`.
pub struct JsonArray<W: Write> {
    out: Batched<W>,
    count: usize,
}

impl<W: Write> JsonArray<W> {
    pub fn new(out: W) -> Self {
        Self {
            out: Batched::new(out),
            count: 0,
        }
    }

    /// Writes one row (as [`write_pretty`] does, with `fields`).
    pub fn push(&mut self, row: Row, fields: Option<&[&str]>) -> io::Result<()> {
        let first = self.count == 0;
        self.count += 1;
        self.out.push(|buf| {
            buf.extend_from_slice(if first { b"[\n  " } else { b",\n  " });
            write_pretty(buf, row, 2, fields);
        })
    }

    /// Sends what was pushed so far, so each page shows up as it arrives.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Closes the array (and its line) and hands back the writer.
    pub fn finish(mut self) -> io::Result<W> {
        let end: &[u8] = if self.count == 0 { b"[]\n" } else { b"\n]\n" };
        self.out.push(|buf| buf.extend_from_slice(end))?;
        self.out.finish()
    }
}
