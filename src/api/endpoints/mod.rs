//! The one place that knows the server's routes: each is a typed method on
//! [`Client`](super::Client) (or, for the paged searches, a [`Search`]), and each path is
//! written once, here.

mod dashboards;
mod otlp;
mod query;
mod search;
mod signals;

pub use otlp::{ExportRequest, OtlpSignal, Rejected};
pub use query::{QueryMode, QuerySignal};
pub use search::Search;

/// Percent-encodes like JavaScript's `encodeURIComponent`, so an ID stays one path segment and
/// links match the ones upstream's CLI and UI build (a space is `%20`, not `+`).
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte);
        if keep {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_keeps_what_encode_uri_component_keeps() {
        assert_eq!(encode_component("Az09-_.!~*'()"), "Az09-_.!~*'()");
        assert_eq!(encode_component("#?+ %"), "%23%3F%2B%20%25");
    }
}
