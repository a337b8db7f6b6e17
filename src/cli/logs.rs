//! `kopai logs …`

use clap::{Args, Subcommand, ValueEnum, ValueHint};

use super::args::{
    FollowArgs, OutputArgs, ResourceAttrArgs, ScopeAttrArgs, SearchArgs, SourceArgs, TimeArgs,
    TraceRefArgs,
};
use super::parse::{parse_attr, parse_severity, Attr};
use super::query::StatsArgs;

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum LogsCommand {
    /// Search log records
    #[command(after_help = "\
Examples:
  kopai logs search --service payment-service --level error --since 30m
  kopai logs search --follow --service checkout-api --attrs
  kopai logs search --body timeout --log-attr db.system=postgresql --json
  kopai logs search --severity-min 17 --aggregate count --group-by service.name

On a terminal, records print as lines (time, service, severity, body); -t or -f
prints a table instead, and a pipe gets JSON.

--aggregate needs a newer Kopai server (/signals/logs/aggregate, else KopaiQuery).")]
    Search(Box<LogsSearchArgs>),

    /// Log volume per group: records per severity, service or any column
    #[command(after_help = "\
Examples:
  kopai logs stats                                Records per severity, last 1h
  kopai logs stats --by service.name --where 'SeverityNumber>=17' --since 1d
  kopai logs stats --by SeverityText --service checkout-api --every 5m

Needs a Kopai server with KopaiQuery.")]
    Stats(Box<StatsArgs>),
}

impl LogsCommand {
    pub fn output(&self) -> &OutputArgs {
        match self {
            Self::Search(args) => &args.search.output,
            Self::Stats(args) => &args.output,
        }
    }
}

#[derive(Debug, Args)]
pub struct LogsSearchArgs {
    #[command(flatten)]
    pub search: SearchArgs,
    #[command(flatten)]
    pub follow: FollowArgs,
    #[command(flatten)]
    pub time: TimeArgs,
    #[command(flatten)]
    pub trace: TraceRefArgs,
    #[command(flatten)]
    pub source: SourceArgs,
    /// Filter by severity text (INFO, ERROR, ...)
    #[arg(long, value_name = "TEXT", value_hint = ValueHint::Other)]
    pub severity_text: Option<String>,
    /// Minimum severity number (1..24)
    #[arg(long, value_name = "N", value_parser = parse_severity, value_hint = ValueHint::Other)]
    pub severity_min: Option<u8>,
    /// This level and worse: trace, debug, info, warn, error or fatal (a minimum severity
    /// number, so every SDK's spelling of the text matches)
    #[arg(long, value_name = "LEVEL", value_enum, ignore_case = true, hide_possible_values = true, conflicts_with = "severity_min", value_hint = ValueHint::Other)]
    pub level: Option<Level>,
    /// Not kopai's flag, but a common guess: answered with the two that are
    #[arg(long, hide = true, value_name = "TEXT", value_hint = ValueHint::Other)]
    pub severity: Option<String>,
    /// Maximum severity number (1..24)
    #[arg(long, value_name = "N", value_parser = parse_severity, value_hint = ValueHint::Other)]
    pub severity_max: Option<u8>,
    /// Only records whose body contains this text
    #[arg(short = 'b', long, value_name = "TEXT", value_hint = ValueHint::Other)]
    pub body: Option<String>,
    /// Log attribute filter key=value (repeatable)
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_attr, value_hint = ValueHint::Other)]
    pub log_attr: Vec<Attr>,
    #[command(flatten)]
    pub resource_attr: ResourceAttrArgs,
    #[command(flatten)]
    pub scope_attr: ScopeAttrArgs,
    /// Count records per group instead of listing them: `count` is the only function (needs
    /// --group-by; --limit is ignored, the server returns at most 1000 groups)
    #[arg(long, value_name = "FN", value_hint = ValueHint::Other)]
    pub aggregate: Option<String>,
    /// Group the count by this log attribute key (repeatable; needs --aggregate)
    #[arg(long, value_name = "KEY", value_hint = ValueHint::Other)]
    pub group_by: Vec<String>,
    /// Show each record's attributes below its line, key=value, sorted (lines in a pipe too)
    #[arg(long)]
    pub attrs: bool,
}

/// `--level`: OpenTelemetry's severity ranges, each named by its first number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Level {
    Trace,
    Debug,
    Info,
    #[value(alias = "warning")]
    Warn,
    Error,
    Fatal,
}

impl Level {
    /// The lowest SeverityNumber of the level's range (ERROR is 17 to 20).
    pub fn min_severity(self) -> u8 {
        match self {
            Level::Trace => 1,
            Level::Debug => 5,
            Level::Info => 9,
            Level::Warn => 13,
            Level::Error => 17,
            Level::Fatal => 21,
        }
    }
}
