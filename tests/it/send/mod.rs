//! `kopai send`: a fake OTLP receiver decodes what arrives with the same generated types
//! (gzip, then protobuf) and checks every field.

mod errors;
mod log;
mod metric;
mod span;
mod stdin;

use crate::common::*;

use std::io::Read;

use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{any_value, KeyValue};
use prost::Message;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub(crate) const INGEST: &str = "kpi_ingest_0123456789abcdefghijklmnopq";

/// A collector taking spans on /v1/traces.
pub(crate) async fn receiver(response: ResponseTemplate) -> MockServer {
    receiver_of("/v1/traces", response).await
}

/// A collector taking gzipped protobuf on `route`.
pub(crate) async fn receiver_of(route: &str, response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(route))
        .and(header("content-type", "application/x-protobuf"))
        .and(header("content-encoding", "gzip"))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

pub(crate) async fn received(server: &MockServer) -> Vec<ExportTraceServiceRequest> {
    decoded(server).await
}

/// Every request the server got, gunzipped and decoded as `M`.
pub(crate) async fn decoded<M: Message + Default>(server: &MockServer) -> Vec<M> {
    requests(server)
        .await
        .iter()
        .map(|request| {
            M::decode(gunzip(&request.body).as_slice()).expect("the body is OTLP protobuf")
        })
        .collect()
}

/// `kopai ARGS` to `server` with the ingest token, under an API at kopai.test: checks that it
/// succeeded, kept the token out of its output and sent one request bearing it; returns the
/// output and that request decoded.
pub(crate) async fn send_one<M: Message + Default>(
    server: &MockServer,
    args: &[&str],
) -> (Output, M) {
    let out = run(Sandbox::new()
        .kopai()
        .args(args)
        .args([
            "--otlp-url",
            &server.uri(),
            "--url",
            "http://kopai.test:8000",
        ])
        .env("KOPAI_INGEST_TOKEN", INGEST));
    assert_ok(&out);
    assert_no_secret(&out, INGEST);
    let requests = requests(server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].headers["authorization"].to_str().unwrap(),
        format!("Bearer {INGEST}")
    );
    (out, decoded(server).await.remove(0))
}

pub(crate) fn gunzip(body: &[u8]) -> Vec<u8> {
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(body)
        .read_to_end(&mut raw)
        .expect("the body is gzip");
    raw
}

pub(crate) fn strings(attributes: &[KeyValue]) -> Vec<(String, String)> {
    attributes
        .iter()
        .map(|kv| {
            let value = match kv.value.as_ref().and_then(|v| v.value.as_ref()) {
                Some(any_value::Value::StringValue(s)) => s.clone(),
                other => panic!("{} is not a string: {other:?}", kv.key),
            };
            (kv.key.clone(), value)
        })
        .collect()
}

pub(crate) fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The value of stdout's `name:` line.
pub(crate) fn field<'a>(stdout: &'a str, name: &str) -> &'a str {
    stdout
        .lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(':'))
        .unwrap_or_else(|| panic!("no {name} in {stdout}"))
        .trim()
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn now_ns() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
}
