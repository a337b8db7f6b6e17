//! Where the server is asked for a prefix the cache does not know: with KopaiQuery, a
//! `startsWith` filter on `TraceId` over the last days, grouped by trace (distinct IDs, however
//! many spans each has); without it, the most recent trace summaries (all an older server can
//! search without an exact ID).

use std::fmt;

use serde_json::{json, Value};

use super::candidates::{Candidate, Details};
use super::whole_id;
use crate::api::{ApiError, Client, QueryMode, QuerySignal, Search};
use crate::command_error::{CommandError, Result};
use crate::query::{
    Column, Filter, FilterOp, Leaf, Measure, MeasureOp, Mode, Output, Query, Signal, TimeDimension,
};

/// How many days back KopaiQuery looks for a prefix.
pub const QUERY_DAYS: u32 = 7;
/// At most this many distinct traces are asked for: enough to list, bounded to read.
pub const QUERY_TRACES: u32 = 20;
/// How many of the server's most recent traces are looked through without KopaiQuery.
pub const RECENT_TRACES: usize = 1000;

/// What the server had for a prefix, and where it looked.
pub struct Found {
    pub candidates: Vec<Candidate>,
    pub looked: Looked,
}

pub enum Looked {
    /// A KopaiQuery over [`QUERY_DAYS`]; `capped` when it found [`QUERY_TRACES`] (there may
    /// be more).
    Query { capped: bool },
    /// The server's most recent trace summaries (this many came back).
    Recent { traces: usize },
}

impl fmt::Display for Looked {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Looked::Query { .. } => write!(
                f,
                "the server's traces of the last {QUERY_DAYS} days (a KopaiQuery for TraceId \
                 startsWith the prefix)"
            ),
            Looked::Recent { traces } => write!(
                f,
                "the server's {traces} most recent traces (it has no KopaiQuery to look further \
                 back)"
            ),
        }
    }
}

/// The traces on the server whose ID starts with `prefix` (lowercase hexadecimal).
pub async fn lookup(client: &Client, prefix: &str) -> Result<Found> {
    let body = by_query(prefix).to_value();
    let answer = match client
        .query(QuerySignal::Traces, QueryMode::Aggregate, &body)
        .await
    {
        Err(ApiError::Unsupported { .. }) => return recent(client, prefix).await,
        other => other?,
    };
    let json = answer.json()?;
    let Some(rows) = json.get("data").and_then(Value::as_array) else {
        return Err(answer
            .unexpected("expected {\"data\": [{\"TraceId\": …}…]}")
            .into());
    };
    let mut candidates: Vec<Candidate> = Vec::new();
    for id in rows.iter().filter_map(|row| whole_id(row, "TraceId")) {
        if id.starts_with(prefix) && !candidates.iter().any(|c| c.id == id) {
            candidates.push(Candidate::new(id, None, Details::Pending));
        }
    }
    let capped = rows.len() >= QUERY_TRACES as usize;
    Ok(Found {
        candidates,
        looked: Looked::Query { capped },
    })
}

/// The distinct trace IDs starting with `prefix` over the window: one group per trace.
fn by_query(prefix: &str) -> Query {
    let trace_id = || Column::Name("TraceId".into());
    Query {
        signal: Signal::Traces,
        mode: Mode::Aggregate,
        measures: vec![Measure {
            op: MeasureOp::Count,
            column: None,
            alias: "spans".into(),
        }],
        dimensions: vec![trace_id()],
        filters: vec![Filter::Leaf(Leaf {
            column: trace_id(),
            op: FilterOp::StartsWith,
            value: Some(Value::String(prefix.to_owned())),
            values: None,
        })],
        havings: Vec::new(),
        time_dimension: TimeDimension::Relative {
            lookback: format!("{QUERY_DAYS}d"),
        },
        order_by: Vec::new(),
        output: Some(Output::Summary),
        limit: Some(QUERY_TRACES),
        cursor: None,
    }
}

/// Without KopaiQuery: the prefix among the server's most recent trace summaries.
async fn recent(client: &Client, prefix: &str) -> Result<Found> {
    let recent = json!({ "limit": RECENT_TRACES });
    let answer = match client.search(Search::TraceSummaries, &recent).await {
        // Neither lookup: said as such, with what still works.
        Err(error @ ApiError::Status { status: 404, .. }) => {
            return Err(CommandError::from(error)
                .context(format!(
                    "looking up trace ID prefix {prefix} without KopaiQuery (this server has none)"
                ))
                .with_hint("give all 32 digits of the trace ID".into()));
        }
        other => other?,
    };
    let json = answer.json()?;
    let Some(rows) = json.get("data").and_then(Value::as_array) else {
        return Err(answer
            .unexpected("expected {\"data\": [trace summaries…]}")
            .into());
    };
    let candidates = rows
        .iter()
        .filter_map(|row| {
            let id = whole_id(row, "traceId")?;
            id.starts_with(prefix)
                .then(|| Candidate::new(id, None, Details::of_summary(row)))
        })
        .collect();
    Ok(Found {
        candidates,
        looked: Looked::Recent { traces: rows.len() },
    })
}
