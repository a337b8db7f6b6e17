//! Re-printing a validated row token by token, in serde_json's layouts.

use std::io::{self, Write};

use super::layout::{newline, separator, write_str};
use super::scan::{span, unescape, JsonError, Scanner, Token};
use super::value::{drop_value, parse_value, write_value};

/// Writes `row` as `serde_json::to_writer_pretty` writes its parsed `Value`, with `indent`
/// extra spaces after every newline (2 for an element of a top-level array).
/// `fields` keeps only those top-level keys of an object row, in the row's own order.
///
/// `row` should be one of [`crate::split_rows`]'s rows. Anything else that is not JSON is
/// written as it is; this never panics.
pub fn write_pretty(out: &mut Vec<u8>, row: &[u8], indent: usize, fields: Option<&[&str]>) {
    write(out, row, Some(indent), fields);
}

/// Writes `row` as `serde_json::to_string` writes its parsed `Value` (one NDJSON line, without
/// the newline). `fields` as for [`write_pretty`].
pub fn write_compact(out: &mut Vec<u8>, row: &[u8], fields: Option<&[&str]>) {
    write(out, row, None, fields);
}

/// Why the fast path gave up on a row.
enum GiveUp {
    /// An object repeats a key: serde_json keeps its first place and last value.
    Duplicates,
    /// Not JSON: only for rows that did not come from `split_rows`.
    Invalid,
}

impl From<JsonError> for GiveUp {
    fn from(_: JsonError) -> Self {
        GiveUp::Invalid
    }
}

fn write(out: &mut Vec<u8>, row: &[u8], indent: Option<usize>, fields: Option<&[&str]>) {
    let mark = out.len();
    match stream(out, row, indent, fields) {
        Ok(()) => {}
        // Servers do not repeat keys, so this slow path may cost what it likes.
        Err(GiveUp::Duplicates) => {
            out.truncate(mark);
            match parse_value(row) {
                Ok(value) => {
                    let value = select(value, fields);
                    write_value(out, &value, indent);
                    drop_value(value);
                }
                Err(_) => out.extend_from_slice(row),
            }
        }
        Err(GiveUp::Invalid) => {
            out.truncate(mark);
            out.extend_from_slice(row);
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

/// An open container in the output.
struct Frame {
    object: bool,
    /// Members written so far.
    count: usize,
    /// Where this object's keys start in the key list.
    keys: usize,
    /// Some key holds an escape, so raw bytes cannot be compared.
    escaped_keys: bool,
}

/// A key seen in an open object: a cheap fingerprint, then its raw content span.
type KeyRef = (u64, usize, usize);

/// The fast path: one pass over the tokens, writing as it goes. It notes each object's keys
/// and gives up when one repeats, which is checked as the object closes.
fn stream(
    out: &mut Vec<u8>,
    row: &[u8],
    indent: Option<usize>,
    fields: Option<&[&str]>,
) -> Result<(), GiveUp> {
    let mut scanner = Scanner::new(row);
    let mut frames: Vec<Frame> = Vec::new();
    let mut keys: Vec<KeyRef> = Vec::new();
    let mut decoded = Vec::new();
    let mut table = Vec::new();
    while let Some(ev) = scanner.next()? {
        let depth = frames.len();
        match ev.token {
            Token::Key { escaped } => {
                let content = span(row, ev.start + 1, ev.end.saturating_sub(1));
                if let (Some(fields), 1) = (fields, depth) {
                    let name = if escaped {
                        decoded.clear();
                        unescape(content, &mut decoded);
                        &decoded[..]
                    } else {
                        content
                    };
                    if !fields.iter().any(|f| f.as_bytes() == name) {
                        scanner.skip_value()?;
                        continue;
                    }
                }
                if let Some(top) = frames.last_mut() {
                    separator(out, top.count, depth, indent);
                    top.count += 1;
                    top.escaped_keys |= escaped;
                }
                write_string(out, span(row, ev.start, ev.end), escaped);
                out.extend_from_slice(if indent.is_some() { b": " } else { b":" });
                keys.push((fingerprint(content), ev.start + 1, ev.end.saturating_sub(1)));
                continue;
            }
            Token::End { object } => {
                let Some(frame) = frames.pop() else {
                    continue;
                };
                if object {
                    let own = keys.get(frame.keys..).unwrap_or_default();
                    if has_duplicates(row, own, frame.escaped_keys, &mut table) {
                        return Err(GiveUp::Duplicates);
                    }
                    keys.truncate(frame.keys);
                }
                if frame.count > 0 {
                    newline(out, depth - 1, indent);
                }
                out.push(if object { b'}' } else { b']' });
                continue;
            }
            _ => {}
        }
        // A value: in an array it needs a separator first (in an object its key wrote one).
        if let Some(top) = frames.last_mut().filter(|f| !f.object) {
            separator(out, top.count, depth, indent);
            top.count += 1;
        }
        let text = span(row, ev.start, ev.end);
        match ev.token {
            Token::Begin { object } => {
                out.push(if object { b'{' } else { b'[' });
                frames.push(Frame {
                    object,
                    count: 0,
                    keys: keys.len(),
                    escaped_keys: false,
                });
            }
            Token::Str { escaped } => write_string(out, text, escaped),
            Token::Num { exp } => write_number(out, text, exp),
            _ => out.extend_from_slice(text),
        }
    }
    scanner.finish()?;
    Ok(())
}

/// Length and the first and last three bytes: tells apart almost all keys of one object.
fn fingerprint(key: &[u8]) -> u64 {
    let ends = key.iter().take(3).chain(key.iter().rev().take(3));
    ends.fold(key.len() as u64, |h, &b| (h << 8) | u64::from(b))
}

/// Whether an object's keys repeat. Fingerprints settle almost every pair; only equal ones
/// compare bytes. Escaped keys compare decoded (`"a"` and `"\u0061"` are the same key).
/// `table` is scratch space for a hash set of key indices, kept between calls.
fn has_duplicates(row: &[u8], keys: &[KeyRef], escaped: bool, table: &mut Vec<usize>) -> bool {
    let same = |a: &KeyRef, b: &KeyRef| a.0 == b.0 && span(row, a.1, a.2) == span(row, b.1, b.2);
    if keys.len() < 2 {
        false
    } else if escaped {
        let mut names: Vec<Vec<u8>> = keys
            .iter()
            .map(|k| {
                let mut name = Vec::new();
                unescape(span(row, k.1, k.2), &mut name);
                name
            })
            .collect();
        names.sort_unstable();
        names.windows(2).any(|w| w[0] == w[1])
    } else if keys.len() <= 16 {
        (1..keys.len()).any(|i| keys[..i].iter().any(|k| same(k, &keys[i])))
    } else {
        // Open addressing on the mixed fingerprint, at most half full.
        const EMPTY: usize = usize::MAX;
        let bits = (keys.len() * 2).next_power_of_two().trailing_zeros();
        let mask = (1usize << bits) - 1;
        table.clear();
        table.resize(mask + 1, EMPTY);
        for (i, key) in keys.iter().enumerate() {
            let mut slot = (key.0.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize;
            loop {
                match table.get(slot) {
                    Some(&EMPTY) | None => break,
                    Some(&j) if keys.get(j).is_some_and(|k| same(k, key)) => return true,
                    Some(_) => slot = (slot + 1) & mask,
                }
            }
            if let Some(free) = table.get_mut(slot) {
                *free = i;
            }
        }
        false
    }
}

/// A string token (with quotes) as serde_json writes its text: unchanged unless it holds
/// escapes, which are decoded and written again the way serde_json escapes.
fn write_string(out: &mut Vec<u8>, token: &[u8], escaped: bool) {
    if !escaped {
        out.extend_from_slice(token);
        return;
    }
    let content = token.get(1..token.len().saturating_sub(1)).unwrap_or(&[]);
    let mut text = Vec::with_capacity(content.len());
    // The scanner accepted the token, so its escapes decode to valid UTF-8.
    let _ = unescape(content, &mut text);
    write_str(out, &String::from_utf8_lossy(&text));
}

/// A number as serde_json keeps it: as written, except that an exponent becomes `e` with an
/// explicit sign (`1E5` → `1e+5`), which is how its arbitrary-precision parser records it.
fn write_number(out: &mut Vec<u8>, token: &[u8], exp: bool) {
    let at = token.iter().position(|&b| b == b'e' || b == b'E');
    let (Some(at), true) = (at, exp) else {
        out.extend_from_slice(token);
        return;
    };
    out.extend_from_slice(&token[..at]);
    out.push(b'e');
    let rest = &token[at + 1..];
    if !matches!(rest.first(), Some(b'+' | b'-')) {
        out.push(b'+');
    }
    out.extend_from_slice(rest);
}

/// Streams rows as one pretty JSON array, laid out as `serde_json::to_writer_pretty` lays
/// out the whole array: `[]` when empty, else `[`, each row indented by two, `]`.
pub struct JsonArray<W: Write> {
    out: W,
    count: usize,
    /// One printed row; reused, so it grows to the largest row and no further.
    buf: Vec<u8>,
}

impl<W: Write> JsonArray<W> {
    pub fn new(out: W) -> Self {
        Self {
            out,
            count: 0,
            buf: Vec::new(),
        }
    }

    /// Writes one row (as [`write_pretty`] does, with `fields`).
    pub fn push(&mut self, row: &[u8], fields: Option<&[&str]>) -> io::Result<()> {
        self.buf.clear();
        self.buf
            .extend_from_slice(if self.count == 0 { b"[\n  " } else { b",\n  " });
        write_pretty(&mut self.buf, row, 2, fields);
        self.count += 1;
        self.out.write_all(&self.buf)
    }

    /// Sends what was pushed so far, so each page shows up as it arrives.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Closes the array (and its line) and hands back the writer.
    pub fn finish(mut self) -> io::Result<W> {
        let end: &[u8] = if self.count == 0 { b"[]\n" } else { b"\n]\n" };
        self.out.write_all(end)?;
        self.out.flush()?;
        Ok(self.out)
    }
}
