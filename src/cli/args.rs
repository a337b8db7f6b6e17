//! Flag groups that several commands share, declared once and flattened where they apply.

use clap::{Args, ValueEnum, ValueHint};

use super::choices::SORT_ORDERS;
use super::parse::{
    parse_attr, parse_duration_ns, parse_interval, parse_lag, parse_limit, parse_since,
    parse_span_id, parse_trace_id_or_prefix, Attr, Interval,
};
use crate::output::Format;

// `-o/--output`, with `-j/--json` and `-t/--table` as its shorthands (Node CLI parity).
#[derive(Debug, Args, Clone)]
pub struct FormatArgs {
    /// Output format (ndjson: one compact JSON object a line)
    #[arg(short = 'o', long, value_name = "FORMAT", value_enum, conflicts_with_all = ["json", "table"])]
    pub output: Option<OutputFormat>,

    /// Print JSON (the default when stdout is not a terminal); short for -o json
    #[arg(short = 'j', long, conflicts_with = "table")]
    pub json: bool,

    /// Print a table (the default on a terminal); short for -o table
    #[arg(short = 't', long)]
    pub table: bool,
}

impl FormatArgs {
    /// `-o`, `--json` / `--table`, else a table on a terminal and JSON in a pipe.
    pub fn format(&self, stdout_is_terminal: bool) -> Format {
        match self.output {
            Some(output) => output.into(),
            None => Format::pick(self.json, self.table, stdout_is_terminal),
        }
    }

    /// Whether a format was named (`-o`, `--json`, `--table`) rather than left to the terminal.
    pub fn named(&self) -> bool {
        self.output.is_some() || self.json || self.table
    }
}

/// The values of `-o/--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
    Ndjson,
    Csv,
    Tsv,
}

impl From<OutputFormat> for Format {
    fn from(output: OutputFormat) -> Self {
        match output {
            OutputFormat::Table => Format::Table,
            OutputFormat::Json => Format::Json,
            OutputFormat::Ndjson => Format::Ndjson,
            OutputFormat::Csv => Format::Csv,
            OutputFormat::Tsv => Format::Tsv,
        }
    }
}

// How to print results.
#[derive(Debug, Args, Clone)]
pub struct OutputArgs {
    #[command(flatten)]
    pub format: FormatArgs,

    /// Only these fields, in this order (comma-separated, any case; the table's column names
    /// work too). An unknown name prints the command's field list
    #[arg(short = 'f', long, value_name = "A,B", value_delimiter = ',', value_hint = ValueHint::Other)]
    pub fields: Vec<String>,

    /// A table (in a pipe too) whose lines run past the terminal's width, IDs in full (for
    /// `less -S`)
    #[arg(long)]
    pub wide: bool,

    /// Tables: times in UTC instead of the local time zone
    #[arg(long)]
    pub utc: bool,

    /// CSV and TSV: text cells exactly as sent, without the ' put before a leading =, +, -, @
    /// that a spreadsheet would run as a formula
    #[arg(long)]
    pub csv_raw: bool,
}

impl OutputArgs {
    /// As [`FormatArgs::format`], except that `--wide` asks for a table: in a pipe too (for
    /// `less -S`), unless a format is named.
    pub fn format(&self, stdout_is_terminal: bool) -> Format {
        self.format.format(stdout_is_terminal || self.wide)
    }
}

// What every search prints and how it pages.
#[derive(Debug, Args, Clone)]
pub struct SearchArgs {
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub page: PageArgs,
    #[command(flatten)]
    pub live: LiveArgs,
}

// Polling shared by the search commands: `--wait`, and the pace of `--wait` and `--follow`.
#[derive(Debug, Args, Clone)]
pub struct LiveArgs {
    /// Poll until at least one row matches, for up to this long (30s, 5m); exit 5 if none does
    #[arg(long, value_name = "DURATION", value_parser = parse_interval, value_hint = ValueHint::Other)]
    pub wait: Option<Interval>,

    /// Time between polls with --follow or --wait [default: 2s]
    #[arg(long, value_name = "DURATION", value_parser = parse_interval, value_hint = ValueHint::Other)]
    pub interval: Option<Interval>,
}

// `--follow`, for the searches whose rows have a time and an identity (spans and logs).
#[derive(Debug, Args, Clone)]
pub struct FollowArgs {
    /// Keep printing new rows as they arrive, oldest first, until Ctrl-C (JSON becomes NDJSON)
    #[arg(long, conflicts_with_all = ["all", "sort", "until", "timestamp_max", "wait"])]
    pub follow: bool,

    /// With --follow, how far behind the newest row to keep looking for rows that arrive late
    /// (a span is stamped with its start but sent when it ends); 0s for none [default: 30s]
    #[arg(long, value_name = "DURATION", value_parser = parse_lag, value_hint = ValueHint::Other)]
    pub lag: Option<std::time::Duration>,
}

// Paging shared by the search commands.
#[derive(Debug, Args, Clone)]
pub struct PageArgs {
    /// Maximum rows (1..1000); with --all, the page size
    #[arg(short = 'l', long, value_name = "N", value_parser = parse_limit, value_hint = ValueHint::Other)]
    pub limit: Option<u32>,

    /// Follow pages until the end, streaming rows as they arrive
    #[arg(long)]
    pub all: bool,

    /// Sort order by time: ASC or DESC
    #[arg(long, value_name = "ORDER", value_parser = SORT_ORDERS, hide_possible_values = true, value_hint = ValueHint::Other)]
    pub sort: Option<String>,
}

// Relative bounds; each command names its absolute bounds itself (the Node CLI calls them
// `--timestamp-min` for spans and logs, `--time-min` for metrics).
#[derive(Debug, Args, Clone)]
pub struct RelativeTimeArgs {
    /// Only the last 15m, 2h, 7d, ... (or since a date like 2026-11-27 or an RFC 3339 time)
    #[arg(long, value_name = "AGE", value_parser = parse_since, value_hint = ValueHint::Other)]
    pub since: Option<String>,

    /// Only up to 15m, 2h, 7d, ... ago (or until a date or an RFC 3339 time)
    #[arg(long, value_name = "AGE", value_parser = parse_since, value_hint = ValueHint::Other)]
    pub until: Option<String>,
}

// A time window for spans and logs: absolute bounds or relative ones.
#[derive(Debug, Args, Clone)]
pub struct TimeArgs {
    /// Only after this time: nanoseconds, a date or RFC 3339
    #[arg(long, value_name = "TIME", value_parser = super::parse::parse_time_ns, conflicts_with = "since", value_hint = ValueHint::Other)]
    pub timestamp_min: Option<String>,

    /// Only before this time: nanoseconds, a date or RFC 3339
    #[arg(long, value_name = "TIME", value_parser = super::parse::parse_time_ns, conflicts_with = "until", value_hint = ValueHint::Other)]
    pub timestamp_max: Option<String>,

    #[command(flatten)]
    pub relative: RelativeTimeArgs,
}

/// A time bound as nanoseconds, with the flag that gave it (for messages).
pub type Bound = Option<(&'static str, String)>;

impl TimeArgs {
    /// The lower bound, whichever flag gave it.
    pub fn min(&self) -> Bound {
        bound("--timestamp-min", &self.timestamp_min).or(bound("--since", &self.relative.since))
    }

    pub fn max(&self) -> Bound {
        bound("--timestamp-max", &self.timestamp_max).or(bound("--until", &self.relative.until))
    }
}

pub fn bound(flag: &'static str, value: &Option<String>) -> Bound {
    value.clone().map(|v| (flag, v))
}

#[derive(Debug, Args, Clone)]
pub struct DurationArgs {
    /// Minimum span duration: 250ms, 1.5s, 2m or nanoseconds
    #[arg(long, value_name = "DURATION", value_parser = parse_duration_ns, value_hint = ValueHint::Other)]
    pub duration_min: Option<String>,

    /// Maximum span duration: 250ms, 1.5s, 2m or nanoseconds
    #[arg(long, value_name = "DURATION", value_parser = parse_duration_ns, value_hint = ValueHint::Other)]
    pub duration_max: Option<String>,
}

// `--service` and `--scope`, the two name filters every signal has.
#[derive(Debug, Args, Clone)]
pub struct SourceArgs {
    /// Filter by service name
    #[arg(short = 's', long, value_name = "NAME", value_hint = ValueHint::Other)]
    pub service: Option<String>,

    /// Filter by instrumentation scope name
    #[arg(long, value_name = "NAME", value_hint = ValueHint::Other)]
    pub scope: Option<String>,
}

// `--trace-id` and `--span-id`: the rows of one trace or span.
#[derive(Debug, Args, Clone)]
pub struct TraceRefArgs {
    /// Filter by trace ID (32 hex digits, or a unique prefix of at least 6 that kopai printed)
    #[arg(long, value_name = "ID", value_parser = parse_trace_id_or_prefix, value_hint = ValueHint::Other)]
    pub trace_id: Option<String>,
    /// Filter by span ID (16 hex digits)
    #[arg(long, value_name = "ID", value_parser = parse_span_id, value_hint = ValueHint::Other)]
    pub span_id: Option<String>,
}

// `--resource-attr`, repeated.
#[derive(Debug, Args, Clone)]
pub struct ResourceAttrArgs {
    /// Resource attribute filter key=value (repeatable)
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_attr, value_hint = ValueHint::Other)]
    pub resource_attr: Vec<Attr>,
}

// `--scope-attr`, repeated.
#[derive(Debug, Args, Clone)]
pub struct ScopeAttrArgs {
    /// Scope attribute filter key=value (repeatable)
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_attr, value_hint = ValueHint::Other)]
    pub scope_attr: Vec<Attr>,
}
