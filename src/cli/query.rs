//! `kopai query …`: a KopaiQuery from flags, or from a JSON file.

use std::path::PathBuf;

use clap::{Args, ValueHint};

use super::args::OutputArgs;
use super::parse::parse_time_ns;

pub const HELP: &str = "\
Examples:
  kopai query traces --measure count --measure error_rate \\
    --measure 'p95(Duration)' --by service.name --since 1h --order -error_rate
  kopai query traces -m count --by http.route --where 'Duration>1s' --every 5m
  kopai query logs -m count --by SeverityText --where service.name=checkout-api
  kopai query metrics -m 'avg(Value)' --where MetricType=Gauge \\
    --where MetricName=cpu.usage
  kopai query traces --where 'http.response.status_code>=500' --limit 20
  kopai query traces -m count --by service.name --print-query > q.json
  kopai query q.json

Measures: count, error_rate, throughput (traces), count_distinct(COL), \
  sum avg min max p50 p75 p90 p95 p99 p999 rate_avg rate_sum rate_max (COL, numeric); \
  named with NAME=EXPR (slow=p95(Duration)), else p95_duration. No measure: raw rows.

Columns: Duration, SpanName, StatusCode, … (the signal's own), service.name, http.route, … \
  (semantic conventions), or any attribute as SpanAttributes.KEY, ResourceAttributes.KEY, \
  LogAttributes.KEY, ScopeAttributes.KEY, Attributes.KEY (metrics).

Filters: COLUMN OP VALUE with = != > >= < <= ~ (contains) !~ ^= (starts with) $= (ends with), \
  COLUMN in(A,B), COLUMN !in(A,B), COLUMN null, COLUMN !null. Duration takes 500ms, 1.5s; \
  quotes keep a value text (\"500\"). --where filters all apply; --any filters, one of them.

Percentiles (p50…p999) need a ClickHouse-backed server; the query routes need a newer Kopai.";

// A KopaiQuery: the flag form after a signal, or a JSON file.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// traces, logs or metrics (then flags build the query), or a KopaiQuery JSON file (- for
    /// stdin; ./traces for a file named like a signal)
    #[arg(value_name = "SIGNAL|FILE", value_hint = ValueHint::FilePath)]
    pub source: PathBuf,

    /// What to compute per group: count, error_rate, p95(Duration), … (repeatable)
    #[arg(short = 'm', long, value_name = "MEASURE", value_hint = ValueHint::Other)]
    pub measure: Vec<String>,

    /// Group by these columns (repeatable, or comma-separated)
    #[arg(long, value_name = "COLUMN", value_delimiter = ',', value_hint = ValueHint::Other)]
    pub by: Vec<String>,

    /// Only rows where this holds: 'Duration>1s', 'service.name=api' (repeatable: all hold)
    #[arg(short = 'w', long = "where", value_name = "FILTER", value_hint = ValueHint::Other)]
    pub filters: Vec<String>,

    /// Only rows where at least one of the --any filters holds (repeatable)
    #[arg(long, value_name = "FILTER", value_hint = ValueHint::Other)]
    pub any: Vec<String>,

    #[command(flatten)]
    pub window: WindowArgs,

    /// Only groups whose measure passes: 'error_rate>0.01' (repeatable)
    #[arg(long, value_name = "ALIAS OP NUMBER", value_hint = ValueHint::Other)]
    pub having: Vec<String>,

    /// Order by a measure or column, -NAME descending (repeatable)
    #[arg(long, value_name = "[-]NAME", allow_hyphen_values = true, value_hint = ValueHint::Other)]
    pub order: Vec<String>,

    /// Maximum rows (1..10000)
    #[arg(short = 'l', long, value_name = "N", value_hint = ValueHint::Other)]
    pub limit: Option<u32>,

    /// Raw rows: follow pages until the end, streaming rows as they arrive
    #[arg(long)]
    pub all: bool,

    /// A time series as a line chart of up to 8 groups (ignored for --json and -o)
    #[arg(long)]
    pub chart: bool,

    /// Print the query's JSON instead of sending it (to learn the model, or save it to a file)
    #[arg(long)]
    pub print_query: bool,

    #[command(flatten)]
    pub output: OutputArgs,
}

impl QueryArgs {
    /// The flags that only the flag form takes, as typed, for the error when a file is given.
    pub fn flag_form_flags(&self) -> Vec<&'static str> {
        [
            ("--measure", !self.measure.is_empty()),
            ("--by", !self.by.is_empty()),
            ("--where", !self.filters.is_empty()),
            ("--any", !self.any.is_empty()),
            ("--since", self.window.since.is_some()),
            ("--from", self.window.from.is_some()),
            ("--every", self.window.every.is_some()),
            ("--having", !self.having.is_empty()),
            ("--order", !self.order.is_empty()),
            ("--limit", self.limit.is_some()),
        ]
        .into_iter()
        .filter_map(|(flag, given)| given.then_some(flag))
        .collect()
    }
}

// `kopai traces stats` and `kopai logs stats`: one measured question, grouped, over a window.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Group by these columns (repeatable, or comma-separated) [default: service.name for
    /// traces, SeverityText for logs]
    #[arg(long, value_name = "COLUMN", value_delimiter = ',', value_hint = ValueHint::Other)]
    pub by: Vec<String>,

    /// Only this service
    #[arg(short = 's', long, value_name = "NAME", value_hint = ValueHint::Other)]
    pub service: Option<String>,

    /// Only rows where this holds: 'http.route^=/api' (repeatable: all hold)
    #[arg(short = 'w', long = "where", value_name = "FILTER", value_hint = ValueHint::Other)]
    pub filters: Vec<String>,

    #[command(flatten)]
    pub window: WindowArgs,

    /// Maximum rows (1..10000)
    #[arg(short = 'l', long, value_name = "N", value_hint = ValueHint::Other)]
    pub limit: Option<u32>,

    /// A time series as a line chart of up to 8 groups (ignored for --json and -o)
    #[arg(long)]
    pub chart: bool,

    /// Print the query's JSON instead of sending it
    #[arg(long)]
    pub print_query: bool,

    #[command(flatten)]
    pub output: OutputArgs,
}

// The time a query covers, and with `--every` its buckets.
#[derive(Debug, Args)]
pub struct WindowArgs {
    /// The last 15m, 2h, 7d, 2w [default: 1h]
    #[arg(long, value_name = "AGE", conflicts_with = "from", value_hint = ValueHint::Other)]
    pub since: Option<String>,

    /// Window start: a date, RFC 3339 or nanoseconds
    #[arg(long, value_name = "TIME", value_parser = parse_time_ns, value_hint = ValueHint::Other)]
    pub from: Option<String>,

    /// Window end (exclusive) [default: now]
    #[arg(long, value_name = "TIME", value_parser = parse_time_ns, requires = "from", value_hint = ValueHint::Other)]
    pub to: Option<String>,

    /// A time series: one value per group in buckets this wide (1m, 5m, 1h)
    #[arg(long, value_name = "DURATION", value_hint = ValueHint::Other)]
    pub every: Option<String>,
}
