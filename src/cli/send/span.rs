//! `kopai send span`.

use clap::{Args, ValueEnum, ValueHint};

use super::{parse_name, parse_otlp_time, OtlpArgs};
use crate::cli::parse::{parse_attr, parse_duration_ns, parse_span_id, parse_trace_id, Attr};

#[derive(Debug, Args)]
pub struct SendSpanArgs {
    #[command(flatten)]
    pub otlp: OtlpArgs,

    /// The span's name
    #[arg(long, value_parser = parse_name, value_hint = ValueHint::Other)]
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
    #[arg(long, value_name = "DURATION", default_value = "0", allow_hyphen_values = true, value_parser = parse_span_duration, value_hint = ValueHint::Other)]
    pub duration: u64,

    /// When it started: nanoseconds, a date or an RFC 3339 time [default: now - duration]
    #[arg(long, value_name = "TIME", allow_hyphen_values = true, value_parser = parse_otlp_time, value_hint = ValueHint::Other)]
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
