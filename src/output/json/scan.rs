//! A validating JSON tokenizer that keeps its nesting on the heap, so any depth works.
//!
//! It accepts what `serde_json::from_slice` accepts (RFC 8259, no lone surrogate escapes),
//! except that there is no recursion limit. It does not check UTF-8: callers do that once.

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

/// One token. `start..end` is its span in the input; a string's span includes its quotes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Event {
    pub token: Token,
    pub start: usize,
    pub end: usize,
}

/// `object` tells `{}` from `[]`; `escaped` says a string holds a backslash, so its raw bytes
/// are not its text; `exp` says a number has an exponent, which serde_json respells (`1E5` →
/// `1e+5`). `Literal` is `true`, `false` or `null`, printed as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[rustfmt::skip]
pub(crate) enum Token {
    Begin { object: bool },
    End { object: bool },
    Key { escaped: bool },
    Str { escaped: bool },
    Num { exp: bool },
    Literal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Value,
    FirstKey,
    FirstElement,
    AfterValue,
    Done,
}

/// Yields the tokens of one JSON value. Open containers live in a `Vec`, not on the call stack.
pub(crate) struct Scanner<'a> {
    buf: &'a [u8],
    pos: usize,
    /// Open containers, innermost last; `true` is an object.
    stack: Vec<bool>,
    state: State,
}

impl<'a> Scanner<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Self {
            buf,
            pos: 0,
            stack: Vec::new(),
            state: State::Value,
        }
    }

    /// How many containers are open.
    #[inline]
    pub fn depth(&self) -> usize {
        self.stack.len()
    }

    fn err<T>(&self, message: &'static str, offset: usize) -> Result<T, JsonError> {
        Err(JsonError { message, offset })
    }

    #[inline]
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.buf.get(self.pos) {
            self.pos += 1;
        }
    }

    /// The next token, or `None` once the value is complete.
    #[inline]
    pub fn next(&mut self) -> Result<Option<Event>, JsonError> {
        if self.state == State::Done {
            return Ok(None);
        }
        self.skip_ws();
        let start = self.pos;
        let Some(&b) = self.buf.get(start) else {
            return self.err("unexpected end of input", start);
        };
        let event = match self.state {
            State::FirstElement if b == b']' => self.close(false),
            State::FirstKey if b == b'}' => self.close(true),
            State::FirstKey => self.key(),
            State::Value | State::FirstElement => self.value(b),
            _ => match (self.stack.last(), b) {
                (Some(_), b',') => {
                    self.pos += 1;
                    self.skip_ws();
                    if self.stack.last() == Some(&true) {
                        self.key()
                    } else {
                        let b = self.buf.get(self.pos).copied().unwrap_or(0);
                        self.value(b)
                    }
                }
                (Some(true), b'}') => self.close(true),
                (Some(false), b']') => self.close(false),
                (Some(true), _) => self.err("expected `,` or `}`", start),
                _ => self.err("expected `,` or `]`", start),
            },
        }?;
        Ok(Some(event))
    }

    /// Consumes the value that starts at the next token (after a key, say) without yielding it.
    pub fn skip_value(&mut self) -> Result<(), JsonError> {
        let depth = self.depth();
        while self.next()?.is_some() {
            if self.depth() == depth {
                return Ok(());
            }
        }
        Ok(())
    }

    /// After the value: only whitespace may follow.
    pub fn finish(&mut self) -> Result<(), JsonError> {
        if self.state != State::Done {
            return self.err("unexpected end of input", self.pos);
        }
        self.skip_ws();
        if self.pos < self.buf.len() {
            return self.err("trailing characters", self.pos);
        }
        Ok(())
    }

    #[inline]
    fn event(&self, token: Token, start: usize) -> Result<Event, JsonError> {
        Ok(Event {
            token,
            start,
            end: self.pos,
        })
    }

    /// A value is complete: the enclosing container (if any) expects `,` or its end next.
    #[inline]
    fn completed(&mut self) {
        self.state = if self.stack.is_empty() {
            State::Done
        } else {
            State::AfterValue
        };
    }

    #[inline]
    fn close(&mut self, object: bool) -> Result<Event, JsonError> {
        let start = self.pos;
        self.pos += 1;
        self.stack.pop();
        self.completed();
        self.event(Token::End { object }, start)
    }

    #[inline]
    fn key(&mut self) -> Result<Event, JsonError> {
        let start = self.pos;
        if self.buf.get(start) != Some(&b'"') {
            return self.err("expected a string key", start);
        }
        let escaped = self.string()?;
        let end = self.pos;
        self.skip_ws();
        if self.buf.get(self.pos) != Some(&b':') {
            return self.err("expected `:`", self.pos);
        }
        self.pos += 1;
        self.state = State::Value;
        Ok(Event {
            token: Token::Key { escaped },
            start,
            end,
        })
    }

    #[inline]
    fn value(&mut self, b: u8) -> Result<Event, JsonError> {
        let start = self.pos;
        let token = match b {
            b'{' | b'[' => {
                self.pos += 1;
                let object = b == b'{';
                self.stack.push(object);
                self.state = if object {
                    State::FirstKey
                } else {
                    State::FirstElement
                };
                return self.event(Token::Begin { object }, start);
            }
            b'"' => Token::Str {
                escaped: self.string()?,
            },
            b'-' | b'0'..=b'9' => Token::Num {
                exp: self.number()?,
            },
            b't' => self.literal(b"true")?,
            b'f' => self.literal(b"false")?,
            b'n' => self.literal(b"null")?,
            _ => return self.err("expected a value", start),
        };
        self.completed();
        self.event(token, start)
    }

    #[inline]
    fn literal(&mut self, word: &[u8]) -> Result<Token, JsonError> {
        if self.buf.get(self.pos..self.pos + word.len()) != Some(word) {
            return self.err("invalid literal", self.pos);
        }
        self.pos += word.len();
        Ok(Token::Literal)
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`; says whether there is an exponent.
    #[inline]
    fn number(&mut self) -> Result<bool, JsonError> {
        let digits = |buf: &[u8], mut i: usize| {
            while buf.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            i
        };
        let mut i = self.pos + usize::from(self.buf.get(self.pos) == Some(&b'-'));
        i = match self.buf.get(i) {
            Some(b'0') => i + 1,
            Some(b'1'..=b'9') => digits(self.buf, i + 1),
            _ => return self.err("invalid number", i),
        };
        if self.buf.get(i) == Some(&b'.') {
            let end = digits(self.buf, i + 1);
            if end == i + 1 {
                return self.err("invalid number", end);
            }
            i = end;
        }
        let exp = matches!(self.buf.get(i), Some(b'e' | b'E'));
        if exp {
            i += 1;
            if let Some(b'+' | b'-') = self.buf.get(i) {
                i += 1;
            }
            let end = digits(self.buf, i);
            if end == i {
                return self.err("invalid number", end);
            }
            i = end;
        }
        self.pos = i;
        Ok(exp)
    }

    /// Skips a string starting at its opening quote; says whether it holds escapes.
    #[inline]
    fn string(&mut self) -> Result<bool, JsonError> {
        let mut i = self.pos + 1;
        let mut escaped = false;
        loop {
            i = find_special(self.buf, i);
            match self.buf.get(i) {
                Some(b'"') => {
                    self.pos = i + 1;
                    return Ok(escaped);
                }
                Some(b'\\') => match decode_escape(self.buf, i) {
                    Some((_, len)) => {
                        escaped = true;
                        i += len;
                    }
                    None => return self.err("invalid escape or lone surrogate", i),
                },
                Some(_) => return self.err("control character in a string", i),
                None => return self.err("unterminated string", i),
            }
        }
    }
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
