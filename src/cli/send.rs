//! `kopai send …`: one span, log record or data point to the OTLP endpoint.

use clap::{Args, Subcommand, ValueEnum, ValueHint};

use super::parse::{
    parse_attr, parse_duration_ns, parse_span_id, parse_time_ns, parse_trace_id, Attr,
};
use crate::secret::RawToken;

pub const HELP: &str = "\
Examples:
  kopai send span --name deploy --attr version=1.4.2 --duration 2m
  kopai send span --name step --status error --message 'tests failed'
  kopai send span --name ci --print-traceparent >> \"$GITHUB_ENV\"
  kopai --url http://localhost:8000 send span --name hello    To localhost:4318

Where to send: --otlp-url, KOPAI_OTLP_URL, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (a full URL), \
OTEL_EXPORTER_OTLP_ENDPOINT, the profile's otlp_url, else derived from the API URL (the hosted \
API sends to https://otlp.kopai.app, any other server to port 4318 of its host). The ingest \
token: --ingest-token, KOPAI_INGEST_TOKEN, OTEL_EXPORTER_OTLP_HEADERS (Authorization=Bearer%20…), \
the profile's ingest_token. A CLI token cannot ingest; the local server needs no token. \
Sent as OTLP/HTTP protobuf, gzipped; retried on 429, 502, 503 and 504 within --timeout.";

#[derive(Debug, Subcommand)]
pub enum SendCommand {
    /// Send one span (prints its trace and span IDs and the UI link)
    Span(SendSpanArgs),
}

/// Where to send, and as whom: every `send` subcommand takes these.
#[derive(Debug, Args)]
pub struct OtlpArgs {
    /// OTLP/HTTP base URL (…/v1/traces is added) [env: KOPAI_OTLP_URL]
    #[arg(long, value_name = "URL", value_hint = ValueHint::Other)]
    pub otlp_url: Option<String>,

    /// Ingest token (prefer KOPAI_INGEST_TOKEN: flags are visible in `ps`)
    #[arg(long, value_name = "TOKEN", value_parser = RawToken::from_arg, value_hint = ValueHint::Other)]
    pub ingest_token: Option<RawToken>,

    /// The resource's service.name
    #[arg(short, long, value_name = "NAME", default_value = "kopai-cli", value_hint = ValueHint::Other)]
    pub service: String,

    /// A resource attribute KEY=VALUE (repeatable)
    #[arg(long = "resource-attr", value_name = "KEY=VALUE", value_parser = parse_attr, value_hint = ValueHint::Other)]
    pub resource_attrs: Vec<Attr>,
}

#[derive(Debug, Args)]
pub struct SendSpanArgs {
    #[command(flatten)]
    pub otlp: OtlpArgs,

    /// The span's name
    #[arg(long, value_hint = ValueHint::Other)]
    pub name: String,

    /// The span's kind
    #[arg(long, value_enum, default_value = "internal")]
    pub kind: SpanKindArg,

    /// The span's status
    #[arg(long, value_enum, default_value = "unset")]
    pub status: StatusArg,

    /// The status message (with --status error)
    #[arg(long, value_hint = ValueHint::Other)]
    pub message: Option<String>,

    /// A span attribute KEY=VALUE (repeatable)
    #[arg(long = "attr", value_name = "KEY=VALUE", value_parser = parse_attr, value_hint = ValueHint::Other)]
    pub attrs: Vec<Attr>,

    /// How long the span lasted: 120ms, 1.5s, 2m
    #[arg(long, value_name = "DURATION", default_value = "0", value_parser = parse_span_duration, value_hint = ValueHint::Other)]
    pub duration: u64,

    /// When it started: nanoseconds, a date or an RFC 3339 time [default: now - duration]
    #[arg(long, value_name = "TIME", value_parser = parse_start, value_hint = ValueHint::Other)]
    pub start: Option<u64>,

    /// Join this trace (32 hex digits) instead of starting one
    #[arg(long, value_name = "TRACE_ID", value_parser = parse_trace_id, value_hint = ValueHint::Other)]
    pub trace_id: Option<String>,

    /// The parent span (16 hex digits; with --trace-id)
    #[arg(long, value_name = "SPAN_ID", value_parser = parse_span_id, requires = "trace_id", value_hint = ValueHint::Other)]
    pub parent: Option<String>,

    /// Print only TRACEPARENT=… (W3C) naming this span, for later steps to join: a CI
    /// pipeline's root (`>> "$GITHUB_ENV"`), under which `kopai exec` traces each step
    #[arg(long)]
    pub print_traceparent: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SpanKindArg {
    Internal,
    Server,
    Client,
    Producer,
    Consumer,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StatusArg {
    Unset,
    Ok,
    Error,
}

/// A duration in nanoseconds that fits OTLP's 64-bit timestamps.
fn parse_span_duration(raw: &str) -> Result<u64, String> {
    if raw.trim_start().starts_with('-') {
        return Err("a duration cannot be negative".into());
    }
    parse_duration_ns(raw)?
        .parse::<u64>()
        .map_err(|_| "the duration is too long (it must fit in 64-bit nanoseconds)".into())
}

fn parse_start(raw: &str) -> Result<u64, String> {
    parse_time_ns(raw)?
        .parse::<u64>()
        .map_err(|_| "the time must fit in 64-bit nanoseconds".into())
}
