//! `kopai metrics search|discover`

use super::aggregate::{self, Grouped};
use super::fields::{AGGREGATES, DISCOVER, METRICS};
use super::grouped::Grouping;
use super::{check_window, print_answer, Filter};
use crate::api::Search;
use crate::cli::{bound, Aggregate, MetricType, MetricsCommand, MetricsSearchArgs};
use crate::command_error::Result;
use crate::commands::Context;
use crate::error::{Exit, UserError};
use crate::output::{CellKind, Column, Format, MetricCell};
use crate::query::Signal;
use crate::term::{sanitize, StatusLine};
use serde_json::Value;

pub async fn run(ctx: &Context, command: MetricsCommand) -> Result<Exit> {
    match command {
        MetricsCommand::Search(args) => search(ctx, *args).await,
        MetricsCommand::Discover { output } => {
            let spec = ctx.output(&output, &DISCOVER)?;
            let client = ctx.client()?;
            let answer = StatusLine::new(&ctx.terminal)
                .wait("", client.discover_metrics())
                .await?;
            let columns = vec![
                // Never cut: the name is what people copy into `metrics search --name`.
                Column::new("Name", CellKind::for_field("name")),
                Column::new("Type", CellKind::for_field("type")),
                Column::new("Unit", CellKind::for_field("unit")).drops(2),
                Column::flex("Description", CellKind::for_field("description"))
                    .floor(16)
                    .drops(1),
                Column::new("Attrs", CellKind::CountKeys("attributes".into())).drops(3),
                Column::new(
                    "Resource attrs",
                    CellKind::CountKeys("resourceAttributes".into()),
                )
                .drops(4),
            ];
            let rows = print_answer(ctx, &answer, Some("metrics"), &spec, columns)?;
            if spec.format == Format::Table && spec.fields.is_empty() && rows > 0 {
                noteln!("hint: use --json for the attribute values");
            }
            Ok(Exit::Success)
        }
    }
}

async fn search(ctx: &Context, args: MetricsSearchArgs) -> Result<Exit> {
    let bucket = check_time_bucket(&args)?;
    let min = bound("--time-min", &args.time_min).or(bound("--since", &args.relative.since));
    let max = bound("--time-max", &args.time_max).or(bound("--until", &args.relative.until));
    // Before the type is looked up: bad arguments are said before anything is sent.
    check_window(&min, &max)?;
    let kind = match args.metric_type {
        Some(kind) => kind.as_str(),
        None => type_of(ctx, args.name.as_deref()).await?.as_str(),
    };
    if args.aggregate.is_some() && !matches!(kind, "Gauge" | "Sum") {
        return Err(UserError::usage(format!(
            "--aggregate works only with --type Gauge or Sum, not {kind}"
        ))
        .into());
    }
    if let (Some(bucket), Some(aggregate)) = (bucket, args.aggregate) {
        return time_series(ctx, args, kind, bucket, aggregate).await;
    }
    let columns = columns_for(kind, args.aggregate.is_some());
    let fields = if args.aggregate.is_some() {
        &AGGREGATES
    } else {
        &METRICS
    };
    let group_by = (!args.group_by.is_empty()).then_some(args.group_by);
    let filter = Filter::default()
        .text("metricType", Some(kind.to_owned()))
        .text("metricName", args.name)
        .text("serviceName", args.source.service)
        .text("scopeName", args.source.scope)
        .window(["timeUnixMin", "timeUnixMax"], min, max)?
        .attrs("attributes", args.attr)
        .attrs("resourceAttributes", args.resource_attr.resource_attr)
        .attrs("scopeAttributes", args.scope_attr.scope_attr)
        .text("aggregate", args.aggregate.map(|a| a.as_str().to_owned()));
    let filter = filter.value("groupBy", group_by);
    super::search(ctx, Search::Metrics, filter, &args.search, fields, columns).await
}

/// `--name` without `--type`: the server's metric list says which type the name has.
async fn type_of(ctx: &Context, name: Option<&str>) -> Result<MetricType> {
    let Some(name) = name else {
        return Err(UserError::usage(
            "metrics search needs --type (Gauge, Sum, Histogram, ExponentialHistogram or \
             Summary), or --name to look the type up",
        )
        .into());
    };
    let client = ctx.client()?;
    let answer = StatusLine::new(&ctx.terminal)
        .wait("", client.discover_metrics())
        .await?;
    let listed = answer.json()?;
    let metrics = listed.get("metrics").and_then(Value::as_array);
    let mut types: Vec<MetricType> = metrics
        .into_iter()
        .flatten()
        .filter(|m| m.get("name").and_then(Value::as_str) == Some(name))
        .filter_map(|m| MetricType::from_server(m.get("type")?.as_str()?))
        .collect();
    types.sort_by_key(|t| t.as_str());
    types.dedup();
    let shown = sanitize(name);
    match types.as_slice() {
        [kind] => Ok(*kind),
        [] => Err(UserError::usage(format!(
            "--name: the server has no metric named `{shown}` (kopai metrics discover lists them)"
        ))
        .into()),
        several => {
            let names: Vec<&str> = several.iter().map(|t| t.as_str()).collect();
            Err(UserError::usage(format!(
                "--name: `{shown}` is a metric of {} types ({}); say which with --type",
                names.len(),
                names.join(", ")
            ))
            .into())
        }
    }
}

/// `--aggregate FN --group-by KEY --time-bucket B` as a KopaiQuery time series of the points'
/// `Value` (one page of at most 10,000 rows); no time flag is all of time, as for the search.
async fn time_series(
    ctx: &Context,
    args: MetricsSearchArgs,
    kind: &str,
    bucket: String,
    aggregate: Aggregate,
) -> Result<Exit> {
    if args.search.page.sort.is_some() {
        noteln!("warning: --sort is ignored with --time-bucket: buckets come in time order");
    }
    let measure = match aggregate {
        Aggregate::Count => "count".to_owned(),
        other => format!("{}(Value)", other.as_str()),
    };
    let mut series = Grouping::new(Signal::Metrics, &measure, &args.group_by, 10_000)
        .text("MetricType", Some(kind.to_owned()))
        .text("MetricName", args.name)
        .text("service.name", args.source.service)
        .text("ScopeName", args.source.scope)
        .attrs("Attributes", args.attr)
        .attrs("ResourceAttributes", args.resource_attr.resource_attr)
        .attrs("ScopeAttributes", args.scope_attr.scope_attr)
        .window(
            args.time_min.or(args.relative.since),
            args.time_max.or(args.relative.until),
        );
    series.every = Some(bucket);
    let query = Grouped {
        search: None,
        kopai: series,
        cap: "10,000 rows",
    };
    aggregate::run(ctx, query, serde_json::Value::Null, &args.search).await
}

/// `--time-bucket`, checked in upstream's order with upstream's messages. (`--aggregate` and
/// `--group-by` without `--aggregate` are checked by the flag parser, as before buckets.)
fn check_time_bucket(args: &MetricsSearchArgs) -> Result<Option<String>, UserError> {
    let Some(bucket) = &args.time_bucket else {
        return Ok(None);
    };
    if !matches!(bucket.as_str(), "1m" | "5m" | "1h" | "1d") {
        return Err(UserError::usage(format!(
            "Invalid time bucket: {bucket}. Allowed: 1m, 5m, 1h, 1d."
        )));
    }
    if args.aggregate.is_none() {
        return Err(UserError::usage("--time-bucket requires --aggregate"));
    }
    if args.group_by.is_empty() {
        return Err(UserError::usage(
            "--time-bucket requires at least one --group-by",
        ));
    }
    Ok(Some(bucket.clone()))
}

pub fn columns_for(kind: &str, aggregate: bool) -> Vec<Column> {
    if aggregate {
        return vec![
            Column::flex("Groups", CellKind::Attrs("groups".into())),
            Column::new("Value", CellKind::for_field("value")),
        ];
    }
    // The name is what people copy into the next command: other columns give way first.
    // At 60 columns a histogram's values matter more than when they were taken.
    let mut columns = vec![
        Column::new("Time", CellKind::for_field("TimeUnix")).drops(1),
        Column::flex("Service", CellKind::for_field("ServiceName"))
            .floor(12)
            .drops(2),
        Column::new("Name", CellKind::for_field("MetricName")),
        Column::flex("Attributes", CellKind::Attrs("Attributes".into()))
            .floor(12)
            .drops(3),
    ];
    let value =
        |header: &str, cell: MetricCell| Column::new(header, CellKind::Metric(cell)).right();
    match kind {
        "Gauge" | "Sum" => columns.push(value("Value", MetricCell::Value("Value"))),
        "Summary" => columns.extend([
            Column::new("Count", CellKind::Number("Count".into())).right(),
            value("Avg", MetricCell::Average),
        ]),
        _ => {
            columns.extend([
                Column::new("Count", CellKind::Number("Count".into())).right(),
                value("Avg", MetricCell::Average),
            ]);
            if matches!(kind, "Histogram" | "ExponentialHistogram") {
                columns.extend([
                    value("p50", MetricCell::Percentile(50)).drops(4),
                    value("p95", MetricCell::Percentile(95)),
                    value("p99", MetricCell::Percentile(99)).drops(5),
                ]);
            }
            columns.extend([
                value("Min", MetricCell::Value("Min")).drops(6),
                value("Max", MetricCell::Value("Max")).drops(6),
            ]);
        }
    }
    // The values carry their unit already; the column only names what a count counts.
    columns.push(Column::new("Unit", CellKind::for_field("MetricUnit")).drops(7));
    columns
}
