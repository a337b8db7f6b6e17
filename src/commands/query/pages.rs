//! Paged searches: one page, or with `--all` every page, each printed as it arrives.

use std::collections::VecDeque;

use serde_json::Value;

use super::checked_page;
use super::digest::{Digest, Digester};
use crate::api::{ApiError, Body, Client, Search};
use crate::cli::PageArgs;
use crate::command_error::Result;
use crate::commands::{recent_ids, Context};
use crate::error::Exit;
use crate::output::{Column, OutputSpec, Row, RowFields, Sink};
use crate::term::StatusLine;

pub async fn run(
    ctx: &Context,
    client: &Client,
    search: Search,
    mut body: Value,
    page: &PageArgs,
    spec: &OutputSpec,
    columns: Vec<Column>,
) -> Result<Exit> {
    let spec = &OutputSpec {
        streamed: spec.streamed || page.all,
        ..spec.clone()
    };
    let mut sink = Sink::new(spec, columns, &ctx.terminal);
    // Progress and the spinner share stderr's last line; it is cleared before rows are written.
    let mut status = StatusLine::new(&ctx.terminal);
    let mut label = String::new();
    let mut fetched = 0usize;
    let mut loops = LoopGuard::default();
    let mut printed_ids = PrintedTraceIds::default();
    loop {
        let request = client.search(search, &body);
        let answer = status.wait(&label, request).await?;
        let results = checked_page(&answer, Some("data"))?;
        status.clear();
        sink.push(&results.rows)?;
        if matches!(search, Search::Spans | Search::TraceSummaries) {
            printed_ids.add(&results.rows);
        }
        fetched += results.rows.len();
        let page_was_empty = results.rows.is_empty();
        match results.next_cursor {
            Some(cursor) if page.all => {
                loops.check(&answer, page_was_empty, &cursor)?;
                label = format!("Fetched {fetched} rows… ");
                status.show(label.trim_end());
                body["cursor"] = Value::String(cursor);
            }
            Some(_) => {
                if spec.format.is_for_people() {
                    noteln!("hint: there are more results; add --all to fetch every page");
                }
                break;
            }
            None => break,
        }
    }
    status.clear();
    sink.finish()?;
    if fetched == 0 && spec.format.is_for_people() && ctx.terminal.stderr_is_terminal {
        super::empty::explain(client, &body).await;
    }
    Ok(Exit::Success)
}

/// The trace IDs this run printed, so their short form can be typed back. The cache file is
/// written once, when the run ends whichever way (not once a page), with the latest only:
/// the cache keeps no more, and memory stays flat with `--all`.
#[derive(Default)]
struct PrintedTraceIds(Vec<String>);

impl PrintedTraceIds {
    fn add(&mut self, rows: &[Row]) {
        for &row in rows {
            let Some(id) = RowFields::first_str(row, &["TraceId", "traceId"]) else {
                continue;
            };
            // A trace's spans usually come together: skip the repeats cheaply here.
            if self.0.last().map(String::as_str) != Some(id.as_ref()) {
                self.0.push(id.into_owned());
            }
        }
        if self.0.len() > 2 * recent_ids::MAX_IDS {
            self.0.drain(..self.0.len() - recent_ids::MAX_IDS);
        }
    }
}

impl Drop for PrintedTraceIds {
    fn drop(&mut self) {
        let latest = self.0.len().saturating_sub(recent_ids::MAX_IDS);
        recent_ids::record(self.0[latest..].iter().map(String::as_str));
    }
}

/// How many empty pages in a row, each with a fresh cursor, mean a server that never ends.
const MAX_EMPTY_PAGES: u32 = 10;

/// The longest `nextCursor` followed. Kopai's own are under 100 bytes; each is sent back with
/// the next request, so a server cannot make every request huge.
pub const MAX_CURSOR_BYTES: usize = 64 * 1024;

/// How many of the latest cursors are compared with each new one: a short cycle is caught at
/// its first repeat.
const RECENT_CURSORS: usize = 1024;

/// Catches a server that would keep paging forever: a cursor seen before (A→B→A), or a run of
/// empty pages that still promise more; and refuses a cursor over [`MAX_CURSOR_BYTES`].
///
/// Memory stays flat however many pages: only digests are kept, of the latest
/// [`RECENT_CURSORS`] cursors and of one checkpoint that moves ever further apart (Brent's
/// cycle detection), which catches a longer cycle within about twice its length.
#[derive(Default)]
pub struct LoopGuard {
    digest: Digester,
    recent: VecDeque<Digest>,
    checkpoint: Option<Digest>,
    /// Pages since the checkpoint was set, and how many until it moves.
    since_checkpoint: u64,
    checkpoint_gap: u64,
    empty_run: u32,
}

impl LoopGuard {
    /// After a page (`answer`) of a search: an error when following `next` would go round.
    pub fn check(
        &mut self,
        answer: &Body,
        page_was_empty: bool,
        next: &str,
    ) -> Result<(), ApiError> {
        self.verdict(page_was_empty, next)
            .map_err(|message| answer.unexpected(&format!("{message}; stopped following pages")))
    }

    fn verdict(&mut self, page_was_empty: bool, next: &str) -> Result<(), String> {
        if next.len() > MAX_CURSOR_BYTES {
            return Err(format!(
                "the server sent a nextCursor of {} bytes, over the limit of {} KiB",
                next.len(),
                MAX_CURSOR_BYTES / 1024
            ));
        }
        let digest = self.digest.of(next);
        if self.checkpoint == Some(digest) || self.recent.contains(&digest) {
            return Err("the server sent the same nextCursor twice".into());
        }
        if self.recent.len() == RECENT_CURSORS {
            self.recent.pop_front();
        }
        self.recent.push_back(digest);
        self.since_checkpoint += 1;
        if self.since_checkpoint >= self.checkpoint_gap {
            self.checkpoint = Some(digest);
            self.since_checkpoint = 0;
            self.checkpoint_gap = (self.checkpoint_gap * 2).max(RECENT_CURSORS as u64);
        }
        self.empty_run = if page_was_empty {
            self.empty_run + 1
        } else {
            0
        };
        if self.empty_run >= MAX_EMPTY_PAGES {
            return Err(format!(
                "the server sent {MAX_EMPTY_PAGES} empty pages in a row, each with a new nextCursor"
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Follows a server whose cursors go 0, 1, 2, … and from `start + len - 1` back to `start`,
    /// every page holding rows; returns how many pages were followed before the guard stopped.
    fn pages_until_caught(start: u64, len: u64) -> u64 {
        let mut guard = LoopGuard::default();
        let mut cursor = 0;
        for page in 1..=10 * (start + len) + 10_000 {
            if guard.verdict(false, &cursor.to_string()).is_err() {
                return page;
            }
            cursor = if cursor + 1 == start + len {
                start
            } else {
                cursor + 1
            };
        }
        panic!("a cycle of {len} after {start} was never caught");
    }

    #[test]
    fn a_short_cycle_is_caught_at_its_first_repeat() {
        assert_eq!(pages_until_caught(0, 2), 3);
        assert_eq!(pages_until_caught(5, 1000), 1006);
    }

    #[test]
    fn a_long_cycle_is_caught_within_about_twice_its_length() {
        for (start, len) in [(0, 5000), (3000, 70_000)] {
            let caught = pages_until_caught(start, len);
            assert!(caught > start + len, "no false alarm before the repeat");
            assert!(
                caught <= start + 3 * len + RECENT_CURSORS as u64,
                "{caught}"
            );
        }
    }

    #[test]
    fn memory_stays_flat_over_many_fresh_cursors() {
        let mut guard = LoopGuard::default();
        for n in 0..200_000u32 {
            guard.verdict(false, &n.to_string()).unwrap();
        }
        assert_eq!(guard.recent.len(), RECENT_CURSORS);
    }

    #[test]
    fn a_cursor_over_the_limit_is_refused() {
        let mut guard = LoopGuard::default();
        assert!(guard.verdict(false, &"c".repeat(MAX_CURSOR_BYTES)).is_ok());
        let refused = guard
            .verdict(false, &"c".repeat(MAX_CURSOR_BYTES + 1))
            .unwrap_err();
        assert!(refused.contains("over the limit of 64 KiB"), "{refused}");
    }
}
