//! JSON as the Node CLI prints it (`JSON.stringify(value, null, 2)` and a newline).
//!
//! Prints the rows of a Kopai response byte for byte as the Node CLI does: laid out as
//! `serde_json` prints the parsed `Value` (features `preserve_order` + `arbitrary_precision`),
//! which is `JSON.stringify`'s layout, and numbers as JavaScript prints a double (`number.rs`:
//! `1E5` is `100000`, `1.50` is `1.5`, a 20-digit integer loses what a double cannot hold), all
//! without building a `Value` and without recursion. One difference remains: a string with a
//! lone surrogate escape (`"\ud800"`), which `JSON.parse` accepts, is refused as not JSON.
//!
//! [`split_rows`] has serde_json check the body once and hands out each row as a [`Row`], its
//! raw text; [`write_pretty`] / [`write_compact`] re-indent a row in one pass over its bytes,
//! trusting that it is JSON (serde_json's own pretty printer is 3–4 times slower). Memory is
//! the body plus the printed output buffer, and any nesting depth works (serde_json's `Value`
//! stops at 128). Tables and CSV read a row's top-level fields as raw values ([`RowFields`]).

mod compact;
mod fields;
mod keys;
mod layout;
mod number;
mod print;
mod reindent;
mod rows;
#[cfg(test)]
mod tests;

pub use fields::{is_string, members, number, text, RowFields};
pub use print::write_compact;
#[cfg(test)]
pub use print::write_pretty;
pub use print::{Batched, JsonArray};
pub use rows::{read_rows, split_rows, BuiltRow, Page, Row, ShapeError};

/// Pretty JSON as `JSON.stringify(value, null, 2)` prints it, plus a newline.
pub fn write_json(
    out: &mut impl std::io::Write,
    value: &impl serde::Serialize,
) -> std::io::Result<()> {
    let row = BuiltRow::new(value).map_err(std::io::Error::other)?;
    let mut buf = Vec::new();
    print::write_pretty(&mut buf, row.row(), 0, None);
    buf.push(b'\n');
    out.write_all(&buf)
}
