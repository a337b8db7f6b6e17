//! The paged searches: a filter POSTed, an answer `{"data": [rows…], "nextCursor": …}`. One
//! pager, `--follow` and `--wait` serve them all, so each is a value rather than a method.

use serde_json::Value;

use super::query::{self, QueryMode, QuerySignal};
use crate::api::{ApiError, Body, Client, Newer, Retry};

/// A route answering a filter with a page of rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Search {
    Spans,
    TraceSummaries,
    Logs,
    Metrics,
    Dashboards,
    /// Log records counted per group (newer servers only).
    LogCounts,
    /// A raw KopaiQuery: rows as the searches give them, paged the same way (newer servers).
    RawQuery(QuerySignal),
}

impl Search {
    /// The route, also named to the user when it fails.
    pub fn path(self) -> &'static str {
        match self {
            Self::Spans => "/signals/traces/search",
            Self::TraceSummaries => "/signals/traces/summaries",
            Self::Logs => "/signals/logs/search",
            Self::Metrics => "/signals/metrics/search",
            Self::Dashboards => "/dashboards/search",
            Self::LogCounts => "/signals/logs/aggregate",
            Self::RawQuery(signal) => query::path(signal, QueryMode::Raw),
        }
    }

    /// What a server without this route lacks, as the user asked for it; `None` for the
    /// routes every Kopai server has.
    fn feature(self) -> Option<Newer> {
        match self {
            Self::LogCounts => Some(Newer::Flag("`logs search --aggregate`")),
            Self::RawQuery(_) => Some(query::FEATURE),
            _ => None,
        }
    }
}

impl Client {
    /// One page of `search` for the filter `body` (with its `cursor`, if any); retried when
    /// it fails in passing.
    pub async fn search(&self, search: Search, body: &Value) -> Result<Body, ApiError> {
        self.send_search(search, body, Retry::Transient).await
    }

    /// The same, sent once: for `--follow` and `--wait`, which poll again themselves.
    pub async fn poll(&self, search: Search, body: &Value) -> Result<Body, ApiError> {
        self.send_search(search, body, Retry::Never).await
    }

    async fn send_search(
        &self,
        search: Search,
        body: &Value,
        retry: Retry,
    ) -> Result<Body, ApiError> {
        match search.feature() {
            Some(feature) => {
                self.post_optional(search.path(), feature, body, retry)
                    .await
            }
            None => self.post(search.path(), body, retry).await,
        }
    }
}
