//! Printing checked rows in serde_json's layouts: one row, or a stream of them as one array.

use std::io::{self, Write};

use super::reindent::reindent;
use super::rows::Row;

/// Writes `row` as `serde_json::to_writer_pretty` writes its parsed `Value`, with `indent`
/// extra spaces after every newline (2 for an element of a top-level array).
/// `fields` keeps only those top-level keys of an object row, in the row's own order.
pub fn write_pretty(out: &mut Vec<u8>, row: Row, indent: usize, fields: Option<&[&str]>) {
    reindent(out, row.as_bytes(), Some(indent), fields);
}

/// Writes `row` as `serde_json::to_string` writes its parsed `Value` (one NDJSON line, without
/// the newline). `fields` as for [`write_pretty`].
pub fn write_compact(out: &mut Vec<u8>, row: Row, fields: Option<&[&str]>) {
    super::compact::write_compact(out, row.as_bytes(), fields);
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
            // Up to the last newline: stdout is line-buffered, and would otherwise hold back
            // the last partial line and send it as a write of its own before the next batch.
            let end = memchr::memrchr(b'\n', &self.buf).map_or(self.buf.len(), |nl| nl + 1);
            self.out.write_all(&self.buf[..end])?;
            self.buf.drain(..end);
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
