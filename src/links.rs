//! Links into the web UI, built in this one place. The UI is served at its base's root and reads
//! its state from the query string: `service`, `trace`, `span`, `tab` and `dashboardId`.

use std::borrow::Cow;

use crate::api::{encode_component, BaseUrl};

/// The UI's front page.
pub fn front_page(ui: &BaseUrl) -> String {
    format!("{}/", ui.as_str())
}

/// A trace, opened in the services tab (where traces are shown) under its root span's
/// service, with `span` selected if given.
pub fn trace(ui: &BaseUrl, trace_id: &str, service: Option<&str>, span: Option<&str>) -> String {
    let mut params = Vec::new();
    if let Some(service) = service {
        params.push(("service", service));
    }
    params.push(("trace", trace_id));
    if let Some(span) = span {
        params.push(("span", span));
    }
    with_query(ui, &params)
}

/// The service of the trace's root span (no parent), else of its earliest span: the UI shows
/// a trace under a service. `text` reads a span's field when it is a string.
pub fn root_service<'s, S>(
    spans: &'s [S],
    text: impl Fn(&'s S, &str) -> Option<Cow<'s, str>>,
) -> Option<String> {
    let root = root_span(spans, &text)?;
    text(root, "ServiceName")
        .filter(|s| !s.is_empty())
        .map(Cow::into_owned)
}

/// The trace's root span (no parent), else its earliest span (the root not among `spans`).
pub fn root_span<'s, S>(
    spans: &'s [S],
    text: impl Fn(&'s S, &str) -> Option<Cow<'s, str>>,
) -> Option<&'s S> {
    let is_root = |span: &&'s S| text(span, "ParentSpanId").is_none_or(|p| p.is_empty());
    let timestamp = |span: &&'s S| {
        text(span, "Timestamp")
            .and_then(|t| t.parse::<u128>().ok())
            .unwrap_or(u128::MAX)
    };
    spans
        .iter()
        .find(is_root)
        .or_else(|| spans.iter().min_by_key(timestamp))
}

/// The logs tab.
pub fn logs(ui: &BaseUrl) -> String {
    with_query(ui, &[("tab", "logs")])
}

/// The metrics tab.
pub fn metrics(ui: &BaseUrl) -> String {
    with_query(ui, &[("tab", "metrics")])
}

/// A dashboard: the metrics tab with the dashboard selected.
pub fn dashboard(ui: &BaseUrl, id: &str) -> String {
    with_query(ui, &[("tab", "metrics"), ("dashboardId", id)])
}

fn with_query(ui: &BaseUrl, params: &[(&str, &str)]) -> String {
    let query: Vec<String> = params
        .iter()
        .map(|(key, value)| format!("{key}={}", encode_component(value)))
        .collect();
    format!("{}/?{}", ui.as_str(), query.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ui() -> BaseUrl {
        BaseUrl::parse("https://kopai.example/signals/").unwrap()
    }

    #[test]
    fn links_carry_the_uis_parameters() {
        assert_eq!(front_page(&ui()), "https://kopai.example/");
        assert_eq!(logs(&ui()), "https://kopai.example/?tab=logs");
        assert_eq!(
            trace(&ui(), "4bf9", Some("checkout api"), Some("00f0")),
            "https://kopai.example/?service=checkout%20api&trace=4bf9&span=00f0"
        );
        assert_eq!(
            trace(&ui(), "4bf9", None, None),
            "https://kopai.example/?trace=4bf9"
        );
        assert_eq!(
            dashboard(&ui(), "a/b&c=d é"),
            "https://kopai.example/?tab=metrics&dashboardId=a%2Fb%26c%3Dd%20%C3%A9"
        );
    }
}
