//! The pieces of serde_json's two layouts that every printer shares: separators, indentation,
//! string escaping.

/// Before a member: `,` unless first, then in pretty layout a new line at `depth`.
pub(super) fn separator(out: &mut Vec<u8>, count: usize, depth: usize, indent: Option<usize>) {
    let comma: &[u8] = if count > 0 { b"," } else { b"" };
    match indent {
        None => out.extend_from_slice(comma),
        Some(indent) => {
            let width = indent.saturating_add(depth.saturating_mul(2));
            // One copy for the usual case: every member of a pretty row starts this way.
            match LINE_START.get(1 - comma.len()..2 + width) {
                Some(start) => out.extend_from_slice(start),
                None => {
                    out.extend_from_slice(comma);
                    newline(out, depth, Some(indent));
                }
            }
        }
    }
}

/// `,` then a new line and the most indentation one copy writes: [`separator`] takes the part
/// it needs.
const LINE_START: [u8; 66] = {
    let mut start = [b' '; 66];
    start[0] = b',';
    start[1] = b'\n';
    start
};

/// A new line indented for `depth` open containers (pretty layout only).
pub(super) fn newline(out: &mut Vec<u8>, depth: usize, indent: Option<usize>) {
    let Some(indent) = indent else {
        return;
    };
    let mut n = indent.saturating_add(depth.saturating_mul(2));
    let first = n.min(LINE_START.len() - 2);
    out.extend_from_slice(&LINE_START[1..2 + first]);
    n -= first;
    while n > 0 {
        let chunk = n.min(LINE_START.len() - 2);
        out.extend_from_slice(&LINE_START[2..2 + chunk]);
        n -= chunk;
    }
}

/// A `&str` as a JSON string, escaped as serde_json escapes.
pub(super) fn write_str(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.push(b'"');
    let mut i = 0;
    while i < bytes.len() {
        let at = find_special(bytes, i);
        out.extend_from_slice(span(bytes, i, at));
        if let Some(&b) = bytes.get(at) {
            push_char(out, char::from(b));
        }
        i = at + 1;
    }
    out.push(b'"');
}

/// One character as serde_json writes it inside a string.
fn push_char(out: &mut Vec<u8>, c: char) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut utf8 = [0; 4];
    let short: &[u8] = match c {
        '"' => b"\\\"",
        '\\' => b"\\\\",
        '\u{8}' => b"\\b",
        '\u{c}' => b"\\f",
        '\n' => b"\\n",
        '\r' => b"\\r",
        '\t' => b"\\t",
        '\0'..='\u{1f}' => {
            let b = c as usize;
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', HEX[b >> 4], HEX[b & 15]]);
            return;
        }
        _ => c.encode_utf8(&mut utf8).as_bytes(),
    };
    out.extend_from_slice(short);
}

/// A string token (with quotes) as serde_json writes its text: unchanged unless it holds
/// escapes, which are decoded and written again the way serde_json escapes.
pub(super) fn write_string(out: &mut Vec<u8>, token: &[u8], escaped: bool) {
    if !escaped {
        out.extend_from_slice(token);
        return;
    }
    let text = std::str::from_utf8(token).ok();
    match text.and_then(|t| serde_json::from_str::<String>(t).ok()) {
        Some(text) => write_str(out, &text),
        // Not a checked string: nothing to decode.
        None => out.extend_from_slice(token),
    }
}

/// Index of the first `"`, `\` or control character at or after `i` (or `buf.len()`).
/// Strings are most of a response, so this tests eight bytes at a time: the classic
/// "has zero byte" / "has byte less than" bit tricks, whose lowest flagged byte is exact.
#[inline]
pub(super) fn find_special(buf: &[u8], mut i: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = ONES << 7;
    while let Some(chunk) = buf.get(i..i + 8) {
        let Ok(bytes) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let w = u64::from_le_bytes(bytes);
        let quote = w ^ (ONES * u64::from(b'"'));
        let backslash = w ^ (ONES * u64::from(b'\\'));
        let hits = (quote.wrapping_sub(ONES) & !quote
            | backslash.wrapping_sub(ONES) & !backslash
            | w.wrapping_sub(ONES * 0x20) & !w)
            & HIGH;
        if hits != 0 {
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&b) = buf.get(i) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            break;
        }
        i += 1;
    }
    i
}

/// `buf[start..end]`; the scanner's spans are always in bounds, but no input may panic.
pub(super) fn span(buf: &[u8], start: usize, end: usize) -> &[u8] {
    buf.get(start..end).unwrap_or(&[])
}
