//! A span as the waterfall reads it from a row: only the fields it draws.

use crate::output::cell::{enum_text, plain};
use crate::output::human::ns_of;
use crate::output::json::RowFields;
use crate::term::sanitize;

/// The fields of a span the waterfall reads (its link reads a few of them too).
pub const WATERFALL_FIELDS: &[&str] = &[
    "SpanId",
    "ParentSpanId",
    "SpanName",
    "ServiceName",
    "Timestamp",
    "Duration",
    "StatusCode",
    "StatusMessage",
];

pub(super) struct Span {
    pub id: String,
    pub parent: String,
    pub name: String,
    pub service: String,
    pub start: i128,
    pub duration: i128,
    pub error: bool,
    pub message: String,
}

impl Span {
    pub fn of(row: &RowFields) -> Self {
        let text = |key: &str| sanitize(&row.get(key).map(plain).unwrap_or_default()).into_owned();
        // Nanoseconds are 64-bit on the server; anything beyond cannot be a real time, and
        // keeping within that range keeps every sum and product below in range too.
        let ns = |key: &str| {
            let ns = row.get(key).and_then(ns_of).unwrap_or(0);
            ns.clamp(0, i128::from(u64::MAX))
        };
        Self {
            id: text("SpanId").to_ascii_lowercase(),
            parent: text("ParentSpanId").to_ascii_lowercase(),
            name: text("SpanName"),
            service: text("ServiceName"),
            start: ns("Timestamp"),
            duration: ns("Duration"),
            error: enum_text(&text("StatusCode"), "STATUS_CODE_") == "ERROR",
            message: text("StatusMessage"),
        }
    }
}
