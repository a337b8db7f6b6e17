//! `kopai traces …`

use clap::{Args, Subcommand, ValueHint};

use super::args::{
    DurationArgs, FollowArgs, OutputArgs, ResourceAttrArgs, SearchArgs, TimeArgs, TraceRefArgs,
};
use super::choices::{SPAN_KINDS, STATUS_CODES};
use super::parse::{
    parse_attr, parse_span_id, parse_span_id_or_prefix, parse_trace_id_or_prefix, Attr,
};
use super::query::StatsArgs;
use super::spelling::Spelling;

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum TracesCommand {
    /// Get all spans of one trace: a waterfall on a terminal, the spans as JSON in a pipe
    #[command(after_help = "\
Examples:
  kopai traces get 4bf92f3577b34da6a3ce929d0e0e4736
  kopai traces get 4bf92f3577b34da6a3ce929d0e0e4736 --json
  kopai traces get 4bf92f3577b34da6a3ce929d0e0e4736 -f name,service,duration
  kopai traces get 4bf92f3577b34da6a3ce929d0e0e4736 --errors --depth 4
  kopai traces get 4bf92f3577b34da6a3ce929d0e0e4736 --span c5d6e7
  kopai traces get 4bf92f3577b34da6a3ce929d0e0e4736 --logs")]
    Get {
        /// Trace ID (32 hex digits, any case), or a unique prefix (≥ 6) of one kopai printed recently
        #[arg(value_parser = parse_trace_id_or_prefix, value_hint = ValueHint::Other)]
        trace_id: String,
        /// One span's details: span ID (16 hex digits), or a unique prefix (≥ 6) among the trace's spans
        #[arg(long, value_name = "SPANID", value_parser = parse_span_id_or_prefix, value_hint = ValueHint::Other,
              conflicts_with_all = ["logs", "depth", "service", "errors"])]
        span: Option<String>,
        /// Waterfall: the trace's logs (the first 1,000) under their spans, at their time
        #[arg(long)]
        logs: bool,
        #[command(flatten)]
        fold: FoldArgs,
        #[command(flatten)]
        output: OutputArgs,
    },

    /// Search spans
    #[command(after_help = "\
Examples:
  kopai traces search --service checkout-api --status-code error --since 1h
  kopai traces search --duration-min 500ms --span-attr http.route=/checkout -t
  kopai traces search --all --limit 1000 --json > spans.json")]
    Search(TracesSearchArgs),

    /// One row per trace: root service and span, start, duration, span and error counts
    #[command(after_help = "\
Examples:
  kopai traces summaries --since 1d
  kopai traces summaries --service checkout-api --duration-min 1s")]
    Summaries(TracesSummariesArgs),

    /// The RED view per group: requests, error rate, p50/p95/p99 latency, throughput
    #[command(after_help = "\
Examples:
  kopai traces stats                              Services by error rate
  kopai traces stats --by http.route --service checkout-api --since 6h
  kopai traces stats --service checkout-api --every 5m      When did it start?
  kopai traces stats --print-query > red.json     The KopaiQuery it sends

Needs a Kopai server with KopaiQuery. A server without percentiles (SQLite) gets avg and \
max latency instead, said once on stderr.")]
    Stats(Box<StatsArgs>),

    /// List the span names of a service
    #[command(after_help = "\
Examples:
  kopai traces operations --service checkout-api")]
    Operations {
        /// Service name
        #[arg(short = 's', long, value_name = "NAME", value_hint = ValueHint::Other)]
        service: String,
        #[command(flatten)]
        output: OutputArgs,
    },
}

impl TracesCommand {
    pub fn output(&self) -> &OutputArgs {
        match self {
            Self::Get { output, .. } | Self::Operations { output, .. } => output,
            Self::Search(args) => &args.search.output,
            Self::Summaries(args) => &args.search.output,
            Self::Stats(args) => &args.output,
        }
    }
}

// What of a big trace the waterfall shows; the hidden spans are counted below it.
#[derive(Debug, Args)]
pub struct FoldArgs {
    /// Waterfall: only the top N levels of the tree
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..), value_hint = ValueHint::Other)]
    pub depth: Option<u32>,
    /// Waterfall: only the spans of this service, and their parents
    #[arg(short = 's', long, value_name = "NAME", value_hint = ValueHint::Other)]
    pub service: Option<String>,
    /// Waterfall: only the spans with an error status, and their parents
    #[arg(long)]
    pub errors: bool,
}

#[derive(Debug, Args)]
pub struct TracesSearchArgs {
    #[command(flatten)]
    pub search: SearchArgs,
    #[command(flatten)]
    pub follow: FollowArgs,
    #[command(flatten)]
    pub trace: TraceRefArgs,
    /// Filter by parent span ID (16 hex digits)
    #[arg(long, value_name = "ID", value_parser = parse_span_id, value_hint = ValueHint::Other)]
    pub parent_span_id: Option<String>,
    #[command(flatten)]
    pub spans: SpanFilterArgs,
    /// Filter by instrumentation scope name
    #[arg(long, value_name = "NAME", value_hint = ValueHint::Other)]
    pub scope: Option<String>,
    /// Filter by span kind: server, client, producer, consumer, internal (or the stored SPAN_KIND_* / Server form)
    #[arg(long, value_name = "KIND", value_parser = SPAN_KINDS, hide_possible_values = true, value_hint = ValueHint::Other)]
    pub span_kind: Option<Spelling>,
    /// Filter by status: ok, error, unset (or the stored STATUS_CODE_* / Error form)
    #[arg(long, value_name = "CODE", value_parser = STATUS_CODES, hide_possible_values = true, value_hint = ValueHint::Other)]
    pub status_code: Option<Spelling>,
}

#[derive(Debug, Args)]
pub struct TracesSummariesArgs {
    #[command(flatten)]
    pub search: SearchArgs,
    #[command(flatten)]
    pub spans: SpanFilterArgs,
}

// The filters that both span searches and trace summaries take.
#[derive(Debug, Args)]
pub struct SpanFilterArgs {
    #[command(flatten)]
    pub time: TimeArgs,
    #[command(flatten)]
    pub duration: DurationArgs,
    /// Filter by service name
    #[arg(short = 's', long, value_name = "NAME", value_hint = ValueHint::Other)]
    pub service: Option<String>,
    /// Filter by span name
    #[arg(long, value_name = "NAME", value_hint = ValueHint::Other)]
    pub span_name: Option<String>,
    /// Span attribute filter key=value (repeatable)
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_attr, value_hint = ValueHint::Other)]
    pub span_attr: Vec<Attr>,
    #[command(flatten)]
    pub resource_attr: ResourceAttrArgs,
}
