//! The candidates of an ambiguous prefix, each described as the trace it is (start, root span,
//! service) so a person can tell them apart. The cache holds only IDs and when they were
//! printed, and a KopaiQuery lookup finds only IDs, so the rest is fetched: one small span
//! search per candidate, for the few that are listed, stopping at the first failure.

use std::borrow::Cow;

use serde_json::{json, Value};

use crate::api::{Client, Search};
use crate::commands::Context;
use crate::error::UserError;
use crate::links;
use crate::term::sanitize;

/// At most this many candidates are listed (and fetched); the rest are counted.
const LISTED: usize = 10;
/// Spans read per candidate, earliest first, to find its root.
const SPANS_PER_CANDIDATE: u32 = 20;

pub struct Candidate {
    pub id: String,
    /// When kopai printed it (seconds), for a candidate from the cache.
    printed: Option<i64>,
    details: Details,
}

pub enum Details {
    /// Not fetched (yet).
    Pending,
    /// The trace's start in nanoseconds, its root span's name and service, as far as known.
    Known {
        start_ns: Option<i128>,
        root_span: Option<String>,
        service: Option<String>,
    },
    /// The server has no spans for it.
    Gone,
}

impl Candidate {
    pub fn new(id: String, printed: Option<i64>, details: Details) -> Self {
        Self {
            id,
            printed,
            details,
        }
    }

    fn line(&self) -> String {
        let id = &self.id;
        let printed = self
            .printed
            .map(|secs| format!("  (printed {})", seen_at(secs)))
            .unwrap_or_default();
        match &self.details {
            Details::Known {
                start_ns,
                root_span,
                service,
            } => {
                let start = start_text(*start_ns);
                let root = root_span.as_deref().unwrap_or("?");
                let service = service.as_deref().unwrap_or("?");
                format!("  {id}  {start}  {root}  ({service})")
            }
            Details::Gone => format!("  {id}  no spans on the server now{printed}"),
            Details::Pending => format!("  {id}{printed}"),
        }
    }
}

impl Details {
    /// From a trace summary (`/signals/traces/summaries`), which has it all.
    pub fn of_summary(row: &Value) -> Self {
        Details::Known {
            start_ns: nanoseconds(row, "startTimeNs"),
            root_span: text(row, "rootSpanName"),
            service: text(row, "rootServiceName"),
        }
    }

    /// From a trace's earliest spans: its root's, or the earliest span's when the root is not
    /// among them.
    fn of_spans(spans: &[Value]) -> Self {
        let field = |span, key: &str| -> Option<Cow<'_, str>> {
            Value::get(span, key).and_then(Value::as_str).map(Cow::from)
        };
        match links::root_span(spans, field) {
            Some(root) => Details::Known {
                start_ns: nanoseconds(root, "Timestamp"),
                root_span: text(root, "SpanName"),
                service: text(root, "ServiceName"),
            },
            None => Details::Gone,
        }
    }
}

/// The error for a prefix several remembered IDs start with (newest first), each described
/// from the server.
pub async fn from_cache(ctx: &Context, prefix: &str, matches: Vec<(i64, String)>) -> UserError {
    let mut candidates: Vec<Candidate> = matches
        .into_iter()
        .map(|(printed, id)| Candidate::new(id, Some(printed), Details::Pending))
        .collect();
    let more = candidates.len().saturating_sub(LISTED);
    candidates.truncate(LISTED);
    let unfetched = match ctx.client() {
        Ok(client) => describe(&client, &mut candidates).await,
        Err(e) => Some(e.to_string()),
    };
    ambiguous(prefix, &candidates, more, false, unfetched)
}

/// The error for a prefix several of the server's traces start with; `capped` when the server
/// may have more than it sent.
pub async fn from_server(
    client: &Client,
    prefix: &str,
    mut candidates: Vec<Candidate>,
    capped: bool,
) -> UserError {
    let more = candidates.len().saturating_sub(LISTED);
    candidates.truncate(LISTED);
    let unfetched = describe(client, &mut candidates).await;
    ambiguous(prefix, &candidates, more, capped, unfetched)
}

/// Fetches what the pending candidates lack; the reason it could not, if it could not.
async fn describe(client: &Client, candidates: &mut [Candidate]) -> Option<String> {
    let pending = candidates
        .iter_mut()
        .filter(|c| matches!(c.details, Details::Pending));
    for candidate in pending {
        let body =
            json!({"traceId": candidate.id, "limit": SPANS_PER_CANDIDATE, "sortOrder": "ASC"});
        match earliest_spans(client, &body).await {
            Ok(spans) => candidate.details = Details::of_spans(&spans),
            Err(reason) => return Some(reason),
        }
    }
    None
}

async fn earliest_spans(client: &Client, body: &Value) -> Result<Vec<Value>, String> {
    let answer = client
        .search(Search::Spans, body)
        .await
        .map_err(|e| e.to_string())?;
    let mut json = answer.json().map_err(|e| e.to_string())?;
    match json.get_mut("data").map(Value::take) {
        Some(Value::Array(spans)) => Ok(spans),
        _ => Err(answer
            .unexpected("expected {\"data\": [spans…]}")
            .to_string()),
    }
}

fn ambiguous(
    prefix: &str,
    candidates: &[Candidate],
    more: usize,
    capped: bool,
    unfetched: Option<String>,
) -> UserError {
    let mut lines: Vec<String> = candidates.iter().map(Candidate::line).collect();
    if more > 0 {
        let plus = if capped { "+" } else { "" };
        lines.push(format!("  … and {more}{plus} more"));
    }
    if let Some(reason) = unfetched {
        lines.push(format!(
            "  (start, root span and service not fetched: {})",
            sanitize(&reason)
        ));
    }
    UserError::usage(format!(
        "trace ID prefix {prefix} is ambiguous; candidates:"
    ))
    .with_listing(lines)
    .with_hint("give more digits")
}

/// A string field as a person may see it (sanitised), when present and not empty.
fn text(row: &Value, key: &str) -> Option<String> {
    let value = row.get(key)?.as_str().filter(|s| !s.is_empty())?;
    Some(sanitize(value).into_owned())
}

/// A nanosecond timestamp sent as a digit string.
fn nanoseconds(row: &Value, key: &str) -> Option<i128> {
    row.get(key)?.as_str()?.parse().ok()
}

/// A candidate's start to the second, in UTC (the same whatever the zone of whoever reads it).
pub fn start_text(ns: Option<i128>) -> String {
    ns.and_then(|ns| jiff::Timestamp::from_nanosecond(ns).ok())
        .map_or_else(|| "?".to_owned(), |t| utc(&t))
}

fn seen_at(secs: i64) -> String {
    jiff::Timestamp::from_second(secs)
        .map(|t| utc(&t))
        .unwrap_or_else(|_| "at an unknown time".into())
}

fn utc(t: &jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string()
}
