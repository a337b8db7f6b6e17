//! Re-printing a checked row in serde_json's layouts, in one pass over its bytes.
//!
//! The row is a [`Row`](super::Row), so it is JSON: this loop only looks at the first byte of
//! each token and copies strings and numbers as they stand. It never panics on other bytes
//! either (everything is read through `get`), it only prints nonsense for them.

use super::layout::{newline, separator, write_number, write_string};
use super::lex::{find_special, span, unescape};

/// An object repeats a key, so the row must go the slow way (serde_json keeps the first place
/// and the last value).
pub(super) struct Duplicates;

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

/// Writes `row` pretty (`indent` extra spaces after each newline) or compact (`None`), keeping
/// only `fields` of a top-level object. Gives up if an object repeats a key.
pub(super) fn reindent(
    out: &mut Vec<u8>,
    row: &[u8],
    indent: Option<usize>,
    fields: Option<&[&str]>,
) -> Result<(), Duplicates> {
    let mut frames: Vec<Frame> = Vec::new();
    let mut keys: Vec<KeyRef> = Vec::new();
    let mut table = Vec::new();
    let mut decoded = Vec::new();
    // The last token was a key, so the next one is its value.
    let mut after_key = false;
    let mut pos = 0;
    while let Some(&b) = row.get(pos) {
        match b {
            b' ' | b'\n' | b'\r' | b'\t' | b',' | b':' => {
                pos += 1;
                continue;
            }
            b'}' | b']' => {
                pos += 1;
                let Some(frame) = frames.pop() else {
                    continue;
                };
                if frame.object {
                    let own = keys.get(frame.keys..).unwrap_or_default();
                    if has_duplicates(row, own, frame.escaped_keys, &mut table) {
                        return Err(Duplicates);
                    }
                    keys.truncate(frame.keys);
                }
                if frame.count > 0 {
                    newline(out, frames.len(), indent);
                }
                out.push(b);
                continue;
            }
            _ => {}
        }
        let depth = frames.len();
        match frames.last_mut() {
            Some(top) if top.object && !after_key => {
                let (end, escaped) = string_end(row, pos);
                let content = span(row, pos + 1, end.saturating_sub(1));
                if let (Some(fields), 1) = (fields, depth) {
                    let name = if escaped {
                        decoded.clear();
                        unescape(content, &mut decoded);
                        &decoded[..]
                    } else {
                        content
                    };
                    if !fields.iter().any(|f| f.as_bytes() == name) {
                        pos = member_end(row, end);
                        continue;
                    }
                }
                separator(out, top.count, depth, indent);
                top.count += 1;
                top.escaped_keys |= escaped;
                write_string(out, span(row, pos, end), escaped);
                out.extend_from_slice(if indent.is_some() { b": " } else { b":" });
                keys.push((fingerprint(content), pos + 1, end.saturating_sub(1)));
                after_key = true;
                pos = end;
                continue;
            }
            Some(top) if !top.object => {
                separator(out, top.count, depth, indent);
                top.count += 1;
            }
            _ => {}
        }
        after_key = false;
        match b {
            b'{' | b'[' => {
                out.push(b);
                pos += 1;
                frames.push(Frame {
                    object: b == b'{',
                    count: 0,
                    keys: keys.len(),
                    escaped_keys: false,
                });
            }
            b'"' => {
                let (end, escaped) = string_end(row, pos);
                write_string(out, span(row, pos, end), escaped);
                pos = end;
            }
            b't' | b'n' => {
                out.extend_from_slice(span(row, pos, pos + 4));
                pos += 4;
            }
            b'f' => {
                out.extend_from_slice(span(row, pos, pos + 5));
                pos += 5;
            }
            _ => {
                // A number: it runs to the next separator or close.
                let mut end = pos + 1;
                while let Some(c) = row.get(end) {
                    if matches!(c, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t') {
                        break;
                    }
                    end += 1;
                }
                let token = span(row, pos, end);
                write_number(out, token, token.iter().any(|&c| c == b'e' || c == b'E'));
                pos = end;
            }
        }
    }
    Ok(())
}

/// The string whose quote is at `pos`: where it ends, and whether it holds escapes.
#[inline]
fn string_end(row: &[u8], pos: usize) -> (usize, bool) {
    let mut i = pos + 1;
    let mut escaped = false;
    loop {
        i = find_special(row, i);
        match row.get(i) {
            Some(b'"') => return (i + 1, escaped),
            // The escaped character is skipped too: it may be a quote.
            Some(b'\\') => {
                escaped = true;
                i += 2;
            }
            Some(_) => i += 1,
            None => return (row.len(), escaped),
        }
    }
}

/// Skips the rest of an object member whose key ends at `pos`: its `:` and value. Returns where
/// the `,` or `}` after it is.
fn member_end(row: &[u8], mut pos: usize) -> usize {
    let mut depth = 0usize;
    while let Some(&b) = row.get(pos) {
        match b {
            b'"' => {
                pos = string_end(row, pos).0;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' if depth == 0 => return pos,
            b'}' | b']' => depth -= 1,
            b',' if depth == 0 => return pos,
            _ => {}
        }
        pos += 1;
    }
    pos
}

/// Length and the first and last three bytes: tells apart almost all keys of one object.
#[inline]
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
