//! `metrics search --name` without `--type`: the type is looked up with discover, once; and
//! an exponential histogram's percentiles.

use super::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

/// A server whose discover lists `metrics`, and whose search answers with an empty page.
async fn discovering(metrics: Value) -> MockServer {
    let server = serve(
        "GET",
        METRICS_DISCOVER,
        json_response(&serde_json::json!({ "metrics": metrics }).to_string()),
    )
    .await;
    Mock::given(method("POST"))
        .and(path(METRICS_SEARCH))
        .respond_with(json_response(EMPTY_PAGE))
        .mount(&server)
        .await;
    server
}

async fn searches(server: &MockServer) -> Vec<Value> {
    let searched = requests(server).await.into_iter();
    searched
        .filter(|r| r.url.path() == METRICS_SEARCH)
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

#[tokio::test]
async fn a_name_without_a_type_is_searched_with_the_type_discover_gives() {
    let server = discovering(fixture_json("metrics-discover.json")["metrics"].clone()).await;
    let out = kopai_at(
        &server.uri(),
        &words("metrics search --name http.server.request.duration"),
    );
    assert_ok(&out);
    let sent = searches(&server).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["metricType"], "Histogram");
    assert_eq!(sent[0]["metricName"], "http.server.request.duration");
    let asked = requests(&server).await;
    let discovered = asked.iter().filter(|r| r.url.path() == METRICS_DISCOVER);
    assert_eq!(discovered.count(), 1, "the type is looked up once");
}

#[tokio::test]
async fn a_given_type_is_not_looked_up() {
    let server = discovering(serde_json::json!([])).await;
    let out = kopai_at(&server.uri(), &words("metrics search --type sum -n x"));
    assert_ok(&out);
    let asked = requests(&server).await;
    assert!(asked.iter().all(|r| r.url.path() != METRICS_DISCOVER));
}

#[tokio::test]
async fn a_name_with_two_types_asks_which() {
    let both = serde_json::json!([
        {"name": "queue.depth", "type": "Sum", "attributes": {}, "resourceAttributes": {}},
        {"name": "queue.depth", "type": "Gauge", "attributes": {}, "resourceAttributes": {}},
        {"name": "other", "type": "Histogram", "attributes": {}, "resourceAttributes": {}}
    ]);
    let server = discovering(both).await;
    let out = kopai_at(&server.uri(), &words("metrics search --name queue.depth"));
    assert_failed(&out, 2);
    assert_eq!(
        json_error(&out)["error"]["message"],
        "--name: `queue.depth` is a metric of 2 types (Gauge, Sum); say which with --type"
    );
    assert!(searches(&server).await.is_empty());
}

#[tokio::test]
async fn an_unknown_name_says_where_to_look() {
    let server = discovering(fixture_json("metrics-discover.json")["metrics"].clone()).await;
    let out = kopai_at(&server.uri(), &words("metrics search --name nope"));
    assert_failed(&out, 2);
    assert_eq!(
        json_error(&out)["error"]["message"],
        "--name: the server has no metric named `nope` (kopai metrics discover lists them)"
    );
    assert!(searches(&server).await.is_empty());
}

#[tokio::test]
async fn neither_type_nor_name_is_a_usage_error_before_any_request() {
    let server = discovering(serde_json::json!([])).await;
    let out = kopai_at(&server.uri(), &words("metrics search"));
    assert_failed(&out, 2);
    assert!(out.stderr.contains("needs --type"), "{}", out.stderr);
    assert!(out.stderr.contains("--name"), "{}", out.stderr);
    assert!(requests(&server).await.is_empty());
}

/// An exponential histogram's percentiles come from its buckets: scale 0 is base 2, offset 4
/// puts them at (16, 32], (32, 64], (64, 128] ms.
#[tokio::test]
async fn exponential_histograms_show_estimated_percentiles() {
    let mut point = fixture_json("metrics-search-histogram.json")["data"][0].clone();
    let fields = point.as_object_mut().unwrap();
    fields.remove("BucketCounts");
    fields.remove("ExplicitBounds");
    for (key, value) in [
        ("MetricType", serde_json::json!("ExponentialHistogram")),
        ("Count", serde_json::json!(10)),
        ("Sum", serde_json::json!(600)),
        ("Min", serde_json::json!(20)),
        ("Max", serde_json::json!(120)),
        ("Scale", serde_json::json!(0)),
        ("ZeroCount", serde_json::json!(0)),
        ("PositiveOffset", serde_json::json!(4)),
        ("PositiveBucketCounts", serde_json::json!([2, 6, 2])),
        ("NegativeOffset", serde_json::json!(0)),
        ("NegativeBucketCounts", serde_json::json!([])),
    ] {
        fields.insert(key.to_owned(), value);
    }
    let page = serde_json::json!({"data": [point], "nextCursor": null});
    let server = serve("POST", METRICS_SEARCH, json_response(&page.to_string())).await;
    let out = kopai_at(
        &server.uri(),
        &words("metrics search --type ExponentialHistogram -t"),
    );
    assert_ok(&out);
    let lines: Vec<&str> = out.stdout.lines().collect();
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(
        header,
        [
            "TIME",
            "SERVICE",
            "NAME",
            "ATTRIBUTES",
            "COUNT",
            "AVG",
            "P50",
            "P95",
            "P99",
            "MIN",
            "MAX",
            "UNIT"
        ]
    );
    assert!(
        lines[1].ends_with("10  60 ms  ≈48 ms  ≈112 ms  ≈120 ms  20 ms  120 ms  ms"),
        "{}",
        out.stdout
    );
}
