//! A validating JSON tokenizer that yields every token, for building `Value`s (`parse_value`).
//! It keeps its nesting on the heap, so any depth works.
//!
//! It accepts what `serde_json::from_slice` accepts (RFC 8259, no lone surrogate escapes),
//! except that there is no recursion limit. It does not check UTF-8: callers do that once.

use super::lex::{lex_literal, lex_number, lex_string, skip_ws, JsonError};

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

    fn err<T>(&self, message: &'static str, offset: usize) -> Result<T, JsonError> {
        Err(JsonError { message, offset })
    }

    #[inline]
    fn skip_ws(&mut self) {
        self.pos = skip_ws(self.buf, self.pos);
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
        self.pos = lex_literal(self.buf, self.pos, word)?;
        Ok(Token::Literal)
    }

    #[inline]
    fn number(&mut self) -> Result<bool, JsonError> {
        let (end, exp) = lex_number(self.buf, self.pos)?;
        self.pos = end;
        Ok(exp)
    }

    #[inline]
    fn string(&mut self) -> Result<bool, JsonError> {
        let (end, escaped) = lex_string(self.buf, self.pos)?;
        self.pos = end;
        Ok(escaped)
    }
}
