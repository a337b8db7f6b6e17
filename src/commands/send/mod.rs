//! `kopai send …`: telemetry built from flags, sent to the OTLP endpoint with the ingest token.

//! The core (`connect`, `export`, the requests, `ids`) is also what `kopai exec` and
//! `kopai doctor` send with.

pub(super) mod ids;
mod log;
mod metric;
mod request;
mod span;
mod stdin;
pub(super) mod traceparent;

pub(super) use request::{attr, int_attr, spans_request, string_attr};
pub(super) use span::now_ns;

use std::time::Duration;

use crate::api::{ApiError, Client, ExportRequest, Rejected};
use crate::cli::{OtlpDestination, SendArgs, SendCommand};
use crate::command_error::{CommandError, Result};
use crate::commands::Context;
use crate::config::{OtlpOverrides, OtlpTarget, Settings, Signal};
use crate::error::Exit;

pub async fn run(ctx: &Context, args: SendArgs) -> Result<Exit> {
    match args.command {
        Some(SendCommand::Span(args)) => span::run(ctx, args).await,
        Some(SendCommand::Log(args)) => log::run(ctx, args).await,
        Some(SendCommand::Metric(args)) => metric::run(ctx, args).await,
        // clap shows the help when neither a subcommand nor --stdin is given.
        None => stdin::run(ctx, args.stdin).await,
    }
}

/// The settings, where `signal` goes, and a client for it.
fn connect(
    ctx: &Context,
    to: &OtlpDestination,
    signal: Signal,
) -> Result<(Settings, OtlpTarget, Client)> {
    connect_within(ctx, to, signal, None)
}

/// `connect`, giving up after `timeout` (retries included) when that is shorter than
/// `--timeout`.
pub(super) fn connect_within(
    ctx: &Context,
    to: &OtlpDestination,
    signal: Signal,
    timeout: Option<Duration>,
) -> Result<(Settings, OtlpTarget, Client)> {
    let settings = ctx.settings()?;
    let overrides = OtlpOverrides {
        url: to.otlp_url.clone(),
        token: to.ingest_token.clone(),
    };
    let target = settings.otlp(signal, &overrides)?;
    if ctx.verbose {
        errln!(
            "* OTLP endpoint {} ({})",
            target.url.as_str(),
            target.url_source
        );
        match &target.token {
            Some((token, source)) => errln!("* ingest token {} ({source})", token.prefix()),
            None => errln!("* no ingest token"),
        }
    }
    let token = target.token.as_ref().map(|(token, _)| token.clone());
    let client = match timeout {
        Some(timeout) => ctx.client_for_within(target.url.clone(), token, timeout)?,
        None => ctx.client_for(target.url.clone(), token)?,
    };
    Ok((settings, target, client))
}

/// A failed export said in OTLP's terms: a refused token is the ingest token (never the CLI
/// token `kopai login` stores), an unreachable collector is the OTLP endpoint and where it
/// came from (never the API's `--url`).
pub(super) fn export_failure(error: ApiError, target: &OtlpTarget) -> CommandError {
    let url = target.url.as_str();
    let source = &target.url_source;
    if error.is_auth() {
        let context = match &target.token {
            Some((_, token_source)) => {
                format!("the collector at {url} refused the ingest token ({token_source})")
            }
            None => format!("the collector at {url} wants an ingest token and none was given"),
        };
        return CommandError::from(error).context(context).with_hint(
            "give an ingest token (not the CLI token) with --ingest-token, KOPAI_INGEST_TOKEN \
             or `kopai login --ingest` (the profile's ingest_token)"
                .into(),
        );
    }
    match error {
        ApiError::Network { proxy: None, .. } | ApiError::Timeout { .. } => {
            CommandError::from(error)
                .context(format!("the OTLP endpoint ({source})"))
                // The error names the URL and where it came from; the hint, what to do.
                .with_hint(
                    "is an OTLP collector listening there? Give its URL with --otlp-url, \
                     KOPAI_OTLP_URL, OTEL_EXPORTER_OTLP_ENDPOINT or the profile's otlp_url"
                        .into(),
                )
        }
        error => CommandError::from(error).context(format!("the OTLP endpoint ({source})")),
    }
}

/// Sends `request` where `target` says; a failure is said in OTLP's terms, a partial success
/// is a warning naming `what` was sent ("of 1 span").
async fn export<R: ExportRequest>(
    client: &Client,
    target: &OtlpTarget,
    request: &R,
    what: &str,
) -> Result<()> {
    let rejected = client
        .export(target.url_is_signal_url, request)
        .await
        .map_err(|error| export_failure(error, target))?;
    warn_rejected(rejected, what);
    Ok(())
}

/// `label` and `ns` as RFC 3339 UTC, as `--time` takes it back.
fn print_time(label: &str, ns: u64) {
    let text = crate::output::format_time(i128::from(ns)).unwrap_or_else(|| ns.to_string());
    outln!("{label} {text}");
}

/// A partial success is a warning naming what the collector refused, not a failure.
pub(super) fn warn_rejected(rejected: Option<Rejected>, what: &str) {
    if let Some(rejected) = rejected {
        let why = if rejected.message.is_empty() {
            String::new()
        } else {
            format!(": {}", crate::term::sanitize(&rejected.message))
        };
        errln!(
            "warning: the collector rejected {} {what}{why}",
            rejected.count
        );
    }
}
