//! Checking a whole response once and cutting out its rows.
//!
//! The check is a tight loop over the bytes that keeps open containers in a `Vec`, so any depth
//! works; it yields nothing but where each value ends. Every row it hands out is a [`Row`], which
//! the printers may then trust to be JSON.

use std::fmt;
use std::ops::Deref;

use super::lex::{lex_literal, lex_number, lex_string, skip_ws, span, unescape, JsonError};

/// One JSON value that has been checked: a row of a page, as the server wrote it. Only this
/// module makes one, so the printers never see bytes that are not JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row<'a>(&'a [u8]);

impl<'a> Row<'a> {
    /// Checks that `text` is one JSON value (whitespace around it allowed), as serde_json would.
    #[cfg(test)]
    pub fn parse(text: &'a [u8]) -> Result<Self, JsonError> {
        check_utf8(text)?;
        let start = skip_ws(text, 0);
        let end = skip_value(text, start, &mut Vec::new())?;
        finish(text, end)?;
        Ok(Row(span(text, start, end)))
    }

    pub fn as_bytes(&self) -> &'a [u8] {
        self.0
    }
}

impl Deref for Row<'_> {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        self.0
    }
}

/// The rows of one response page, borrowed from its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<'a> {
    /// Each element of the row array, exactly as the server wrote it.
    pub rows: Vec<Row<'a>>,
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

impl From<JsonError> for ShapeError {
    fn from(e: JsonError) -> Self {
        ShapeError::NotJson(e)
    }
}

/// Validates the whole body and returns the rows of the array at top-level `key`, or of a
/// bare top-level array when `key` is `None`. Like serde_json, a repeated key counts once,
/// with its last value.
pub fn split_rows<'a>(body: &'a [u8], key: Option<&str>) -> Result<Page<'a>, ShapeError> {
    check_utf8(body)?;
    let mut stack = Vec::new();
    let mut page = Page {
        rows: Vec::new(),
        next_cursor: None,
    };
    let mut found = false;
    let mut pos = skip_ws(body, 0);
    match (key, body.get(pos)) {
        (None, Some(b'[')) => {
            found = true;
            pos = elements(body, pos, &mut page.rows, &mut stack)?;
        }
        (Some(key), Some(b'{')) => {
            pos = skip_ws(body, pos + 1);
            if body.get(pos) == Some(&b'}') {
                pos += 1;
            } else {
                let mut name = Vec::new();
                loop {
                    let (end, escaped) = key_token(body, pos)?;
                    let content = span(body, pos + 1, end - 1);
                    name.clear();
                    if escaped {
                        unescape(content, &mut name);
                    } else {
                        name.extend_from_slice(content);
                    }
                    pos = value_after_colon(body, end)?;
                    if name == key.as_bytes() {
                        found = body.get(pos) == Some(&b'[');
                        page.rows.clear();
                        pos = if found {
                            elements(body, pos, &mut page.rows, &mut stack)?
                        } else {
                            skip_value(body, pos, &mut stack)?
                        };
                    } else if name == b"nextCursor" {
                        let end = skip_value(body, pos, &mut stack)?;
                        page.next_cursor = cursor(span(body, pos, end));
                        pos = end;
                    } else {
                        pos = skip_value(body, pos, &mut stack)?;
                    }
                    pos = skip_ws(body, pos);
                    match body.get(pos) {
                        Some(b',') => pos = skip_ws(body, pos + 1),
                        Some(b'}') => {
                            pos += 1;
                            break;
                        }
                        _ => return Err(error("expected `,` or `}`", pos).into()),
                    }
                }
            }
        }
        _ => pos = skip_value(body, pos, &mut stack)?,
    }
    finish(body, pos)?;
    if !found {
        return Err(ShapeError::Shape(match key {
            Some(key) => format!("expected an object with a `{key}` array"),
            None => "expected an array".to_owned(),
        }));
    }
    Ok(page)
}

/// A cursor's text: a non-empty string, or nothing.
fn cursor(token: &[u8]) -> Option<String> {
    let content = token.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
    let mut text = Vec::with_capacity(content.len());
    unescape(content, &mut text)?;
    String::from_utf8(text).ok().filter(|c| !c.is_empty())
}

/// The elements of the array whose `[` is at `pos`, each pushed as a row; returns where the
/// array ends.
fn elements<'a>(
    body: &'a [u8],
    pos: usize,
    rows: &mut Vec<Row<'a>>,
    stack: &mut Vec<bool>,
) -> Result<usize, JsonError> {
    let mut pos = skip_ws(body, pos + 1);
    if body.get(pos) == Some(&b']') {
        return Ok(pos + 1);
    }
    loop {
        let start = skip_ws(body, pos);
        let end = skip_value(body, start, stack)?;
        rows.push(Row(span(body, start, end)));
        pos = skip_ws(body, end);
        match body.get(pos) {
            Some(b',') => pos += 1,
            Some(b']') => return Ok(pos + 1),
            _ => return Err(error("expected `,` or `]`", pos)),
        }
    }
}

/// Checks one value starting at `pos` (whitespace first is allowed) and returns where it
/// ends. `stack` is scratch space for the open containers (`true` for an object).
fn skip_value(buf: &[u8], mut pos: usize, stack: &mut Vec<bool>) -> Result<usize, JsonError> {
    stack.clear();
    'value: loop {
        pos = skip_ws(buf, pos);
        match buf.get(pos) {
            Some(b'{') => {
                pos = skip_ws(buf, pos + 1);
                if buf.get(pos) == Some(&b'}') {
                    pos += 1;
                } else {
                    stack.push(true);
                    pos = value_after_colon(buf, key_token(buf, pos)?.0)?;
                    continue 'value;
                }
            }
            Some(b'[') => {
                pos = skip_ws(buf, pos + 1);
                if buf.get(pos) == Some(&b']') {
                    pos += 1;
                } else {
                    stack.push(false);
                    continue 'value;
                }
            }
            Some(b'"') => pos = lex_string(buf, pos)?.0,
            Some(b'-' | b'0'..=b'9') => pos = lex_number(buf, pos)?.0,
            Some(b't') => pos = lex_literal(buf, pos, b"true")?,
            Some(b'f') => pos = lex_literal(buf, pos, b"false")?,
            Some(b'n') => pos = lex_literal(buf, pos, b"null")?,
            Some(_) => return Err(error("expected a value", pos)),
            None => return Err(error("unexpected end of input", pos)),
        }
        // A value ended: it may end the containers around it too.
        while let Some(&object) = stack.last() {
            pos = skip_ws(buf, pos);
            match (buf.get(pos), object) {
                (Some(b','), true) => {
                    pos = value_after_colon(buf, key_token(buf, skip_ws(buf, pos + 1))?.0)?;
                    continue 'value;
                }
                (Some(b','), false) => {
                    pos += 1;
                    continue 'value;
                }
                (Some(b'}'), true) | (Some(b']'), false) => {
                    stack.pop();
                    pos += 1;
                }
                (None, _) => return Err(error("unexpected end of input", pos)),
                (_, true) => return Err(error("expected `,` or `}`", pos)),
                (_, false) => return Err(error("expected `,` or `]`", pos)),
            }
        }
        return Ok(pos);
    }
}

/// The key string at `pos`: where it ends, and whether it holds escapes.
#[inline]
fn key_token(buf: &[u8], pos: usize) -> Result<(usize, bool), JsonError> {
    match buf.get(pos) {
        Some(b'"') => lex_string(buf, pos),
        None => Err(error("unexpected end of input", pos)),
        Some(_) => Err(error("expected a string key", pos)),
    }
}

/// After a key ending at `pos`: the `:`, and where the value starts.
#[inline]
fn value_after_colon(buf: &[u8], pos: usize) -> Result<usize, JsonError> {
    let pos = skip_ws(buf, pos);
    match buf.get(pos) {
        Some(b':') => Ok(skip_ws(buf, pos + 1)),
        None => Err(error("unexpected end of input", pos)),
        Some(_) => Err(error("expected `:`", pos)),
    }
}

/// Outside strings any non-ASCII byte is a syntax error anyway, so checking the whole text at
/// once is the same as checking each string, and much faster.
fn check_utf8(text: &[u8]) -> Result<(), JsonError> {
    std::str::from_utf8(text)
        .map(drop)
        .map_err(|e| error("invalid UTF-8", e.valid_up_to()))
}

/// After the value: only whitespace may follow.
fn finish(text: &[u8], end: usize) -> Result<(), JsonError> {
    let end = skip_ws(text, end);
    if end < text.len() {
        return Err(error("trailing characters", end));
    }
    Ok(())
}

fn error(message: &'static str, offset: usize) -> JsonError {
    JsonError { message, offset }
}
