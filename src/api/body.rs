//! A successful answer's body, with where it came from, so whatever reads it can say which
//! answer was not the shape it expected.

use serde_json::Value;

use super::ApiError;

/// How deep serde_json nests before it stops (its recursion limit).
const MAX_DEPTH: usize = 128;

pub struct Body {
    pub bytes: Vec<u8>,
    content_type: Option<String>,
    /// The request's URL, for errors about this answer.
    url: String,
    /// The server's `Date` header, for `doctor`'s clock check.
    date: Option<String>,
}

impl Body {
    pub(super) fn new(
        bytes: Vec<u8>,
        content_type: Option<String>,
        url: String,
        date: Option<String>,
    ) -> Self {
        Self {
            bytes,
            content_type,
            url,
            date,
        }
    }

    /// The server's clock when it answered (its `Date` header, as sent).
    pub fn date(&self) -> Option<&str> {
        self.date.as_deref()
    }

    /// The URL that answered.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// An "unexpected response" error: this answer does not have the shape it should.
    pub fn unexpected(&self, message: &str) -> ApiError {
        ApiError::unexpected(&self.url, message)
    }

    /// The error for a body that is not the JSON it should be, `why` saying what is wrong
    /// with it: when the content type is not JSON (an HTML page from a proxy), that says it.
    pub fn not_json(&self, why: &str) -> ApiError {
        match self.content_type.as_deref() {
            Some(kind) if is_json_type(kind) => self.unexpected(&format!("not valid JSON: {why}")),
            kind => {
                let kind = kind.unwrap_or("no content type");
                self.unexpected(&format!("expected JSON, got {kind}"))
            }
        }
    }

    /// The body parsed as JSON, or an error saying what is wrong with it.
    pub fn json(&self) -> Result<Value, ApiError> {
        serde_json::from_slice(&self.bytes).map_err(|e| self.invalid_json(&e))
    }

    /// The error for serde_json's verdict on this body: what is wrong, and at which byte.
    pub fn invalid_json(&self, e: &serde_json::Error) -> ApiError {
        if e.line() == 0 {
            // A check of kopai's own: its message says where.
            return self.not_json(&e.to_string());
        }
        let (what, at) = split_position(e);
        if what == "recursion limit exceeded" {
            // Valid JSON, but deeper than serde_json builds without risking the stack.
            return self.unexpected(&format!(
                "the JSON is nested more than {MAX_DEPTH} levels deep, more than kopai reads"
            ));
        }
        let offset = byte_offset(&self.bytes, e.line(), e.column());
        self.not_json(&format!("{what} at byte {offset}{at}"))
    }

    /// The body as text (the dashboard schema is markdown).
    pub fn text(&self) -> Result<&str, ApiError> {
        std::str::from_utf8(&self.bytes).map_err(|_| self.unexpected("the body is not UTF-8 text"))
    }
}

/// `application/json`, `application/problem+json` and the like, in any case, with parameters.
fn is_json_type(content_type: &str) -> bool {
    let media = content_type.split(';').next().unwrap_or_default().trim();
    let media = media.to_ascii_lowercase();
    media == "application/json" || media.ends_with("+json")
}

/// serde_json's message without the position it ends with, and the position as
/// ` (line L, column C)` when the body has more than one line (else the byte says it all).
fn split_position(error: &serde_json::Error) -> (String, String) {
    let text = error.to_string();
    let what = match text.rsplit_once(" at line ") {
        Some((what, _)) => what.to_owned(),
        None => text,
    };
    let at = if error.line() > 1 {
        format!(" (line {}, column {})", error.line(), error.column())
    } else {
        String::new()
    };
    (what, at)
}

/// The byte offset (from 0) of serde_json's 1-based line and column, which count bytes.
fn byte_offset(bytes: &[u8], line: usize, column: usize) -> usize {
    let line_start = match line {
        0 | 1 => 0,
        _ => bytes
            .iter()
            .enumerate()
            .filter(|&(_, &b)| b == b'\n')
            .nth(line - 2)
            .map_or(bytes.len(), |(i, _)| i + 1),
    };
    (line_start + column.saturating_sub(1)).min(bytes.len())
}
