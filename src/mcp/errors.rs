//! Tool errors an agent can act on: a kind from a small documented set, a message, and
//! optionally the issues found and what to try instead. Sent as `isError: true` results, not
//! JSON-RPC errors, so the model sees them.

use serde_json::{json, Map, Value};

use crate::api::ApiError;
use crate::secret::redact;
use crate::term::sanitize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    InvalidInput,
    NotFound,
    Unauthorized,
    Unsupported,
    ResultTooLarge,
    UpstreamError,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::InvalidInput => "invalid_input",
            Kind::NotFound => "not_found",
            Kind::Unauthorized => "unauthorized",
            Kind::Unsupported => "unsupported",
            Kind::ResultTooLarge => "result_too_large",
            Kind::UpstreamError => "upstream_error",
        }
    }
}

#[derive(Debug)]
pub struct ToolError {
    pub kind: Kind,
    pub message: String,
    pub issues: Vec<String>,
    pub remedies: Vec<String>,
}

impl ToolError {
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            issues: Vec::new(),
            remedies: Vec::new(),
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(Kind::InvalidInput, message)
    }

    pub fn with_issue(mut self, issue: impl Into<String>) -> Self {
        self.issues.push(issue.into());
        self
    }

    pub fn with_remedies(mut self, remedies: impl IntoIterator<Item = String>) -> Self {
        self.remedies.extend(remedies);
        self
    }

    /// `{error, message, issues?, remedies?}`, `error` first. Server text in it was already
    /// sanitised where it was taken in.
    pub fn payload(&self) -> Value {
        let mut payload = Map::new();
        payload.insert("error".into(), json!(self.kind.name()));
        payload.insert("message".into(), json!(self.message));
        if !self.issues.is_empty() {
            payload.insert("issues".into(), json!(self.issues));
        }
        if !self.remedies.is_empty() {
            payload.insert("remedies".into(), json!(self.remedies));
        }
        Value::Object(payload)
    }
}

impl From<ApiError> for ToolError {
    fn from(error: ApiError) -> Self {
        let kind = match &error {
            ApiError::Unauthorized | ApiError::TokenRequired | ApiError::Forbidden { .. } => {
                Kind::Unauthorized
            }
            ApiError::Unsupported { .. } => Kind::Unsupported,
            ApiError::Status { status: 404, .. } => Kind::NotFound,
            ApiError::Status { status: 400, .. } => Kind::InvalidInput,
            _ => Kind::UpstreamError,
        };
        let mut tool_error = ToolError::new(kind, shown(&error.headline()));
        if let Some(detail) = error.detail() {
            tool_error = tool_error.with_issue(shown(detail));
        }
        let remedy = match &error {
            ApiError::Unauthorized | ApiError::TokenRequired => {
                Some("the user must run `kopai login` (or set KOPAI_TOKEN) and restart the server")
            }
            ApiError::Timeout { .. } => Some(
                "narrow the time window or the filter; the user can raise `kopai mcp --timeout`",
            ),
            ApiError::Unsupported { .. } => {
                Some("use the search tools instead, which every Kopai server has")
            }
            _ => None,
        };
        tool_error.with_remedies(remedy.map(str::to_owned))
    }
}

/// A server's text on one line, without control characters and with anything that looks
/// like a token (or a URL's password) hidden: a server may echo what it was sent.
fn shown(text: &str) -> String {
    redact(&sanitize(text), &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_puts_error_first_and_leaves_out_empty_lists() {
        let payload = ToolError::invalid("bad").payload();
        assert_eq!(
            payload.to_string(),
            r#"{"error":"invalid_input","message":"bad"}"#
        );
    }

    #[test]
    fn a_server_400_is_invalid_input_with_its_detail_as_an_issue() {
        let error = ToolError::from(ApiError::Status {
            status: 400,
            title: "Invalid data".into(),
            detail: Some("body/limit \u{1b}[31mtoo big".into()),
            request: "POST http://127.0.0.1:8000/signals/traces/search".into(),
        });
        assert_eq!(error.kind, Kind::InvalidInput);
        assert_eq!(error.issues, ["body/limit \u{fffd}[31mtoo big"]);
    }
}
