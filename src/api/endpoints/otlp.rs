//! The OTLP/HTTP routes (`/v1/traces`, `/v1/logs`, `/v1/metrics`): a generated export request
//! encoded as protobuf, or OTLP JSON as a script gave it, gzipped; and what the collector says
//! it refused.

use std::io::Write;

use flate2::write::GzEncoder;
use flate2::Compression;
use opentelemetry_proto::tonic::collector::logs::v1::{
    ExportLogsServiceRequest, ExportLogsServiceResponse,
};
use opentelemetry_proto::tonic::collector::metrics::v1::{
    ExportMetricsServiceRequest, ExportMetricsServiceResponse,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use prost::Message;
use serde_json::Value;

use crate::api::{ApiError, Client, Retry};

/// What a collector refused of an accepted export (OTLP's partial success).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Rejected {
    pub count: i64,
    pub message: String,
}

/// The three kinds of telemetry OTLP carries, each to its own route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtlpSignal {
    Traces,
    Logs,
    Metrics,
}

impl OtlpSignal {
    pub fn name(self) -> &'static str {
        match self {
            OtlpSignal::Traces => "traces",
            OtlpSignal::Logs => "logs",
            OtlpSignal::Metrics => "metrics",
        }
    }

    /// Where the signal goes under an OTLP base URL.
    fn path(self) -> &'static str {
        match self {
            OtlpSignal::Traces => "/v1/traces",
            OtlpSignal::Logs => "/v1/logs",
            OtlpSignal::Metrics => "/v1/metrics",
        }
    }

    /// The partial success's count in OTLP JSON.
    fn rejected_key(self) -> &'static str {
        match self {
            OtlpSignal::Traces => "rejectedSpans",
            OtlpSignal::Logs => "rejectedLogRecords",
            OtlpSignal::Metrics => "rejectedDataPoints",
        }
    }
}

/// A generated export request, and how to read its collector's answer.
pub trait ExportRequest: Message {
    const SIGNAL: OtlpSignal;

    /// The partial success in a protobuf answer, when something was refused.
    fn rejected(answer: &[u8]) -> Option<Rejected>;
}

impl ExportRequest for ExportTraceServiceRequest {
    const SIGNAL: OtlpSignal = OtlpSignal::Traces;

    fn rejected(answer: &[u8]) -> Option<Rejected> {
        let answer = ExportTraceServiceResponse::decode(answer).ok()?;
        let partial = answer.partial_success?;
        rejected(partial.rejected_spans, partial.error_message)
    }
}

impl ExportRequest for ExportLogsServiceRequest {
    const SIGNAL: OtlpSignal = OtlpSignal::Logs;

    fn rejected(answer: &[u8]) -> Option<Rejected> {
        let answer = ExportLogsServiceResponse::decode(answer).ok()?;
        let partial = answer.partial_success?;
        rejected(partial.rejected_log_records, partial.error_message)
    }
}

impl ExportRequest for ExportMetricsServiceRequest {
    const SIGNAL: OtlpSignal = OtlpSignal::Metrics;

    fn rejected(answer: &[u8]) -> Option<Rejected> {
        let answer = ExportMetricsServiceResponse::decode(answer).ok()?;
        let partial = answer.partial_success?;
        rejected(partial.rejected_data_points, partial.error_message)
    }
}

/// A partial success that refused nothing and said nothing is a plain success.
fn rejected(count: i64, message: String) -> Option<Rejected> {
    (count != 0 || !message.is_empty()).then_some(Rejected { count, message })
}

impl Client {
    /// Sends a generated export request as protobuf to its signal's route under the base URL,
    /// or to the client's URL itself when `url_is_signal_url` (the OTLP spec's per-signal
    /// variables name the whole URL). Retried on 429/502/503/504 and connection failures, as
    /// the OTLP spec allows: a collector de-duplicates nothing, but telemetry sent twice is
    /// only repeated telemetry.
    pub async fn export<R: ExportRequest>(
        &self,
        url_is_signal_url: bool,
        request: &R,
    ) -> Result<Option<Rejected>, ApiError> {
        let path = if url_is_signal_url {
            ""
        } else {
            R::SIGNAL.path()
        };
        let gzipped = gzip(&request.encode_to_vec());
        let body = self
            .post_gzipped(path, "application/x-protobuf", &gzipped, Retry::Transient)
            .await?;
        // An empty body, or one that is not the protobuf answer (a JSON `{}` from a proxy),
        // means nothing was refused: the status said the export was accepted.
        Ok(R::rejected(&body.bytes))
    }

    /// Sends an OTLP JSON export request as it was given, as [`Client::export`] does.
    pub async fn export_json(
        &self,
        signal: OtlpSignal,
        url_is_signal_url: bool,
        json: &[u8],
    ) -> Result<Option<Rejected>, ApiError> {
        let path = if url_is_signal_url { "" } else { signal.path() };
        let body = self
            .post_gzipped(path, "application/json", &gzip(json), Retry::Transient)
            .await?;
        Ok(json_rejected(signal, &body.bytes))
    }
}

/// The partial success of a JSON answer: the count is an int64, which OTLP JSON may write as
/// a string. An answer that is not that JSON refused nothing, as for protobuf.
fn json_rejected(signal: OtlpSignal, answer: &[u8]) -> Option<Rejected> {
    let answer: Value = serde_json::from_slice(answer).ok()?;
    let partial = answer.get("partialSuccess")?;
    let count = match partial.get(signal.rejected_key()) {
        Some(Value::String(text)) => text.parse().ok()?,
        Some(Value::Number(number)) => number.as_i64()?,
        _ => 0,
    };
    let message = partial
        .get("errorMessage")
        .and_then(Value::as_str)
        .unwrap_or_default();
    rejected(count, message.to_owned())
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 2), Compression::fast());
    // Writing to a Vec cannot fail.
    encoder.write_all(bytes).expect("gzip into memory");
    encoder.finish().expect("gzip into memory")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_partial_success_is_read_in_either_int64_spelling() {
        let answer = br#"{"partialSuccess":{"rejectedLogRecords":"2","errorMessage":"old"}}"#;
        assert_eq!(
            json_rejected(OtlpSignal::Logs, answer),
            Some(Rejected {
                count: 2,
                message: "old".into()
            })
        );
        let answer = br#"{"partialSuccess":{"rejectedDataPoints":3}}"#;
        assert_eq!(
            json_rejected(OtlpSignal::Metrics, answer).map(|r| r.count),
            Some(3)
        );
        assert_eq!(json_rejected(OtlpSignal::Traces, b"{}"), None);
        assert_eq!(
            json_rejected(OtlpSignal::Traces, br#"{"partialSuccess":{}}"#),
            None
        );
    }
}
