//! The signal tools: spans, trace summaries, logs and metric points searched with the REST
//! filters (argument names as the API names them, plus `since`/`until`), and one trace with
//! its waterfall.

use serde_json::{json, Map, Value};

use super::args::{field, required, Args, Field, Kind, LocalKind};
use super::errors::{Kind as ErrorKind, ToolError};
use super::results::{self, AGGREGATE_CAP, RAW_CAP, RAW_DEFAULT};
use crate::api::{BackendStyle, Body, Client, Search};
use crate::cli::spelling::{parse_span_kind, parse_status_code, Spelling};

const SORT: Kind = Kind::Choice(&["ASC", "DESC"]);
const RAW_LIMIT: Kind = Kind::Local(LocalKind::Limit {
    default: RAW_DEFAULT,
    cap: RAW_CAP,
});
const FIELDS: Field = field(
    "fields",
    Kind::Local(LocalKind::Names),
    "Top-level row keys to return (like [\"Timestamp\", \"SpanName\"]); all when omitted",
);
const CURSOR: Field = field(
    "cursor",
    Kind::Text,
    "nextCursor of the previous call, with the same other arguments",
);
const SORT_ORDER: Field = field(
    "sortOrder",
    SORT,
    "By time: DESC (newest first, the default) or ASC",
);
const LIMIT: Field = field(
    "limit",
    RAW_LIMIT,
    "Rows to return, 1-200; more is refused, not cut",
);
const SINCE: Field = field(
    "since",
    Kind::TimeAlias("timestampMin"),
    "From this time: an age (15m, 1h, 7d), a date or an RFC 3339 time; same as timestampMin",
);
const UNTIL: Field = field(
    "until",
    Kind::TimeAlias("timestampMax"),
    "Up to this time, as `since`; same as timestampMax",
);
const TS_MIN: Field = field(
    "timestampMin",
    Kind::Time,
    "Earliest time: nanoseconds since the epoch (digits), or as `since`",
);
const TS_MAX: Field = field("timestampMax", Kind::Time, "Latest time, as timestampMin");
const SERVICE: Field = field(
    "serviceName",
    Kind::Text,
    "Service name, exact (see the services tool)",
);
const TRACE_ID: Field = field("traceId", Kind::Text, "Trace ID, 32 hex digits");
const SPAN_ID: Field = field("spanId", Kind::Text, "Span ID, 16 hex digits");
const SCOPE: Field = field("scopeName", Kind::Text, "Instrumentation scope name, exact");
const RESOURCE: Field = field(
    "resourceAttributes",
    Kind::Attrs,
    "Resource attributes that must match exactly",
);

pub const SEARCH_TRACES: &[Field] = &[
    TRACE_ID, SPAN_ID,
    field("parentSpanId", Kind::Text, "Parent span ID"),
    SERVICE,
    field("spanName", Kind::Text, "Span name, exact (see the operations tool)"),
    field("spanKind", Kind::Text, "server, client, producer, consumer, internal or unspecified (sent in the server's stored spelling)"),
    field("statusCode", Kind::Text, "error, ok or unset (sent in the server's stored spelling)"),
    SCOPE, TS_MIN, TS_MAX, SINCE, UNTIL,
    field("durationMin", Kind::Duration, "Shortest span: 250ms, 1.5s, 2m or nanoseconds"),
    field("durationMax", Kind::Duration, "Longest span, as durationMin"),
    field("spanAttributes", Kind::Attrs, "Span attributes that must match exactly"),
    RESOURCE,
    field("eventsAttributes", Kind::Attrs, "Span event attributes that must match exactly"),
    field("linksAttributes", Kind::Attrs, "Span link attributes that must match exactly"),
    LIMIT, CURSOR, SORT_ORDER, FIELDS,
];

pub const TRACE_SUMMARIES: &[Field] = &[
    SERVICE,
    field("spanName", Kind::Text, "Root span name, exact"),
    TS_MIN,
    TS_MAX,
    SINCE,
    UNTIL,
    field(
        "durationMin",
        Kind::Duration,
        "Shortest trace: 250ms, 1.5s, 2m or nanoseconds",
    ),
    field(
        "durationMax",
        Kind::Duration,
        "Longest trace, as durationMin",
    ),
    field(
        "spanAttributes",
        Kind::Attrs,
        "Span attributes that must match exactly",
    ),
    RESOURCE,
    LIMIT,
    CURSOR,
    SORT_ORDER,
    FIELDS,
];

pub const SEARCH_LOGS: &[Field] = &[
    TRACE_ID,
    SPAN_ID,
    SERVICE,
    SCOPE,
    field("eventName", Kind::Text, "Event name, exact"),
    field(
        "severityText",
        Kind::Text,
        "Severity text, exact as sent (ERROR, error and Error all occur: prefer severityNumberMin)",
    ),
    field("bodyContains", Kind::Text, "Text the log body contains"),
    field(
        "severityNumberMin",
        Kind::Integer(1, 24),
        "Lowest severity number, 1-24 (17 and up are errors)",
    ),
    field(
        "severityNumberMax",
        Kind::Integer(1, 24),
        "Highest severity number, 1-24",
    ),
    TS_MIN,
    TS_MAX,
    SINCE,
    UNTIL,
    field(
        "logAttributes",
        Kind::Attrs,
        "Log attributes that must match exactly",
    ),
    RESOURCE,
    field(
        "scopeAttributes",
        Kind::Attrs,
        "Scope attributes that must match exactly",
    ),
    LIMIT,
    CURSOR,
    SORT_ORDER,
    FIELDS,
];

pub const SEARCH_METRICS: &[Field] = &[
    required("metricType", Kind::Choice(&["Gauge", "Sum", "Histogram", "ExponentialHistogram", "Summary"]), "The metric's type (see discover_metrics)"),
    field("metricName", Kind::Text, "Metric name, exact (see discover_metrics)"),
    SERVICE, SCOPE,
    field("timeUnixMin", Kind::Time, "Earliest point: nanoseconds since the epoch (digits), or as `since`"),
    field("timeUnixMax", Kind::Time, "Latest point, as timeUnixMin"),
    field("since", Kind::TimeAlias("timeUnixMin"), "From this time: an age (15m, 1h, 7d), a date or an RFC 3339 time; same as timeUnixMin"),
    field("until", Kind::TimeAlias("timeUnixMax"), "Up to this time, as `since`; same as timeUnixMax"),
    field("attributes", Kind::Attrs, "Point attributes that must match exactly"),
    RESOURCE,
    field("scopeAttributes", Kind::Attrs, "Scope attributes that must match exactly"),
    field("aggregate", Kind::Choice(&["sum", "avg", "min", "max", "count"]), "Aggregate the points (Gauge and Sum only) into one value per group"),
    field("groupBy", Kind::Keys, "Attribute keys to group the aggregate by (needs aggregate)"),
    field("limit", RAW_LIMIT, "Rows to return: points 1-200 (default 100); with aggregate, groups 1-500 (default 500); more is refused, not cut"),
    CURSOR, SORT_ORDER, FIELDS,
];

pub const GET_TRACE: &[Field] = &[
    required(
        "traceId",
        Kind::Local(LocalKind::Id),
        "Trace ID, 32 hex digits",
    ),
    field(
        "includeRows",
        Kind::Local(LocalKind::Flag),
        "Also return the spans as rows (default true); false returns only the waterfall",
    ),
    FIELDS,
];

pub async fn search_traces(client: &Client, args: &Args) -> Result<Value, ToolError> {
    let mut filter = args.filter(SEARCH_TRACES)?;
    spell_enums(client, &mut filter).await?;
    raw_search(client, Search::Spans, filter, args).await
}

pub async fn trace_summaries(client: &Client, args: &Args) -> Result<Value, ToolError> {
    let filter = args.filter(TRACE_SUMMARIES)?;
    raw_search(client, Search::TraceSummaries, filter, args).await
}

pub async fn search_logs(client: &Client, args: &Args) -> Result<Value, ToolError> {
    let filter = args.filter(SEARCH_LOGS)?;
    raw_search(client, Search::Logs, filter, args).await
}

pub async fn search_metrics(client: &Client, args: &Args) -> Result<Value, ToolError> {
    let mut filter = args.filter(SEARCH_METRICS)?;
    if !filter.contains_key("aggregate") {
        return raw_search(client, Search::Metrics, filter, args).await;
    }
    if filter.contains_key("cursor") {
        return Err(ToolError::invalid(
            "`cursor` does not go with `aggregate`: an aggregate is one page",
        ));
    }
    let limit = args.limit(AGGREGATE_CAP, AGGREGATE_CAP)?;
    // One row more than asked for, to see an aggregate that would be cut off.
    filter.insert("limit".into(), json!(limit + 1));
    let answer = client
        .search(Search::Metrics, &Value::Object(filter))
        .await?;
    let (rows, _) = page(&answer)?;
    let remedies = vec![
        "group by fewer keys (`groupBy`), or filter to fewer groups (serviceName, attributes)"
            .to_owned(),
        "narrow the time window (`since`, `timeUnixMin`/`timeUnixMax`)".to_owned(),
    ];
    results::aggregate_rows(rows, limit, remedies)
}

pub async fn get_trace(client: &Client, args: &Args) -> Result<Value, ToolError> {
    let trace_id = args.id("traceId")?.unwrap_or_default();
    let fields = args.names("fields")?;
    let answer = client.get_trace(&trace_id).await?;
    let rows = match answer.json()? {
        Value::Array(rows) => rows,
        _ => return Err(answer.unexpected("expected an array of spans").into()),
    };
    if rows.is_empty() {
        return Err(ToolError::new(
            ErrorKind::NotFound,
            format!("no trace with ID {}", crate::term::sanitize(&trace_id)),
        )
        .with_remedies([
            "check the ID (32 hex digits); a trace can take a few seconds to arrive".to_owned(),
        ]));
    }
    let waterfall = crate::output::plain_tree(&trace_id, &rows);
    let mut payload = Map::new();
    payload.insert("traceId".into(), json!(trace_id));
    payload.insert("spanCount".into(), json!(rows.len()));
    payload.insert("waterfall".into(), json!(waterfall));
    if args.flag("includeRows")?.unwrap_or(true) {
        let page = results::raw_page(rows, None, u64::MAX, fields.as_deref());
        payload.insert(
            "rows".into(),
            page.map(|mut p| p["rows"].take()).unwrap_or(Value::Null),
        );
    }
    let remedies = vec![
        "set `includeRows` to false: the waterfall alone".to_owned(),
        "name only the row fields you need with `fields`".to_owned(),
        "search_traces with this traceId and a `limit` pages through the spans".to_owned(),
    ];
    results::within_ceiling(Value::Object(payload), remedies)
}

/// One page of a search, the limit checked against the raw cap.
async fn raw_search(
    client: &Client,
    search: Search,
    mut filter: Map<String, Value>,
    args: &Args,
) -> Result<Value, ToolError> {
    let limit = args.limit(RAW_DEFAULT, RAW_CAP)?;
    filter.insert("limit".into(), json!(limit));
    let fields = args.names("fields")?;
    let answer = client.search(search, &Value::Object(filter)).await?;
    let (rows, cursor) = page(&answer)?;
    results::raw_page(rows, cursor, limit, fields.as_deref())
}

/// `{"data": [rows…], "nextCursor": string|null}`.
pub fn page(answer: &Body) -> Result<(Vec<Value>, Option<String>), ToolError> {
    let mut json = answer.json()?;
    let cursor = json
        .get("nextCursor")
        .and_then(Value::as_str)
        .map(str::to_owned);
    match json.get_mut("data").map(Value::take) {
        Some(Value::Array(rows)) => Ok((rows, cursor)),
        _ => Err(answer
            .unexpected("expected an object with a `data` array")
            .into()),
    }
}

/// `statusCode` and `spanKind` in the spelling this server's backend stores.
async fn spell_enums(client: &Client, filter: &mut Map<String, Value>) -> Result<(), ToolError> {
    let mut parsed: Vec<(&str, Spelling)> = Vec::new();
    for (key, parse) in [
        (
            "statusCode",
            parse_status_code as fn(&str) -> Result<Spelling, String>,
        ),
        ("spanKind", parse_span_kind),
    ] {
        if let Some(raw) = filter.get(key).and_then(Value::as_str) {
            let spelling =
                parse(raw.trim()).map_err(|e| ToolError::invalid(format!("`{key}`: {e}")))?;
            parsed.push((key, spelling));
        }
    }
    let style = if parsed.iter().any(|(_, s)| s.is_friendly()) {
        client.backend_style().await?
    } else {
        BackendStyle::Otlp
    };
    for (key, spelling) in parsed {
        filter.insert(key.into(), json!(spelling.spell(style)));
    }
    Ok(())
}
