//! Sending a checked query and printing the answer: raw rows through the searches' pager
//! (`--all` follows `nextCursor`), aggregates as one page of groups (a time series for a person
//! as sparklines).

use crate::api::{ApiError, QueryMode, QuerySignal, Search};
use crate::cli::{OutputArgs, PageArgs, QueryArgs};
use crate::command_error::{Cause, CommandError, Result};
use crate::commands::query::fields::{GROUPED, LOGS, METRICS, SPANS};
use crate::commands::query::{checked_page, logs, metrics, print_pages, traces};
use crate::commands::Context;
use crate::error::{Exit, UserError};
use crate::output::{Format, Sink};
use crate::query::{Mode, Query, Signal};
use crate::term::StatusLine;

use super::series::{locale_is_utf8, Drawing};

pub async fn send(ctx: &Context, query: &Query, args: &QueryArgs) -> Result<Exit> {
    check_chart(args.chart, query, "--every (--every 5m) and a --measure")?;
    let outcome = match query.mode {
        Mode::Raw => raw(ctx, query, args).await,
        Mode::Aggregate => {
            if args.all {
                noteln!(
                    "warning: --all is ignored: an aggregate answer is one page (raise --limit)"
                );
            }
            aggregate(ctx, query, &args.output, args.chart).await
        }
    };
    outcome.map_err(|err| rejected(err, query))
}

fn api_signal(signal: Signal) -> QuerySignal {
    match signal {
        Signal::Traces => QuerySignal::Traces,
        Signal::Logs => QuerySignal::Logs,
        Signal::Metrics => QuerySignal::Metrics,
    }
}

/// Rows as the searches print them (the same columns and `-f` fields).
async fn raw(ctx: &Context, query: &Query, args: &QueryArgs) -> Result<Exit> {
    let (fields, columns) = match query.signal {
        Signal::Traces => (&SPANS, traces::span_columns()),
        Signal::Logs => (&LOGS, logs::log_columns()),
        Signal::Metrics => (
            &METRICS,
            metrics::columns_for(query.metric_type().unwrap_or("Gauge"), false),
        ),
    };
    let spec = ctx.output(&args.output, fields)?;
    let client = ctx.client()?;
    let body = query.to_value();
    let page = PageArgs {
        limit: None,
        all: args.all,
        sort: None,
    };
    let search = Search::RawQuery(api_signal(query.signal));
    print_pages(ctx, &client, search, body, &page, &spec, columns).await
}

/// `--chart` only draws a time series; `missing` says what the command needs for one.
pub fn check_chart(chart: bool, query: &Query, missing: &str) -> Result<(), UserError> {
    match chart && !query.is_time_series() {
        true => Err(UserError::usage(format!(
            "--chart draws a time series: add {missing}"
        ))),
        false => Ok(()),
    }
}

/// Groups in the order the server sent them, one page: a time series in a table drawn as
/// sparklines or (`chart`, see [`check_chart`]) a line chart. A refusal is the server's error
/// as it came ([`rejected`] words it for the user), so a caller can still act on it.
pub async fn aggregate(
    ctx: &Context,
    query: &Query,
    output: &OutputArgs,
    chart: bool,
) -> Result<Exit> {
    let spec = ctx.output(output, &GROUPED)?;
    let client = ctx.client()?;
    let body = query.to_value();
    let request = client.query(api_signal(query.signal), QueryMode::Aggregate, &body);
    let answer = StatusLine::new(&ctx.terminal).wait("", request).await?;
    let page = checked_page(&answer, Some("data"))?;
    if spec.format == Format::Table && query.is_time_series() {
        let width = ctx.terminal.width.filter(|_| !output.wide);
        let drawing = match chart {
            true => Drawing::Chart {
                utc: spec.view.utc,
                utf8: locale_is_utf8(),
            },
            false => Drawing::Sparklines,
        };
        super::series::write(
            &mut std::io::stdout().lock(),
            query,
            &page.rows,
            width,
            &drawing,
        )?;
        return Ok(Exit::Success);
    }
    let mut sink = Sink::new(&spec, super::columns::aggregate(query), &ctx.terminal);
    sink.push(&page.rows)?;
    sink.finish()?;
    Ok(Exit::Success)
}

/// The server's problem details when it refused the query (a 400): `title: detail`.
fn refusal(err: &CommandError) -> Option<String> {
    let Cause::Api(ApiError::Status {
        status: 400,
        title,
        detail,
        ..
    }) = &err.cause
    else {
        return None;
    };
    Some(match detail {
        Some(detail) => format!("{title}: {detail}"),
        None => title.clone(),
    })
}

/// Whether the server refused `query` for its percentiles, as a SQLite-backed Kopai does.
pub fn refused_percentiles(err: &CommandError, query: &Query) -> bool {
    let Some(text) = refusal(err) else {
        return false;
    };
    let text = text.to_ascii_lowercase();
    query.has_percentile()
        && ["percentile", "p50", "p75", "p90", "p95", "p99"]
            .iter()
            .any(|word| text.contains(word))
}

/// A 400 is the server refusing the query the user wrote: exit 2 with its problem details.
pub fn rejected(err: CommandError, query: &Query) -> CommandError {
    let Some(text) = refusal(&err) else {
        return err;
    };
    let mut error = UserError::usage(format!("the server refused the query: {text}"));
    if refused_percentiles(&err, query) {
        error = error.with_hint(
            "this server's backend (SQLite) has no percentiles: use avg(COL) and max(COL) \
             instead, or a ClickHouse-backed Kopai",
        );
    }
    error.into()
}
