//! The query commands (`traces`, `logs`, `metrics`, `services`): each builds a request and a
//! table layout; printing and paging are shared here.

use serde_json::Value;

use crate::cli::args::SearchArgs;
use crate::commands::Context;
use crate::error::Exit;
use crate::output::{Column, OutputSpec, Sink};

mod empty;
pub mod fields;
pub mod logs;
pub mod metrics;
mod pages;
mod request;
pub mod services;
pub mod traces;

pub use fields::Fields;
pub use request::Filter;

/// Runs a paged search at `path` and prints its rows: one page, or every page with `--all`.
pub async fn search(
    ctx: &Context,
    path: &str,
    filter: Filter,
    args: &SearchArgs,
    fields: &Fields,
    columns: Vec<Column>,
) -> anyhow::Result<Exit> {
    let spec = ctx.output(&args.output, fields)?;
    let client = ctx.client()?;
    let body = filter.page(&args.page).into_body();
    pages::run(ctx, &client, path, body, &args.page, &spec, columns).await
}

/// Prints rows that came in one answer.
pub fn print_rows(
    ctx: &Context,
    rows: &[Value],
    spec: &OutputSpec,
    columns: Vec<Column>,
) -> anyhow::Result<Exit> {
    let mut sink = Sink::new(spec, columns, &ctx.terminal);
    sink.push(rows)?;
    sink.finish()?;
    Ok(Exit::Success)
}

/// Moves the array at `key` out of an answer, or `None` if the answer has another shape.
pub fn take_array(answer: &mut Value, key: &str) -> Option<Vec<Value>> {
    match answer.get_mut(key)?.take() {
        Value::Array(rows) => Some(rows),
        _ => None,
    }
}
