//! Paged searches: one page, or with `--all` every page, each printed as it arrives.

use std::collections::HashSet;

use serde_json::Value;

use super::rows_of;
use crate::api::{ApiError, Client, Retry};
use crate::cli::PageArgs;
use crate::commands::Context;
use crate::error::Exit;
use crate::output::{Column, Format, OutputSpec, Sink, StatusLine};

pub async fn run(
    ctx: &Context,
    client: &Client,
    path: &str,
    mut body: Value,
    page: &PageArgs,
    spec: &OutputSpec,
    columns: Vec<Column>,
) -> anyhow::Result<Exit> {
    let mut sink = Sink::new(spec, columns, &ctx.terminal);
    // Progress and the spinner share stderr's last line; it is cleared before rows are written.
    let mut status = StatusLine::new(&ctx.terminal);
    let mut label = String::new();
    let mut fetched = 0usize;
    let mut loops = LoopGuard::default();
    loop {
        let request = client.post_body(path, &body, Retry::Transient);
        let answer = status.wait(&label, request).await?;
        let results = rows_of(client, path, &answer, Some("data"))?;
        status.clear();
        sink.push(&results.rows)?;
        fetched += results.rows.len();
        let page_was_empty = results.rows.is_empty();
        match results.next_cursor {
            Some(cursor) if page.all => {
                loops.check(client, path, page_was_empty, &cursor)?;
                label = format!("Fetched {fetched} rows… ");
                status.show(label.trim_end());
                body["cursor"] = Value::String(cursor);
            }
            Some(_) => {
                if spec.format == Format::Table {
                    errln!("hint: there are more results; add --all to fetch every page");
                }
                break;
            }
            None => break,
        }
    }
    status.clear();
    sink.finish()?;
    if fetched == 0 && spec.format == Format::Table && ctx.terminal.stderr {
        super::empty::explain(client, &body).await;
    }
    Ok(Exit::Success)
}

/// How many empty pages in a row, each with a fresh cursor, mean a server that never ends.
const MAX_EMPTY_PAGES: u32 = 10;

/// Catches a server that would keep `--all` paging forever: any cursor seen before (A→B→A),
/// or a run of empty pages that still promise more.
#[derive(Default)]
pub struct LoopGuard {
    seen: HashSet<String>,
    empty_run: u32,
}

impl LoopGuard {
    /// After a page of the search at `path`: an error when following `next` would go round.
    pub fn check(
        &mut self,
        client: &Client,
        path: &str,
        page_was_empty: bool,
        next: &str,
    ) -> Result<(), ApiError> {
        self.verdict(page_was_empty, next).map_err(|message| {
            client.unexpected(path, &format!("{message}; stopped following pages"))
        })
    }

    fn verdict(&mut self, page_was_empty: bool, next: &str) -> Result<(), String> {
        if !self.seen.insert(next.to_owned()) {
            return Err("the server sent the same nextCursor twice".into());
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
