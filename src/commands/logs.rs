use crate::cli::{GlobalArgs, LogsCommand};
use crate::commands::query::{connect, search, Filter};
use crate::error::Exit;
use crate::output::{Cell, Column, OutputSpec};

pub async fn run(global: &GlobalArgs, command: LogsCommand) -> anyhow::Result<Exit> {
    let LogsCommand::Search(args) = command;
    let spec = OutputSpec::from_args(&args.output);
    let filter = Filter::default()
        .text("traceId", args.trace_id)
        .text("spanId", args.span_id)
        .text("serviceName", args.service)
        .text("scopeName", args.scope)
        .text("severityText", args.severity_text)
        .value("severityNumberMin", args.severity_min)
        .value("severityNumberMax", args.severity_max)
        .text("bodyContains", args.body)
        .text("timestampMin", args.time.timestamp_min.or(args.time.since))
        .text("timestampMax", args.time.timestamp_max.or(args.time.until))
        .attrs("logAttributes", args.log_attr)
        .attrs("resourceAttributes", args.resource_attr)
        .attrs("scopeAttributes", args.scope_attr)
        .page(&args.page);
    let columns = vec![
        Column::new("Time", Cell::for_field("Timestamp")),
        Column::new("Severity", Cell::for_field("SeverityText")),
        Column::flex("Service", Cell::for_field("ServiceName")),
        Column::new("Trace", Cell::for_field("TraceId")),
        Column::flex("Body", Cell::for_field("Body")),
    ];
    let client = connect(global)?;
    search(
        &client,
        "/signals/logs/search",
        filter,
        &args.page,
        &spec,
        columns,
    )
    .await
}
