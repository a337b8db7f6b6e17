use url::form_urlencoded;

use crate::cli::{GlobalArgs, TracesCommand, TracesSearchArgs, TracesSummariesArgs};
use crate::commands::query::{connect, print_rows, search, take_array, Filter};
use crate::error::{Exit, UserError};
use crate::output::{Cell, Column, OutputSpec};

pub async fn run(global: &GlobalArgs, command: TracesCommand) -> anyhow::Result<Exit> {
    match command {
        TracesCommand::Get { trace_id, output } => {
            let spec = OutputSpec::from_args(&output);
            if trace_id.is_empty() || !trace_id.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(UserError::usage(format!(
                    "<TRACE_ID> `{trace_id}` is not a trace ID (expected hexadecimal digits)"
                ))
                .into());
            }
            let client = connect(global)?;
            let path = format!("/signals/traces/{trace_id}");
            let answer = client.get_json(&path).await?;
            let serde_json::Value::Array(rows) = answer else {
                return Err(client
                    .unexpected(&path, "expected an array of spans")
                    .into());
            };
            print_rows(&rows, &spec, span_columns())
        }
        TracesCommand::Search(args) => traces_search(global, args).await,
        TracesCommand::Summaries(args) => summaries(global, args).await,
        TracesCommand::Operations { service, output } => {
            let spec = OutputSpec::from_args(&output);
            let client = connect(global)?;
            let query: String = form_urlencoded::byte_serialize(service.as_bytes()).collect();
            let path = format!("/signals/traces/operations?serviceName={query}");
            let mut answer = client.get_json(&path).await?;
            let rows = take_array(&mut answer, "operations").ok_or_else(|| {
                client.unexpected(&path, "expected an object with an `operations` array")
            })?;
            print_rows(&rows, &spec, vec![Column::new("Operation", Cell::Itself)])
        }
    }
}

async fn traces_search(global: &GlobalArgs, args: TracesSearchArgs) -> anyhow::Result<Exit> {
    let spec = OutputSpec::from_args(&args.output);
    let filter = Filter::default()
        .text("traceId", args.trace_id)
        .text("spanId", args.span_id)
        .text("parentSpanId", args.parent_span_id)
        .text("serviceName", args.service)
        .text("spanName", args.span_name)
        .text("spanKind", args.span_kind)
        .text("statusCode", args.status_code)
        .text("scopeName", args.scope)
        .text("timestampMin", args.time.timestamp_min.or(args.time.since))
        .text("timestampMax", args.time.timestamp_max.or(args.time.until))
        .text("durationMin", args.duration.duration_min)
        .text("durationMax", args.duration.duration_max)
        .attrs("spanAttributes", args.span_attr)
        .attrs("resourceAttributes", args.resource_attr)
        .page(&args.page);
    let client = connect(global)?;
    search(
        &client,
        "/signals/traces/search",
        filter,
        &args.page,
        &spec,
        span_columns(),
    )
    .await
}

async fn summaries(global: &GlobalArgs, args: TracesSummariesArgs) -> anyhow::Result<Exit> {
    let spec = OutputSpec::from_args(&args.output);
    let filter = Filter::default()
        .text("serviceName", args.service)
        .text("spanName", args.span_name)
        .text("timestampMin", args.time.timestamp_min.or(args.time.since))
        .text("timestampMax", args.time.timestamp_max.or(args.time.until))
        .text("durationMin", args.duration.duration_min)
        .text("durationMax", args.duration.duration_max)
        .attrs("spanAttributes", args.span_attr)
        .attrs("resourceAttributes", args.resource_attr)
        .page(&args.page);
    let columns = vec![
        Column::new("Start", Cell::for_field("startTimeNs")),
        Column::new("Trace", Cell::for_field("traceId")),
        Column::flex("Service", Cell::for_field("rootServiceName")),
        Column::flex("Root span", Cell::for_field("rootSpanName")),
        Column::new("Duration", Cell::for_field("durationNs")),
        Column::new("Spans", Cell::for_field("spanCount")),
        Column::new("Errors", Cell::for_field("errorCount")),
    ];
    let client = connect(global)?;
    search(
        &client,
        "/signals/traces/summaries",
        filter,
        &args.page,
        &spec,
        columns,
    )
    .await
}

fn span_columns() -> Vec<Column> {
    vec![
        Column::new("Time", Cell::for_field("Timestamp")),
        Column::new("Trace", Cell::for_field("TraceId")),
        Column::new("Span", Cell::for_field("SpanId")),
        Column::flex("Service", Cell::for_field("ServiceName")),
        Column::flex("Name", Cell::for_field("SpanName")),
        Column::new("Kind", Cell::for_field("SpanKind")),
        Column::new("Status", Cell::for_field("StatusCode")),
        Column::new("Duration", Cell::for_field("Duration")),
    ]
}
