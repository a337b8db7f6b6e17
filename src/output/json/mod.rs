//! JSON exactly as the Node CLI prints it (`JSON.stringify(value, null, 2)` and a newline).
//!
//! Prints the rows of a Kopai response byte for byte as `serde_json` would print the parsed
//! `Value` (features `preserve_order` + `arbitrary_precision`), which is what the Node CLI's
//! `JSON.stringify(value, null, 2)` prints, without building a `Value` and without recursion.
//!
//! [`split_rows`] validates the body once and hands out each row as a [`Row`], a slice of it;
//! [`write_pretty`] / [`write_compact`] re-indent a row in one pass over its bytes, trusting
//! that it is JSON. Memory is the body plus the printed output buffer, and any nesting depth
//! works (serde_json stops at 128).

mod layout;
mod lex;
mod print;
mod reindent;
mod rows;
mod scan;
#[cfg(test)]
mod tests;
mod value;

pub use print::write_compact;
#[cfg(test)]
pub use print::write_pretty;
pub use print::{Batched, JsonArray};
pub use rows::{split_rows, Page, Row, ShapeError};

pub use value::{drop_value, parse_value, write_value};

/// Pretty JSON exactly as `JSON.stringify(value, null, 2)` prints it, plus a newline.
pub fn write_json(out: &mut impl std::io::Write, value: &serde_json::Value) -> std::io::Result<()> {
    let mut buf = Vec::new();
    write_value(&mut buf, value, Some(0));
    buf.push(b'\n');
    out.write_all(&buf)
}

/// A value as compact JSON text, without recursion: a table cell or CSV field holding a nested
/// value of any depth.
pub fn to_compact(value: &serde_json::Value) -> String {
    let mut buf = Vec::new();
    write_value(&mut buf, value, None);
    String::from_utf8_lossy(&buf).into_owned()
}
