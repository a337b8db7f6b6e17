//! The lexical pieces of JSON that every pass shares: strings, numbers, literals, whitespace
//! and escapes. Each takes the input and a position and says where the token ends.

use std::fmt;

/// Why some bytes are not JSON, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub message: &'static str,
    /// Byte offset of the problem in the input.
    pub offset: usize,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.message, self.offset)
    }
}

impl std::error::Error for JsonError {}

fn error<T>(message: &'static str, offset: usize) -> Result<T, JsonError> {
    Err(JsonError { message, offset })
}

/// `true`, `false` or `null` at `pos`: where it ends.
#[inline]
pub(crate) fn lex_literal(buf: &[u8], pos: usize, word: &[u8]) -> Result<usize, JsonError> {
    if buf.get(pos..pos + word.len()) != Some(word) {
        return error("invalid literal", pos);
    }
    Ok(pos + word.len())
}

/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` at `pos`: where it ends, and whether it
/// has an exponent.
#[inline]
pub(crate) fn lex_number(buf: &[u8], pos: usize) -> Result<(usize, bool), JsonError> {
    let digits = |mut i: usize| {
        while buf.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let mut i = pos + usize::from(buf.get(pos) == Some(&b'-'));
    i = match buf.get(i) {
        Some(b'0') => i + 1,
        Some(b'1'..=b'9') => digits(i + 1),
        _ => return error("invalid number", i),
    };
    if buf.get(i) == Some(&b'.') {
        let end = digits(i + 1);
        if end == i + 1 {
            return error("invalid number", end);
        }
        i = end;
    }
    let exp = matches!(buf.get(i), Some(b'e' | b'E'));
    if exp {
        i += 1;
        if let Some(b'+' | b'-') = buf.get(i) {
            i += 1;
        }
        let end = digits(i);
        if end == i {
            return error("invalid number", end);
        }
        i = end;
    }
    Ok((i, exp))
}

/// The string whose opening quote is at `pos`: where it ends (after the closing quote), and
/// whether it holds escapes.
#[inline]
pub(crate) fn lex_string(buf: &[u8], pos: usize) -> Result<(usize, bool), JsonError> {
    let mut i = pos + 1;
    let mut escaped = false;
    loop {
        i = find_special(buf, i);
        match buf.get(i) {
            Some(b'"') => return Ok((i + 1, escaped)),
            Some(b'\\') => match decode_escape(buf, i) {
                Some((_, len)) => {
                    escaped = true;
                    i += len;
                }
                None => return error("invalid escape or lone surrogate", i),
            },
            Some(_) => return error("control character in a string", i),
            None => return error("unterminated string", i),
        }
    }
}

/// JSON whitespace from `pos` on: where the next token starts.
#[inline]
pub(crate) fn skip_ws(buf: &[u8], mut pos: usize) -> usize {
    while let Some(b' ' | b'\n' | b'\r' | b'\t') = buf.get(pos) {
        pos += 1;
    }
    pos
}

/// Index of the first `"`, `\` or control character at or after `i` (or `buf.len()`).
/// Strings are most of a response, so this tests eight bytes at a time: the classic
/// "has zero byte" / "has byte less than" bit tricks, whose lowest flagged byte is exact.
#[inline]
pub(crate) fn find_special(buf: &[u8], mut i: usize) -> usize {
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

/// Decodes the escape at `buf[i]` (a backslash): the character and the escape's length.
/// `None` for an invalid escape, and for a lone surrogate, which serde_json rejects.
pub(crate) fn decode_escape(buf: &[u8], i: usize) -> Option<(char, usize)> {
    let simple = match buf.get(i + 1)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let high = hex4(buf, i + 2)?;
            if !(0xD800..0xDC00).contains(&high) {
                // A trailing surrogate on its own fails `from_u32`.
                return Some((char::from_u32(high)?, 6));
            }
            if buf.get(i + 6..i + 8) != Some(b"\\u") {
                return None;
            }
            let low = hex4(buf, i + 8)?;
            if !(0xDC00..0xE000).contains(&low) {
                return None;
            }
            let c = char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))?;
            return Some((c, 12));
        }
        _ => return None,
    };
    Some((simple, 2))
}

fn hex4(buf: &[u8], i: usize) -> Option<u32> {
    buf.get(i..i + 4)?
        .iter()
        .try_fold(0, |n, &b| Some(n * 16 + char::from(b).to_digit(16)?))
}

/// Appends the text of a string token's content (the bytes between its quotes).
/// `None` if it holds an invalid escape; never for a token the scanner accepted.
pub(crate) fn unescape(content: &[u8], out: &mut Vec<u8>) -> Option<()> {
    let mut i = 0;
    while let Some(rest) = content.get(i..) {
        let Some(at) = rest.iter().position(|&b| b == b'\\') else {
            out.extend_from_slice(rest);
            break;
        };
        out.extend_from_slice(&rest[..at]);
        let (c, len) = decode_escape(content, i + at)?;
        out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        i += at + len;
    }
    Some(())
}

/// `buf[start..end]`; the scanner's spans are always in bounds, but no input may panic.
pub(crate) fn span(buf: &[u8], start: usize, end: usize) -> &[u8] {
    buf.get(start..end).unwrap_or(&[])
}
