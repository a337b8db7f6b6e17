//! The fields each command's rows have (known without asking the server: they are the
//! server's columns, as captured in its answers), and the table's header names for them.
//! `-f` values are resolved here to the canonical names before anything is sent or printed.

use crate::error::UserError;

pub struct Fields {
    /// The command, for the error message (`traces search`).
    pub command: &'static str,
    /// Canonical names, in the server's order.
    pub names: &'static [&'static str],
    /// Table header (lowercase, no spaces) → canonical name.
    pub aliases: &'static [(&'static str, &'static str)],
    /// Rows whose fields the user named (group keys): every name goes, as typed.
    pub open: bool,
}

const SPAN_NAMES: &[&str] = &[
    "SpanId",
    "Timestamp",
    "TraceId",
    "Duration",
    "Events.Attributes",
    "Events.Name",
    "Events.Timestamp",
    "Links.Attributes",
    "Links.SpanId",
    "Links.TraceId",
    "Links.TraceState",
    "ParentSpanId",
    "ResourceAttributes",
    "ScopeName",
    "ScopeVersion",
    "ServiceName",
    "SpanAttributes",
    "SpanKind",
    "SpanName",
    "StatusCode",
    "StatusMessage",
    "TraceState",
];

const SPAN_ALIASES: &[(&str, &str)] = &[
    ("time", "Timestamp"),
    ("trace", "TraceId"),
    ("span", "SpanId"),
    ("parent", "ParentSpanId"),
    ("service", "ServiceName"),
    ("name", "SpanName"),
    ("kind", "SpanKind"),
    ("status", "StatusCode"),
    ("duration", "Duration"),
];

pub const SPANS: Fields = Fields {
    command: "traces search",
    names: SPAN_NAMES,
    aliases: SPAN_ALIASES,
    open: false,
};

pub const TRACE: Fields = Fields {
    command: "traces get",
    names: SPAN_NAMES,
    aliases: SPAN_ALIASES,
    open: false,
};

pub const SUMMARIES: Fields = Fields {
    command: "traces summaries",
    names: &[
        "traceId",
        "rootServiceName",
        "rootSpanName",
        "startTimeNs",
        "durationNs",
        "spanCount",
        "errorCount",
        "services",
    ],
    aliases: &[
        ("start", "startTimeNs"),
        ("time", "startTimeNs"),
        ("trace", "traceId"),
        ("service", "rootServiceName"),
        ("rootspan", "rootSpanName"),
        ("name", "rootSpanName"),
        ("duration", "durationNs"),
        ("spans", "spanCount"),
        ("errors", "errorCount"),
    ],
    open: false,
};

pub const LOGS: Fields = Fields {
    command: "logs search",
    names: &[
        "Timestamp",
        "Body",
        "LogAttributes",
        "ResourceAttributes",
        "ResourceSchemaUrl",
        "ScopeAttributes",
        "ScopeName",
        "ScopeSchemaUrl",
        "ScopeVersion",
        "ServiceName",
        "SeverityNumber",
        "SeverityText",
        "SpanId",
        "TraceFlags",
        "TraceId",
    ],
    aliases: &[
        ("time", "Timestamp"),
        ("severity", "SeverityText"),
        ("service", "ServiceName"),
        ("trace", "TraceId"),
        ("span", "SpanId"),
        ("body", "Body"),
    ],
    open: false,
};

/// Every metric type's columns (gauge, sum, histogram, exponential histogram, summary).
pub const METRICS: Fields = Fields {
    command: "metrics search",
    names: &[
        "TimeUnix",
        "StartTimeUnix",
        "Attributes",
        "MetricName",
        "MetricDescription",
        "MetricUnit",
        "ResourceAttributes",
        "ResourceSchemaUrl",
        "ScopeAttributes",
        "ScopeDroppedAttrCount",
        "ScopeName",
        "ScopeSchemaUrl",
        "ScopeVersion",
        "ServiceName",
        "Exemplars.FilteredAttributes",
        "Exemplars.SpanId",
        "Exemplars.TimeUnix",
        "Exemplars.TraceId",
        "Exemplars.Value",
        "MetricType",
        "Value",
        "Flags",
        "AggregationTemporality",
        "IsMonotonic",
        "Count",
        "Sum",
        "Min",
        "Max",
        "BucketCounts",
        "ExplicitBounds",
        "Scale",
        "ZeroCount",
        "PositiveOffset",
        "PositiveBucketCounts",
        "NegativeOffset",
        "NegativeBucketCounts",
        "ValueAtQuantiles.Quantile",
        "ValueAtQuantiles.Value",
    ],
    aliases: &[
        ("time", "TimeUnix"),
        ("service", "ServiceName"),
        ("name", "MetricName"),
        ("unit", "MetricUnit"),
        ("type", "MetricType"),
        ("description", "MetricDescription"),
    ],
    open: false,
};

pub const AGGREGATES: Fields = Fields {
    command: "metrics search --aggregate",
    names: &["groups", "value"],
    aliases: &[],
    open: false,
};

pub const DISCOVER: Fields = Fields {
    command: "metrics discover",
    names: &[
        "name",
        "type",
        "unit",
        "description",
        "attributes",
        "resourceAttributes",
    ],
    aliases: &[
        ("attrs", "attributes"),
        ("resourceattrs", "resourceAttributes"),
    ],
    open: false,
};

/// Flattened groups (`--aggregate`, `--time-bucket`): the group keys named, then the value.
pub const GROUPED: Fields = Fields {
    command: "search --aggregate",
    names: &[],
    aliases: &[],
    open: true,
};

pub const DASHBOARDS: Fields = Fields {
    command: "dashboards list",
    names: &[
        "name",
        "id",
        "createdAt",
        "metadata",
        "uiTreeVersion",
        "uiTree",
    ],
    aliases: &[("created", "createdAt"), ("treeversion", "uiTreeVersion")],
    open: false,
};

/// Rows that are plain names have no fields to pick.
pub const SERVICES: Fields = Fields {
    command: "services",
    names: &[],
    aliases: &[],
    open: false,
};

pub const OPERATIONS: Fields = Fields {
    command: "traces operations",
    names: &[],
    aliases: &[],
    open: false,
};

impl Fields {
    /// The canonical name for `asked`: a field name in any case, or a table header.
    fn canonical(&self, asked: &str) -> Option<&'static str> {
        if let Some(name) = self.names.iter().find(|n| n.eq_ignore_ascii_case(asked)) {
            return Some(name);
        }
        let squashed: String = asked
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '_'))
            .flat_map(char::to_lowercase)
            .collect();
        self.aliases
            .iter()
            .find(|(alias, _)| *alias == squashed)
            .map(|(_, name)| *name)
            .or_else(|| {
                self.names
                    .iter()
                    .find(|n| n.eq_ignore_ascii_case(&squashed))
                    .copied()
            })
    }

    /// `-f` values as canonical names; an unknown one is a usage error listing the fields.
    pub fn resolve(&self, asked: &[String]) -> Result<Vec<String>, UserError> {
        if self.open {
            return Ok(asked.to_vec());
        }
        asked
            .iter()
            .map(|a| {
                self.canonical(a)
                    .map(str::to_owned)
                    .ok_or_else(|| self.unknown(a))
            })
            .collect()
    }

    fn unknown(&self, asked: &str) -> UserError {
        if self.names.is_empty() {
            return UserError::usage(format!(
                "--fields: `kopai {}` prints plain names, which have no fields to pick",
                self.command
            ));
        }
        let headers: Vec<&str> = self.aliases.iter().map(|(a, _)| *a).collect();
        let mut message = format!(
            "--fields: `kopai {}` has no field `{asked}`; its fields are {}",
            self.command,
            self.names.join(", ")
        );
        if !headers.is_empty() {
            message.push_str(&format!(" (or the table's names: {})", headers.join(", ")));
        }
        UserError::usage(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_in_any_case_and_headers_work_too() {
        let asked =
            |s: &[&str]| SPANS.resolve(&s.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            asked(&["spanname", "service", "DURATION", "events.name"]).unwrap(),
            ["SpanName", "ServiceName", "Duration", "Events.Name"]
        );
        assert_eq!(
            SUMMARIES.resolve(&["Root Span".into()]).unwrap(),
            ["rootSpanName"]
        );
        let err = asked(&["nope"]).unwrap_err().to_string();
        assert!(
            err.contains("no field `nope`") && err.contains("SpanName"),
            "{err}"
        );
        assert!(SERVICES.resolve(&["x".into()]).is_err());
    }
}
