//! `kopai traces get|search|summaries|operations`

use std::io::Write;

use super::fields::{OPERATIONS, SPANS, SUMMARIES, TRACE};
use super::{check_window, print_answer, shape_error, trace_logs, Filter};
use crate::api::{BackendStyle, Search};
use crate::cli::spelling::Spelling;
use crate::cli::{
    FoldArgs, OutputArgs, SpanFilterArgs, TracesCommand, TracesSearchArgs, TracesSummariesArgs,
};
use crate::command_error::Result;
use crate::commands::{kopai_query, recent_ids, trace_prefix, Context};
use crate::error::{Exit, UserError};
use crate::links;
use crate::output::pager::Paged;
use crate::output::{write_tree, CellKind, Column, Fold, Format, Sink, Trace};
use crate::term::{sanitize, StatusLine};

pub async fn run(ctx: &Context, command: TracesCommand) -> Result<Exit> {
    match command {
        TracesCommand::Get {
            trace_id,
            span,
            logs,
            fold,
            output,
        } => get(ctx, trace_id, span, logs, fold, output).await,
        TracesCommand::Search(args) => search(ctx, args).await,
        TracesCommand::Summaries(args) => summaries(ctx, args).await,
        TracesCommand::Stats(args) => kopai_query::stats::traces(ctx, *args).await,
        TracesCommand::Operations { service, output } => {
            let spec = ctx.output(&output, &OPERATIONS)?;
            let client = ctx.client()?;
            let answer = StatusLine::new(&ctx.terminal)
                .wait("", client.operations(&service))
                .await?;
            let columns = vec![Column::new("Operation", CellKind::Itself)];
            print_answer(ctx, &answer, Some("operations"), &spec, columns)?;
            Ok(Exit::Success)
        }
    }
}

async fn get(
    ctx: &Context,
    trace_id: String,
    span: Option<String>,
    logs: bool,
    fold: FoldArgs,
    output: OutputArgs,
) -> Result<Exit> {
    let trace_id = trace_prefix::resolve(ctx, &trace_id).await?;
    let spec = ctx.output(&output, &TRACE)?;
    // The waterfall is the table of `traces get`; `-f` still picks columns.
    let waterfall = spec.format == Format::Table && spec.fields.is_empty();
    let fold = Fold {
        depth: fold.depth,
        service: fold.service,
        errors: fold.errors,
    };
    if fold.is_set() && !waterfall {
        return Err(UserError::usage(format!(
            "{} folds the waterfall, and this prints every span as data",
            fold.flags()
        ))
        .with_hint("drop -f/--json/-o, or add -t in a pipe")
        .into());
    }
    if logs && !waterfall {
        return Err(UserError::usage(
            "--logs adds the trace's logs to the waterfall, and this prints every span as data",
        )
        .with_hint(format!(
            "for its logs as data: kopai logs search --trace-id {trace_id} --json; \
             for the waterfall in a pipe: -t"
        ))
        .into());
    }
    if let Some(span) = span {
        return super::span::show(ctx, &trace_id, &span, &spec, waterfall, span_columns()).await;
    }
    let (client, ui) = if waterfall {
        let (client, ui) = ctx.client_and_ui()?;
        (client, Some(ui))
    } else {
        (ctx.client()?, None)
    };
    // The trace's logs are asked for beside its spans, not after them.
    let (answer, logs) = StatusLine::new(&ctx.terminal)
        .wait("", async {
            // Logs that fail leave the spans shown; spans that fail end the wait for them.
            tokio::try_join!(client.get_trace(&trace_id), async {
                match logs {
                    true => Ok(Some(trace_logs::fetch(&client, &trace_id).await)),
                    false => Ok(None),
                }
            })
        })
        .await?;
    // What is shown can be typed back as a prefix, even when it was typed in whole.
    recent_ids::record([trace_id.as_str()]);
    let Some(ui) = ui else {
        let count = print_answer(ctx, &answer, None, &spec, span_columns())?;
        if count == 0 && spec.format == Format::Table {
            no_spans(ctx, &trace_id);
        }
        return Ok(Exit::Success);
    };
    let trace = Trace::parse(&answer.bytes).map_err(|e| shape_error(&answer, e))?;
    if trace.is_empty() {
        outln!("No results found.");
        no_spans(ctx, &trace_id);
        return Ok(Exit::Success);
    }
    if let Some(service) = &fold.service {
        let services = trace.services();
        if !services.contains(&service.as_str()) {
            return Err(UserError::usage(format!(
                "--service {}: no span of trace {trace_id} is from this service",
                sanitize(service)
            ))
            .with_hint(format!("its services: {}", sanitize(&services.join(", "))))
            .into());
        }
    }
    let logs = logs.and_then(|fetched| fetched.map_err(|e| trace_logs::missing(&e)).ok());
    let log_page = logs.as_ref().and_then(|body| {
        trace_logs::page(body)
            .map_err(|e| trace_logs::missing(&e))
            .ok()
    });
    let logs = log_page.as_ref().map(trace_logs::read);
    let mut out = std::io::BufWriter::new(Paged(std::io::stdout().lock()));
    let logs = logs.as_ref();
    write_tree(
        &mut out,
        &trace_id,
        &trace,
        logs,
        &fold,
        &ctx.terminal,
        spec.view,
    )?;
    let service = links::root_service(trace.spans(), |span, key| span.field(key));
    let link = links::trace(&ui, &trace_id, service.as_deref(), None);
    writeln!(out, "{}", sanitize(&link))?;
    out.flush()?;
    Ok(Exit::Success)
}

/// An unknown trace, said plainly to a person at a terminal.
fn no_spans(ctx: &Context, trace_id: &str) {
    if ctx.terminal.stderr_is_terminal {
        noteln!("No spans for trace {trace_id}: not ingested yet, or older than the retention.");
    }
}

async fn search(ctx: &Context, mut args: TracesSearchArgs) -> Result<Exit> {
    trace_prefix::resolve_flag(ctx, &mut args.trace.trace_id).await?;
    let friendly = [&args.span_kind, &args.status_code]
        .into_iter()
        .flatten()
        .any(Spelling::is_friendly);
    // Usage errors before any request, the probe included (--follow paces itself).
    let spec = ctx.output(&args.search.output, &SPANS)?;
    if !args.follow.follow {
        super::check_interval(&args.search)?;
    }
    super::check_lag(&args.follow)?;
    check_window(&args.spans.time.min(), &args.spans.time.max())?;
    let client = ctx.client()?;
    let style = if friendly {
        client.backend_style().await?
    } else {
        // Only stored spellings: sent as they are, nothing to learn.
        BackendStyle::Otlp
    };
    let spell = |value: Option<Spelling>| value.map(|v| v.spell(style));
    let filter = Filter::default()
        .text("traceId", args.trace.trace_id)
        .text("spanId", args.trace.span_id)
        .text("parentSpanId", args.parent_span_id)
        .text("spanKind", spell(args.span_kind))
        .text("statusCode", spell(args.status_code))
        .text("scopeName", args.scope);
    let filter = span_filter(filter, args.spans)?;
    let columns = super::without_filtered(span_columns(), &filter);
    if args.follow.follow {
        let sink = Sink::new(&spec.endless(), columns, &ctx.terminal);
        return super::follow(
            &client,
            Search::Spans,
            filter,
            &args.search,
            sink,
            &ctx.terminal,
            args.follow.lag,
        )
        .await;
    }
    super::wait_and_print_search(
        ctx,
        &client,
        Search::Spans,
        filter,
        &args.search,
        &spec,
        columns,
    )
    .await
}

async fn summaries(ctx: &Context, args: TracesSummariesArgs) -> Result<Exit> {
    let filter = span_filter(Filter::default(), args.spans)?;
    let columns = vec![
        Column::new("Start", CellKind::for_field("startTimeNs")),
        Column::new("Trace", CellKind::Id("traceId".into())).drops(1),
        Column::flex("Service", CellKind::for_field("rootServiceName"))
            .floor(12)
            .drops(2),
        Column::flex("Root span", CellKind::for_field("rootSpanName")).floor(16),
        Column::new("Duration", CellKind::for_field("durationNs")),
        Column::new("Spans", CellKind::for_field("spanCount")).drops(3),
        Column::new("Errors", CellKind::for_field("errorCount")),
    ];
    let search = Search::TraceSummaries;
    super::search(ctx, search, filter, &args.search, &SUMMARIES, columns).await
}

/// The filters spans and summaries share.
fn span_filter(filter: Filter, spans: SpanFilterArgs) -> Result<Filter, UserError> {
    let (min, max) = (spans.time.min(), spans.time.max());
    Ok(filter
        .text("serviceName", spans.service)
        .text("spanName", spans.span_name)
        .window(["timestampMin", "timestampMax"], min, max)?
        .text("durationMin", spans.duration.duration_min)
        .text("durationMax", spans.duration.duration_max)
        .attrs("spanAttributes", spans.span_attr)
        .attrs("resourceAttributes", spans.resource_attr.resource_attr))
}

/// Span rows. When the terminal is narrow, the status message is cut first; then the span
/// ID goes, then the kind, the trace ID, the service and last the message (what went wrong,
/// when anything did); the span name keeps the most room. A column empty in every row (the
/// message, most often) is left out.
pub fn span_columns() -> Vec<Column> {
    vec![
        Column::new("Time", CellKind::for_field("Timestamp")),
        Column::new("Trace", CellKind::Id("TraceId".into()))
            .drops(3)
            .hides_when_empty(),
        Column::new("Span", CellKind::Id("SpanId".into()))
            .drops(5)
            .hides_when_empty(),
        Column::flex("Service", CellKind::for_field("ServiceName"))
            .floor(12)
            .drops(2)
            .hides_when_empty(),
        Column::flex("Name", CellKind::for_field("SpanName"))
            .floor(16)
            .hides_when_empty(),
        Column::new("Kind", CellKind::for_field("SpanKind"))
            .drops(4)
            .hides_when_empty(),
        Column::new("Status", CellKind::for_field("StatusCode")).hides_when_empty(),
        Column::flex("Message", CellKind::for_field("StatusMessage"))
            .floor(12)
            .drops(1)
            .cut_first()
            .hides_when_empty(),
        Column::new("Duration", CellKind::for_field("Duration")).hides_when_empty(),
    ]
}
