//! `--follow`: print the newest matching rows, then every new one as it arrives, each once.
//!
//! The server has no stream, so this polls. Each poll asks for rows from the window's floor
//! (`timestampMin` is inclusive, because several rows can share a nanosecond), oldest first,
//! walking `nextCursor` so a burst larger than a page loses nothing. Which rows were printed,
//! and where the floor is, is [`Window`]'s business; time comes from the server's timestamps,
//! with this machine's clock only as a bound on how far ahead a row may move the watermark.

use std::time::{Duration, SystemTime};

use serde::Deserialize;
use serde_json::Value;

use super::digest::{Digest, Digester};
use super::waiting::Waiting;
use super::window::{Verdict, Window, CLOCK_SKEW, MAX_AHEAD, MAX_REMEMBERED};
use super::{checked_page, interval, Filter, LoopGuard};
use crate::api::{is_transient, ApiError, Body, Client, Search};
use crate::cli::args::SearchArgs;
use crate::command_error::{CommandError, Result};
use crate::error::Exit;
use crate::output::{Row, Sink};
use crate::term::{sanitize, Terminal};

/// Rows per page of a poll without `--limit`: the server's maximum.
const POLL_PAGE: u32 = 1000;

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

/// How far behind the newest row each poll looks when `--lag` is not given: spans of a request
/// that takes seconds, exported in batches every few seconds, arrive well within it.
const DEFAULT_LAG: Duration = Duration::from_secs(30);

/// Runs `--follow` until Ctrl-C (exit 130) or an error that polling again cannot fix.
/// `sink` is for rows that never end (see [`crate::output::OutputSpec::endless`]); `lag` is
/// `--lag`. Until the first row, a terminal's stderr says what is awaited.
pub async fn follow(
    client: &Client,
    search: Search,
    filter: Filter,
    args: &SearchArgs,
    mut sink: Sink,
    terminal: &Terminal,
    lag: Option<Duration>,
) -> Result<Exit> {
    // Rows until Ctrl-C: a pager would hold them back.
    crate::output::pager::forbid();
    let base = filter.into_body();
    let start = base
        .get("timestampMin")
        .and_then(Value::as_str)
        .and_then(|min| min.parse().ok());
    let mut poller = Poller {
        client,
        search,
        base,
        limit: args.page.limit,
        interval: interval(args),
        identity: match search {
            Search::Spans => Identity::Span,
            _ => Identity::Row,
        },
        waiting: Waiting::new(terminal, search),
        digest: Digester::default(),
        window: Window::new(lag.unwrap_or(DEFAULT_LAG), start),
        retrying: false,
        warned: Warned::default(),
    };
    // Watching for SIGINT starts before the first request, so Ctrl-C at any point ends cleanly.
    let interrupt = tokio::signal::ctrl_c();
    tokio::pin!(interrupt);
    let outcome = tokio::select! {
        biased;
        signal = &mut interrupt => match signal {
            Ok(()) => Ok(Exit::Interrupted),
            Err(err) => Err(CommandError::failure(format!("could not watch for Ctrl-C: {err}"))),
        },
        result = poller.run(&mut sink) => result,
    };
    poller.waiting.clear();
    // Every row received was written and flushed as its page arrived; nothing is half-done,
    // because writing never waits on the network.
    let exit = outcome?;
    sink.finish()?;
    Ok(exit)
}

struct Poller<'a> {
    client: &'a Client,
    search: Search,
    /// The filter without paging: each request adds its own bounds, order, limit and cursor.
    base: Value,
    limit: Option<u32>,
    interval: Duration,
    identity: Identity,
    /// The status line until the first row.
    waiting: Waiting,
    digest: Digester,
    window: Window,
    /// Said on stderr that the server is being retried (once per outage).
    retrying: bool,
    warned: Warned,
}

/// Warnings about the server's rows, each said once per run so stderr stays short.
#[derive(Default)]
struct Warned {
    untimed: bool,
    ahead: bool,
    too_many_ahead: bool,
    crowded: bool,
}

impl Poller<'_> {
    async fn run(&mut self, sink: &mut Sink) -> Result<Exit> {
        if self.base.get("timestampMin").is_none() {
            // No start given: the newest rows (up to --limit), shown oldest first.
            let mut body = self.base.clone();
            self.paging(&mut body, "DESC");
            let answer = self.fetch(&body).await?;
            let page = checked_page(&answer, Some("data"))?;
            let mut rows = page.rows;
            rows.reverse();
            let oldest = self.print(&rows, sink)?;
            if let (Some(oldest), Some(_)) = (oldest, page.next_cursor) {
                // Older rows exist that were not shown: they are not "new" later either.
                self.window.after_tail(oldest);
            }
            self.waiting.nothing_yet(self.client, &self.base).await;
            tokio::time::sleep(self.interval).await;
        }
        loop {
            self.sweep(sink).await?;
            // Once rows have come, this does nothing.
            self.waiting.nothing_yet(self.client, &self.base).await;
            tokio::time::sleep(self.interval).await;
        }
    }

    /// One poll: every row at or after the watermark, page after page, oldest first.
    async fn sweep(&mut self, sink: &mut Sink) -> Result<()> {
        let mut body = self.base.clone();
        if let Some(min) = self.window.request_min() {
            body["timestampMin"] = Value::String(min.to_string());
        }
        self.paging(&mut body, "ASC");
        let mut loops = LoopGuard::default();
        loop {
            let answer = self.fetch(&body).await?;
            let page = checked_page(&answer, Some("data"))?;
            self.print(&page.rows, sink)?;
            match page.next_cursor {
                Some(cursor) => {
                    loops.check(&answer, page.rows.is_empty(), &cursor)?;
                    body["cursor"] = Value::String(cursor);
                }
                None => return Ok(()),
            }
        }
    }

    /// `--limit`, else for a poll the largest page: each poll reads the whole look-back again,
    /// and the server's default of 100 would take ten times the requests.
    fn paging(&self, body: &mut Value, order: &str) {
        let limit = match (self.limit, order) {
            (Some(limit), _) => Some(limit),
            (None, "ASC") => Some(POLL_PAGE),
            (None, _) => None,
        };
        if let Some(limit) = limit {
            body["limit"] = Value::from(limit);
        }
        body["sortOrder"] = Value::String(order.to_owned());
    }

    /// Prints the rows of one page not printed before, in the order given. Returns the oldest
    /// time printed.
    fn print(&mut self, rows: &[Row], sink: &mut Sink) -> Result<Option<u64>> {
        let now = clock_now();
        let mut fresh = Vec::with_capacity(rows.len());
        let mut oldest: Option<u64> = None;
        self.window.start_page();
        for &row in rows {
            // Only the fields that place a row in time and tell it apart are parsed.
            let meta: Meta = serde_json::from_slice(&row).unwrap_or_default();
            let Some(time) = meta.timestamp() else {
                self.warn_once(
                    |w| &mut w.untimed,
                    || {
                        "skipping rows without a valid Timestamp: they cannot be placed in time"
                            .into()
                    },
                );
                continue;
            };
            let id = identity(&self.digest, self.identity, &meta, &row);
            match self
                .window
                .admit(time, id, self.identity == Identity::Span, now)
            {
                Verdict::Print => {
                    oldest = Some(oldest.map_or(time, |o| o.min(time)));
                    fresh.push(row);
                }
                Verdict::PrintAhead => {
                    self.warn_once(
                        |w| &mut w.ahead,
                        || {
                            format!(
                                "rows stamped more than {} minutes ahead of this machine's clock \
                             (first: Timestamp {time}) are printed once, but --follow keeps \
                             its place by the clock",
                                CLOCK_SKEW.as_secs() / 60
                            )
                        },
                    );
                    fresh.push(row);
                }
                Verdict::SkipAhead => self.warn_once(
                    |w| &mut w.too_many_ahead,
                    || {
                        format!(
                            "more than {MAX_AHEAD} rows stamped ahead of this machine's clock; \
                         skipping further ones"
                        )
                    },
                ),
                Verdict::Skip => {}
            }
        }
        if let Some(floor) = self.window.end_page() {
            self.warn_once(
                |w| &mut w.crowded,
                || {
                    format!(
                        "more than {MAX_REMEMBERED} rows within --lag; forgetting the oldest, so \
                     rows older than Timestamp {floor} are no longer shown (a shorter --lag or a \
                     narrower search remembers fewer)"
                    )
                },
            );
        }
        if !fresh.is_empty() {
            self.waiting.rows_arrived();
        }
        sink.push(&fresh)?;
        Ok(oldest)
    }

    fn warn_once(&mut self, flag: fn(&mut Warned) -> &mut bool, message: impl FnOnce() -> String) {
        let said = flag(&mut self.warned);
        if !*said {
            *said = true;
            self.waiting.clear();
            noteln!("warning: {}", message());
        }
    }

    /// One request; the server being down, busy or failing is waited out, not fatal.
    async fn fetch(&mut self, body: &Value) -> Result<Body, ApiError> {
        let mut delay = self.interval;
        loop {
            match self.client.poll(self.search, body).await {
                Ok(answer) => {
                    self.retrying = false;
                    return Ok(answer);
                }
                Err(err) if keeps_polling(&err) => {
                    if !self.retrying {
                        // The server's title and detail are in the message.
                        let err = sanitize(&err.to_string()).into_owned();
                        self.waiting.clear();
                        noteln!(
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
fn identity(digest: &Digester, kind: Identity, meta: &Meta, row: &[u8]) -> Digest {
    match (kind, &meta.span_id) {
        (Identity::Span, Some(Value::String(span))) => {
            digest.of((meta.trace_id.as_ref().and_then(Value::as_str), span))
        }
        _ => digest.of(row),
    }
}

/// This machine's clock in ns since 1970 (0 before it).
fn clock_now() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |since| {
            u64::try_from(since.as_nanos()).unwrap_or(u64::MAX)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

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
