//! Command-line surface: clap types only, no behaviour.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::filters::{
    parse_aggregate, parse_attr, parse_duration_ns, parse_limit, parse_metric_type, parse_severity,
    parse_since, parse_sort, parse_span_kind, parse_status_code, parse_time_ns, parse_timeout,
    Attr,
};
use crate::secret::RawToken;

const AFTER_HELP: &str = "\
Examples:
  kopai login                          Paste a CLI token, save it to ./.kopairc
  echo \"$KOPAI_TOKEN\" | kopai login     Log in from CI without a terminal
  kopai whoami                         Show the token in use and check it with the server
  kopai traces search --status-code error --since 1h
  kopai logs search --service checkout-api --body timeout --json
  kopai metrics search --type Sum --name payment.charges --aggregate sum --group-by outcome

Exit codes: 0 ok, 1 API or network error, 2 bad arguments, 3 config file error,
4 not logged in or token rejected.";

/// Command-line client for the Kopai OpenTelemetry backend.
#[derive(Debug, Parser)]
#[command(name = "kopai", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Kopai server URL [env: KOPAI_URL] [default: https://kopai.app]
    #[arg(long, global = true, value_name = "URL")]
    pub url: Option<String>,

    /// API token (prefer KOPAI_TOKEN or `kopai login`: flags are visible in `ps`) [env: KOPAI_TOKEN]
    #[arg(long, global = true, value_name = "TOKEN", value_parser = RawToken::from_arg)]
    pub token: Option<RawToken>,

    /// Config file to use instead of ./.kopairc or ~/.kopairc [env: KOPAI_CONFIG]
    #[arg(short = 'c', long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Request timeout in milliseconds
    #[arg(long, global = true, value_name = "MS", default_value = "30000", value_parser = parse_timeout)]
    pub timeout: u64,

    /// Print HTTP requests and responses on stderr (the token only as its prefix)
    #[arg(short = 'v', long, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Save an API token to .kopairc
    #[command(after_help = "\
Examples:
  kopai login                                 Prompt for the token (input is hidden)
  kopai login --global                        Save to ~/.kopairc
  kopai login --url https://kopai.example.com Log in to a self-hosted server
  echo \"$KOPAI_TOKEN\" | kopai login           Read the token from stdin (CI)")]
    Login(LoginArgs),

    /// Remove the saved token from .kopairc (other settings are kept)
    Logout(LogoutArgs),

    /// Show the token in use and check it with the server
    Whoami(WhoamiArgs),

    /// Query traces
    #[command(subcommand)]
    Traces(TracesCommand),

    /// Query logs
    #[command(subcommand)]
    Logs(LogsCommand),

    /// Query metrics
    #[command(subcommand)]
    Metrics(MetricsCommand),

    /// Manage dashboards
    #[command(subcommand)]
    Dashboards(DashboardsCommand),

    /// List the services that sent telemetry
    Services(OutputArgs),

    /// Print a shell completion script
    #[command(
        after_help = "Example:\n  kopai completions bash > ~/.local/share/bash-completion/completions/kopai"
    )]
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Save to ~/.kopairc instead of ./.kopairc
    #[arg(long)]
    pub global: bool,

    /// Save the token without checking it with the server
    #[arg(long)]
    pub no_verify: bool,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// Remove the token from ~/.kopairc instead of ./.kopairc
    #[arg(long)]
    pub global: bool,
}

#[derive(Debug, Args)]
pub struct WhoamiArgs {
    /// Print one JSON object instead of text
    #[arg(long)]
    pub json: bool,

    /// Do not contact the server
    #[arg(long)]
    pub no_verify: bool,
}

/// How to print results.
#[derive(Debug, Args, Clone)]
pub struct OutputArgs {
    /// Print JSON (the default when stdout is not a terminal)
    #[arg(short = 'j', long, conflicts_with = "table")]
    pub json: bool,

    /// Print a table (the default on a terminal)
    #[arg(short = 't', long)]
    pub table: bool,

    /// Only these fields, in this order (comma-separated)
    #[arg(short = 'f', long, value_name = "A,B", value_delimiter = ',')]
    pub fields: Vec<String>,
}

/// Paging shared by the search commands.
#[derive(Debug, Args, Clone)]
pub struct PageArgs {
    /// Maximum rows (1..1000); with --all, the page size
    #[arg(short = 'l', long, value_name = "N", value_parser = parse_limit)]
    pub limit: Option<u32>,

    /// Follow pages until the end, streaming rows as they arrive
    #[arg(long)]
    pub all: bool,

    /// Sort order by time: ASC or DESC
    #[arg(long, value_name = "ORDER", value_parser = parse_sort)]
    pub sort: Option<String>,
}

/// A time window: absolute bounds or relative ones.
#[derive(Debug, Args, Clone)]
pub struct TimeArgs {
    /// Only after this time: nanoseconds or RFC 3339
    #[arg(long, value_name = "TIME", value_parser = parse_time_ns, conflicts_with = "since")]
    pub timestamp_min: Option<String>,

    /// Only before this time: nanoseconds or RFC 3339
    #[arg(long, value_name = "TIME", value_parser = parse_time_ns, conflicts_with = "until")]
    pub timestamp_max: Option<String>,

    /// Only the last 15m, 2h, 7d, ... (or since an RFC 3339 time)
    #[arg(long, value_name = "AGE", value_parser = parse_since)]
    pub since: Option<String>,

    /// Only up to 15m, 2h, 7d, ... ago (or until an RFC 3339 time)
    #[arg(long, value_name = "AGE", value_parser = parse_since)]
    pub until: Option<String>,
}

#[derive(Debug, Args, Clone)]
pub struct DurationArgs {
    /// Minimum span duration: 250ms, 1.5s, 2m or nanoseconds
    #[arg(long, value_name = "DURATION", value_parser = parse_duration_ns)]
    pub duration_min: Option<String>,

    /// Maximum span duration: 250ms, 1.5s, 2m or nanoseconds
    #[arg(long, value_name = "DURATION", value_parser = parse_duration_ns)]
    pub duration_max: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum TracesCommand {
    /// Get all spans of one trace
    Get {
        /// Trace ID
        trace_id: String,
        #[command(flatten)]
        output: OutputArgs,
    },

    /// Search spans
    #[command(after_help = "\
Examples:
  kopai traces search --service checkout-api --status-code error --since 1h
  kopai traces search --duration-min 500ms --span-attr http.route=/checkout --table
  kopai traces search --all --limit 1000 --json > spans.json")]
    Search(TracesSearchArgs),

    /// One row per trace: root service and span, start, duration, span and error counts
    Summaries(TracesSummariesArgs),

    /// List the span names of a service
    Operations {
        /// Service name
        #[arg(short = 's', long, value_name = "NAME")]
        service: String,
        #[command(flatten)]
        output: OutputArgs,
    },
}

#[derive(Debug, Args)]
pub struct TracesSearchArgs {
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub page: PageArgs,
    #[command(flatten)]
    pub time: TimeArgs,
    #[command(flatten)]
    pub duration: DurationArgs,

    /// Filter by trace ID
    #[arg(long, value_name = "ID")]
    pub trace_id: Option<String>,
    /// Filter by span ID
    #[arg(long, value_name = "ID")]
    pub span_id: Option<String>,
    /// Filter by parent span ID
    #[arg(long, value_name = "ID")]
    pub parent_span_id: Option<String>,
    /// Filter by service name
    #[arg(short = 's', long, value_name = "NAME")]
    pub service: Option<String>,
    /// Filter by span name
    #[arg(long, value_name = "NAME")]
    pub span_name: Option<String>,
    /// Filter by span kind: server, client, producer, consumer, internal (or SPAN_KIND_*)
    #[arg(long, value_name = "KIND", value_parser = parse_span_kind)]
    pub span_kind: Option<String>,
    /// Filter by status: ok, error, unset (or STATUS_CODE_*)
    #[arg(long, value_name = "CODE", value_parser = parse_status_code)]
    pub status_code: Option<String>,
    /// Filter by instrumentation scope name
    #[arg(long, value_name = "NAME")]
    pub scope: Option<String>,
    /// Span attribute filter key=value (repeatable)
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_attr)]
    pub span_attr: Vec<Attr>,
    /// Resource attribute filter key=value (repeatable)
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_attr)]
    pub resource_attr: Vec<Attr>,
}

#[derive(Debug, Args)]
pub struct TracesSummariesArgs {
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub page: PageArgs,
    #[command(flatten)]
    pub time: TimeArgs,
    #[command(flatten)]
    pub duration: DurationArgs,

    /// Filter by service name
    #[arg(short = 's', long, value_name = "NAME")]
    pub service: Option<String>,
    /// Filter by span name
    #[arg(long, value_name = "NAME")]
    pub span_name: Option<String>,
    /// Span attribute filter key=value (repeatable)
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_attr)]
    pub span_attr: Vec<Attr>,
    /// Resource attribute filter key=value (repeatable)
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_attr)]
    pub resource_attr: Vec<Attr>,
}

#[derive(Debug, Subcommand)]
pub enum LogsCommand {
    /// Search log records
    #[command(after_help = "\
Examples:
  kopai logs search --service payment-service --severity-min 17 --since 30m
  kopai logs search --body timeout --log-attr db.system=postgresql --json")]
    Search(LogsSearchArgs),
}

#[derive(Debug, Args)]
pub struct LogsSearchArgs {
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub page: PageArgs,
    #[command(flatten)]
    pub time: TimeArgs,

    /// Filter by trace ID
    #[arg(long, value_name = "ID")]
    pub trace_id: Option<String>,
    /// Filter by span ID
    #[arg(long, value_name = "ID")]
    pub span_id: Option<String>,
    /// Filter by service name
    #[arg(short = 's', long, value_name = "NAME")]
    pub service: Option<String>,
    /// Filter by instrumentation scope name
    #[arg(long, value_name = "NAME")]
    pub scope: Option<String>,
    /// Filter by severity text (INFO, ERROR, ...)
    #[arg(long, value_name = "TEXT")]
    pub severity_text: Option<String>,
    /// Minimum severity number (1..24)
    #[arg(long, value_name = "N", value_parser = parse_severity)]
    pub severity_min: Option<u8>,
    /// Maximum severity number (1..24)
    #[arg(long, value_name = "N", value_parser = parse_severity)]
    pub severity_max: Option<u8>,
    /// Only records whose body contains this text
    #[arg(short = 'b', long, value_name = "TEXT")]
    pub body: Option<String>,
    /// Log attribute filter key=value (repeatable)
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_attr)]
    pub log_attr: Vec<Attr>,
    /// Resource attribute filter key=value (repeatable)
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_attr)]
    pub resource_attr: Vec<Attr>,
    /// Scope attribute filter key=value (repeatable)
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_attr)]
    pub scope_attr: Vec<Attr>,
}

#[derive(Debug, Subcommand)]
pub enum MetricsCommand {
    /// Search metric data points
    #[command(after_help = "\
Examples:
  kopai metrics search --type Gauge --name process.memory.usage --since 1h
  kopai metrics search --type Sum --name payment.charges --aggregate sum --group-by outcome")]
    Search(Box<MetricsSearchArgs>),

    /// List the metrics the server has, with their types and attributes
    Discover {
        #[command(flatten)]
        output: OutputArgs,
    },
}

#[derive(Debug, Args)]
pub struct MetricsSearchArgs {
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub page: PageArgs,

    /// Metric type: Gauge, Sum, Histogram, ExponentialHistogram or Summary
    #[arg(long = "type", value_name = "TYPE", value_parser = parse_metric_type)]
    pub metric_type: String,
    /// Filter by metric name
    #[arg(short = 'n', long, value_name = "NAME")]
    pub name: Option<String>,
    /// Filter by service name
    #[arg(short = 's', long, value_name = "NAME")]
    pub service: Option<String>,
    /// Filter by instrumentation scope name
    #[arg(long, value_name = "NAME")]
    pub scope: Option<String>,
    /// Only points after this time: nanoseconds or RFC 3339
    #[arg(long, value_name = "TIME", value_parser = parse_time_ns, conflicts_with = "since")]
    pub time_min: Option<String>,
    /// Only points before this time: nanoseconds or RFC 3339
    #[arg(long, value_name = "TIME", value_parser = parse_time_ns, conflicts_with = "until")]
    pub time_max: Option<String>,
    /// Only the last 15m, 2h, 7d, ... (or since an RFC 3339 time)
    #[arg(long, value_name = "AGE", value_parser = parse_since)]
    pub since: Option<String>,
    /// Only up to 15m, 2h, 7d, ... ago (or until an RFC 3339 time)
    #[arg(long, value_name = "AGE", value_parser = parse_since)]
    pub until: Option<String>,
    /// Data point attribute filter key=value (repeatable)
    #[arg(short = 'a', long, value_name = "KEY=VALUE", value_parser = parse_attr)]
    pub attr: Vec<Attr>,
    /// Resource attribute filter key=value (repeatable)
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_attr)]
    pub resource_attr: Vec<Attr>,
    /// Scope attribute filter key=value (repeatable)
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_attr)]
    pub scope_attr: Vec<Attr>,
    /// Aggregate the points: sum, avg, min, max or count (Gauge and Sum only)
    #[arg(long, value_name = "FN", value_parser = parse_aggregate)]
    pub aggregate: Option<String>,
    /// Group the aggregate by this attribute key (repeatable; needs --aggregate)
    #[arg(long, value_name = "KEY", requires = "aggregate")]
    pub group_by: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum DashboardsCommand {
    /// Print the dashboard UI tree schema (for AI agents)
    Schema,

    /// Create a dashboard from JSON on stdin: {"uiTree": ..., "metadata": ...} or a bare uiTree
    #[command(after_help = "\
Example:
  echo '{\"uiTree\":{\"root\":\"s1\",\"elements\":{\"s1\":{\"key\":\"s1\",\"type\":\"Stack\",\"props\":{\"direction\":\"vertical\",\"gap\":\"md\",\"align\":null},\"children\":[],\"parentKey\":\"\"}}}}' \\
    | kopai dashboards create --name \"My Dashboard\" --tree-version 0.14.0 --json")]
    Create {
        /// Dashboard name
        #[arg(long, value_name = "NAME")]
        name: String,
        /// UI tree version (semver), see `kopai dashboards schema`
        #[arg(long, value_name = "SEMVER")]
        tree_version: String,
        /// Print JSON
        #[arg(short = 'j', long, conflicts_with = "table")]
        json: bool,
        /// Print a table
        #[arg(short = 't', long)]
        table: bool,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_of_the_parsed_command_line_hides_the_token() {
        let cli =
            Cli::try_parse_from(["kopai", "whoami", "--token", "kpi_secret_value_123"]).unwrap();
        let debug = format!("{cli:?}");
        assert!(!debug.contains("kpi_secret"), "{debug}");
        assert!(debug.contains("REDACTED"));
    }
}
