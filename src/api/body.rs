//! A successful answer's body, with where it came from, so whatever reads it can say which
//! answer was not the shape it expected.

use serde_json::Value;

use super::ApiError;

pub struct Body {
    pub bytes: Vec<u8>,
    content_type: Option<String>,
    /// The request's URL, for errors about this answer.
    url: String,
}

impl Body {
    pub(super) fn new(bytes: Vec<u8>, content_type: Option<String>, url: String) -> Self {
        Self {
            bytes,
            content_type,
            url,
        }
    }

    /// The URL that answered.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// An "unexpected response" error: this answer does not have the shape it should.
    pub fn unexpected(&self, message: &str) -> ApiError {
        ApiError::unexpected(&self.url, message)
    }

    /// The error for a body that is not the JSON it should be.
    pub fn not_json(&self) -> ApiError {
        let kind = self.content_type.as_deref().unwrap_or("no content type");
        self.unexpected(&format!("expected JSON, got {kind}"))
    }

    /// The body parsed as JSON, or [`Body::not_json`].
    pub fn json(&self) -> Result<Value, ApiError> {
        serde_json::from_slice(&self.bytes).map_err(|_| self.not_json())
    }

    /// The body as text (the dashboard schema is markdown).
    pub fn text(&self) -> Result<&str, ApiError> {
        std::str::from_utf8(&self.bytes).map_err(|_| self.unexpected("the body is not UTF-8 text"))
    }
}
