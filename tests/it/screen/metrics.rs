//! Metrics for a person: the name whole, values in their unit, a histogram's percentiles.

use super::*;

/// The screen at 60, 80 and 120 columns, each a snapshot.
async fn at_three_widths(name: &str, verb: &str, route: &str, body: &str, line: &str) {
    let server = serve(verb, route, json_response(body)).await;
    for columns in [60, 80, 120] {
        let shown = screen(&server.uri(), line, columns, "UTC", &[]);
        assert_fits(&shown, columns as usize);
        insta::assert_snapshot!(format!("{name}_{columns}"), shown);
    }
}

#[tokio::test]
async fn discover_never_cuts_a_name() {
    let mut listed = fixture_json("metrics-discover.json");
    let long = "checkout.payment.provider.request.duration.by_region";
    listed["metrics"][0]["name"] = json!(long);
    let body = listed.to_string();
    let route = "/signals/metrics/discover";
    at_three_widths("metrics_discover", "GET", route, &body, "metrics discover").await;
    let server = serve("GET", route, json_response(&body)).await;
    for columns in [60, 80, 120] {
        let shown = screen(&server.uri(), "metrics discover", columns, "UTC", &[]);
        assert!(shown.contains(long), "{shown}");
        assert!(shown.contains("http.server.request.duration "), "{shown}");
    }
}

#[tokio::test]
async fn histograms_show_count_average_and_estimated_percentiles() {
    let line = "metrics search --type Histogram";
    let body = fixture("metrics-search-histogram.json");
    let route = "/signals/metrics/search";
    at_three_widths("metrics_histogram", "POST", route, &body, line).await;
}

#[tokio::test]
async fn values_read_in_their_unit() {
    let route = "/signals/metrics/search";
    let gauge = fixture("metrics-search-gauge.json");
    let line = "metrics search --type Gauge";
    at_three_widths("metrics_gauge", "POST", route, &gauge, line).await;
    let sum = fixture("metrics-search-sum.json");
    let line = "metrics search --type Sum";
    at_three_widths("metrics_sum", "POST", route, &sum, line).await;
}
