//! The query commands (`traces`, `logs`, `metrics`, `services`): each builds a request and a
//! table layout; printing and paging are shared here.

use std::time::Duration;

use serde_json::Value;

use crate::api::{ApiError, Body, Client, Search};
use crate::cli::args::{FollowArgs, SearchArgs};
use crate::command_error::Result;
use crate::commands::Context;
use crate::error::{Exit, UserError};
use crate::output::{split_rows, BuiltRow, Column, OutputSpec, Page, Row, ShapeError, Sink};

mod aggregate;
mod digest;
mod empty;
pub mod fields;
mod follow;
mod grouped;
pub mod logs;
pub mod metrics;
mod pages;
mod request;
pub mod services;
mod span;
mod trace_logs;
pub mod traces;
mod wait;
mod waiting;
mod window;

pub use fields::Fields;
pub use follow::follow;
pub use pages::{run as print_pages, LoopGuard};
pub use request::{check_window, Filter};

/// The pace of `--follow` and `--wait` when `--interval` is not given.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(2);

/// Runs a paged search and prints its rows: one page, or every page with `--all`.
pub async fn search(
    ctx: &Context,
    search: Search,
    filter: Filter,
    args: &SearchArgs,
    fields: &Fields,
    columns: Vec<Column>,
) -> Result<Exit> {
    let spec = ctx.output(&args.output, fields)?;
    check_interval(args)?;
    let client = ctx.client()?;
    wait_and_print_search(ctx, &client, search, filter, args, &spec, columns).await
}

/// [`search`] with a client the command has already used, and its output checked: waits for
/// a row first with `--wait`, then prints the pages.
pub async fn wait_and_print_search(
    ctx: &Context,
    client: &Client,
    search: Search,
    filter: Filter,
    args: &SearchArgs,
    spec: &OutputSpec,
    columns: Vec<Column>,
) -> Result<Exit> {
    let body = filter.page(&args.page).into_body();
    if let Some(wait) = &args.live.wait {
        wait::until_rows(client, search, &body, wait, interval(args), &ctx.terminal).await?;
    }
    pages::run(ctx, client, search, body, &args.page, spec, columns).await
}

/// The table without the columns a filter makes the same in every row: SERVICE with
/// `--service`, TRACE with `--trace-id`.
pub fn without_filtered(mut columns: Vec<Column>, filter: &Filter) -> Vec<Column> {
    let alike = [("Service", "serviceName"), ("Trace", "traceId")];
    columns.retain(|c| {
        !alike
            .iter()
            .any(|&(header, key)| c.header == header && filter.has(key))
    });
    columns
}

/// `--interval` paces polls, so alone (no `--follow`, no `--wait`) it is a mistake.
pub fn check_interval(args: &SearchArgs) -> Result<(), UserError> {
    if args.live.interval.is_some() && args.live.wait.is_none() {
        return Err(UserError::usage(
            "--interval works only with --follow or --wait",
        ));
    }
    Ok(())
}

/// `--lag` shapes `--follow`'s polls, so without `--follow` it is a mistake.
pub fn check_lag(follow: &FollowArgs) -> Result<(), UserError> {
    if follow.lag.is_some() && !follow.follow {
        return Err(UserError::usage("--lag works only with --follow"));
    }
    Ok(())
}

/// `--interval`, or its default.
fn interval(args: &SearchArgs) -> Duration {
    args.live
        .interval
        .as_ref()
        .map_or(DEFAULT_INTERVAL, |i| i.duration)
}

/// Prints the rows of one answer: the array at `key`, or the bare array. Returns how many.
pub fn print_answer(
    ctx: &Context,
    answer: &Body,
    key: Option<&str>,
    spec: &OutputSpec,
    columns: Vec<Column>,
) -> Result<usize> {
    let page = checked_page(answer, key)?;
    let mut sink = Sink::new(spec, columns, &ctx.terminal);
    sink.push(&page.rows)?;
    sink.finish()?;
    Ok(page.rows.len())
}

/// Prints rows built here rather than received (flattened aggregates, a summary).
pub fn print_rows(
    ctx: &Context,
    rows: &[Value],
    spec: &OutputSpec,
    columns: Vec<Column>,
) -> Result<Exit> {
    // Each serialised once into a row like an answer's, so every format prints them alike.
    let built: Vec<BuiltRow> = rows
        .iter()
        .map(|row| BuiltRow::new(row).expect("a Value serialises"))
        .collect();
    let rows: Vec<Row> = built.iter().map(BuiltRow::row).collect();
    let mut sink = Sink::new(spec, columns, &ctx.terminal);
    sink.push(&rows)?;
    sink.finish()?;
    Ok(Exit::Success)
}

/// Moves the `data` array out of `json`, the parsed `answer` to a search, or an "unexpected
/// response" error.
pub fn take_data_values(answer: &Body, json: &mut Value) -> Result<Vec<Value>, ApiError> {
    take_values(json, "data")
        .ok_or_else(|| answer.unexpected("expected an object with a `data` array"))
}

/// Moves the array at `key` out of an answer, or `None` if the answer has another shape.
pub fn take_values(json: &mut Value, key: &str) -> Option<Vec<Value>> {
    match json.get_mut(key)?.take() {
        Value::Array(rows) => Some(rows),
        _ => None,
    }
}

/// The page of checked rows in an answer (validated whole, any depth): the array at `key`,
/// or the bare array. An "unexpected response" error says what was wrong with it.
pub fn checked_page<'a>(answer: &'a Body, key: Option<&str>) -> Result<Page<'a>, ApiError> {
    split_rows(&answer.bytes, key).map_err(|e| shape_error(answer, e))
}

/// Why an answer's body could not be read as rows, as an "unexpected response" error.
pub fn shape_error(answer: &Body, e: ShapeError) -> ApiError {
    match e {
        ShapeError::NotJson(e) => answer.invalid_json(&e),
        ShapeError::Shape(expected) => answer.unexpected(&expected),
    }
}
