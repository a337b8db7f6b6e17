//! `kopai send log`.

use opentelemetry_proto::tonic::common::v1::{any_value, AnyValue};
use opentelemetry_proto::tonic::logs::v1::LogRecord;

use super::ids::from_hex;
use super::request::{attr, logs_request};
use super::{connect, export, now_ns, print_time};
use crate::cli::SendLogArgs;
use crate::command_error::Result;
use crate::commands::Context;
use crate::config::Signal;
use crate::error::Exit;
use crate::links;

pub async fn run(ctx: &Context, args: SendLogArgs) -> Result<Exit> {
    let (settings, target, client) = connect(ctx, &args.otlp.to, Signal::Logs)?;
    let ui = settings.ui_url()?;
    let observed = now_ns()?;
    let time = args.time.unwrap_or(observed);
    let record = LogRecord {
        time_unix_nano: time,
        observed_time_unix_nano: observed,
        severity_number: args.severity.number,
        severity_text: args.severity.text.clone(),
        body: Some(AnyValue {
            value: Some(any_value::Value::StringValue(args.body.clone())),
        }),
        attributes: args.attrs.iter().map(attr).collect(),
        trace_id: args.trace_id.as_deref().map(from_hex).unwrap_or_default(),
        span_id: args.span_id.as_deref().map(from_hex).unwrap_or_default(),
        ..Default::default()
    };
    let request = logs_request(&args.otlp, vec![record]);
    export(&client, &target, &request, "of 1 log record").await?;
    outln!(
        "severity: {} ({})",
        args.severity.text,
        args.severity.number
    );
    print_time("time:    ", time);
    if let Some(trace_id) = &args.trace_id {
        outln!("trace_id: {trace_id}");
    }
    if let Some(span_id) = &args.span_id {
        outln!("span_id:  {span_id}");
    }
    outln!("url:      {}", links::logs(&ui));
    Ok(Exit::Success)
}
