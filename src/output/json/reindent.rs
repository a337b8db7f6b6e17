//! Re-printing a checked row in serde_json's layouts, in one pass over its bytes.
//!
//! The row is a [`Row`](super::Row), so it is JSON: this loop only looks at the first byte of
//! each token and copies strings and numbers as they stand. It never panics on other bytes
//! either (everything is read through `get`), it only prints nonsense for them.

use super::keys::{fingerprint, has_duplicates, key_text, merge_duplicates, Member};
use super::layout::{find_special, newline, separator, span, write_string};
use super::number::write_number;

/// An open container in the output.
pub(super) struct Frame {
    pub object: bool,
    /// Members written so far.
    pub count: usize,
    /// Where this object's members start in the member list.
    pub members: usize,
    /// Some key holds an escape, so raw bytes cannot be compared.
    pub escaped_keys: bool,
}

/// Writes `row` pretty (`indent` extra spaces after each newline) or compact (`None`), keeping
/// only `fields` of a top-level object. An object that repeats a key keeps it once, at its first
/// place, with its last value, as serde_json's `Value` does.
pub(super) fn reindent(
    out: &mut Vec<u8>,
    row: &[u8],
    indent: Option<usize>,
    fields: Option<&[&str]>,
) {
    with_scratch(|scratch| reindent_with(out, row, indent, fields, scratch));
}

/// The lists [`reindent`] keeps while it walks a row.
#[derive(Default)]
pub(super) struct Scratch {
    pub frames: Vec<Frame>,
    pub members: Vec<Member>,
    pub table: Vec<usize>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// Runs `walk` with the scratch lists emptied. A page prints thousands of rows: their lists are
/// allocated once, not per row (growing them again for every row cost more than a tenth of
/// `--json`'s time).
pub(super) fn with_scratch<R>(walk: impl FnOnce(&mut Scratch) -> R) -> R {
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut scratch) => {
            scratch.frames.clear();
            scratch.members.clear();
            walk(&mut scratch)
        }
        Err(_) => walk(&mut Scratch::default()),
    })
}

fn reindent_with(
    out: &mut Vec<u8>,
    row: &[u8],
    indent: Option<usize>,
    fields: Option<&[&str]>,
    scratch: &mut Scratch,
) {
    let Scratch {
        frames,
        members,
        table,
    } = scratch;
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
                    let own = members.get(frame.members..).unwrap_or_default();
                    if has_duplicates(row, own, frame.escaped_keys, table) {
                        merge_duplicates(out, row, own, frames.len() + 1, indent);
                    }
                    members.truncate(frame.members);
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
                    let name = key_text(row, pos, end, escaped);
                    if !fields.iter().any(|f| f.as_bytes() == &name[..]) {
                        pos = member_end(row, end);
                        continue;
                    }
                }
                let printed = out.len();
                separator(out, top.count, depth, indent);
                top.count += 1;
                top.escaped_keys |= escaped;
                write_string(out, span(row, pos, end), escaped);
                out.extend_from_slice(if indent.is_some() { b": " } else { b":" });
                members.push(Member {
                    fingerprint: fingerprint(content),
                    start: pos + 1,
                    end: end.saturating_sub(1),
                    printed,
                });
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
                    members: members.len(),
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
                let end = number_end(row, pos);
                let token = span(row, pos, end);
                write_number(out, token);
                pos = end;
            }
        }
    }
}

/// Where the number that starts at `pos` ends: at the next separator or close.
#[inline]
pub(super) fn number_end(row: &[u8], pos: usize) -> usize {
    let mut end = pos + 1;
    while let Some(c) = row.get(end) {
        if matches!(c, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t') {
            break;
        }
        end += 1;
    }
    end
}

/// The string whose quote is at `pos`: where it ends, and whether it holds escapes.
#[inline]
pub(super) fn string_end(row: &[u8], pos: usize) -> (usize, bool) {
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

/// The first top-level member of the object `row` named one of `keys`, read up to that member
/// only: the span of its value when that is a string (quotes included), else `None`.
pub(super) fn first_string_member(row: &[u8], keys: &[&str]) -> Option<(usize, usize)> {
    let skip_space = |mut at: usize| {
        while row.get(at).is_some_and(|b| b" \n\r\t:".contains(b)) {
            at += 1;
        }
        at
    };
    let mut pos = skip_space(0);
    if row.get(pos) != Some(&b'{') {
        return None;
    }
    pos += 1;
    loop {
        pos = skip_space(pos);
        // Anything but a key here is the end of the object.
        if row.get(pos) != Some(&b'"') {
            return None;
        }
        let (key_end, escaped) = string_end(row, pos);
        let name = key_text(row, pos, key_end, escaped);
        if keys.iter().any(|key| key.as_bytes() == &name[..]) {
            let value = skip_space(key_end);
            return (row.get(value) == Some(&b'"')).then(|| (value, string_end(row, value).0));
        }
        pos = member_end(row, key_end) + 1;
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
