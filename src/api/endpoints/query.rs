//! KopaiQuery (newer servers): one JSON query model for every signal, raw rows or aggregates,
//! each pair on its own route. The server checks that the body's `signal` and `mode` match
//! the route.

use serde_json::{json, Value};

use crate::api::{ApiError, Body, Client, Newer, Retry};

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
pub(super) const FEATURE: Newer = Newer::Queries;

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

    /// Whether this server has KopaiQuery, asked with the smallest query there is (sent once:
    /// the caller bounds it with its own timeout). A 404 is remembered as for any route only
    /// newer servers have; a 400 means the route is there.
    pub async fn supports_query(&self) -> Result<bool, ApiError> {
        let probe = json!({"signal": "traces", "mode": "raw", "limit": 1,
            "timeDimension": {"type": "relative", "lookback": "1m"}});
        let route = path(QuerySignal::Traces, QueryMode::Raw);
        match self
            .post_optional(route, FEATURE, &probe, Retry::Never)
            .await
        {
            Ok(_) | Err(ApiError::Status { status: 400, .. }) => Ok(true),
            Err(ApiError::Unsupported { .. }) => Ok(false),
            Err(other) => Err(other),
        }
    }
}

#[cfg(test)]
mod tests;
