//! `kopai send …`: one span, log record or data point to the OTLP endpoint.

mod log;
mod metric;
mod span;

use clap::{Args, Subcommand, ValueEnum, ValueHint};

use super::parse::{parse_attr, parse_time_ns, Attr};
use crate::secret::RawToken;

pub use log::SendLogArgs;
pub use metric::{MetricValue, SendMetricArgs, SendMetricType};
pub use span::{SendSpanArgs, SpanKindArg, StatusArg};

pub const HELP: &str = "\
Examples:
  kopai send span --name deploy --attr version=1.4.2 --duration 2m
  kopai send span --name step --status error --message 'tests failed'
  kopai send span --name ci --print-traceparent >> \"$GITHUB_ENV\"
  kopai --url http://localhost:8000 send span --name hello    To localhost:4318
  kopai send log --body 'cache flushed' --severity warn --attr region=eu
  kopai send metric --name queue.depth --value 42 --unit '{job}'
  kopai send metric --name deploys --type sum --value 1 --attr env=prod
  kopai send metric --name build.time --type histogram --value 93.5 --unit s
  kopai send --stdin < requests.jsonl           OTLP JSON, one request a line

Where to send: --otlp-url, KOPAI_OTLP_URL, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (…_LOGS_, …_METRICS_; a full URL), \
OTEL_EXPORTER_OTLP_ENDPOINT, the profile's otlp_url, else derived from the API URL (the hosted \
API sends to https://otlp.kopai.app, any other server to port 4318 of its host). The ingest \
token: --ingest-token, KOPAI_INGEST_TOKEN, OTEL_EXPORTER_OTLP_HEADERS (Authorization=Bearer%20…), \
the profile's ingest_token (`kopai login --ingest` saves it). A CLI token cannot ingest; the \
local server needs no token. `kopai whoami` shows the endpoint and ingest token in use and \
where each came from. Sent as OTLP/HTTP protobuf (--stdin: its JSON as it is), gzipped; \
retried on 429, 502, 503 and 504 within --timeout.";

/// Each subcommand's pointer to where it sends and how to check it.
const WHERE_HELP: &str = "\
Where to send and the ingest token come from flags, variables, the profile or the API URL \
(`kopai send --help` lists them in order). `kopai whoami` shows the OTLP endpoint and ingest \
token in use and where each came from; `kopai doctor` sends a test span with them.";

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum SendCommand {
    /// Send one span (prints its trace and span IDs and the UI link)
    #[command(after_help = WHERE_HELP)]
    Span(SendSpanArgs),
    /// Send one log record (prints its severity and time)
    #[command(after_help = WHERE_HELP)]
    Log(SendLogArgs),
    /// Send one metric data point: a gauge, a sum or a histogram (prints what it sent)
    #[command(after_help = WHERE_HELP)]
    Metric(SendMetricArgs),
}

// `kopai send SIGNAL …`, or `kopai send --stdin` for OTLP JSON a script already has.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, arg_required_else_help = true)]
pub struct SendArgs {
    #[command(subcommand)]
    pub command: Option<SendCommand>,

    #[command(flatten)]
    pub stdin: SendStdinArgs,
}

#[derive(Debug, Args)]
pub struct SendStdinArgs {
    /// Send the OTLP JSON export requests on stdin, one per line, as they are (blank lines
    /// skipped; every line is checked before any is sent)
    #[arg(long)]
    pub stdin: bool,

    /// The signal of every line [default: each line's resourceSpans, resourceLogs or
    /// resourceMetrics says]
    #[arg(long, value_enum, requires = "stdin")]
    pub signal: Option<SignalArg>,

    #[command(flatten)]
    pub to: OtlpDestination,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SignalArg {
    Traces,
    Logs,
    Metrics,
}

// Where to send, and as whom.
#[derive(Debug, Default, Args)]
pub struct OtlpDestination {
    /// OTLP/HTTP base URL (/v1/traces, /v1/logs or /v1/metrics is added) [env: KOPAI_OTLP_URL]
    #[arg(long, value_name = "URL", value_hint = ValueHint::Other)]
    pub otlp_url: Option<String>,

    /// Ingest token (prefer KOPAI_INGEST_TOKEN: flags are visible in `ps`)
    #[arg(long, value_name = "TOKEN", value_parser = RawToken::from_arg, value_hint = ValueHint::Other)]
    pub ingest_token: Option<RawToken>,
}

// Where to send, as whom, and the resource: every `send` subcommand takes these.
#[derive(Debug, Args)]
pub struct OtlpArgs {
    #[command(flatten)]
    pub to: OtlpDestination,

    /// The resource's service.name
    #[arg(short, long, value_name = "NAME", default_value = "kopai-cli", value_parser = parse_name, value_hint = ValueHint::Other)]
    pub service: String,

    /// A resource attribute KEY=VALUE (repeatable)
    #[arg(long = "resource-attr", value_name = "KEY=VALUE", value_parser = parse_attr, value_hint = ValueHint::Other)]
    pub resource_attrs: Vec<Attr>,
}

/// `--start`, `--time`: nanoseconds, a date or an RFC 3339 time, within OTLP's 64 bits.
fn parse_otlp_time(raw: &str) -> Result<u64, String> {
    parse_time_ns(raw)?
        .parse::<u64>()
        .map_err(|_| "the time must fit in 64-bit nanoseconds".into())
}

/// A span's, metric's or service's name: OTLP wants one, and an empty one is a slip (an unset
/// shell variable) that no query would find.
fn parse_name(raw: &str) -> Result<String, String> {
    if raw.trim().is_empty() {
        return Err("the name is empty".into());
    }
    Ok(raw.to_owned())
}
