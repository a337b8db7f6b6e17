//! `kopai send …`: telemetry built from flags, sent to the OTLP endpoint with the ingest token.

//! The core (`connect`, `spans_request`, attributes, `ids`) is also what `kopai exec` and
//! `kopai doctor` send with.

pub(super) mod ids;
mod span;
pub(super) mod traceparent;

pub(super) use span::now_ns;

use std::time::Duration;

use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{any_value, AnyValue, InstrumentationScope, KeyValue};
use opentelemetry_proto::tonic::resource::v1::Resource;
use opentelemetry_proto::tonic::trace::v1::{ResourceSpans, ScopeSpans, Span};

use crate::api::{ApiError, Client, Rejected};
use crate::cli::parse::Attr;
use crate::cli::{OtlpArgs, SendCommand};
use crate::command_error::{CommandError, Result};
use crate::commands::Context;
use crate::config::{OtlpOverrides, OtlpTarget, Settings, Signal};
use crate::error::Exit;

pub async fn run(ctx: &Context, command: SendCommand) -> Result<Exit> {
    match command {
        SendCommand::Span(args) => span::run(ctx, args).await,
    }
}

/// The settings, where `signal` goes, and a client for it.
fn connect(
    ctx: &Context,
    args: &OtlpArgs,
    signal: Signal,
) -> Result<(Settings, OtlpTarget, Client)> {
    connect_within(ctx, args, signal, None)
}

/// `connect`, giving up after `timeout` (retries included) when that is shorter than
/// `--timeout`.
pub(super) fn connect_within(
    ctx: &Context,
    args: &OtlpArgs,
    signal: Signal,
    timeout: Option<Duration>,
) -> Result<(Settings, OtlpTarget, Client)> {
    let settings = ctx.settings()?;
    let overrides = OtlpOverrides {
        url: args.otlp_url.clone(),
        token: args.ingest_token.clone(),
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
             or the profile's ingest_token"
                .into(),
        );
    }
    match error {
        ApiError::Network { proxy: None, .. } | ApiError::Timeout { .. } => {
            CommandError::from(error)
                .context(format!("the OTLP endpoint (from {source})"))
                .with_hint(format!(
                    "check the OTLP endpoint (from {source}): --otlp-url, KOPAI_OTLP_URL, \
                     OTEL_EXPORTER_OTLP_ENDPOINT or the profile's otlp_url"
                ))
        }
        error => CommandError::from(error).context(format!("the OTLP endpoint (from {source})")),
    }
}

/// One export request of `spans`, under the resource `args` describe.
pub(super) fn spans_request(args: &OtlpArgs, spans: Vec<Span>) -> ExportTraceServiceRequest {
    ExportTraceServiceRequest {
        resource_spans: vec![ResourceSpans {
            resource: Some(resource(args)),
            scope_spans: vec![ScopeSpans {
                scope: Some(scope()),
                spans,
                ..Default::default()
            }],
            ..Default::default()
        }],
    }
}

/// The resource every send describes: `service.name` and the `--resource-attr`s.
fn resource(args: &OtlpArgs) -> Resource {
    let mut attributes = vec![string_attr("service.name", &args.service)];
    attributes.extend(args.resource_attrs.iter().map(attr));
    Resource {
        attributes,
        ..Default::default()
    }
}

fn scope() -> InstrumentationScope {
    InstrumentationScope {
        name: "kopai-cli".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        ..Default::default()
    }
}

/// Attributes are sent as strings, as typed: `--attr n=5` is the string "5", never a guess.
pub(super) fn attr(attr: &Attr) -> KeyValue {
    string_attr(&attr.key, &attr.value)
}

pub(super) fn int_attr(key: &str, value: i64) -> KeyValue {
    KeyValue {
        key: key.to_owned(),
        value: Some(AnyValue {
            value: Some(any_value::Value::IntValue(value)),
        }),
        ..Default::default()
    }
}

pub(super) fn string_attr(key: &str, value: &str) -> KeyValue {
    KeyValue {
        key: key.to_owned(),
        value: Some(AnyValue {
            value: Some(any_value::Value::StringValue(value.to_owned())),
        }),
        ..Default::default()
    }
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
