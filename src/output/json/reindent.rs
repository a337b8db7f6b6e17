//! Re-printing a checked row in serde_json's layouts, in one pass over its bytes.
//!
//! The row is a [`Row`](super::Row), so it is JSON: this loop only looks at the first byte of
//! each token and copies strings and numbers as they stand. It never panics on other bytes
//! either (everything is read through `get`), it only prints nonsense for them.

use std::collections::HashMap;

use super::layout::{find_special, newline, separator, span, write_string};
use super::number::write_number;

/// An open container in the output.
struct Frame {
    object: bool,
    /// Members written so far.
    count: usize,
    /// Where this object's members start in the member list.
    members: usize,
    /// Some key holds an escape, so raw bytes cannot be compared.
    escaped_keys: bool,
}

/// A member printed in an open object.
struct Member {
    /// Length and a few bytes of the key: tells apart almost all keys of one object.
    fingerprint: u64,
    /// The key's content (between its quotes) in the row.
    start: usize,
    end: usize,
    /// Where the member (its separator first) starts in the output.
    printed: usize,
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
    // A page prints thousands of rows: their scratch lists are allocated once, not per row
    // (growing them again for every row cost more than a tenth of `--json`'s time).
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut scratch) => {
            let Scratch {
                frames,
                members,
                table,
            } = &mut *scratch;
            frames.clear();
            members.clear();
            reindent_with(out, row, indent, fields, frames, members, table);
        }
        Err(_) => reindent_with(
            out,
            row,
            indent,
            fields,
            &mut Vec::new(),
            &mut Vec::new(),
            &mut Vec::new(),
        ),
    });
}

/// The lists [`reindent`] keeps while it walks a row.
#[derive(Default)]
struct Scratch {
    frames: Vec<Frame>,
    members: Vec<Member>,
    table: Vec<usize>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

fn reindent_with(
    out: &mut Vec<u8>,
    row: &[u8],
    indent: Option<usize>,
    fields: Option<&[&str]>,
    frames: &mut Vec<Frame>,
    members: &mut Vec<Member>,
    table: &mut Vec<usize>,
) {
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
                // A number: it runs to the next separator or close.
                let mut end = pos + 1;
                while let Some(c) = row.get(end) {
                    if matches!(c, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t') {
                        break;
                    }
                    end += 1;
                }
                let token = span(row, pos, end);
                write_number(out, token);
                pos = end;
            }
        }
    }
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

/// Length and the first and last three bytes: tells apart almost all keys of one object.
#[inline]
fn fingerprint(key: &[u8]) -> u64 {
    let at = |i: usize| key.get(i).map_or(0, |&b| u64::from(b));
    let n = key.len();
    let (first, last) = (
        at(0) << 16 | at(1) << 8 | at(2),
        at(n.wrapping_sub(1)) << 16,
    );
    (n as u64) << 48 | first << 24 | last | at(n.wrapping_sub(2)) << 8 | at(n.wrapping_sub(3))
}

/// The text of the key string `row[start..end]` (quotes included): its bytes, or decoded when it
/// holds escapes (`"a"` and `"\u0061"` are the same key).
fn key_text(row: &[u8], start: usize, end: usize, escaped: bool) -> std::borrow::Cow<'_, [u8]> {
    let token = span(row, start, end);
    if !escaped {
        return token
            .get(1..token.len().saturating_sub(1))
            .unwrap_or_default()
            .into();
    }
    let text = std::str::from_utf8(token).ok();
    let text = text.and_then(|t| serde_json::from_str::<String>(t).ok());
    text.unwrap_or_default().into_bytes().into()
}

/// [`key_text`] of a printed member.
fn member_key<'r>(row: &'r [u8], member: &Member) -> std::borrow::Cow<'r, [u8]> {
    let escaped = span(row, member.start, member.end).contains(&b'\\');
    key_text(row, member.start.saturating_sub(1), member.end + 1, escaped)
}

/// Whether an object's keys repeat. Fingerprints settle almost every pair; only equal ones
/// compare bytes. Escaped keys compare decoded.
/// `table` is scratch space for a hash set of member indices, kept between calls.
fn has_duplicates(row: &[u8], keys: &[Member], escaped: bool, table: &mut Vec<usize>) -> bool {
    let same = |a: &Member, b: &Member| {
        a.fingerprint == b.fingerprint && span(row, a.start, a.end) == span(row, b.start, b.end)
    };
    if keys.len() < 2 {
        false
    } else if escaped {
        let mut names: Vec<_> = keys.iter().map(|k| member_key(row, k)).collect();
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
            let mixed = key.fingerprint.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            let mut slot = (mixed >> (64 - bits)) as usize;
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

/// Rewrites the members just printed for an object that repeats a key, as serde_json keeps
/// them: each key once, at its first place, with its last value. Every member was printed at
/// the same `depth`, so its printed text moves as it stands; only the separators are new.
fn merge_duplicates(
    out: &mut Vec<u8>,
    row: &[u8],
    members: &[Member],
    depth: usize,
    indent: Option<usize>,
) {
    let Some(first) = members.first() else {
        return;
    };
    let names: Vec<_> = members.iter().map(|m| member_key(row, m)).collect();
    let mut place: HashMap<&[u8], usize> = HashMap::new();
    // For each place, the member whose value it keeps.
    let mut kept: Vec<usize> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        match place.get(&name[..]) {
            Some(&at) => kept[at] = i,
            None => {
                place.insert(name, kept.len());
                kept.push(i);
            }
        }
    }
    let end = out.len();
    let mut merged = Vec::with_capacity(end.saturating_sub(first.printed));
    for (n, &i) in kept.iter().enumerate() {
        let own_separator = usize::from(i > 0) + indent.map_or(0, |x| 1 + x + 2 * depth);
        let from = members[i].printed + own_separator;
        let to = members.get(i + 1).map_or(end, |m| m.printed);
        separator(&mut merged, n, depth, indent);
        merged.extend_from_slice(out.get(from..to).unwrap_or_default());
    }
    out.truncate(first.printed);
    out.extend_from_slice(&merged);
}
