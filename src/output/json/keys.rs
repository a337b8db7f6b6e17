//! Keys an object repeats: found cheaply while a row is walked, and merged as serde_json's
//! `Value` keeps them (each key once, at its first place, with its last value).

use std::collections::HashMap;

use super::layout::{separator, span};

/// A member printed in an open object.
pub(super) struct Member {
    /// Length and a few bytes of the key: tells apart almost all keys of one object.
    pub fingerprint: u64,
    /// The key's content (between its quotes) in the row.
    pub start: usize,
    pub end: usize,
    /// Where the member (its separator first) starts in the output.
    pub printed: usize,
}

/// Length and the first and last three bytes: tells apart almost all keys of one object.
#[inline]
pub(super) fn fingerprint(key: &[u8]) -> u64 {
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
pub(super) fn key_text(
    row: &[u8],
    start: usize,
    end: usize,
    escaped: bool,
) -> std::borrow::Cow<'_, [u8]> {
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
pub(super) fn has_duplicates(
    row: &[u8],
    keys: &[Member],
    escaped: bool,
    table: &mut Vec<usize>,
) -> bool {
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
pub(super) fn merge_duplicates(
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
