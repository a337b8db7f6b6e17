//! `kopai exec [--name N] [--attr k=v] -- CMD ARGS…`: runs the command in a span, as otel-cli
//! does. The command's output and exit code are its own; kopai only speaks when the span could
//! not be sent, and that never fails the command.

mod child;

use std::ffi::OsStr;
use std::path::Path;
use std::time::{Duration, Instant};

use opentelemetry_proto::tonic::trace::v1::{span, status, Span, Status};

use super::send::ids;
use super::send::traceparent::{TraceParent, SAMPLED};
use super::send::{attr, connect_within, int_attr, now_ns, spans_request, string_attr};
use crate::cli::ExecArgs;
use crate::command_error::Result;
use crate::commands::Context;
use crate::config::Signal;
use crate::error::Exit;
use child::Ending;

/// How long the span may take to send after the command ends (retries included): long enough
/// for a collector across the internet, short enough that an unreachable one barely delays a
/// CI step.
const SEND_WITHIN: Duration = Duration::from_secs(2);

pub async fn run(ctx: &Context, args: ExecArgs) -> Result<Exit> {
    // clap requires at least one word after `--`.
    let Some((program, program_args)) = args.command.split_first() else {
        return Ok(Exit::Usage);
    };
    let parent = inherited_parent();
    let Some(own) = own_context(parent.as_ref()) else {
        // Without a random source there is no span to run in: run the command all the same.
        let ending = child::run(program, program_args, "", None);
        say_why_not_started(&ending);
        return Ok(Exit::Child(ending.code()));
    };
    let tracestate = parent
        .is_some()
        .then(|| std::env::var_os("TRACESTATE"))
        .flatten();
    let start = now_ns().ok();
    let started = Instant::now();
    let ending = child::run(
        program,
        program_args,
        &own.to_string(),
        tracestate.as_deref(),
    );
    let elapsed = started.elapsed();
    say_why_not_started(&ending);
    if let Some(start) = start {
        let end = start.saturating_add(u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX));
        let span = span_of(&args, program, &own, parent.as_ref(), (start, end), &ending);
        if let Err(error) = send(ctx, &args, span).await {
            noteln!(
                "warning: the span of `{}` was not sent: {error}",
                child::shown(program)
            );
        }
    }
    Ok(Exit::Child(ending.code()))
}

/// A `TRACEPARENT` from the environment to join; a malformed one is ignored, with a warning.
fn inherited_parent() -> Option<TraceParent> {
    let raw = std::env::var_os("TRACEPARENT")?;
    let text = raw.to_string_lossy();
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match TraceParent::parse(text) {
        Ok(parent) => Some(parent),
        Err(why) => {
            noteln!(
                "warning: ignoring TRACEPARENT `{}`: {why}; starting a new trace",
                crate::term::sanitize(text)
            );
            None
        }
    }
}

/// This span's context: the parent's trace (and flags), or a new trace; a new span ID.
fn own_context(parent: Option<&TraceParent>) -> Option<TraceParent> {
    let trace_id = match parent {
        Some(parent) => parent.trace_id,
        None => ids::trace_id().ok()?,
    };
    Some(TraceParent {
        trace_id,
        span_id: ids::span_id().ok()?,
        flags: parent.map_or(SAMPLED, |parent| parent.flags),
    })
}

/// Said before any warning about sending: it is what the user needs to know first.
fn say_why_not_started(ending: &Ending) {
    if let Ending::NotStarted { why, .. } = ending {
        errln!("error: {why}");
    }
}

/// The span: the command's name, how it ended, how long it took. Its arguments are left out:
/// they may hold secrets.
fn span_of(
    args: &ExecArgs,
    program: &OsStr,
    own: &TraceParent,
    parent: Option<&TraceParent>,
    (start, end): (u64, u64),
    ending: &Ending,
) -> Span {
    let program_name = program.to_string_lossy();
    let name = args.name.clone().unwrap_or_else(|| {
        Path::new(program)
            .file_name()
            .map_or_else(|| program_name.clone(), |name| name.to_string_lossy())
            .into_owned()
    });
    let mut attributes = vec![
        string_attr("process.command", &program_name),
        int_attr("process.exit.code", i64::from(ending.code())),
    ];
    let error = match ending {
        Ending::Exited(0) => None,
        Ending::Exited(code) => Some(format!("exited with {code}")),
        Ending::Signalled(signal) => {
            attributes.push(int_attr("process.exit.signal", i64::from(*signal)));
            let name = child::signal_name(*signal);
            if let Some(name) = name {
                attributes.push(string_attr("process.exit.signal_name", name));
            }
            Some(format!(
                "ended by {}",
                name.map_or_else(|| format!("signal {signal}"), str::to_owned)
            ))
        }
        Ending::NotStarted { why, .. } => Some(why.clone()),
    };
    attributes.extend(args.attrs.iter().map(attr));
    let status = match error {
        Some(message) => Status {
            code: status::StatusCode::Error as i32,
            message,
        },
        None => Status::default(),
    };
    Span {
        trace_id: own.trace_id.to_vec(),
        span_id: own.span_id.to_vec(),
        parent_span_id: parent.map(|p| p.span_id.to_vec()).unwrap_or_default(),
        trace_state: String::new(),
        flags: u32::from(own.flags),
        name,
        kind: span::SpanKind::Internal as i32,
        start_time_unix_nano: start,
        end_time_unix_nano: end,
        attributes,
        status: Some(status),
        ..Default::default()
    }
}

async fn send(ctx: &Context, args: &ExecArgs, span: Span) -> Result<()> {
    let (_, target, client) =
        connect_within(ctx, &args.otlp.to, Signal::Traces, Some(SEND_WITHIN))?;
    let request = spans_request(&args.otlp, vec![span]);
    let rejected = client.export(target.url_is_signal_url, &request).await?;
    super::send::warn_rejected(rejected, "of 1 span");
    Ok(())
}
