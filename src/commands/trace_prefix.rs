//! A trace ID prefix made whole: from the IDs kopai printed recently, else from the server's
//! most recent trace summaries (a bounded look, one request), as git resolves short hashes.

use serde_json::{json, Value};

use crate::api::Search;
use crate::command_error::Result;
use crate::commands::recent_ids::{self, Cached};
use crate::commands::Context;
use crate::error::UserError;
use crate::term::sanitize;

/// How many of the server's most recent traces a prefix unknown to the cache is looked for in.
pub const SERVER_LOOKUP: usize = 1000;

/// The whole trace ID that `raw` (whole, or a prefix of at least 6 digits) names.
pub async fn resolve(ctx: &Context, raw: &str) -> Result<String> {
    let (prefix, remembered) = match recent_ids::cached(raw)? {
        Cached::Whole(id) => return Ok(id),
        Cached::Unknown { prefix, remembered } => (prefix, remembered),
    };
    let client = ctx.client()?;
    let answer = client
        .search(Search::TraceSummaries, &json!({ "limit": SERVER_LOOKUP }))
        .await?;
    let json = answer.json()?;
    let Some(rows) = json.get("data").and_then(Value::as_array) else {
        return Err(answer
            .unexpected("expected {\"data\": [trace summaries…]}")
            .into());
    };
    let found: Vec<&Value> = rows
        .iter()
        .filter(|row| trace_id(row).is_some_and(|id| id.starts_with(&prefix)))
        .collect();
    match found.as_slice() {
        [row] => {
            let id = trace_id(row).unwrap_or_default().to_owned();
            recent_ids::record([id.as_str()]);
            Ok(id)
        }
        [] => Err(UserError::usage(format!(
            "no trace ID starting with {prefix} among the {remembered} kopai printed recently \
             nor the server's {} most recent traces",
            rows.len()
        ))
        .with_hint("list it first (kopai traces search / summaries), or give all 32 digits")
        .into()),
        many => {
            let listed: Vec<String> = many.iter().map(|row| candidate(row)).collect();
            Err(recent_ids::ambiguous(&prefix, &listed).into())
        }
    }
}

/// `--trace-id`'s value made whole in place, as `resolve` does for an argument.
pub async fn resolve_flag(ctx: &Context, trace_id: &mut Option<String>) -> Result<()> {
    if let Some(raw) = trace_id.as_deref() {
        *trace_id = Some(resolve(ctx, raw).await?);
    }
    Ok(())
}

/// A summary's trace ID, only when it is one (32 hex digits), lowercased as the cache keeps it.
fn trace_id(row: &Value) -> Option<&str> {
    let id = row.get("traceId")?.as_str()?;
    (id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()))
    .then_some(id)
}

/// One candidate line: the ID, its start, its root span and service, as the server sent them.
fn candidate(row: &Value) -> String {
    let text =
        |key: &str| sanitize(row.get(key).and_then(Value::as_str).unwrap_or("?")).into_owned();
    let start = row
        .get("startTimeNs")
        .and_then(Value::as_str)
        .and_then(|ns| ns.parse::<i128>().ok());
    let start = start_text(start);
    format!(
        "  {}  {start}  {}  ({})",
        trace_id(row).unwrap_or_default(),
        text("rootSpanName"),
        text("rootServiceName")
    )
}

/// A candidate's start to the second, in UTC (the same whatever the zone of whoever reads it).
pub fn start_text(ns: Option<i128>) -> String {
    ns.and_then(|ns| jiff::Timestamp::from_nanosecond(ns).ok())
        .map_or_else(
            || "?".to_owned(),
            |t| t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string(),
        )
}
