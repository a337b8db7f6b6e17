//! What this server supports, found out once per process and kept for the rest of it: the
//! routes only newer servers have (a 404 there means "an older version", said the same way
//! for every feature), and how its backend spells span statuses and kinds.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Mutex, PoisonError};

use serde_json::{json, Value};

use super::endpoints::Search;
use super::{ApiError, Body, Client, Newer, Retry};

/// How a backend spells span statuses and kinds: the SQLite backend stores OTLP enum names
/// (`STATUS_CODE_ERROR`, `SPAN_KIND_SERVER`), ClickHouse stores `Error` and `Server`. The server
/// compares a filter with the stored string exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendStyle {
    Otlp,
    ClickHouse,
}

impl BackendStyle {
    /// The style of a stored value (`STATUS_CODE_OK`, `Ok`), if it shows one.
    pub fn of_stored(value: &str) -> Option<Self> {
        if value.starts_with("STATUS_CODE_") || value.starts_with("SPAN_KIND_") {
            Some(Self::Otlp)
        } else if value.is_empty() {
            None
        } else {
            Some(Self::ClickHouse)
        }
    }
}

/// What was learnt about one server (by its base URL).
#[derive(Default)]
struct Known {
    /// Routes that answered 404.
    missing: HashSet<&'static str>,
    style: Option<BackendStyle>,
}

/// Per process: a long-running caller asks once, and two clients of one run share it.
static KNOWN: Mutex<BTreeMap<String, Known>> = Mutex::new(BTreeMap::new());

impl Client {
    fn known<T>(&self, read: impl FnOnce(&mut Known) -> T) -> T {
        let mut known = KNOWN.lock().unwrap_or_else(PoisonError::into_inner);
        read(known.entry(self.base.as_str().to_owned()).or_default())
    }

    /// POSTs to a route only newer servers have. Its 404 is [`ApiError::Unsupported`],
    /// remembered, so asking again sends nothing.
    pub(super) async fn post_optional(
        &self,
        path: &'static str,
        feature: Newer,
        body: &Value,
        retry: Retry,
    ) -> Result<Body, ApiError> {
        let unsupported = || ApiError::Unsupported { feature };
        if self.known(|known| known.missing.contains(path)) {
            return Err(unsupported());
        }
        match self.post(path, body, retry).await {
            // Any 404: these routes name nothing that could be missing but the route itself.
            Err(ApiError::Status { status: 404, .. }) => {
                self.known(|known| known.missing.insert(path));
                Err(unsupported())
            }
            other => other,
        }
    }

    /// How this server spells statuses and kinds, learnt from one recent span (one request,
    /// the first time). A server without spans gets the OTLP spelling of the SQLite backend
    /// Kopai ships with (and is asked again next time, as it may have spans by then).
    pub async fn backend_style(&self) -> Result<BackendStyle, ApiError> {
        if let Some(style) = self.known(|known| known.style) {
            return Ok(style);
        }
        let answer = self.search(Search::Spans, &json!({"limit": 1})).await?;
        let answer = answer.json()?;
        let first = answer.get("data").and_then(|d| d.get(0));
        let style = first.and_then(|row| {
            ["StatusCode", "SpanKind"]
                .iter()
                .filter_map(|key| row.get(*key)?.as_str())
                .find_map(BackendStyle::of_stored)
        });
        if let Some(style) = style {
            self.known(|known| known.style = Some(style));
        }
        Ok(style.unwrap_or(BackendStyle::Otlp))
    }
}

#[cfg(test)]
mod tests;
