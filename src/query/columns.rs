//! The columns KopaiQuery knows for each signal, as upstream's schema (`@kopai/core`
//! `kopai-query.ts`) lists them: structural PascalCase columns, semantic-convention dotted
//! names, and the attribute containers an `{container, key}` reference may name.

use super::model::{Column, Signal};

/// Semantic-convention attributes every signal has: they live on the resource.
#[rustfmt::skip]
const RESOURCE_SEMCONV: &[&str] = &[
    "service.name", "service.namespace", "service.version", "service.instance.id",
    "deployment.environment.name",
    "host.name", "host.id", "host.arch", "host.type", "host.ip",
    "container.id", "container.name", "container.image.name", "container.image.tag",
    "container.runtime",
    "k8s.cluster.name", "k8s.cluster.uid", "k8s.namespace.name", "k8s.node.name", "k8s.node.uid",
    "k8s.pod.name", "k8s.pod.uid", "k8s.container.name", "k8s.container.restart_count",
    "k8s.deployment.name", "k8s.deployment.uid", "k8s.statefulset.name", "k8s.statefulset.uid",
    "k8s.daemonset.name", "k8s.daemonset.uid", "k8s.job.name", "k8s.job.uid",
    "k8s.cronjob.name", "k8s.cronjob.uid", "k8s.replicaset.name", "k8s.replicaset.uid",
    "cloud.provider", "cloud.region", "cloud.availability_zone", "cloud.account.id",
    "cloud.platform", "cloud.resource_id",
    "process.pid", "process.executable.name", "process.command", "process.command_line",
    "process.runtime.name", "process.runtime.version", "process.runtime.description",
    "telemetry.sdk.name", "telemetry.sdk.version", "telemetry.sdk.language",
    "telemetry.distro.name", "telemetry.distro.version",
    "os.type", "os.name", "os.version", "os.description",
];

#[rustfmt::skip]
const TRACE_SEMCONV: &[&str] = &[
    "http.request.method", "http.request.method_original", "http.response.status_code",
    "http.route", "http.request.resend_count",
    "url.full", "url.path", "url.scheme", "url.query", "url.fragment",
    "server.address", "server.port", "client.address", "client.port",
    "network.protocol.name", "network.protocol.version", "network.transport", "network.type",
    "network.peer.address", "network.peer.port", "network.local.address", "network.local.port",
    "user_agent.original",
    "db.system.name", "db.namespace", "db.collection.name", "db.operation.name",
    "db.operation.batch.size", "db.query.text", "db.query.summary", "db.response.status_code",
    "db.stored_procedure.name",
    "rpc.system.name", "rpc.service", "rpc.method", "rpc.method_original",
    "rpc.response.status_code", "rpc.grpc.status_code",
    "messaging.system", "messaging.destination.name", "messaging.operation.type",
    "messaging.message.id", "messaging.message.body.size",
    "gen_ai.system", "gen_ai.operation.name", "gen_ai.request.model", "gen_ai.response.model",
    "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens",
    "exception.type", "exception.message", "exception.stacktrace", "error.type",
    "code.function.name", "code.namespace", "code.file.path", "code.line.number",
    "code.stacktrace",
    "thread.id", "thread.name", "enduser.id", "enduser.role",
];

#[rustfmt::skip]
const LOG_SEMCONV: &[&str] = &[
    "log.level", "log.file.name", "log.file.path", "log.iostream", "log.record.uid",
    "exception.type", "exception.message", "exception.stacktrace", "error.type",
    "code.function.name", "code.namespace", "code.file.path", "code.line.number",
    "code.stacktrace",
    "thread.id", "thread.name",
    "http.request.method", "http.response.status_code", "http.route", "url.full", "url.path",
    "client.address", "server.address", "user_agent.original",
    "gen_ai.system", "gen_ai.operation.name", "gen_ai.request.model", "gen_ai.response.model",
    "enduser.id", "enduser.role",
];

#[rustfmt::skip]
const METRIC_SEMCONV: &[&str] = &[
    "http.request.method", "http.response.status_code", "http.route", "server.address",
    "server.port", "url.scheme", "network.protocol.name", "network.protocol.version",
    "db.system.name", "db.namespace", "db.collection.name", "db.operation.name",
    "rpc.system.name", "rpc.service", "rpc.method",
    "messaging.system", "messaging.destination.name", "messaging.operation.type",
    "error.type",
];

#[rustfmt::skip]
const TRACE_STRUCTURAL: &[&str] = &[
    "SpanId", "TraceId", "ParentSpanId", "Timestamp", "Duration", "SpanKind", "SpanName",
    "StatusCode", "StatusMessage", "TraceState", "ScopeName", "ScopeVersion",
];

#[rustfmt::skip]
const LOG_STRUCTURAL: &[&str] = &[
    "Timestamp", "Body", "EventName", "SeverityNumber", "SeverityText", "SpanId", "TraceId",
    "TraceFlags", "ScopeName", "ScopeVersion", "ScopeSchemaUrl", "ResourceSchemaUrl",
];

#[rustfmt::skip]
const METRIC_STRUCTURAL: &[&str] = &[
    "TimeUnix", "StartTimeUnix", "MetricName", "MetricDescription", "MetricUnit", "MetricType",
    "ScopeName", "ScopeVersion", "ScopeSchemaUrl", "ResourceSchemaUrl",
    "Value", "Count", "Sum", "Min", "Max", "AggregationTemporality", "IsMonotonic", "Flags",
    "Scale", "ZeroCount", "ZeroThreshold", "BucketCounts", "ExplicitBounds",
    "PositiveBucketCounts", "PositiveOffset", "NegativeBucketCounts", "NegativeOffset",
    "ValueAtQuantiles.Quantile", "ValueAtQuantiles.Value",
];

/// Structural columns the server compares and aggregates as numbers.
#[rustfmt::skip]
const NUMERIC: [&[&str]; 3] = [
    &["Duration"],
    &["SeverityNumber", "TraceFlags"],
    &[
        "Value", "Count", "Sum", "Min", "Max", "Scale", "ZeroCount", "ZeroThreshold",
        "PositiveOffset", "NegativeOffset", "IsMonotonic", "Flags",
    ],
];

/// Time columns: nanosecond integers, so numeric comparisons on them are allowed too.
const TIME: [&[&str]; 3] = [
    &["Timestamp"],
    &["Timestamp"],
    &["TimeUnix", "StartTimeUnix"],
];

const CONTAINERS: [&[&str]; 3] = [
    &["SpanAttributes", "ResourceAttributes"],
    &["LogAttributes", "ResourceAttributes", "ScopeAttributes"],
    &["Attributes", "ResourceAttributes", "ScopeAttributes"],
];

/// The metric types, spelled as the server stores them.
pub const METRIC_TYPES: &[&str] = &[
    "Gauge",
    "Sum",
    "Histogram",
    "ExponentialHistogram",
    "Summary",
];

/// `StatusCode` values in KopaiQuery, whatever the backend stores.
pub const STATUS_CODES: &[&str] = &["Unset", "Ok", "Error"];

fn index(signal: Signal) -> usize {
    match signal {
        Signal::Traces => 0,
        Signal::Logs => 1,
        Signal::Metrics => 2,
    }
}

pub fn structural(signal: Signal) -> &'static [&'static str] {
    [TRACE_STRUCTURAL, LOG_STRUCTURAL, METRIC_STRUCTURAL][index(signal)]
}

fn semconv(signal: Signal) -> &'static [&'static str] {
    [TRACE_SEMCONV, LOG_SEMCONV, METRIC_SEMCONV][index(signal)]
}

pub fn containers(signal: Signal) -> &'static [&'static str] {
    CONTAINERS[index(signal)]
}

/// Every column name the signal takes as a plain string.
pub fn names(signal: Signal) -> impl Iterator<Item = &'static str> + Clone {
    structural(signal)
        .iter()
        .chain(RESOURCE_SEMCONV)
        .chain(semconv(signal))
        .copied()
}

pub fn is_known(signal: Signal, name: &str) -> bool {
    names(signal).any(|n| n == name)
}

pub fn is_structural(signal: Signal, name: &str) -> bool {
    structural(signal).contains(&name)
}

/// Whether a column holds numbers: a numeric structural column, or an attribute (the server
/// coerces attribute values).
pub fn is_numeric(signal: Signal, column: &Column) -> bool {
    match column {
        Column::Name(name) if is_structural(signal, name) => {
            NUMERIC[index(signal)].contains(&name.as_str())
        }
        _ => true,
    }
}

/// Whether `>`, `<` and numeric equality may be used: numeric and time columns, attributes.
pub fn is_comparable(signal: Signal, column: &Column) -> bool {
    is_numeric(signal, column)
        || matches!(column, Column::Name(name) if TIME[index(signal)].contains(&name.as_str()))
}

/// The known column a near miss was meant to be: same letters ignoring case and punctuation
/// (`ServiceName` → `service.name`), else one or two edits away.
pub fn suggest(signal: Signal, name: &str) -> Option<&'static str> {
    closest(name, names(signal))
}

/// The candidate closest to `wanted`, if any is close enough to be a typo of it.
pub fn closest<'a>(
    wanted: &str,
    candidates: impl Iterator<Item = &'a str> + Clone,
) -> Option<&'a str> {
    let folded = fold(wanted);
    if let Some(same) = candidates.clone().find(|c| fold(c) == folded) {
        return Some(same);
    }
    let limit = if folded.chars().count() <= 4 { 1 } else { 2 };
    candidates
        .map(|c| (edits(&folded, &fold(c)), c))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

fn fold(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Levenshtein distance, for the short names suggestions are made from.
fn edits(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != *cb))
                .min(above + 1)
                .min(row[j] + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_find_their_column() {
        assert_eq!(suggest(Signal::Traces, "ServiceName"), Some("service.name"));
        assert_eq!(suggest(Signal::Traces, "Duraton"), Some("Duration"));
        assert_eq!(suggest(Signal::Traces, "http.method"), None);
        assert_eq!(suggest(Signal::Logs, "severity_text"), Some("SeverityText"));
        assert_eq!(suggest(Signal::Traces, "xyz"), None);
    }

    #[test]
    fn numeric_columns_follow_the_schema() {
        let name = |n: &str| Column::Name(n.into());
        assert!(is_numeric(Signal::Traces, &name("Duration")));
        assert!(!is_numeric(Signal::Traces, &name("SpanName")));
        assert!(is_numeric(
            Signal::Traces,
            &name("http.response.status_code")
        ));
        assert!(!is_numeric(Signal::Traces, &name("Timestamp")));
        assert!(is_comparable(Signal::Traces, &name("Timestamp")));
        assert!(is_numeric(Signal::Metrics, &name("Value")));
    }
}
