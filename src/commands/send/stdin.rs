//! `kopai send --stdin`: OTLP JSON export requests, one per line, sent as they are (JSON,
//! gzipped) to their signal's route. Every line is read and checked before the first is sent,
//! so a bad line sends nothing.

use std::io::{self, Read};

use serde_json::{Map, Value};

use super::{connect, export_failure, warn_rejected};
use crate::api::Client;
use crate::cli::{SendStdinArgs, SignalArg};
use crate::command_error::Result;
use crate::commands::Context;
use crate::config::{OtlpTarget, Signal};
use crate::error::{Exit, UserError};
use crate::term::sanitize;

/// One export request: a collector's default limit is a few MiB, so a longer line is a
/// mistake (a whole file on one line) more likely than a request.
const MAX_LINE_BYTES: usize = 8 * 1024 * 1024;
/// All of stdin, held to be checked before anything is sent.
const MAX_STDIN_BYTES: u64 = 256 * 1024 * 1024;

const SIGNALS: [Signal; 3] = [Signal::Traces, Signal::Logs, Signal::Metrics];

/// A checked line: where it was, what it carries, and its text to send as it is.
struct Request<'a> {
    line: usize,
    signal: Signal,
    items: u64,
    json: &'a str,
}

pub async fn run(ctx: &Context, args: SendStdinArgs) -> Result<Exit> {
    if !args.stdin {
        return Err(UserError::usage(
            "kopai send: give what to send (span, log or metric) or --stdin",
        )
        .into());
    }
    let forced = args.signal.map(|signal| match signal {
        SignalArg::Traces => Signal::Traces,
        SignalArg::Logs => Signal::Logs,
        SignalArg::Metrics => Signal::Metrics,
    });
    let input = read_stdin(ctx.terminal.stdin_is_terminal)?;
    let requests = check(&input, forced)?;
    // Every signal's endpoint and token are settled (and their errors said) before sending.
    let mut targets: Vec<(Signal, OtlpTarget, Client)> = Vec::new();
    for signal in SIGNALS {
        if requests.iter().any(|request| request.signal == signal) {
            let (_, target, client) = connect(ctx, &args.to, signal)?;
            targets.push((signal, target, client));
        }
    }
    for (sent, request) in requests.iter().enumerate() {
        let Some((_, target, client)) = targets.iter().find(|(s, ..)| *s == request.signal) else {
            unreachable!("every signal of a request was connected above");
        };
        let rejected = client
            .export_json(
                request.signal,
                target.url_is_signal_url,
                request.json.as_bytes(),
            )
            .await
            .map_err(|error| {
                let before = match sent {
                    0 => "nothing before it was sent".to_owned(),
                    1 => "the 1 request before it was sent".to_owned(),
                    n => format!("the {n} requests before it were sent"),
                };
                export_failure(error, target)
                    .context(format!("stdin line {} ({before})", request.line))
            })?;
        let what = items(request.signal, request.items);
        warn_rejected(
            rejected,
            &format!("of {what} (stdin line {})", request.line),
        );
        outln!("line {}: {what} ({})", request.line, request.signal.name());
    }
    Ok(Exit::Success)
}

fn read_stdin(stdin_is_terminal: bool) -> Result<Vec<u8>, UserError> {
    if stdin_is_terminal {
        return Err(
            UserError::usage("--stdin: stdin is a terminal, not OTLP JSON")
                .with_hint("pipe the requests in: kopai send --stdin < requests.jsonl"),
        );
    }
    let mut input = Vec::new();
    io::stdin()
        .take(MAX_STDIN_BYTES + 1)
        .read_to_end(&mut input)
        .map_err(|e| UserError::usage(format!("--stdin: cannot read stdin: {e}")))?;
    if input.len() as u64 > MAX_STDIN_BYTES {
        return Err(UserError::usage(format!(
            "--stdin: more than {} MiB on stdin; send it in parts",
            MAX_STDIN_BYTES >> 20
        )));
    }
    Ok(input)
}

/// Every non-blank line as a request, or the first bad line's error naming its number.
fn check(input: &[u8], forced: Option<Signal>) -> Result<Vec<Request<'_>>, UserError> {
    let mut requests = Vec::new();
    for (index, raw) in input.split(|&b| b == b'\n').enumerate() {
        let line = index + 1;
        let bad = |why: String| UserError::usage(format!("stdin line {line}: {why}"));
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if raw.len() > MAX_LINE_BYTES {
            return Err(bad(format!(
                "longer than {} MiB, the most one export request may be",
                MAX_LINE_BYTES >> 20
            )));
        }
        let json = std::str::from_utf8(raw).map_err(|_| bad("not UTF-8 text".into()))?;
        let value: Value = serde_json::from_str(json).map_err(|e| bad(not_json(&e)))?;
        let (signal, items) = shape(&value).map_err(bad)?;
        if let Some(forced) = forced.filter(|forced| *forced != signal) {
            return Err(bad(format!(
                "{} is {}, but --signal {} was given",
                json_key(signal),
                signal.name(),
                forced.name()
            )));
        }
        requests.push(Request {
            line,
            signal,
            items,
            json,
        });
    }
    if requests.is_empty() {
        return Err(UserError::usage(
            "--stdin: no export request on stdin (only blank lines, or nothing)",
        ));
    }
    Ok(requests)
}

/// serde's message with the column alone: its "line 1" would be taken for the input's.
fn not_json(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    let what = text.strip_suffix(&position).unwrap_or(&text);
    format!("not JSON: {what} at column {}", error.column())
}

/// The signal an export request carries and how many spans, log records or data points are
/// in it, or why it is not an OTLP JSON export request.
fn shape(value: &Value) -> Result<(Signal, u64), String> {
    let expected = "not an OTLP export request: a JSON object with one of resourceSpans, \
                    resourceLogs or resourceMetrics";
    let object = value.as_object().ok_or(expected)?;
    if let Some(other) = object
        .keys()
        .find(|key| !SIGNALS.iter().any(|s| json_key(*s) == *key))
    {
        return Err(format!(
            "unexpected member \"{}\" ({expected})",
            sanitize(other)
        ));
    }
    let mut present = SIGNALS
        .iter()
        .filter(|s| object.contains_key(json_key(**s)));
    let signal = *present.next().ok_or(expected)?;
    if let Some(second) = present.next() {
        return Err(format!(
            "both {} and {}: one export request carries one signal",
            json_key(signal),
            json_key(*second)
        ));
    }
    let (scopes, records) = match signal {
        Signal::Traces => ("scopeSpans", "spans"),
        Signal::Logs => ("scopeLogs", "logRecords"),
        Signal::Metrics => ("scopeMetrics", "metrics"),
    };
    let mut items = 0u64;
    for resource in objects(object, json_key(signal))? {
        for scope in objects(resource, scopes)? {
            for record in objects(scope, records)? {
                items += match signal {
                    Signal::Metrics => data_points(record)?,
                    _ => 1,
                };
            }
        }
    }
    Ok((signal, items))
}

/// A metric's data points, under whichever of its types it is.
fn data_points(metric: &Map<String, Value>) -> Result<u64, String> {
    let mut points = 0u64;
    for kind in [
        "gauge",
        "sum",
        "histogram",
        "exponentialHistogram",
        "summary",
    ] {
        if let Some(data) = metric.get(kind) {
            let data = data
                .as_object()
                .ok_or_else(|| format!("a metric's \"{kind}\" is not an object"))?;
            points += objects(data, "dataPoints")?.len() as u64;
        }
    }
    Ok(points)
}

/// The objects in `object[key]`: none when it is missing or null, as OTLP JSON leaves out
/// empty lists.
fn objects<'v>(
    object: &'v Map<String, Value>,
    key: &str,
) -> Result<Vec<&'v Map<String, Value>>, String> {
    let not = || format!("\"{key}\" is not an array of objects");
    match object.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| item.as_object().ok_or_else(not))
            .collect(),
        Some(_) => Err(not()),
    }
}

/// The export request's one member in OTLP JSON.
fn json_key(signal: Signal) -> &'static str {
    match signal {
        Signal::Traces => "resourceSpans",
        Signal::Logs => "resourceLogs",
        Signal::Metrics => "resourceMetrics",
    }
}

/// "1 span", "3 log records", "0 data points".
fn items(signal: Signal, count: u64) -> String {
    let noun = match signal {
        Signal::Traces => "span",
        Signal::Logs => "log record",
        Signal::Metrics => "data point",
    };
    let plural = if count == 1 { "" } else { "s" };
    format!("{count} {noun}{plural}")
}
