//! The tools: names, descriptions and argument declarations in one table, each turned into an
//! MCP tool definition (read-only, idempotent, closed world) and dispatched by name.

use std::sync::Arc;

use rmcp::model::{Tool, ToolAnnotations};
use serde_json::{Map, Value};

use super::args::{schema, Args, Field};
use super::errors::{Kind, ToolError};
use super::{catalog, query, signals};
use crate::api::Client;

pub struct Spec {
    pub name: &'static str,
    title: &'static str,
    about: &'static str,
    pub fields: &'static [Field],
}

const fn spec(
    name: &'static str,
    title: &'static str,
    about: &'static str,
    fields: &'static [Field],
) -> Spec {
    Spec {
        name,
        title,
        about,
        fields,
    }
}

/// Every tool but `query`, which is listed only on servers that have KopaiQuery.
pub const TOOLS: &[Spec] = &[
    spec("search_traces", "Search spans", "Spans matching a filter, newest first: one row per span with its service, name, kind, status, timestamps (ns), duration (ns) and attributes. Stops at `limit` and then returns nextCursor for the next rows.", signals::SEARCH_TRACES),
    spec("get_trace", "Get one trace", "Every span of one trace, with a text waterfall (the spans as a tree: offset from the trace start, duration, name, service, errors) that is easier to read than the rows.", signals::GET_TRACE),
    spec("trace_summaries", "Trace summaries", "One row per trace: root service and span, start, duration, span and error counts. The quickest way to find slow or failing traces.", signals::TRACE_SUMMARIES),
    spec("search_logs", "Search logs", "Log records matching a filter, newest first: body, severity, service, trace and span IDs, attributes. Stops at `limit` and then returns nextCursor.", signals::SEARCH_LOGS),
    spec("search_metrics", "Search metrics", "Metric points of one type (metricType is required; see discover_metrics), or with `aggregate` one value per `groupBy` group.", signals::SEARCH_METRICS),
    spec("discover_metrics", "Discover metrics", "The metrics there are: name, type, unit, description and the attribute values seen. Use it before search_metrics.", catalog::DISCOVER_METRICS),
    spec("services", "Services", "The names of the services that sent telemetry.", catalog::SERVICES),
    spec("operations", "Operations", "The span names (operations) of one service.", catalog::OPERATIONS),
    spec("dashboards_list", "List dashboards", "Dashboards, newest first: id, name, creation time, metadata, UI tree.", catalog::DASHBOARDS_LIST),
    spec("dashboard_get", "Get a dashboard", "One dashboard by ID, whole.", catalog::DASHBOARD_GET),
];

pub const QUERY: Spec = spec(
    "query",
    "KopaiQuery",
    "One KopaiQuery under `query`: raw rows or aggregates (COUNT, ERROR_RATE, P95 of Duration, ... per dimension, as a summary or a time series) for traces, logs or metrics. Rank services by error rate and throughput, then bucket over time to find an onset.",
    query::QUERY,
);

impl Spec {
    pub fn definition(&self) -> Tool {
        let annotations = ToolAnnotations::with_title(self.title)
            .read_only(true)
            .destructive(false)
            .idempotent(true)
            .open_world(false);
        Tool::new(self.name, self.about, Arc::new(schema(self.fields)))
            .with_title(self.title)
            .with_annotations(annotations)
    }
}

pub fn find(name: &str) -> Option<&'static Spec> {
    TOOLS
        .iter()
        .find(|t| t.name == name)
        .or((name == QUERY.name).then_some(&QUERY))
}

/// Runs tool `name`: its payload, or the error to show the model.
pub async fn call(
    client: &Client,
    spec: &Spec,
    arguments: Option<Map<String, Value>>,
) -> Result<Value, ToolError> {
    let args = Args::check(spec.fields, arguments)?;
    match spec.name {
        "search_traces" => signals::search_traces(client, &args).await,
        "get_trace" => signals::get_trace(client, &args).await,
        "trace_summaries" => signals::trace_summaries(client, &args).await,
        "search_logs" => signals::search_logs(client, &args).await,
        "search_metrics" => signals::search_metrics(client, &args).await,
        "discover_metrics" => catalog::discover_metrics(client, &args).await,
        "services" => catalog::services(client, &args).await,
        "operations" => catalog::operations(client, &args).await,
        "dashboards_list" => catalog::dashboards_list(client, &args).await,
        "dashboard_get" => catalog::dashboard_get(client, &args).await,
        "query" => query::query(client, &args).await,
        other => Err(ToolError::new(
            Kind::InvalidInput,
            format!("no tool named `{other}`"),
        )),
    }
}
