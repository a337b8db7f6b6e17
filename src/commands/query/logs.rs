//! `kopai logs search`, and with `--aggregate count --group-by KEY` counts per group.

use super::aggregate::{self, Grouped};
use super::fields::LOGS;
use super::grouped::Grouping;
use super::Filter;
use crate::api::Search;
use crate::cli::{Level, LogsCommand, LogsSearchArgs, OutputArgs};
use crate::command_error::Result;
use crate::commands::{kopai_query, trace_prefix, Context};
use crate::error::{Exit, UserError};
use crate::output::{CellKind, Column, Format, OutputSpec, Sink};
use crate::query::{FilterOp, Signal};
use crate::term::sanitize;

pub async fn run(ctx: &Context, command: LogsCommand) -> Result<Exit> {
    let mut args = match command {
        LogsCommand::Search(args) => *args,
        LogsCommand::Stats(args) => return kopai_query::stats::logs(ctx, *args).await,
    };
    if let Some(guess) = &args.severity {
        return Err(no_severity_flag(guess).into());
    }
    trace_prefix::resolve_flag(ctx, &mut args.trace.trace_id).await?;
    let aggregate = check_aggregate(args.aggregate.as_deref(), &args.group_by)?;
    let kopai = aggregate.is_some().then(|| counts(&args));
    let filter = Filter::default()
        .text("traceId", args.trace.trace_id)
        .text("spanId", args.trace.span_id)
        .text("serviceName", args.source.service)
        .text("scopeName", args.source.scope)
        .text("severityText", args.severity_text)
        .value(
            "severityNumberMin",
            args.severity_min.or(args.level.map(Level::min_severity)),
        )
        .value("severityNumberMax", args.severity_max)
        .text("bodyContains", args.body)
        .window(
            ["timestampMin", "timestampMax"],
            args.time.min(),
            args.time.max(),
        )?
        .attrs("logAttributes", args.log_attr)
        .attrs("resourceAttributes", args.resource_attr.resource_attr)
        .attrs("scopeAttributes", args.scope_attr.scope_attr);
    super::check_lag(&args.follow)?;
    if aggregate.is_some() && args.follow.follow {
        return Err(UserError::usage("--follow does not work with --aggregate").into());
    }
    if aggregate.is_some() && args.attrs {
        return Err(UserError::usage(
            "--attrs shows the attributes below each log line, and --aggregate prints counts",
        )
        .into());
    }
    if let (Some(aggregate), Some(kopai)) = (aggregate, kopai) {
        // No limit and no cursor: the answer is one page of at most 1000 groups.
        let body = filter
            .text("sortOrder", args.search.page.sort.clone())
            .text("aggregate", Some(aggregate))
            .value("groupBy", Some(args.group_by.clone()))
            .into_body();
        let query = Grouped {
            search: Some(Search::LogCounts),
            kopai,
            cap: "1000 groups",
        };
        return aggregate::run(ctx, query, body, &args.search).await;
    }
    let columns = super::without_filtered(log_columns(), &filter);
    let search = Search::Logs;
    let spec = log_output(ctx, &args.search.output, args.attrs)?;
    if args.follow.follow {
        let client = ctx.client()?;
        let sink = Sink::new(&spec.endless(), columns, &ctx.terminal);
        return super::follow(
            &client,
            search,
            filter,
            &args.search,
            sink,
            &ctx.terminal,
            args.follow.lag,
        )
        .await;
    }
    super::check_interval(&args.search)?;
    let client = ctx.client()?;
    super::wait_and_print_search(ctx, &client, search, filter, &args.search, &spec, columns).await
}

/// How to print records: as lines on a terminal, unless a format, `-f` or `--wide` asks for
/// something else (a table: `-f` picks columns, `--wide` is a table's); `--attrs` asks for
/// lines, in a pipe too, so it goes with none of them.
fn log_output(ctx: &Context, output: &OutputArgs, attrs: bool) -> Result<OutputSpec> {
    let mut spec = ctx.output(output, &LOGS)?;
    let other = output.format.named() || output.wide || !spec.fields.is_empty();
    if attrs {
        if other {
            return Err(UserError::usage(
                "--attrs shows the attributes below each log line: it goes with neither \
                 -t/-o/--json nor -f/--wide",
            )
            .with_hint("-f LogAttributes, or --json, shows them as a field")
            .into());
        }
        spec.format = Format::Lines;
        spec.attrs = true;
    } else if spec.format == Format::Table && !other {
        spec.format = Format::Lines;
    }
    Ok(spec)
}

/// `--aggregate count` as a KopaiQuery, for a server without `/signals/logs/aggregate`: the
/// same filters, largest groups first, at most 1000 as that route answers.
fn counts(args: &LogsSearchArgs) -> Grouping {
    let mut counts = Grouping::new(Signal::Logs, "count", &args.group_by, 1000)
        .text("TraceId", args.trace.trace_id.clone())
        .text("SpanId", args.trace.span_id.clone())
        .text("service.name", args.source.service.clone())
        .text("ScopeName", args.source.scope.clone())
        .text("SeverityText", args.severity_text.clone())
        .number("SeverityNumber", FilterOp::Gte, args.severity_min)
        .number("SeverityNumber", FilterOp::Lte, args.severity_max)
        .compared("Body", FilterOp::Contains, args.body.clone())
        .attrs("LogAttributes", args.log_attr.clone())
        .attrs(
            "ResourceAttributes",
            args.resource_attr.resource_attr.clone(),
        )
        .attrs("ScopeAttributes", args.scope_attr.scope_attr.clone())
        .window(
            args.time.min().map(|(_, ns)| ns),
            args.time.max().map(|(_, ns)| ns),
        );
    counts.largest_first = true;
    counts
}

/// `--aggregate` and `--group-by`, checked in upstream's order with upstream's messages.
fn check_aggregate(
    aggregate: Option<&str>,
    group_by: &[String],
) -> Result<Option<String>, UserError> {
    match aggregate {
        Some(function) if !function.eq_ignore_ascii_case("count") => Err(UserError::usage(
            format!("Invalid aggregate function for logs: {function}. Only 'count' is supported."),
        )),
        Some(_) if group_by.is_empty() => Err(UserError::usage(
            "--aggregate requires at least one --group-by",
        )),
        Some(_) => Ok(Some("count".into())),
        None if !group_by.is_empty() => Err(UserError::usage("--group-by requires --aggregate")),
        None => Ok(None),
    }
}

/// Log rows. The body is what the reader came for: it keeps the most room, the trace ID goes
/// first. A column empty in every row is left out.
pub fn log_columns() -> Vec<Column> {
    vec![
        Column::new("Time", CellKind::for_field("Timestamp")),
        Column::new("Severity", CellKind::for_field("SeverityText")).hides_when_empty(),
        Column::flex("Service", CellKind::for_field("ServiceName"))
            .floor(12)
            .drops(1)
            .hides_when_empty(),
        Column::new("Trace", CellKind::Id("TraceId".into()))
            .drops(2)
            .hides_when_empty(),
        Column::flex("Body", CellKind::for_field("Body"))
            .floor(30)
            .hides_when_empty(),
    ]
}

/// `--severity error`: there is no such flag; the two that do what was meant.
fn no_severity_flag(guess: &str) -> UserError {
    let guess = sanitize(guess.trim());
    let usage = if !guess.is_empty() && guess.bytes().all(|b| b.is_ascii_digit()) {
        format!("--severity-min {guess} (this severity number and above)")
    } else {
        let text = guess.to_ascii_uppercase();
        let level = match text.as_str() {
            "WARNING" => Some("warn"),
            "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR" | "FATAL" => None,
            _ => Some("trace|debug|info|warn|error|fatal"),
        };
        let lower = text.to_ascii_lowercase();
        let level = level.unwrap_or(&lower);
        format!(
            "--severity-text {text} (that exact text) or --level {level} (that level and worse)"
        )
    };
    UserError::usage(format!("logs search has no --severity: use {usage}"))
}
