//! The OTLP/HTTP routes (`/v1/traces`, `/v1/logs`, `/v1/metrics`): a generated export request,
//! encoded as protobuf and gzipped, and what the collector says it refused.

use std::io::Write;

use flate2::write::GzEncoder;
use flate2::Compression;
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use prost::Message;

use crate::api::{ApiError, Client, Retry};

/// What a collector refused of an accepted export (OTLP's partial success).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Rejected {
    pub count: i64,
    pub message: String,
}

/// Where spans go under an OTLP base URL.
const TRACES: &str = "/v1/traces";

impl Client {
    /// Sends spans to the base URL's `/v1/traces`, or to the client's URL itself when
    /// `url_is_signal_url` (the OTLP spec's per-signal variables name the whole URL). Retried on 429/502/503/504 and connection failures, as the OTLP spec allows:
    /// a collector de-duplicates nothing, but a span sent twice is only a repeated span.
    pub async fn export_traces(
        &self,
        url_is_signal_url: bool,
        request: &ExportTraceServiceRequest,
    ) -> Result<Option<Rejected>, ApiError> {
        let path = if url_is_signal_url { "" } else { TRACES };
        let body = self
            .post_protobuf(path, &gzip(&request.encode_to_vec()), Retry::Transient)
            .await?;
        // An empty body, or one that is not the protobuf answer (a JSON `{}` from a proxy),
        // means nothing was refused: the status said the export was accepted.
        Ok(ExportTraceServiceResponse::decode(body.bytes.as_slice())
            .ok()
            .and_then(|answer| answer.partial_success)
            .filter(|partial| partial.rejected_spans != 0 || !partial.error_message.is_empty())
            .map(|partial| Rejected {
                count: partial.rejected_spans,
                message: partial.error_message,
            }))
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 2), Compression::fast());
    // Writing to a Vec cannot fail.
    encoder.write_all(bytes).expect("gzip into memory");
    encoder.finish().expect("gzip into memory")
}
