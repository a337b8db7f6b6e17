//! `kopai traces stats` and `kopai logs stats`: the first steps of a root-cause analysis (rank
//! groups by error rate and volume, then bucket over time to find the onset) as KopaiQueries
//! built with the flag language, printed like `kopai query`'s aggregates.

use super::send;
use crate::cli::StatsArgs;
use crate::command_error::Result;
use crate::commands::Context;
use crate::error::{Exit, UserError};
use crate::query::{FlagQuery, Query, Signal};

/// How `traces stats` measures latency: percentiles, or what a SQLite-backed server can compute.
#[derive(Clone, Copy)]
enum Latency {
    Percentiles,
    AvgMax,
}

impl Latency {
    fn measures(self) -> &'static [&'static str] {
        match self {
            Self::Percentiles => &[
                "p50=p50(Duration)",
                "p95=p95(Duration)",
                "p99=p99(Duration)",
            ],
            Self::AvgMax => &["avg=avg(Duration)", "max=max(Duration)"],
        }
    }
}

/// The RED view per group. A server that refuses percentiles (SQLite answers 400) is asked
/// again with avg and max, and the reader is told once.
pub async fn traces(ctx: &Context, args: StatsArgs) -> Result<Exit> {
    let query = red_query(&args, Latency::Percentiles)?;
    if args.print_query {
        outln!("{}", query.to_pretty_json());
        return Ok(Exit::Success);
    }
    send::check_chart(args.chart, &query, "--every (--every 5m)")?;
    match send::aggregate(ctx, &query, &args.output, args.chart).await {
        Err(err) if send::refused_percentiles(&err, &query) => {
            noteln!(
                "note: this server has no percentiles (a SQLite backend): latency is avg and max, \
                 not p50, p95 and p99"
            );
            let query = red_query(&args, Latency::AvgMax)?;
            send::aggregate(ctx, &query, &args.output, args.chart)
                .await
                .map_err(|err| send::rejected(err, &query))
        }
        other => other.map_err(|err| send::rejected(err, &query)),
    }
}

/// Log records per group.
pub async fn logs(ctx: &Context, args: StatsArgs) -> Result<Exit> {
    let measures = vec!["records=count".to_owned()];
    let query = build(&args, Signal::Logs, measures, "SeverityText", &["-records"])?;
    if args.print_query {
        outln!("{}", query.to_pretty_json());
        return Ok(Exit::Success);
    }
    send::check_chart(args.chart, &query, "--every (--every 5m)")?;
    send::aggregate(ctx, &query, &args.output, args.chart)
        .await
        .map_err(|err| send::rejected(err, &query))
}

fn red_query(args: &StatsArgs, latency: Latency) -> Result<Query, UserError> {
    let mut measures = vec!["requests=count".to_owned(), "error_rate".to_owned()];
    measures.extend(latency.measures().iter().map(|m| (*m).to_owned()));
    measures.push("throughput".to_owned());
    build(
        args,
        Signal::Traces,
        measures,
        "service.name",
        &["-error_rate", "-requests"],
    )
}

/// The query for `args`: grouped by `--by` (else `default_by`), a summary ranked by `ranking`,
/// or with `--every` a time series in the server's order of buckets.
fn build(
    args: &StatsArgs,
    signal: Signal,
    measures: Vec<String>,
    default_by: &str,
    ranking: &[&str],
) -> Result<Query, UserError> {
    let by = if args.by.is_empty() {
        vec![default_by.to_owned()]
    } else {
        args.by.clone()
    };
    let mut wheres = Vec::with_capacity(args.filters.len() + 1);
    if let Some(service) = &args.service {
        // Quoted, so that a service named like a number is still compared as text.
        wheres.push(format!("service.name=\"{service}\""));
    }
    wheres.extend(args.filters.iter().cloned());
    let orders = match args.window.every {
        Some(_) => Vec::new(),
        None => ranking.iter().map(|o| (*o).to_owned()).collect(),
    };
    let flags = FlagQuery {
        measures,
        by,
        wheres,
        any: Vec::new(),
        exact: Vec::new(),
        since: args.window.since.clone(),
        from_ns: args.window.from.clone(),
        to_ns: args.window.to.clone(),
        every: args.window.every.clone(),
        havings: Vec::new(),
        orders,
        limit: args.limit,
    };
    flags.build(signal, super::now_ns()?)
}
