//! `kopai send span`.

use std::time::{SystemTime, UNIX_EPOCH};

use opentelemetry_proto::tonic::trace::v1::{span, status, Span, Status};

use super::ids::{from_hex, hex, span_id, trace_id};
use super::traceparent::{TraceParent, SAMPLED};
use super::{attr, connect, export, spans_request};
use crate::cli::{SendSpanArgs, SpanKindArg, StatusArg};
use crate::command_error::{CommandError, Result};
use crate::commands::Context;
use crate::config::Signal;
use crate::error::{Exit, UserError};
use crate::links;

pub async fn run(ctx: &Context, args: SendSpanArgs) -> Result<Exit> {
    let (start, end) = times(args.start, args.duration)?;
    let (settings, target, client) = connect(ctx, &args.otlp.to, Signal::Traces)?;
    let ui = settings.ui_url()?;
    let trace_id = match &args.trace_id {
        Some(id) => from_hex(id),
        None => trace_id()?.to_vec(),
    };
    let span_id = span_id()?.to_vec();
    let span = Span {
        trace_id: trace_id.clone(),
        span_id: span_id.clone(),
        parent_span_id: args.parent.as_deref().map(from_hex).unwrap_or_default(),
        name: args.name.clone(),
        kind: kind(args.kind) as i32,
        start_time_unix_nano: start,
        end_time_unix_nano: end,
        attributes: args.attrs.iter().map(attr).collect(),
        status: Some(Status {
            code: status_code(args.status) as i32,
            message: args.message.clone().unwrap_or_default(),
        }),
        ..Default::default()
    };
    let request = spans_request(&args.otlp, vec![span]);
    export(&client, &target, &request, "of 1 span").await?;
    if args.print_traceparent {
        let parent = TraceParent {
            trace_id: trace_id.as_slice().try_into().unwrap_or_default(),
            span_id: span_id.as_slice().try_into().unwrap_or_default(),
            flags: SAMPLED,
        };
        outln!("TRACEPARENT={parent}");
        return Ok(Exit::Success);
    }
    let (trace_id, span_id) = (hex(&trace_id), hex(&span_id));
    outln!("trace_id: {trace_id}");
    outln!("span_id:  {span_id}");
    outln!(
        "url:      {}",
        links::trace(&ui, &trace_id, Some(&args.otlp.service), Some(&span_id))
    );
    Ok(Exit::Success)
}

/// Start and end in nanoseconds: from `--start` when given, else ending now. Checked before
/// anything is sent: a span past what OTLP's 64 bits hold is a mistake in the flags.
fn times(start: Option<u64>, duration: u64) -> Result<(u64, u64)> {
    let too_long =
        || UserError::usage("--start plus --duration is past 2554, the end of OTLP's time");
    match start {
        Some(start) => Ok((start, start.checked_add(duration).ok_or_else(too_long)?)),
        None => {
            let now = now_ns()?;
            let start = now
                .checked_sub(duration)
                .ok_or_else(|| UserError::usage("--duration reaches back before 1970"))?;
            Ok((start, now))
        }
    }
}

fn kind(kind: SpanKindArg) -> span::SpanKind {
    match kind {
        SpanKindArg::Internal => span::SpanKind::Internal,
        SpanKindArg::Server => span::SpanKind::Server,
        SpanKindArg::Client => span::SpanKind::Client,
        SpanKindArg::Producer => span::SpanKind::Producer,
        SpanKindArg::Consumer => span::SpanKind::Consumer,
    }
}

fn status_code(status: StatusArg) -> status::StatusCode {
    match status {
        StatusArg::Unset => status::StatusCode::Unset,
        StatusArg::Ok => status::StatusCode::Ok,
        StatusArg::Error => status::StatusCode::Error,
    }
}

/// Now, in OTLP's nanoseconds since 1970.
pub fn now_ns() -> Result<u64> {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()
        .and_then(|d| u64::try_from(d.as_nanos()).ok())
        .ok_or_else(|| CommandError::failure("the system clock is not a time OTLP can carry"))
}
