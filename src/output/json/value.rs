//! `serde_json::Value`s without recursion: built from the scanner, printed, and dropped.

use serde_json::{Map, Number, Value};

use super::layout::{newline, separator, write_str};
use super::lex::{span, unescape, JsonError};
use super::scan::{Event, Scanner, Token};

/// A container being built by [`parse_value`].
enum Open {
    Array(Vec<Value>),
    /// The map so far, and the key whose value comes next.
    Object(Map<String, Value>, String),
}

/// Parses one value into a `serde_json::Value` exactly as serde_json would (ordered maps,
/// numbers spelled as serde_json spells them, last duplicate wins), at any depth.
/// Drop deep results with [`drop_value`]: `Value`'s own drop is recursive.
pub fn parse_value(row: &[u8]) -> Result<Value, JsonError> {
    let mut stack = Vec::new();
    let result = build(row, &mut stack);
    for open in stack {
        drop_value(match open {
            Open::Array(items) => Value::Array(items),
            Open::Object(map, _) => Value::Object(map),
        });
    }
    result
}

fn build(row: &[u8], stack: &mut Vec<Open>) -> Result<Value, JsonError> {
    let mut scanner = Scanner::new(row);
    while let Some(ev) = scanner.next()? {
        let value = match ev.token {
            Token::Begin { object: true } => {
                stack.push(Open::Object(Map::new(), String::new()));
                continue;
            }
            Token::Begin { object: false } => {
                stack.push(Open::Array(Vec::new()));
                continue;
            }
            Token::Key { escaped } => {
                if let Some(Open::Object(_, key)) = stack.last_mut() {
                    *key = text(row, &ev, escaped)?;
                }
                continue;
            }
            Token::End { .. } => match stack.pop() {
                Some(Open::Array(items)) => Value::Array(items),
                Some(Open::Object(map, _)) => Value::Object(map),
                None => Value::Null,
            },
            Token::Str { escaped } => Value::String(text(row, &ev, escaped)?),
            Token::Literal => match row.get(ev.start) {
                Some(b't') => Value::Bool(true),
                Some(b'f') => Value::Bool(false),
                _ => Value::Null,
            },
            Token::Num { .. } => {
                // serde_json's own parser gives the number its exact spelling and type.
                let token = std::str::from_utf8(span(row, ev.start, ev.end)).unwrap_or("");
                Value::Number(token.parse::<Number>().map_err(|_| JsonError {
                    message: "invalid number",
                    offset: ev.start,
                })?)
            }
        };
        match stack.last_mut() {
            None => {
                scanner.finish()?;
                return Ok(value);
            }
            Some(Open::Array(items)) => items.push(value),
            Some(Open::Object(map, key)) => {
                if let Some(old) = map.insert(std::mem::take(key), value) {
                    drop_value(old);
                }
            }
        }
    }
    // The scanner reports running out of input before the value is complete.
    scanner.finish().map(|()| Value::Null)
}

/// The text of the string token at `ev`, for keys and values that become owned.
pub(crate) fn text(buf: &[u8], ev: &Event, escaped: bool) -> Result<String, JsonError> {
    let bad = JsonError {
        message: "invalid string",
        offset: ev.start,
    };
    let content = span(buf, ev.start + 1, ev.end.saturating_sub(1));
    let bytes = if escaped {
        let mut out = Vec::with_capacity(content.len());
        unescape(content, &mut out).ok_or(bad.clone())?;
        out
    } else {
        content.to_vec()
    };
    String::from_utf8(bytes).map_err(|_| bad)
}

/// Drops a `Value` of any depth without recursion (`Value`'s own drop recurses per level).
pub fn drop_value(value: Value) {
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        match value {
            Value::Array(items) => pending.extend(items),
            Value::Object(map) => pending.extend(map.into_iter().map(|(_, v)| v)),
            _ => {}
        }
    }
}

/// Writes a `Value` as serde_json does: pretty with `indent` extra spaces after each newline,
/// or compact when `indent` is `None`. Unlike serde_json's writer, it does not recurse.
pub fn write_value(out: &mut Vec<u8>, value: &Value, indent: Option<usize>) {
    /// An open container: what is left of it, and how many members were written.
    enum Open<'v> {
        Array(std::slice::Iter<'v, Value>, usize),
        Object(serde_json::map::Iter<'v>, usize),
    }
    let mut stack: Vec<Open> = Vec::new();
    let mut next = Some(value);
    loop {
        match next.take() {
            Some(Value::Array(items)) if !items.is_empty() => {
                out.push(b'[');
                stack.push(Open::Array(items.iter(), 0));
            }
            Some(Value::Object(map)) if !map.is_empty() => {
                out.push(b'{');
                stack.push(Open::Object(map.iter(), 0));
            }
            Some(Value::Array(_)) => out.extend_from_slice(b"[]"),
            Some(Value::Object(_)) => out.extend_from_slice(b"{}"),
            Some(Value::Null) => out.extend_from_slice(b"null"),
            Some(Value::Bool(b)) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Some(Value::Number(n)) => out.extend_from_slice(n.as_str().as_bytes()),
            Some(Value::String(s)) => write_str(out, s),
            None => {}
        }
        let depth = stack.len();
        let (member, count) = match stack.last_mut() {
            None => return,
            Some(Open::Array(items, count)) => (items.next().map(|v| (None, v)), count),
            Some(Open::Object(members, count)) => {
                (members.next().map(|(k, v)| (Some(k), v)), count)
            }
        };
        match member {
            Some((key, value)) => {
                separator(out, *count, depth, indent);
                *count += 1;
                if let Some(key) = key {
                    write_str(out, key);
                    out.extend_from_slice(if indent.is_some() { b": " } else { b":" });
                }
                next = Some(value);
            }
            None => {
                let object = matches!(stack.pop(), Some(Open::Object(..)));
                newline(out, depth - 1, indent);
                out.push(if object { b'}' } else { b']' });
            }
        }
    }
}
