//! A row's top-level fields for tables, CSV and the waterfall, read straight from the row's
//! text: each field's value stays raw JSON (`&RawValue`), so a span's attributes are never
//! parsed when a table does not show them, and a value of any depth is only ever skipped.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::compact::write_compact;
use super::reindent::first_string_member;
use super::Row;

/// One member of an object: its key (escapes decoded) and its value as written.
type Member<'a> = (Cow<'a, str>, &'a RawValue);

/// A row and the top-level fields read from it.
pub struct RowFields<'a> {
    row: &'a RawValue,
    /// The members of an object row that were asked for, each key once (at its first place,
    /// with its last value, as serde_json's `Value` keeps them); `None` for other rows.
    members: Option<Vec<Member<'a>>>,
}

impl<'a> RowFields<'a> {
    /// Reads `row`'s top-level fields, only those in `keep` when given.
    pub fn read(row: Row<'a>, keep: Option<&[&str]>) -> Self {
        Self {
            row: row.raw(),
            members: members(row.raw(), keep),
        }
    }

    /// The whole row.
    pub fn whole(&self) -> &'a RawValue {
        self.row
    }

    /// The value of a top-level field, as written.
    pub fn get(&self, key: &str) -> Option<&'a RawValue> {
        let members = self.members.as_ref()?;
        members.iter().find(|(k, _)| k == key).map(|&(_, v)| v)
    }

    /// A top-level field that is a string, as text.
    pub fn str(&self, key: &str) -> Option<Cow<'a, str>> {
        self.get(key).filter(|v| v.get().starts_with('"')).map(text)
    }

    /// The first string among `keys` in an object row, read up to that field only: a span's
    /// ID is near its start, so the attributes after it are never scanned. (A key written twice
    /// gives its first value here, where [`RowFields::str`] gives its last, as `Value` does;
    /// only callers for whom either will do, like the recent-ID cache, use this.)
    pub fn first_str(row: Row<'a>, keys: &[&str]) -> Option<Cow<'a, str>> {
        let raw = row.raw().get();
        let (start, end) = first_string_member(raw.as_bytes(), keys)?;
        let token = raw.get(start..end)?;
        match token.get(1..token.len().saturating_sub(1)) {
            Some(inner) if !inner.contains('\\') => Some(Cow::Borrowed(inner)),
            _ => serde_json::from_str(token).ok().map(Cow::Owned),
        }
    }

    /// The keys of an object row, in its order; `None` for other rows.
    pub fn keys(&self) -> Option<impl Iterator<Item = &str>> {
        let members = self.members.as_ref()?;
        Some(members.iter().map(|(k, _)| k.as_ref()))
    }
}

/// The members of an object (only those in `keep`), or `None` for any other value.
pub fn members<'a>(value: &'a RawValue, keep: Option<&[&str]>) -> Option<Vec<Member<'a>>> {
    // A number is not an object, though serde_json hands it to a visitor as a map.
    if !value.get().starts_with('{') {
        return None;
    }
    let mut de = serde_json::Deserializer::from_str(value.get());
    de.deserialize_map(Members { keep }).ok()
}

/// A value as text for a cell: strings bare, `null` empty, numbers as the server spelled them,
/// everything else as compact JSON (as NDJSON prints it).
pub fn text(value: &RawValue) -> Cow<'_, str> {
    let raw = value.get();
    match raw.as_bytes().first() {
        Some(b'"') if !raw.contains('\\') => Cow::Borrowed(raw.get(1..raw.len() - 1).unwrap_or("")),
        Some(b'"') => Cow::Owned(serde_json::from_str(raw).unwrap_or_default()),
        Some(b'n') => Cow::Borrowed(""),
        Some(b'-' | b'0'..=b'9') => Cow::Borrowed(raw),
        _ => {
            let mut out = Vec::with_capacity(raw.len());
            write_compact(&mut out, raw.as_bytes(), None);
            Cow::Owned(String::from_utf8_lossy(&out).into_owned())
        }
    }
}

/// A number's value as a double, when it is a number within a double's range.
pub fn number(value: &RawValue) -> Option<f64> {
    let raw = value.get();
    if !matches!(raw.as_bytes().first(), Some(b'-' | b'0'..=b'9')) {
        return None;
    }
    raw.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Whether a value is a JSON string.
pub fn is_string(value: &RawValue) -> bool {
    value.get().starts_with('"')
}

/// Collects an object's members, each key once.
struct Members<'k> {
    keep: Option<&'k [&'k str]>,
}

impl<'de> Visitor<'de> for Members<'_> {
    type Value = Vec<Member<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members: Vec<Member<'de>> = Vec::new();
        while let Some(key) = map.next_key_seed(Key)? {
            if self.keep.is_some_and(|keep| !keep.contains(&key.as_ref())) {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let value = map.next_value::<&RawValue>()?;
            match members.iter_mut().find(|(k, _)| *k == key) {
                Some(member) => member.1 = value,
                None => members.push((key, value)),
            }
        }
        Ok(members)
    }
}

/// A key, borrowed from the row unless it holds escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(key))
    }

    fn visit_str<E>(self, key: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(key.to_owned()))
    }
}
