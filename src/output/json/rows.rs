//! Checking a whole response once and cutting out its rows.
//!
//! serde_json checks the body and hands out each row as raw text (`&RawValue`); skipping a
//! value in serde_json keeps no call stack per level, so rows of any depth pass. Every row is
//! then a [`Row`], which the printers may trust to be JSON.

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use serde::de::{
    Deserialize, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_json::value::RawValue;

/// One JSON value that has been checked: a row of a page as the server wrote it, or one the
/// CLI built ([`BuiltRow`]). Only this module makes one, so the printers never see bytes that
/// are not JSON.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a>(&'a RawValue);

impl<'a> Row<'a> {
    /// Checks that `text` is one JSON value (whitespace around it allowed), as serde_json would.
    #[cfg(test)]
    pub fn parse(text: &'a [u8]) -> Result<Self, serde_json::Error> {
        let text =
            std::str::from_utf8(text).map_err(|e| not_json("invalid UTF-8", e.valid_up_to()))?;
        let raw: &RawValue = serde_json::from_str(text)?;
        check_surrogates(text)?;
        Ok(Row(raw))
    }

    pub fn as_bytes(&self) -> &'a [u8] {
        self.0.get().as_bytes()
    }

    pub fn raw(&self) -> &'a RawValue {
        self.0
    }

    /// The row's text when it is a JSON string (a service name).
    pub fn as_text(&self) -> Option<std::borrow::Cow<'a, str>> {
        super::fields::is_string(self.0).then(|| super::fields::text(self.0))
    }
}

impl Deref for Row<'_> {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        self.as_bytes()
    }
}

/// A row the CLI built itself (a flattened aggregate, a dashboard, a report), serialised once,
/// so it prints through the same printers as the rows of an answer.
pub struct BuiltRow(Box<RawValue>);

impl BuiltRow {
    pub fn new(value: &impl serde::Serialize) -> serde_json::Result<Self> {
        serde_json::value::to_raw_value(value).map(BuiltRow)
    }

    pub fn row(&self) -> Row<'_> {
        Row(&self.0)
    }
}

/// The rows of one response page, borrowed from its body.
#[derive(Debug)]
pub struct Page<'a> {
    /// Each element of the row array, exactly as the server wrote it.
    pub rows: Vec<Row<'a>>,
    /// The top-level `nextCursor`, when it is a non-empty string.
    pub next_cursor: Option<String>,
}

/// Why a body has no rows to print.
#[derive(Debug)]
pub enum ShapeError {
    /// Not JSON that serde_json would accept.
    NotJson(serde_json::Error),
    /// JSON, but without the expected array; says what was expected.
    Shape(String),
}

impl fmt::Display for ShapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShapeError::NotJson(e) => write!(f, "not JSON: {e}"),
            ShapeError::Shape(expected) => f.write_str(expected),
        }
    }
}

impl std::error::Error for ShapeError {}

impl From<serde_json::Error> for ShapeError {
    fn from(e: serde_json::Error) -> Self {
        ShapeError::NotJson(e)
    }
}

/// Validates the whole body and returns the rows of the array at top-level `key`, or of a
/// bare top-level array when `key` is `None`. Like serde_json, a repeated key counts once,
/// with its last value.
pub fn split_rows<'a>(body: &'a [u8], key: Option<&str>) -> Result<Page<'a>, ShapeError> {
    let text = std::str::from_utf8(body).map_err(|e| not_json("invalid UTF-8", e.valid_up_to()))?;
    let mut de = serde_json::Deserializer::from_str(text);
    let page = match key {
        None => (&mut de).deserialize_any(Rows)?.map(|rows| Page {
            rows,
            next_cursor: None,
        }),
        Some(key) => (&mut de).deserialize_any(Answer { key })?,
    };
    de.end()?;
    check_surrogates(text)?;
    page.ok_or_else(|| {
        ShapeError::Shape(match key {
            Some(key) => format!("expected an object with a `{key}` array"),
            None => "expected an array".to_owned(),
        })
    })
}

/// Like [`split_rows`] for a bare top-level array, but each element is read as a `T` in the
/// same pass, and no raw text is kept: the waterfall reads a span's few fields so, where a
/// second pass over every row cost it a third of `--json`'s time. `T` must accept any value.
pub fn read_rows<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<Vec<T>, ShapeError> {
    let text = std::str::from_utf8(body).map_err(|e| not_json("invalid UTF-8", e.valid_up_to()))?;
    let mut de = serde_json::Deserializer::from_str(text);
    let rows = (&mut de).deserialize_any(Elements(PhantomData))?;
    de.end()?;
    check_surrogates(text)?;
    rows.ok_or_else(|| ShapeError::Shape("expected an array".to_owned()))
}

/// serde_json checks the escapes of a value it skips only for their form, so a lone surrogate
/// (`"\ud800"`), which its `Value` parser refuses, would pass in a raw row. In checked JSON every
/// backslash starts an escape, so looking at each one is enough.
fn check_surrogates(text: &str) -> Result<(), serde_json::Error> {
    let bytes = text.as_bytes();
    let unit = |at: usize| {
        let hex = bytes.get(at..at + 4)?;
        u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
    };
    let is = |at: usize, range: std::ops::Range<u32>| {
        bytes.get(at..at + 2) == Some(b"\\u") && unit(at + 2).is_some_and(|u| range.contains(&u))
    };
    let mut at = 0;
    while let Some(found) = bytes.get(at..).and_then(|rest| memchr::memchr(b'\\', rest)) {
        let i = at + found;
        at = if is(i, 0xD800..0xDC00) {
            if !is(i + 6, 0xDC00..0xE000) {
                return Err(not_json("lone surrogate in a string escape", i));
            }
            i + 12
        } else if is(i, 0xDC00..0xE000) {
            return Err(not_json("lone surrogate in a string escape", i));
        } else if bytes.get(i + 1) == Some(&b'u') {
            i + 6
        } else {
            i + 2
        };
    }
    Ok(())
}

/// An error of kopai's own checks, which serde_json cannot place: it says the byte.
fn not_json(what: &str, offset: usize) -> serde_json::Error {
    serde::de::Error::custom(format!("{what} at byte {offset}"))
}

/// A visitor's answer to a string, number, boolean or `null` where it looks for a container:
/// `None`. (serde_json hands a number that fits no machine type to a visitor as a map.)
macro_rules! scalars_are_none {
    () => {
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    };
}

/// The elements of an array as rows; `None` for any other value (skipped whole).
struct Rows;

impl<'de> Visitor<'de> for Rows {
    type Value = Option<Vec<Row<'de>>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of rows")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut rows = Vec::new();
        while let Some(row) = seq.next_element::<&'de RawValue>()? {
            rows.push(Row(row));
        }
        Ok(Some(rows))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    scalars_are_none!();
}

impl<'de> DeserializeSeed<'de> for Rows {
    type Value = Option<Vec<Row<'de>>>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_any(self)
    }
}

/// The elements of an array, each as a `T`; `None` for any other value (skipped whole).
struct Elements<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for Elements<T> {
    type Value = Option<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of rows")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut rows = Vec::new();
        while let Some(row) = seq.next_element::<T>()? {
            rows.push(row);
        }
        Ok(Some(rows))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    scalars_are_none!();
}

/// An answer object: the rows under `key`, and `nextCursor`.
struct Answer<'k> {
    key: &'k str,
}

/// What a top-level key of an answer is to us.
enum Member {
    Rows,
    Cursor,
    Other,
}

impl<'de> Visitor<'de> for Answer<'_> {
    type Value = Option<Page<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "an object with a `{}` array", self.key)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut rows = None;
        let mut next_cursor = None;
        while let Some(member) = map.next_key_seed(MemberName(self.key))? {
            match member {
                Member::Rows => rows = map.next_value_seed(Rows)?,
                Member::Cursor => {
                    let raw = map.next_value::<&RawValue>()?;
                    next_cursor = serde_json::from_str::<String>(raw.get())
                        .ok()
                        .filter(|c| !c.is_empty());
                }
                Member::Other => drop(map.next_value::<IgnoredAny>()?),
            }
        }
        Ok(rows.map(|rows| Page { rows, next_cursor }))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    scalars_are_none!();
}

/// Reads a key of an answer (escapes decoded) as a [`Member`].
struct MemberName<'k>(&'k str);

impl<'de> DeserializeSeed<'de> for MemberName<'_> {
    type Value = Member;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Member, D::Error> {
        de.deserialize_str(self)
    }
}

impl Visitor<'_> for MemberName<'_> {
    type Value = Member;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E>(self, name: &str) -> Result<Member, E> {
        Ok(if name == self.0 {
            Member::Rows
        } else if name == "nextCursor" {
            Member::Cursor
        } else {
            Member::Other
        })
    }
}
