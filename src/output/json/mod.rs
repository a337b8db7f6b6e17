//! JSON exactly as the Node CLI prints it (`JSON.stringify(value, null, 2)` and a newline).
//!
//! Prints the rows of a Kopai response byte for byte as `serde_json` would print the parsed
//! `Value` (features `preserve_order` + `arbitrary_precision`), which is what the Node CLI's
//! `JSON.stringify(value, null, 2)` prints, without building a `Value` and without recursion.
//!
//! [`split_rows`] validates the body once and hands out each row as a slice of it;
//! [`write_pretty`] / [`write_compact`] re-indent a row token by token. Memory is the body
//! plus one printed row, and any nesting depth works (serde_json stops at 128).

mod layout;
mod print;
mod scan;
#[cfg(test)]
mod tests;
mod value;

use std::fmt;

pub use print::write_compact;
#[cfg(test)]
pub use print::write_pretty;
pub use print::JsonArray;
pub use scan::JsonError;
pub use value::{drop_value, parse_value, write_value};

use scan::{span, unescape, Scanner, Token};
use value::text;

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

/// The rows of one response page, borrowed from its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<'a> {
    /// Each element of the row array, exactly as the server wrote it.
    pub rows: Vec<&'a [u8]>,
    /// The top-level `nextCursor`, when it is a non-empty string.
    pub next_cursor: Option<String>,
}

/// Why a body has no rows to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShapeError {
    /// Not JSON that serde_json would accept.
    NotJson(JsonError),
    /// JSON, but without the expected array; says what was expected.
    Shape(String),
}

impl fmt::Display for ShapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShapeError::NotJson(e) => write!(f, "not JSON: {e}"),
            ShapeError::Shape(expected) => f.write_str(expected),
        }
    }
}

impl std::error::Error for ShapeError {}

/// Validates the whole body and returns the rows of the array at top-level `key`, or of a
/// bare top-level array when `key` is `None`. Like serde_json, a repeated key counts once,
/// with its last value.
pub fn split_rows<'a>(body: &'a [u8], key: Option<&str>) -> Result<Page<'a>, ShapeError> {
    // Outside strings any non-ASCII byte is a syntax error anyway, so checking the whole body
    // at once is the same as checking each string, and much faster.
    if let Err(e) = std::str::from_utf8(body) {
        return Err(ShapeError::NotJson(JsonError {
            message: "invalid UTF-8",
            offset: e.valid_up_to(),
        }));
    }
    let mut scanner = Scanner::new(body);
    let mut page = Page {
        rows: Vec::new(),
        next_cursor: None,
    };
    // Rows are the values this many containers deep, while `in_rows` says the container is ours.
    let row_depth = if key.is_some() { 2 } else { 1 };
    let mut in_rows = false;
    let mut found = false;
    let mut row_start = 0;
    // What the value after the last top-level key is: (our rows, the cursor).
    let mut pending = (false, false);
    let mut scratch = Vec::new();
    while let Some(ev) = scanner.next().map_err(ShapeError::NotJson)? {
        let depth = scanner.depth();
        // How many containers enclose the value this token starts, ends or is.
        let level = match ev.token {
            Token::Begin { .. } => depth - 1,
            _ => depth,
        };
        if let Token::Key { escaped } = ev.token {
            if level == 1 {
                if let Some(key) = key {
                    scratch.clear();
                    let content = span(body, ev.start + 1, ev.end.saturating_sub(1));
                    let name = if escaped {
                        unescape(content, &mut scratch);
                        &scratch[..]
                    } else {
                        content
                    };
                    pending = (name == key.as_bytes(), name == b"nextCursor");
                }
            }
            continue;
        }
        if in_rows && level == row_depth {
            match ev.token {
                Token::Begin { .. } => row_start = ev.start,
                Token::End { .. } => page.rows.push(span(body, row_start, ev.end)),
                _ => page.rows.push(span(body, ev.start, ev.end)),
            }
        } else if level == row_depth - 1 {
            if let Token::End { .. } = ev.token {
                in_rows = false;
            } else {
                // A value that may be our array: the top level, or under a top-level key.
                let rows = key.is_none() || pending.0;
                if rows {
                    found = ev.token == Token::Begin { object: false };
                    in_rows = found;
                    page.rows.clear();
                }
                if pending.1 {
                    page.next_cursor = match ev.token {
                        Token::Str { escaped } => {
                            text(body, &ev, escaped).ok().filter(|c| !c.is_empty())
                        }
                        _ => None,
                    };
                }
                pending = (false, false);
            }
        }
    }
    scanner.finish().map_err(ShapeError::NotJson)?;
    if !found {
        return Err(ShapeError::Shape(match key {
            Some(key) => format!("expected an object with a `{key}` array"),
            None => "expected an array".to_owned(),
        }));
    }
    Ok(page)
}
