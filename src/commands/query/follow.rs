//! `--follow`: print the newest matching rows, then every new one as it arrives, each once.
//!
//! The server has no stream, so this polls. Each poll asks for rows at or after the newest
//! timestamp seen (`timestampMin` is inclusive, because several rows can share a nanosecond),
//! oldest first, walking `nextCursor` so a burst larger than a page loses nothing. Rows of that
//! newest instant that were already printed are recognised by identity and skipped; only that
//! instant's identities are kept, so memory stays flat however long it runs. Time comes from the
//! server's timestamps, never the local clock.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;

use super::{interval, rows_of, Filter, LoopGuard};
use crate::api::{is_transient, ApiError, Body, Client, Retry};
use crate::cli::args::SearchArgs;
use crate::error::Exit;
use crate::output::{Row, Sink};
use crate::term::sanitize;

/// The longest wait between tries while the server is unreachable or failing.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// What tells two rows of the same nanosecond apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    /// `TraceId` + `SpanId`.
    Span,
    /// The whole row (log records have no id).
    Row,
}

/// Runs `--follow` until Ctrl-C (exit 130) or an error that polling again cannot fix.
/// `sink` is for rows that never end (see [`crate::output::OutputSpec::endless`]).
pub async fn follow(
    client: &Client,
    path: &str,
    filter: Filter,
    args: &SearchArgs,
    mut sink: Sink,
    identity: Identity,
) -> anyhow::Result<Exit> {
    let mut poller = Poller {
        client,
        path,
        base: filter.into_body(),
        limit: args.page.limit,
        interval: interval(args),
        identity,
        watermark: Watermark::default(),
        retrying: false,
        warned_untimed: false,
    };
    // Watching for SIGINT starts before the first request, so Ctrl-C at any point ends cleanly.
    let interrupt = tokio::signal::ctrl_c();
    tokio::pin!(interrupt);
    let outcome = tokio::select! {
        biased;
        signal = &mut interrupt => match signal {
            Ok(()) => Ok(Exit::Interrupted),
            Err(err) => Err(anyhow::anyhow!("could not watch for Ctrl-C: {err}")),
        },
        result = poller.run(&mut sink) => result,
    };
    // Every row received was written and flushed as its page arrived; nothing is half-done,
    // because writing never waits on the network.
    let exit = outcome?;
    sink.finish()?;
    Ok(exit)
}

struct Poller<'a> {
    client: &'a Client,
    path: &'a str,
    /// The filter without paging: each request adds its own bounds, order, limit and cursor.
    base: Value,
    limit: Option<u32>,
    interval: Duration,
    identity: Identity,
    watermark: Watermark,
    /// Said on stderr that the server is being retried (once per outage).
    retrying: bool,
    warned_untimed: bool,
}

impl Poller<'_> {
    async fn run(&mut self, sink: &mut Sink) -> anyhow::Result<Exit> {
        if self.base.get("timestampMin").is_none() {
            // No start given: the newest rows (up to --limit), shown oldest first.
            let mut body = self.base.clone();
            self.paging(&mut body, "DESC");
            let answer = self.fetch(&body).await?;
            let mut rows = rows_of(self.client, self.path, &answer, Some("data"))?.rows;
            rows.reverse();
            self.watermark.start_sweep();
            self.print(&rows, sink)?;
            tokio::time::sleep(self.interval).await;
        }
        loop {
            self.sweep(sink).await?;
            tokio::time::sleep(self.interval).await;
        }
    }

    /// One poll: every row at or after the watermark, page after page, oldest first.
    async fn sweep(&mut self, sink: &mut Sink) -> anyhow::Result<()> {
        let mut body = self.base.clone();
        if let Some(newest) = self.watermark.newest {
            body["timestampMin"] = Value::String(newest.to_string());
        }
        self.paging(&mut body, "ASC");
        self.watermark.start_sweep();
        let mut loops = LoopGuard::default();
        loop {
            let answer = self.fetch(&body).await?;
            let page = rows_of(self.client, self.path, &answer, Some("data"))?;
            self.print(&page.rows, sink)?;
            match page.next_cursor {
                Some(cursor) => {
                    loops.check(self.client, self.path, page.rows.is_empty(), &cursor)?;
                    body["cursor"] = Value::String(cursor);
                }
                None => return Ok(()),
            }
        }
    }

    fn paging(&self, body: &mut Value, order: &str) {
        if let Some(limit) = self.limit {
            body["limit"] = Value::from(limit);
        }
        body["sortOrder"] = Value::String(order.to_owned());
    }

    /// Prints the rows not printed before, in the order given.
    fn print(&mut self, rows: &[Row], sink: &mut Sink) -> anyhow::Result<()> {
        let mut fresh = Vec::with_capacity(rows.len());
        for &row in rows {
            // Only the fields that place a row in time and tell it apart are parsed.
            let meta: Meta = serde_json::from_slice(&row).unwrap_or_default();
            let Some(time) = meta.timestamp() else {
                if !self.warned_untimed {
                    errln!("warning: skipping rows without a valid Timestamp: they cannot be placed in time");
                    self.warned_untimed = true;
                }
                continue;
            };
            if self.watermark.admit(
                time,
                identity(self.identity, &meta, &row),
                self.identity == Identity::Span,
            ) {
                fresh.push(row);
            }
        }
        sink.push(&fresh)?;
        Ok(())
    }

    /// One request; the server being down, busy or failing is waited out, not fatal.
    async fn fetch(&mut self, body: &Value) -> Result<Body, ApiError> {
        let mut delay = self.interval;
        loop {
            match self.client.post_body(self.path, body, Retry::Never).await {
                Ok(answer) => {
                    self.retrying = false;
                    return Ok(answer);
                }
                Err(err) if keeps_polling(&err) => {
                    if !self.retrying {
                        // The server's title and detail are in the message.
                        let err = sanitize(&err.to_string()).into_owned();
                        errln!(
                            "warning: {err}; retrying until the server answers (Ctrl-C to stop)"
                        );
                        self.retrying = true;
                    }
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(MAX_BACKOFF.max(self.interval));
                }
                Err(err) => return Err(err),
            }
        }
    }
}

/// Failures that polling again can get past: what a single request would retry (the network,
/// an answer cut short, 429 and 502–504), and also a timeout and any 5xx. A rejected token
/// (401/403), a bad request or an answer of the wrong shape would only repeat.
pub(super) fn keeps_polling(err: &ApiError) -> bool {
    is_transient(err)
        || match err {
            ApiError::Timeout { .. } => true,
            ApiError::Status { status, .. } => *status >= 500,
            _ => false,
        }
}

/// What `--follow` reads of a row; the rest is printed as the server wrote it.
#[derive(Default, Deserialize)]
struct Meta {
    #[serde(rename = "Timestamp")]
    timestamp: Option<Value>,
    #[serde(rename = "TraceId")]
    trace_id: Option<Value>,
    #[serde(rename = "SpanId")]
    span_id: Option<Value>,
}

impl Meta {
    /// `Timestamp` in nanoseconds (a digit string, or a number from other backends).
    fn timestamp(&self) -> Option<u64> {
        match self.timestamp.as_ref()? {
            Value::String(text) => text.parse().ok(),
            Value::Number(number) => number.as_u64(),
            _ => None,
        }
    }
}

/// Spans by `TraceId` + `SpanId`; anything else by its bytes as the server wrote them.
fn identity(kind: Identity, meta: &Meta, row: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    match (kind, &meta.span_id) {
        (Identity::Span, Some(Value::String(span))) => {
            meta.trace_id
                .as_ref()
                .and_then(Value::as_str)
                .hash(&mut hasher);
            span.hash(&mut hasher);
        }
        _ => row.hash(&mut hasher),
    }
    hasher.finish()
}

/// The newest timestamp printed, and how many times each identity was printed at it.
#[derive(Default)]
struct Watermark {
    newest: Option<u64>,
    printed: HashMap<u64, u32>,
    /// How many times each identity came in the current poll, at the newest instant. Counting
    /// (rather than a set) keeps two identical log records of one nanosecond both.
    this_sweep: HashMap<u64, u32>,
}

impl Watermark {
    fn start_sweep(&mut self) {
        self.this_sweep.clear();
    }

    /// Whether a row (rows come oldest first) is new; records it if so. A `unique` identity
    /// (a span's TraceId + SpanId) is printed once however often it comes; a log record's
    /// identity is its bytes, and two identical records are two records.
    fn admit(&mut self, time: u64, id: u64, unique: bool) -> bool {
        match self.newest {
            // Already behind us (a server that ignores timestampMin).
            Some(newest) if time < newest => return false,
            Some(newest) if time == newest => {}
            _ => {
                self.newest = Some(time);
                self.printed.clear();
                self.this_sweep.clear();
            }
        }
        let count = self.this_sweep.entry(id).or_default();
        *count = if unique { 1 } else { *count + 1 };
        let printed = self.printed.entry(id).or_default();
        if *count > *printed {
            *printed = *count;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_instant_is_deduplicated_and_older_rows_are_dropped() {
        let mut mark = Watermark::default();
        mark.start_sweep();
        assert!(mark.admit(10, 1, false));
        assert!(mark.admit(20, 1, false));
        assert!(mark.admit(20, 2, false));
        // The next poll starts at 20 again (inclusive).
        mark.start_sweep();
        assert!(!mark.admit(20, 1, false));
        assert!(!mark.admit(20, 2, false));
        assert!(mark.admit(20, 3, false));
        assert!(!mark.admit(10, 4, false));
        assert!(mark.admit(30, 2, false));
        assert_eq!(mark.printed.len(), 1, "only the newest instant is kept");
    }

    #[test]
    fn a_span_that_comes_twice_in_one_poll_is_printed_once() {
        let mut mark = Watermark::default();
        mark.start_sweep();
        assert!(mark.admit(10, 7, true));
        assert!(!mark.admit(10, 7, true));
        // Two identical log records are two records.
        assert!(mark.admit(10, 8, false));
        assert!(mark.admit(10, 8, false));
    }

    #[test]
    fn identical_rows_of_one_instant_are_each_printed_once() {
        let mut mark = Watermark::default();
        mark.start_sweep();
        assert!(mark.admit(5, 7, false));
        mark.start_sweep();
        assert!(!mark.admit(5, 7, false));
        assert!(mark.admit(5, 7, false), "a second identical record arrived");
        mark.start_sweep();
        assert!(!mark.admit(5, 7, false));
        assert!(!mark.admit(5, 7, false));
    }

    #[test]
    fn timestamps_never_panic_on_bad_data() {
        let time = |row: &str| {
            serde_json::from_str::<Meta>(row)
                .unwrap_or_default()
                .timestamp()
        };
        assert_eq!(time(r#"{"Timestamp":"17","Body":{"a":[1]}}"#), Some(17));
        assert_eq!(time(r#"{"Timestamp":17}"#), Some(17));
        assert_eq!(time(r#"{"Timestamp":"-1"}"#), None);
        assert_eq!(time(r#"{"Timestamp":"99999999999999999999999"}"#), None);
        assert_eq!(time(r#"{"Timestamp":null}"#), None);
        assert_eq!(time("{}"), None);
        assert_eq!(time(r#""a string row""#), None);
    }
}
