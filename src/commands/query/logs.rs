//! `kopai logs search`

use super::fields::LOGS;
use super::Filter;
use crate::cli::LogsCommand;
use crate::commands::Context;
use crate::error::Exit;
use crate::output::{Cell, Column};

pub async fn run(ctx: &Context, command: LogsCommand) -> anyhow::Result<Exit> {
    let LogsCommand::Search(args) = command;
    let filter = Filter::default()
        .text("traceId", args.trace.trace_id)
        .text("spanId", args.trace.span_id)
        .text("serviceName", args.source.service)
        .text("scopeName", args.source.scope)
        .text("severityText", args.severity_text)
        .value("severityNumberMin", args.severity_min)
        .value("severityNumberMax", args.severity_max)
        .text("bodyContains", args.body)
        .text("timestampMin", args.time.min())
        .text("timestampMax", args.time.max())
        .attrs("logAttributes", args.log_attr)
        .attrs("resourceAttributes", args.resource_attr.resource_attr)
        .attrs("scopeAttributes", args.scope_attr.scope_attr);
    // The body is what the reader came for: it keeps the most room, the trace ID goes first.
    let columns = vec![
        Column::new("Time", Cell::for_field("Timestamp")),
        Column::new("Severity", Cell::for_field("SeverityText")),
        Column::flex("Service", Cell::for_field("ServiceName"))
            .floor(12)
            .drops(1),
        Column::new("Trace", Cell::Id("TraceId".into())).drops(2),
        Column::flex("Body", Cell::for_field("Body")).floor(30),
    ];
    let path = "/signals/logs/search";
    super::search(ctx, path, filter, &args.search, &LOGS, columns).await
}
