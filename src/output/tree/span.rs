//! A span as the waterfall reads it from a row: only the fields it draws, borrowed from the
//! response body where they need no decoding, so a big trace costs little more than its body.
//! Text is kept as sent (the trace's link encodes it); it is made safe where it is shown.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::output::human::ns_of;
use crate::output::json::{text, Row};

/// The fields of a span the waterfall reads, in the order of [`Fields`]' slots.
const FIELDS: [&str; 8] = [
    "SpanId",
    "ParentSpanId",
    "SpanName",
    "ServiceName",
    "StatusMessage",
    "Timestamp",
    "Duration",
    "StatusCode",
];

pub struct Span<'a> {
    pub id: Cow<'a, str>,
    pub parent: Cow<'a, str>,
    pub name: Cow<'a, str>,
    pub service: Cow<'a, str>,
    pub message: Cow<'a, str>,
    /// Nanoseconds, within 64 bits: the server's range, which keeps every sum below in range.
    pub start: u64,
    pub duration: u64,
    pub error: bool,
}

impl<'a> Span<'a> {
    /// A span from a checked row (the rows `kopai mcp` builds).
    pub fn read(row: Row<'a>) -> Self {
        Self::from(Fields::of(row.raw()))
    }

    fn from(fields: Fields<'a>) -> Self {
        let text = |slot: usize| fields.0[slot].map(text).unwrap_or_default();
        let id = |slot: usize| {
            let id = text(slot);
            if id.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(id.to_ascii_lowercase())
            } else {
                id
            }
        };
        let ns = |slot: usize| {
            let ns = fields.0[slot].and_then(ns_of).unwrap_or(0);
            ns.clamp(0, i128::from(u64::MAX)) as u64
        };
        let status = text(7);
        let error = status.eq_ignore_ascii_case("ERROR")
            || status.eq_ignore_ascii_case("STATUS_CODE_ERROR");
        Self {
            id: id(0),
            parent: id(1),
            name: text(2),
            service: text(3),
            message: text(4),
            start: ns(5),
            duration: ns(6),
            error,
        }
    }

    /// A field the trace's link reads, by the server's name for it.
    pub fn field(&self, key: &str) -> Option<Cow<'_, str>> {
        match key {
            "ParentSpanId" => Some(Cow::Borrowed(&self.parent)),
            "ServiceName" => Some(Cow::Borrowed(&self.service)),
            "Timestamp" => Some(Cow::Owned(self.start.to_string())),
            _ => None,
        }
    }

    /// When it started, if its row said: a missing or unreadable `Timestamp` reads as 0.
    pub fn started(&self) -> Option<u64> {
        (self.start > 0).then_some(self.start)
    }

    pub fn end(&self) -> u64 {
        self.start.saturating_add(self.duration)
    }
}

/// The values of [`FIELDS`] in one row, read in one pass that skips every other field (a
/// span's attributes, events and links) without building it. A key given twice keeps its last
/// value, as serde_json's `Value` does.
struct Fields<'a>([Option<&'a RawValue>; FIELDS.len()]);

impl<'a> Fields<'a> {
    fn of(row: &'a RawValue) -> Self {
        // A row is checked JSON; one that is not an object has none of the fields.
        if !row.get().starts_with('{') {
            return Self::NONE;
        }
        let mut de = serde_json::Deserializer::from_str(row.get());
        de.deserialize_map(FieldsVisitor).unwrap_or(Self::NONE)
    }

    const NONE: Self = Self([None; FIELDS.len()]);
}

/// A span read straight from the body, as an element of the answer's array
/// (`json::read_rows`): any value that is not an object has none of the fields.
impl<'de> Deserialize<'de> for Span<'de> {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        de.deserialize_any(AnyRow).map(Span::from)
    }
}

/// A row of any kind, as the fields of a span.
struct AnyRow;

impl<'de> Visitor<'de> for AnyRow {
    type Value = Fields<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a span")
    }

    // (serde_json hands a number too long for a machine type to a visitor as a map, whose key
    // is none of the fields.)
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        FieldsVisitor.visit_map(map)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Fields::NONE)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Fields::NONE)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Fields::NONE)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Fields::NONE)
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Fields::NONE)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Fields::NONE)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Fields::NONE)
    }
}

struct FieldsVisitor;

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Fields<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a span")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = Fields::NONE;
        while let Some(Slot(slot)) = map.next_key()? {
            match slot {
                Some(slot) => fields.0[slot] = Some(map.next_value()?),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(fields)
    }
}

/// A key, as the slot of [`FIELDS`] it names (if any); never kept, so never copied.
struct Slot(Option<usize>);

impl<'de> Deserialize<'de> for Slot {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        de.deserialize_str(SlotVisitor)
    }
}

struct SlotVisitor;

impl Visitor<'_> for SlotVisitor {
    type Value = Slot;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E>(self, key: &str) -> Result<Slot, E> {
        Ok(Slot(FIELDS.iter().position(|f| *f == key)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_reads_its_fields_and_skips_the_rest() {
        let text = br#"{"SpanAttributes": {"SpanName": "not this"}, "SpanId": "AB12",
            "SpanName": "first", "Span\u004eame": "checkout\u0021",
            "Timestamp": "1795820420445000000", "Duration": 60,
            "StatusCode": "status_code_error"}"#;
        let span = Span::read(Row::parse(text).unwrap());
        assert_eq!(span.id, "ab12");
        assert_eq!(span.name, "checkout!");
        assert_eq!(span.start, 1_795_820_420_445_000_000);
        assert_eq!(span.duration, 60);
        assert!(span.error);
        assert_eq!(span.parent, "");
        assert_eq!(
            Span::read(Row::parse(br#"["SpanId", "x"]"#).unwrap()).id,
            ""
        );
    }
}
