//! A KopaiQuery as Rust types, shaped like upstream's zod schema so that serialising one gives
//! the JSON the server takes, and reading a query file rejects unknown keys as the server does.

use serde::{Deserialize, Serialize};
use serde_json::{Number, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Signal {
    Traces,
    Logs,
    Metrics,
}

impl Signal {
    pub fn name(self) -> &'static str {
        match self {
            Signal::Traces => "traces",
            Signal::Logs => "logs",
            Signal::Metrics => "metrics",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Raw,
    Aggregate,
}

/// One query. Empty lists are left out of the JSON, as the schema makes them optional.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Query {
    pub signal: Signal,
    pub mode: Mode,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<Measure>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dimensions: Vec<Column>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<Filter>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub havings: Vec<Having>,
    pub time_dimension: TimeDimension,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub order_by: Vec<Order>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Output>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// A column: a name the signal knows (`Duration`, `service.name`), or any attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Column {
    Name(String),
    Attribute(Attribute),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attribute {
    pub container: String,
    pub key: String,
}

impl Column {
    /// The key the server gives this column in aggregate rows: the name, or
    /// `<container>.<key>` for an attribute.
    pub fn key(&self) -> String {
        match self {
            Column::Name(name) => name.clone(),
            Column::Attribute(a) => format!("{}.{}", a.container, a.key),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    pub op: MeasureOp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<Column>,
    #[serde(rename = "as")]
    pub alias: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum MeasureOp {
    Count,
    ErrorRate,
    Throughput,
    CountDistinct,
    Sum,
    Avg,
    Min,
    Max,
    P50,
    P75,
    P90,
    P95,
    P99,
    P999,
    RateAvg,
    RateSum,
    RateMax,
}

impl MeasureOp {
    pub const ALL: [MeasureOp; 17] = [
        Self::Count,
        Self::ErrorRate,
        Self::Throughput,
        Self::CountDistinct,
        Self::Sum,
        Self::Avg,
        Self::Min,
        Self::Max,
        Self::P50,
        Self::P75,
        Self::P90,
        Self::P95,
        Self::P99,
        Self::P999,
        Self::RateAvg,
        Self::RateSum,
        Self::RateMax,
    ];

    /// The name in the flag language: `count`, `error_rate`, `p95`, `count_distinct`.
    pub fn flag_name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_ascii_lowercase))
            .unwrap_or_default()
    }

    /// Whether the op takes a column, and whether that column must be numeric.
    pub fn column(self) -> ColumnUse {
        match self {
            Self::Count | Self::ErrorRate | Self::Throughput => ColumnUse::None,
            Self::CountDistinct => ColumnUse::Any,
            _ => ColumnUse::Numeric,
        }
    }

    /// `ERROR_RATE` and `THROUGHPUT` are about spans.
    pub fn traces_only(self) -> bool {
        matches!(self, Self::ErrorRate | Self::Throughput)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnUse {
    None,
    Any,
    Numeric,
}

/// A filter: a leaf on one column, or an AND / OR of filters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged, try_from = "RawFilter")]
pub enum Filter {
    And { and: Vec<Filter> },
    Or { or: Vec<Filter> },
    Leaf(Leaf),
}

/// A filter as read from a file, before it is known which kind it is: one struct, so that a
/// mistake is reported as the key at fault rather than as "no variant matched".
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFilter {
    and: Option<Vec<Filter>>,
    or: Option<Vec<Filter>>,
    column: Option<Column>,
    op: Option<FilterOp>,
    value: Option<Value>,
    values: Option<Vec<Value>>,
}

impl TryFrom<RawFilter> for Filter {
    type Error = String;

    fn try_from(raw: RawFilter) -> Result<Self, String> {
        let leaf = raw.column.is_some() || raw.op.is_some();
        let leaf_keys = leaf || raw.value.is_some() || raw.values.is_some();
        match (raw.and, raw.or, raw.column, raw.op) {
            (Some(and), None, None, None) if !leaf_keys => Ok(Filter::And { and }),
            (None, Some(or), None, None) if !leaf_keys => Ok(Filter::Or { or }),
            (None, None, Some(column), Some(op)) => Ok(Filter::Leaf(Leaf {
                column,
                op,
                value: raw.value,
                values: raw.values,
            })),
            (None, None, _, None) if leaf => Err("a filter needs an `op`".into()),
            (None, None, None, _) if leaf => Err("a filter needs a `column`".into()),
            _ => Err(
                "a filter is {\"column\", \"op\", \"value\"|\"values\"}, {\"and\": [...]} or {\"or\": [...]}"
                    .into(),
            ),
        }
    }
}

impl<'de> Deserialize<'de> for Column {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ColumnVisitor;
        impl<'de> serde::de::Visitor<'de> for ColumnVisitor {
            type Value = Column;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a column name or {\"container\", \"key\"}")
            }
            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Column, E> {
                Ok(Column::Name(name.to_owned()))
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(self, map: M) -> Result<Column, M::Error> {
                let attribute =
                    Attribute::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(Column::Attribute(attribute))
            }
        }
        deserializer.deserialize_any(ColumnVisitor)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Leaf {
    pub column: Column,
    pub op: FilterOp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<Value>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FilterOp {
    Eq,
    Neq,
    Contains,
    NotContains,
    StartsWith,
    EndsWith,
    Gt,
    Gte,
    Lt,
    Lte,
    In,
    NotIn,
    IsNull,
    IsNotNull,
}

impl FilterOp {
    /// What the op's value must be.
    pub fn operand(self) -> Operand {
        match self {
            Self::Eq | Self::Neq => Operand::Scalar,
            Self::Contains | Self::NotContains | Self::StartsWith | Self::EndsWith => Operand::Text,
            Self::Gt | Self::Gte | Self::Lt | Self::Lte => Operand::Number,
            Self::In | Self::NotIn => Operand::List,
            Self::IsNull | Self::IsNotNull => Operand::Nothing,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operand {
    /// A string, a number or a boolean.
    Scalar,
    Text,
    Number,
    /// A non-empty list of strings, or of numbers.
    List,
    Nothing,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Having {
    pub measure: String,
    pub op: Comparison,
    pub value: Number,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Comparison {
    Eq,
    Neq,
    Gt,
    Gte,
    Lt,
    Lte,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", deny_unknown_fields)]
pub enum TimeDimension {
    Relative {
        lookback: String,
    },
    #[serde(rename_all = "camelCase")]
    Absolute {
        start_time: String,
        end_time: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", deny_unknown_fields)]
pub enum Order {
    Dimension {
        column: Column,
        direction: Direction,
    },
    Measure {
        alias: String,
        direction: Direction,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Asc,
    Desc,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", deny_unknown_fields)]
pub enum Output {
    Summary,
    TimeSeries { granularity: String },
}

impl Query {
    /// The metric type a metrics query is pinned to (`--where MetricType=Gauge`).
    pub fn metric_type(&self) -> Option<&str> {
        self.filters.iter().find_map(|f| match f {
            Filter::Leaf(leaf) if leaf.column == Column::Name("MetricType".into()) => {
                let value = leaf.value.as_ref().or(leaf.values.as_ref()?.first())?;
                value.as_str()
            }
            _ => None,
        })
    }

    /// Whether a measure is a percentile, which only ClickHouse-backed servers compute.
    pub fn has_percentile(&self) -> bool {
        self.measures.iter().any(|m| {
            matches!(
                m.op,
                MeasureOp::P50
                    | MeasureOp::P75
                    | MeasureOp::P90
                    | MeasureOp::P95
                    | MeasureOp::P99
                    | MeasureOp::P999
            )
        })
    }

    pub fn is_time_series(&self) -> bool {
        matches!(self.output, Some(Output::TimeSeries { .. }))
    }

    /// The JSON the server is sent.
    pub fn to_value(&self) -> Value {
        // Serialising these plain types cannot fail: every map key is a string.
        serde_json::to_value(self).unwrap_or_default()
    }

    /// The JSON the server is sent, indented for people (`--print-query`).
    pub fn to_pretty_json(&self) -> String {
        // Serialising these plain types cannot fail: every map key is a string.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
