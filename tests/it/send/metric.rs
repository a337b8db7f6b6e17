//! `kopai send metric`: a gauge, a sum and a histogram, each decoded and checked field by field.

use crate::common::*;

use opentelemetry_proto::tonic::collector::metrics::v1::{
    ExportMetricsPartialSuccess, ExportMetricsServiceRequest, ExportMetricsServiceResponse,
};
use opentelemetry_proto::tonic::metrics::v1::{
    metric::Data, number_data_point::Value, AggregationTemporality, Metric, NumberDataPoint,
};
use prost::Message;
use wiremock::{MockServer, ResponseTemplate};

use super::{decoded, field, now_ns, pairs, receiver_of, send_one, strings};

const TIME: u64 = 1_795_820_420_000_000_000;

/// `kopai send metric ARGS` at `--time TIME` to a fresh collector: its stdout and the one
/// metric it sent (after checking the resource and scope around it).
async fn send(args: &[&str]) -> (Output, Metric) {
    let server = receiver_of("/v1/metrics", ResponseTemplate::new(200)).await;
    let time = ["send", "metric", "--time", "2026-11-27T23:00:20Z"];
    let (out, sent): (_, ExportMetricsServiceRequest) =
        send_one(&server, &[&time[..], args].concat()).await;
    assert_eq!(out.stderr, "");
    let mut resource_metrics = sent.resource_metrics;
    assert_eq!(resource_metrics.len(), 1);
    let resource_metrics = resource_metrics.remove(0);
    assert_eq!(
        strings(&resource_metrics.resource.unwrap().attributes),
        pairs(&[("service.name", "ci"), ("host.name", "runner-1")])
    );
    let mut scope_metrics = resource_metrics.scope_metrics;
    assert_eq!(scope_metrics.len(), 1);
    let mut scope_metrics = scope_metrics.remove(0);
    assert_eq!(scope_metrics.scope.unwrap().name, "kopai-cli");
    assert_eq!(scope_metrics.metrics.len(), 1);
    assert_eq!(field(&out.stdout, "time"), "2026-11-27T23:00:20.000Z");
    assert_eq!(
        field(&out.stdout, "url"),
        "http://kopai.test:8000/?tab=metrics"
    );
    (out, scope_metrics.metrics.remove(0))
}

const RESOURCE: [&str; 4] = ["--service", "ci", "--resource-attr", "host.name=runner-1"];

fn the_point(points: &[NumberDataPoint]) -> &NumberDataPoint {
    assert_eq!(points.len(), 1);
    &points[0]
}

#[tokio::test]
async fn a_gauge_arrives_with_its_integer_value_unit_and_attributes() {
    let (out, metric) = send(
        &[
            &RESOURCE[..],
            &["--name", "queue.depth", "--value", "42", "--unit", "{job}"],
            &["--attr", "queue=mail", "--attr", "empty="],
        ]
        .concat(),
    )
    .await;
    assert_eq!(metric.name, "queue.depth");
    assert_eq!(metric.unit, "{job}");
    assert_eq!(metric.description, "");
    let Some(Data::Gauge(gauge)) = &metric.data else {
        panic!("not a gauge: {metric:?}")
    };
    let point = the_point(&gauge.data_points);
    assert_eq!(point.value, Some(Value::AsInt(42)));
    assert_eq!(point.time_unix_nano, TIME);
    assert_eq!(
        strings(&point.attributes),
        pairs(&[("queue", "mail"), ("empty", "")])
    );
    assert_eq!(field(&out.stdout, "metric"), "queue.depth (gauge)");
    assert_eq!(field(&out.stdout, "value"), "42 {job}");
}

#[tokio::test]
async fn a_gauge_takes_a_negative_double_as_a_double() {
    let (out, metric) =
        send(&[&RESOURCE[..], &["--name", "temp", "--value", "-3.0"]].concat()).await;
    assert_eq!(metric.unit, "");
    let Some(Data::Gauge(gauge)) = &metric.data else {
        panic!("not a gauge: {metric:?}")
    };
    assert_eq!(
        the_point(&gauge.data_points).value,
        Some(Value::AsDouble(-3.0))
    );
    assert!(the_point(&gauge.data_points).attributes.is_empty());
    assert_eq!(field(&out.stdout, "value"), "-3.0");
}

#[tokio::test]
async fn a_sum_is_a_monotonic_delta_count() {
    let (out, metric) = send(
        &[
            &RESOURCE[..],
            &[
                "--name", "deploys", "--type", "sum", "--value", "1", "--attr", "env=prod",
            ],
        ]
        .concat(),
    )
    .await;
    assert_eq!(metric.name, "deploys");
    let Some(Data::Sum(sum)) = &metric.data else {
        panic!("not a sum: {metric:?}")
    };
    assert!(sum.is_monotonic);
    assert_eq!(
        sum.aggregation_temporality,
        AggregationTemporality::Delta as i32
    );
    let point = the_point(&sum.data_points);
    assert_eq!(point.value, Some(Value::AsInt(1)));
    assert_eq!(
        (point.start_time_unix_nano, point.time_unix_nano),
        (TIME, TIME)
    );
    assert_eq!(strings(&point.attributes), pairs(&[("env", "prod")]));
    assert_eq!(
        field(&out.stdout, "metric"),
        "deploys (sum, monotonic, delta)"
    );
    assert_eq!(field(&out.stdout, "value"), "1");
}

const BOUNDS: [f64; 15] = [
    0.0, 5.0, 10.0, 25.0, 50.0, 75.0, 100.0, 250.0, 500.0, 750.0, 1000.0, 2500.0, 5000.0, 7500.0,
    10000.0,
];

#[tokio::test]
async fn a_histogram_is_one_observation_in_the_default_buckets() {
    // (value, bucket index, bucket as printed, sum): a bound belongs to the bucket below it,
    // beyond the last bound is the overflow bucket, and a negative value has no sum.
    let cases = [
        ("93.5", 6, "(75, 100]", Some(93.5)),
        ("100", 6, "(75, 100]", Some(100.0)),
        ("0", 0, "(-inf, 0]", Some(0.0)),
        ("20000", 15, "(10000, +inf)", Some(20000.0)),
        ("-2.5", 0, "(-inf, 0]", None),
    ];
    for (value, index, bucket, sum) in cases {
        let (out, metric) = send(
            &[
                &RESOURCE[..],
                &[
                    "--name",
                    "build.time",
                    "--type",
                    "histogram",
                    "--value",
                    value,
                ],
                &["--unit", "s", "--attr", "job=test"],
            ]
            .concat(),
        )
        .await;
        assert_eq!(metric.unit, "s");
        let Some(Data::Histogram(histogram)) = &metric.data else {
            panic!("not a histogram: {metric:?}")
        };
        assert_eq!(
            histogram.aggregation_temporality,
            AggregationTemporality::Delta as i32
        );
        assert_eq!(histogram.data_points.len(), 1);
        let point = &histogram.data_points[0];
        let observed: f64 = value.parse().unwrap();
        assert_eq!(point.count, 1, "{value}");
        assert_eq!(point.sum, sum, "{value}");
        assert_eq!((point.min, point.max), (Some(observed), Some(observed)));
        assert_eq!(point.explicit_bounds, BOUNDS.to_vec());
        let mut counts = vec![0u64; 16];
        counts[index] = 1;
        assert_eq!(point.bucket_counts, counts, "{value}");
        assert_eq!(
            (point.start_time_unix_nano, point.time_unix_nano),
            (TIME, TIME)
        );
        assert_eq!(strings(&point.attributes), pairs(&[("job", "test")]));
        assert_eq!(
            field(&out.stdout, "metric"),
            format!("build.time (histogram, delta, 1 observation in {bucket})")
        );
    }
}

#[tokio::test]
async fn a_partial_success_names_the_rejected_data_points_of_a_point_sent_now() {
    let answer = ExportMetricsServiceResponse {
        partial_success: Some(ExportMetricsPartialSuccess {
            rejected_data_points: 1,
            error_message: "unknown unit".into(),
        }),
    };
    let server: MockServer = receiver_of(
        "/v1/metrics",
        ResponseTemplate::new(200).set_body_bytes(answer.encode_to_vec()),
    )
    .await;
    let before = now_ns();
    let out = run(Sandbox::new()
        .kopai()
        .args(["send", "metric", "--name", "m", "--value", "1"])
        .args(["--otlp-url", &server.uri()]));
    let after = now_ns();
    assert_ok(&out);
    assert_eq!(
        out.stderr,
        "warning: the collector rejected 1 of 1 data point: unknown unit\n"
    );
    // Without --time, the point is measured now.
    let sent: Vec<ExportMetricsServiceRequest> = decoded(&server).await;
    let metric = &sent[0].resource_metrics[0].scope_metrics[0].metrics[0];
    let Some(Data::Gauge(gauge)) = &metric.data else {
        panic!("not a gauge: {metric:?}")
    };
    assert!((before..=after).contains(&the_point(&gauge.data_points).time_unix_nano));
}
