//! `kopai send metric`: one data point of a gauge, a sum or a histogram.

use opentelemetry_proto::tonic::common::v1::KeyValue;
use opentelemetry_proto::tonic::metrics::v1::{
    metric, number_data_point, AggregationTemporality, Gauge, Histogram, HistogramDataPoint,
    Metric, NumberDataPoint, Sum,
};

use super::request::{attr, metrics_request};
use super::{connect, export, now_ns, print_time};
use crate::cli::{MetricValue, SendMetricArgs, SendMetricType};
use crate::command_error::Result;
use crate::commands::Context;
use crate::config::Signal;
use crate::error::{Exit, UserError};
use crate::links;

/// The OpenTelemetry SDKs' default explicit bucket bounds, so a histogram sent here lines up
/// with those an instrumented program sends.
const BOUNDS: [f64; 15] = [
    0.0, 5.0, 10.0, 25.0, 50.0, 75.0, 100.0, 250.0, 500.0, 750.0, 1000.0, 2500.0, 5000.0, 7500.0,
    10000.0,
];

pub async fn run(ctx: &Context, args: SendMetricArgs) -> Result<Exit> {
    if args.kind == SendMetricType::Sum && args.value.as_f64() < 0.0 {
        return Err(UserError::usage(
            "--value: a sum counts what happened (monotonic) and cannot be negative; \
             send a value that goes down as --type gauge",
        )
        .into());
    }
    let (settings, target, client) = connect(ctx, &args.otlp.to, Signal::Metrics)?;
    let ui = settings.ui_url()?;
    let time = match args.time {
        Some(time) => time,
        None => now_ns()?,
    };
    let attributes: Vec<KeyValue> = args.attrs.iter().map(attr).collect();
    let (data, kind) = match args.kind {
        SendMetricType::Gauge => (
            metric::Data::Gauge(Gauge {
                data_points: vec![number_point(args.value, time, attributes)],
            }),
            "gauge".to_owned(),
        ),
        SendMetricType::Sum => (
            metric::Data::Sum(Sum {
                data_points: vec![number_point(args.value, time, attributes)],
                aggregation_temporality: AggregationTemporality::Delta as i32,
                is_monotonic: true,
            }),
            "sum, monotonic, delta".to_owned(),
        ),
        SendMetricType::Histogram => {
            let (point, bucket) = histogram_point(args.value.as_f64(), time, attributes);
            let data = metric::Data::Histogram(Histogram {
                data_points: vec![point],
                aggregation_temporality: AggregationTemporality::Delta as i32,
            });
            (data, format!("histogram, delta, 1 observation in {bucket}"))
        }
    };
    let unit = args.unit.clone().unwrap_or_default();
    let metric = Metric {
        name: args.name.clone(),
        unit: unit.clone(),
        data: Some(data),
        ..Default::default()
    };
    let request = metrics_request(&args.otlp, vec![metric]);
    export(&client, &target, &request, "of 1 data point").await?;
    outln!("metric: {} ({kind})", args.name);
    let value = match args.value {
        MetricValue::Int(n) => n.to_string(),
        // Debug keeps the decimal point: 5.0 was sent as a double, 5 as an integer.
        MetricValue::Double(x) => format!("{x:?}"),
    };
    if unit.is_empty() {
        outln!("value:  {value}");
    } else {
        outln!("value:  {value} {unit}");
    }
    print_time("time:  ", time);
    outln!("url:    {}", links::metrics(&ui));
    Ok(Exit::Success)
}

/// A gauge's or a sum's point. A delta sum's interval is the instant it was counted in.
fn number_point(value: MetricValue, time: u64, attributes: Vec<KeyValue>) -> NumberDataPoint {
    NumberDataPoint {
        attributes,
        start_time_unix_nano: time,
        time_unix_nano: time,
        value: Some(match value {
            MetricValue::Int(n) => number_data_point::Value::AsInt(n),
            MetricValue::Double(x) => number_data_point::Value::AsDouble(x),
        }),
        ..Default::default()
    }
}

/// One observation: a count of 1 in the bucket `value` falls in (bucket i holds values above
/// bound i-1 up to bound i), and the bucket said as an interval. The sum is left out for a
/// negative value, as OTLP asks.
fn histogram_point(
    value: f64,
    time: u64,
    attributes: Vec<KeyValue>,
) -> (HistogramDataPoint, String) {
    let index = BOUNDS
        .iter()
        .position(|bound| value <= *bound)
        .unwrap_or(BOUNDS.len());
    let mut bucket_counts = vec![0; BOUNDS.len() + 1];
    bucket_counts[index] = 1;
    let lower = index.checked_sub(1).map(|i| BOUNDS[i]);
    let bucket = match (lower, BOUNDS.get(index)) {
        (None, Some(upper)) => format!("(-inf, {upper}]"),
        (Some(lower), Some(upper)) => format!("({lower}, {upper}]"),
        (Some(lower), None) => format!("({lower}, +inf)"),
        (None, None) => unreachable!("BOUNDS is not empty"),
    };
    let point = HistogramDataPoint {
        attributes,
        start_time_unix_nano: time,
        time_unix_nano: time,
        count: 1,
        sum: (value >= 0.0).then_some(value),
        bucket_counts,
        explicit_bounds: BOUNDS.to_vec(),
        min: Some(value),
        max: Some(value),
        ..Default::default()
    };
    (point, bucket)
}
