//! The pieces of serde_json's two layouts that every printer shares: separators, indentation,
//! string escaping and number spelling.

use super::lex::{find_special, span, unescape};

/// Before a member: `,` unless first, then in pretty layout a new line at `depth`.
pub(super) fn separator(out: &mut Vec<u8>, count: usize, depth: usize, indent: Option<usize>) {
    if count > 0 {
        out.push(b',');
    }
    newline(out, depth, indent);
}

/// A new line indented for `depth` open containers (pretty layout only).
pub(super) fn newline(out: &mut Vec<u8>, depth: usize, indent: Option<usize>) {
    const SPACES: [u8; 64] = [b' '; 64];
    let Some(indent) = indent else {
        return;
    };
    out.push(b'\n');
    let mut n = indent.saturating_add(depth.saturating_mul(2));
    while n > 0 {
        let chunk = n.min(SPACES.len());
        out.extend_from_slice(&SPACES[..chunk]);
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
    let content = token.get(1..token.len().saturating_sub(1)).unwrap_or(&[]);
    let mut text = Vec::with_capacity(content.len());
    // The scanner accepted the token, so its escapes decode to valid UTF-8.
    let _ = unescape(content, &mut text);
    write_str(out, &String::from_utf8_lossy(&text));
}

/// A number as serde_json keeps it: as written, except that an exponent becomes `e` with an
/// explicit sign (`1E5` → `1e+5`), which is how its arbitrary-precision parser records it.
pub(super) fn write_number(out: &mut Vec<u8>, token: &[u8], exp: bool) {
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
