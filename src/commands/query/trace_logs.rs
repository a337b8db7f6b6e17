//! `traces get ID --logs`: the trace's log records, fetched through the logs search (one
//! bounded page, oldest first) for the waterfall to place under their spans.

use serde_json::json;

use super::checked_page;
use crate::api::{ApiError, Body, Client, Search};
use crate::output::{Page, TraceLogs};
use crate::term::sanitize;

/// How many of a trace's log records are fetched: one page, the oldest first.
pub const LIMIT: usize = 1000;

pub async fn fetch(client: &Client, trace_id: &str) -> Result<Body, ApiError> {
    let filter = json!({ "traceId": trace_id, "limit": LIMIT, "sortOrder": "ASC" });
    client.search(Search::Logs, &filter).await
}

/// Why the logs the waterfall was to show are missing: one line, the spans drawn regardless
/// (they are what was asked for first).
pub fn missing(error: &ApiError) {
    errln!(
        "warning: the trace's logs are not shown: POST {} failed: {}",
        Search::Logs.path(),
        sanitize(&error.to_string())
    );
}

/// The answer's rows, checked.
pub fn page(answer: &Body) -> Result<Page<'_>, ApiError> {
    checked_page(answer, Some("data"))
}

/// The records as the waterfall reads them; a full page may not be all of them.
pub fn read<'a>(page: &Page<'a>) -> TraceLogs<'a> {
    TraceLogs::read(&page.rows, page.rows.len() >= LIMIT)
}
