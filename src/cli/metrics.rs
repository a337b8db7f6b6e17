//! `kopai metrics …`

use clap::{Args, Subcommand, ValueEnum, ValueHint};

use super::args::{
    OutputArgs, RelativeTimeArgs, ResourceAttrArgs, ScopeAttrArgs, SearchArgs, SourceArgs,
};
use super::parse::{parse_attr, parse_time_ns, Attr};

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum MetricsCommand {
    /// Search metric data points
    #[command(after_help = "\
Examples:
  kopai metrics search --type Gauge --name process.memory.usage --since 1h
  kopai metrics search --name http.server.request.duration --since 1h
  kopai metrics search --type Sum --name payment.charges --aggregate sum \\
    --group-by outcome
  kopai metrics search --type Sum --name payment.charges --aggregate sum \\
    --group-by outcome --time-bucket 1h --since 1d

--time-bucket is a KopaiQuery time series: it needs a newer Kopai server.")]
    Search(Box<MetricsSearchArgs>),

    /// List the metrics the server has, with their types and attributes
    #[command(after_help = "\
Examples:
  kopai metrics discover
  kopai metrics discover --json    With the attribute values")]
    Discover {
        #[command(flatten)]
        output: OutputArgs,
    },
}

impl MetricsCommand {
    pub fn output(&self) -> &OutputArgs {
        match self {
            Self::Search(args) => &args.search.output,
            Self::Discover { output } => output,
        }
    }
}

#[derive(Debug, Args)]
pub struct MetricsSearchArgs {
    #[command(flatten)]
    pub search: SearchArgs,

    /// Metric type: Gauge, Sum, Histogram, ExponentialHistogram or Summary (looked up when
    /// --name is given without it)
    #[arg(long = "type", value_name = "TYPE", value_enum, ignore_case = true, hide_possible_values = true, value_hint = ValueHint::Other)]
    pub metric_type: Option<MetricType>,
    /// Filter by metric name
    #[arg(short = 'n', long, value_name = "NAME", value_hint = ValueHint::Other)]
    pub name: Option<String>,
    #[command(flatten)]
    pub source: SourceArgs,
    /// Only points after this time: nanoseconds or RFC 3339
    #[arg(long, value_name = "TIME", value_parser = parse_time_ns, conflicts_with = "since", value_hint = ValueHint::Other)]
    pub time_min: Option<String>,
    /// Only points before this time: nanoseconds or RFC 3339
    #[arg(long, value_name = "TIME", value_parser = parse_time_ns, conflicts_with = "until", value_hint = ValueHint::Other)]
    pub time_max: Option<String>,
    #[command(flatten)]
    pub relative: RelativeTimeArgs,
    /// Data point attribute filter key=value (repeatable)
    #[arg(short = 'a', long, value_name = "KEY=VALUE", value_parser = parse_attr, value_hint = ValueHint::Other)]
    pub attr: Vec<Attr>,
    #[command(flatten)]
    pub resource_attr: ResourceAttrArgs,
    #[command(flatten)]
    pub scope_attr: ScopeAttrArgs,
    /// Aggregate the points: sum, avg, min, max or count (Gauge and Sum only)
    #[arg(long, value_name = "FN", value_enum, ignore_case = true, hide_possible_values = true, value_hint = ValueHint::Other)]
    pub aggregate: Option<Aggregate>,
    /// Group the aggregate by this attribute key (repeatable; needs --aggregate)
    #[arg(long, value_name = "KEY", requires = "aggregate", value_hint = ValueHint::Other)]
    pub group_by: Vec<String>,
    /// One aggregate per time bucket: 1m, 5m, 1h or 1d (needs --aggregate and --group-by;
    /// --limit is ignored, the server returns at most 10,000 rows)
    #[arg(long, value_name = "BUCKET", value_hint = ValueHint::Other)]
    pub time_bucket: Option<String>,
}

/// A metric type, spelled as the server wants it (`--type gauge` is accepted too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MetricType {
    #[value(name = "Gauge")]
    Gauge,
    #[value(name = "Sum")]
    Sum,
    #[value(name = "Histogram")]
    Histogram,
    #[value(name = "ExponentialHistogram")]
    ExponentialHistogram,
    #[value(name = "Summary")]
    Summary,
}

impl MetricType {
    const ALL: [MetricType; 5] = [
        MetricType::Gauge,
        MetricType::Sum,
        MetricType::Histogram,
        MetricType::ExponentialHistogram,
        MetricType::Summary,
    ];

    /// The type as the server's discovery names it; `None` for a spelling it should not use.
    pub fn from_server(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == name)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MetricType::Gauge => "Gauge",
            MetricType::Sum => "Sum",
            MetricType::Histogram => "Histogram",
            MetricType::ExponentialHistogram => "ExponentialHistogram",
            MetricType::Summary => "Summary",
        }
    }
}

/// What `--aggregate` computes over the points of a metric (`--aggregate SUM` is accepted too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Aggregate {
    Sum,
    Avg,
    Min,
    Max,
    Count,
}

impl Aggregate {
    pub fn as_str(self) -> &'static str {
        match self {
            Aggregate::Sum => "sum",
            Aggregate::Avg => "avg",
            Aggregate::Min => "min",
            Aggregate::Max => "max",
            Aggregate::Count => "count",
        }
    }
}
