//! `kopai query`: a KopaiQuery built from flags or read from a file, checked before anything
//! is sent, then printed (`--print-query`) or sent.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::cli::QueryArgs;
use crate::command_error::Result;
use crate::commands::input::InputFile;
use crate::commands::Context;
use crate::error::{Exit, UserError};
use crate::query::{from_json, FlagQuery, Query, Signal};

mod columns;
mod send;
mod series;
pub mod stats;

pub async fn run(ctx: &Context, args: QueryArgs) -> Result<Exit> {
    let query = build(ctx, &args)?;
    if args.print_query {
        outln!("{}", query.to_pretty_json());
        return Ok(Exit::Success);
    }
    send::send(ctx, &query, &args).await
}

/// The query from the flag form (`kopai query traces --measure …`) or a file (`kopai query
/// q.json`, `-` for stdin).
fn build(ctx: &Context, args: &QueryArgs) -> Result<Query, UserError> {
    let Some(signal) = signal_named(&args.source) else {
        return read_file(ctx, args);
    };
    let flags = FlagQuery {
        measures: args.measure.clone(),
        by: args.by.clone(),
        wheres: args.filters.clone(),
        any: args.any.clone(),
        exact: Vec::new(),
        since: args.window.since.clone(),
        from_ns: args.window.from.clone(),
        to_ns: args.window.to.clone(),
        every: args.window.every.clone(),
        havings: args.having.clone(),
        orders: args.order.clone(),
        limit: args.limit,
    };
    flags.build(signal, now_ns()?)
}

fn signal_named(source: &Path) -> Option<Signal> {
    match source.to_str()? {
        "traces" => Some(Signal::Traces),
        "logs" => Some(Signal::Logs),
        "metrics" => Some(Signal::Metrics),
        _ => None,
    }
}

fn read_file(ctx: &Context, args: &QueryArgs) -> Result<Query, UserError> {
    if let Some(flag) = args.flag_form_flags().first() {
        let source = args.source.display();
        return Err(UserError::usage(format!(
            "{flag} builds a query from flags, and {source} is not a signal"
        ))
        .with_hint(
            "name a signal (kopai query traces --measure count), or put it in the query file",
        ));
    }
    let file = InputFile {
        command: "query",
        usage: "kopai query FILE",
        kind: "a query file",
    };
    let looks_like_a_signal = !args.source.exists() && args.source.extension().is_none();
    let (label, text) = file
        .read(&args.source, ctx.terminal.stdin_is_terminal)
        .map_err(|e| {
            if looks_like_a_signal && e.hint.is_none() {
                e.with_hint("the flag form starts with a signal: traces, logs or metrics")
            } else {
                e
            }
        })?;
    from_json(Path::new(&label), &text)
}

pub(crate) fn now_ns() -> Result<i128, UserError> {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos() as i128)
        .map_err(|_| UserError::usage("the system clock is before 1970"))
}
