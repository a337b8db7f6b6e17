//! KopaiQuery (newer servers): one JSON query model for every signal, raw rows or aggregates,
//! each pair on its own route. The server checks that the body's `signal` and `mode` match
//! the route.

use serde_json::Value;

use crate::api::{ApiError, Body, Client, Retry};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuerySignal {
    Traces,
    Logs,
    Metrics,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryMode {
    /// Rows as the searches return them, paged with `nextCursor`.
    Raw,
    /// Measures per group, in one page: `{"data": [{dimension…, alias…}…]}`.
    Aggregate,
}

/// What a server without the query routes lacks.
pub(super) const FEATURE: &str = "KopaiQuery";

pub(super) fn path(signal: QuerySignal, mode: QueryMode) -> &'static str {
    use QueryMode::{Aggregate, Raw};
    use QuerySignal::{Logs, Metrics, Traces};
    match (signal, mode) {
        (Traces, Raw) => "/signals/query/traces/raw",
        (Traces, Aggregate) => "/signals/query/traces/aggregate",
        (Logs, Raw) => "/signals/query/logs/raw",
        (Logs, Aggregate) => "/signals/query/logs/aggregate",
        (Metrics, Raw) => "/signals/query/metrics/raw",
        (Metrics, Aggregate) => "/signals/query/metrics/aggregate",
    }
}

impl Client {
    /// Runs one KopaiQuery; a server that predates KopaiQuery is
    /// [`ApiError::Unsupported`]. A read, so retried when it fails in passing.
    pub async fn query(
        &self,
        signal: QuerySignal,
        mode: QueryMode,
        body: &Value,
    ) -> Result<Body, ApiError> {
        self.post_optional(path(signal, mode), FEATURE, body, Retry::Transient)
            .await
    }
}

#[cfg(test)]
mod tests;
