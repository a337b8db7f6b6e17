//! Ingest end to end: a test span to the OTLP endpoint, then looked for through the API until
//! it can be queried. Marked so it cannot pass for real traffic: its own service
//! (`kopai-doctor`) and the attribute `kopai.doctor.test=true`.

use std::time::{Duration, Instant};

use opentelemetry_proto::tonic::trace::v1::{span, Span};

use super::{Check, Checks};
use crate::api::{ApiError, Client};
use crate::cli::{OtlpArgs, OtlpDestination};
use crate::commands::send::ids;
use crate::commands::send::{connect_within, now_ns, spans_request, string_attr};
use crate::commands::Context;
use crate::config::Signal;

const NAME: &str = "ingest";
/// How often the API is asked whether the span has arrived.
const POLL_EVERY: Duration = Duration::from_millis(200);

pub(super) async fn check(ctx: &Context, api: Option<&Client>, checks: &mut Checks) {
    let Some(api) = api else {
        checks.add(Check::skip(
            NAME,
            "the API must answer first, to look the span up",
        ));
        return;
    };
    let otlp = OtlpArgs {
        to: OtlpDestination::default(),
        service: "kopai-doctor".into(),
        resource_attrs: Vec::new(),
    };
    let (_, target, client) = match connect_within(ctx, &otlp.to, Signal::Traces, None) {
        Ok(connected) => connected,
        Err(error) => {
            checks.add(Check::fail(
                NAME,
                error.to_string(),
                "fix the OTLP URL it names",
            ));
            return;
        }
    };
    if target.token.is_none() {
        checks.add(Check::skip(
            NAME,
            "no ingest token: set KOPAI_INGEST_TOKEN or OTEL_EXPORTER_OTLP_HEADERS, or save \
             one in the profile (ingest_token, `kopai login --ingest`)",
        ));
        return;
    }
    let (Ok(trace_id), Ok(span_id), Ok(now)) = (ids::trace_id(), ids::span_id(), now_ns()) else {
        checks.add(Check::fail(
            NAME,
            "no random source or clock",
            "see the system's logs",
        ));
        return;
    };
    let trace = ids::hex(&trace_id);
    let test_span = Span {
        trace_id: trace_id.to_vec(),
        span_id: span_id.to_vec(),
        name: "kopai doctor ingest check".into(),
        kind: span::SpanKind::Internal as i32,
        start_time_unix_nano: now,
        end_time_unix_nano: now,
        attributes: vec![string_attr("kopai.doctor.test", "true")],
        ..Default::default()
    };
    let sent = Instant::now();
    let request = spans_request(&otlp, vec![test_span]);
    if let Err(error) = client.export(target.url_is_signal_url, &request).await {
        let (detail, fix) = match error {
            ApiError::Unauthorized | ApiError::TokenRequired | ApiError::Forbidden { .. } => (
                format!(
                    "{} refused the ingest token (HTTP {})",
                    target.url.as_str(),
                    error.status().unwrap_or(401)
                ),
                "use an ingest token (a CLI token is read-only)".to_owned(),
            ),
            _ => (
                error.to_string(),
                format!(
                    "check the OTLP URL ({}; `kopai send --help` lists where it can come from)",
                    target.url_source
                ),
            ),
        };
        checks.add(Check::fail(NAME, detail, fix));
        return;
    }
    let deadline = sent + ctx.timeout();
    loop {
        if let Ok(body) = api.get_trace(&trace).await {
            let found = body
                .json()
                .ok()
                .and_then(|spans| spans.as_array().map(|spans| !spans.is_empty()));
            if found == Some(true) {
                let delay = sent.elapsed().as_secs_f64();
                checks.add(Check::pass(
                    NAME,
                    format!(
                        "test span sent to {}, queryable after {delay:.1} s (trace {trace})",
                        target.url.as_str()
                    ),
                ));
                return;
            }
        }
        if Instant::now() + POLL_EVERY > deadline {
            break;
        }
        tokio::time::sleep(POLL_EVERY).await;
    }
    checks.add(Check::fail(
        NAME,
        format!(
            "test span sent to {}, not queryable within {} s (trace {trace})",
            target.url.as_str(),
            ctx.timeout().as_secs()
        ),
        "the OTLP URL may lead to another server than the API: set KOPAI_OTLP_URL or the \
         profile's otlp_url; or allow longer with --timeout",
    ));
}
