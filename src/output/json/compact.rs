//! NDJSON's shortcut: a row the server already wrote the way serde_json prints it compact is
//! copied as it stands instead of re-printed token by token.
//!
//! Servers write compact JSON, so almost every row is in that form, and copying it whole cost
//! a fifth of what re-printing did. The check walks the row's tokens once, printing nothing,
//! and says no at the first thing the printer would change: whitespace, an escape serde_json
//! spells differently, a number JavaScript spells differently, or an object that repeats a key.

use super::keys::{fingerprint, has_duplicates, Member};
use super::layout::span;
use super::number::prints_as_written;
use super::reindent::{number_end, reindent, string_end, with_scratch, Frame, Scratch};

/// Writes the checked row `row` as `serde_json::to_string` writes its parsed `Value`, keeping
/// only `fields` of a top-level object.
pub(super) fn write_compact(out: &mut Vec<u8>, row: &[u8], fields: Option<&[&str]>) {
    if fields.is_none() && with_scratch(|scratch| prints_as_is(row, scratch)) {
        out.extend_from_slice(row);
    } else {
        reindent(out, row, None, fields);
    }
}

/// Whether the compact re-print of `row` is `row` itself.
fn prints_as_is(row: &[u8], scratch: &mut Scratch) -> bool {
    let Scratch {
        frames,
        members,
        table,
    } = scratch;
    // The next string is an object's key: right after its `{` or a `,` in it.
    let mut key_next = false;
    let mut pos = 0;
    while let Some(&b) = row.get(pos) {
        match b {
            b'"' => {
                let (end, escaped) = string_end(row, pos);
                let content = span(row, pos + 1, end.saturating_sub(1));
                if escaped && !escapes_as_printed(content) {
                    return false;
                }
                if key_next {
                    if let Some(top) = frames.last_mut() {
                        top.escaped_keys |= escaped;
                    }
                    members.push(Member {
                        fingerprint: fingerprint(content),
                        start: pos + 1,
                        end: end.saturating_sub(1),
                        printed: 0,
                    });
                }
                key_next = false;
                pos = end;
            }
            b'{' | b'[' => {
                frames.push(Frame {
                    object: b == b'{',
                    count: 0,
                    members: members.len(),
                    escaped_keys: false,
                });
                key_next = b == b'{';
                pos += 1;
            }
            b'}' | b']' => {
                if let Some(frame) = frames.pop().filter(|frame| frame.object) {
                    let own = members.get(frame.members..).unwrap_or_default();
                    if has_duplicates(row, own, frame.escaped_keys, table) {
                        return false;
                    }
                    members.truncate(frame.members);
                }
                pos += 1;
            }
            b',' => {
                key_next = frames.last().is_some_and(|top| top.object);
                pos += 1;
            }
            b':' => pos += 1,
            b't' | b'n' => pos += 4,
            b'f' => pos += 5,
            b'-' | b'0'..=b'9' => {
                let end = number_end(row, pos);
                if !prints_as_written(span(row, pos, end)) {
                    return false;
                }
                pos = end;
            }
            // Whitespace, which the compact layout drops (or bytes that are not JSON).
            _ => return false,
        }
    }
    true
}

/// Whether serde_json writes every escape in a string's content as it stands: `\"`, `\\`, the
/// one-letter escapes of control characters, and `\u00xx` (lower-case hex) for the other
/// control characters. `\/`, `\u0061` or `\u001F` are printed otherwise.
fn escapes_as_printed(content: &[u8]) -> bool {
    let mut at = 0;
    while let Some(found) = content
        .get(at..)
        .and_then(|rest| memchr::memchr(b'\\', rest))
    {
        let i = at + found;
        at = match content.get(i + 1) {
            Some(b'"' | b'\\' | b'b' | b'f' | b'n' | b'r' | b't') => i + 2,
            Some(b'u') => match content.get(i + 2..i + 6) {
                Some([b'0', b'0', high @ (b'0' | b'1'), low]) => {
                    let low = match low {
                        b'0'..=b'9' => low - b'0',
                        b'a'..=b'f' => low - b'a' + 10,
                        _ => return false,
                    };
                    // These five have a one-letter escape.
                    if *high == b'0' && matches!(low, 0x8 | 0x9 | 0xa | 0xc | 0xd) {
                        return false;
                    }
                    i + 6
                }
                _ => return false,
            },
            _ => return false,
        };
    }
    true
}
