//! The flag form → JSON mapping (snapshots of what `--print-query` prints) and the local checks.

use std::path::Path;

use serde_json::Value;

use super::model::*;
use super::*;

/// 2026-11-27T23:00:20Z, for `--from` without `--to`.
const NOW: i128 = 1_795_820_420_000_000_000;

fn flags(signal: Signal, build: impl FnOnce(&mut FlagQuery)) -> Result<Query, String> {
    let mut query = FlagQuery::default();
    build(&mut query);
    query.build(signal, NOW).map_err(|e| match e.hint {
        Some(hint) => format!("{}\nhint: {hint}", e.message),
        None => e.message,
    })
}

fn json(signal: Signal, build: impl FnOnce(&mut FlagQuery)) -> String {
    flags(signal, build).unwrap().to_pretty_json()
}

fn error(signal: Signal, build: impl FnOnce(&mut FlagQuery)) -> String {
    flags(signal, build).unwrap_err()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn the_issue_example_maps_to_one_aggregate_time_series() {
    insta::assert_snapshot!(json(Signal::Traces, |q| {
        q.measures = strings(&["count", "error_rate", "p95(Duration)"]);
        q.by = strings(&["service.name"]);
        q.wheres = strings(&["http.response.status_code>=500"]);
        q.since = Some("1h".into());
        q.every = Some("5m".into());
        q.havings = strings(&["error_rate>0.01"]);
        q.orders = strings(&["-error_rate"]);
        q.limit = Some(20);
    }));
}

#[test]
fn no_measure_is_a_raw_query_with_the_default_window() {
    insta::assert_snapshot!(json(Signal::Logs, |q| {
        q.wheres = strings(&["SeverityText=ERROR", "Body~timeout"]);
        q.orders = strings(&["-Timestamp"]);
    }));
}

#[test]
fn every_operator_has_its_json_form() {
    insta::assert_snapshot!(json(Signal::Traces, |q| {
        q.wheres = strings(&[
            "SpanName!=GET /health",
            "Duration>1s",
            "Duration<=250ms",
            "http.route^=/api",
            "url.path$=.json",
            "StatusMessage~timeout",
            "StatusMessage!~retry",
            "service.name in(checkout, payment)",
            "http.response.status_code !in(500,503)",
            "ParentSpanId null",
            "SpanAttributes.user.id !null",
            "statuscode=STATUS_CODE_ERROR",
            "ResourceAttributes.team=\"42\"",
        ]);
        q.any = strings(&["http.route=/checkout", "http.route=/cart"]);
    }));
}

#[test]
fn measures_take_names_columns_and_aliases() {
    insta::assert_snapshot!(json(Signal::Traces, |q| {
        q.measures = strings(&[
            "throughput",
            "count_distinct(TraceId)",
            "slow=P99(duration)",
            "avg(SpanAttributes.db.rows)",
            "rate_sum(http.request.resend_count)",
        ]);
        q.by = strings(&["http.route", "ResourceAttributes.team"]);
        q.orders = strings(&["+http.route", "-slow"]);
        q.from_ns = Some("1795820400000000000".into());
    }));
}

#[test]
fn metrics_need_a_metric_type_and_get_its_spelling() {
    insta::assert_snapshot!(json(Signal::Metrics, |q| {
        q.measures = strings(&["sum(Value)"]);
        q.by = strings(&["Attributes.outcome"]);
        q.wheres = strings(&["MetricType=sum", "MetricName=payment.charges"]);
        q.since = Some("1.5h".into());
        q.every = Some("3600s".into());
    }));
    let message = error(Signal::Metrics, |q| q.measures = strings(&["count"]));
    assert!(message.contains("--where MetricType=Gauge"), "{message}");
}

/// Each mistake, and the text that must name the part at fault.
#[rustfmt::skip]
const MISTAKES: &[(&str, &str, &str, &str)] = &[
    // (flag, value, signal, expected in the message)
    ("--where", "Duraton>1s", "traces", "--where 'Duraton>1s': traces have no column \"Duraton\" (did you mean \"Duration\"?)"),
    ("--where", "ServiceName=checkout", "traces", "did you mean \"service.name\"?"),
    ("--where", "SpanName>5", "traces", "--where 'SpanName>5': SpanName is not numeric"),
    ("--where", "Duration>fast", "traces", "a duration like 500ms"),
    ("--where", "http.route>abc", "traces", "compares numbers, not \"abc\""),
    ("--where", "service.name in()", "traces", "a non-empty list"),
    ("--where", "service.name in(a,)", "traces", "a non-empty list"),
    ("--where", "service.name", "traces", "expected COLUMN OP VALUE"),
    ("--where", "=x", "traces", "no column before the operator"),
    ("--where", "SpanName=", "traces", "needs a value"),
    ("--where", "StatusCode=bad", "traces", "StatusCode is one of Unset, Ok, Error"),
    ("--where", "SpanName null x", "traces", "takes no value"),
    ("--where", "Attributes.x=1", "traces", "traces have no column \"Attributes.x\""),
    ("--measure", "pp95(Duration)", "traces", "there is no measure \"pp95\" (did you mean \"p95\"?)"),
    ("--measure", "p95(SpanName)", "traces", "p95 needs a numeric column, and SpanName is not one"),
    ("--measure", "p95", "traces", "p95 needs a column, like p95(Duration)"),
    ("--measure", "count(Duration)", "traces", "count takes no column"),
    ("--measure", "error_rate", "logs", "error_rate is about spans: it works on traces only"),
    ("--measure", "9x=count", "traces", "the alias \"9x\" must start with a letter"),
    ("--measure", "avg(Body)", "logs", "numeric columns of logs: SeverityNumber, TraceFlags"),
    ("--having", "errors>1", "traces", "--having 'errors>1': no measure is named \"errors\""),
    ("--having", "count>many", "traces", "expected a number, not \"many\""),
    ("--order", "-service.name", "traces", "service.name is not grouped on"),
    ("--order", "-erors", "traces", "traces have no column \"erors\""),
    ("--since", "500ms", "traces", "--since '500ms': expected a whole number of seconds"),
    ("--every", "5m", "logs", "--every '5m': a time series needs at least one --measure"),
    ("--limit", "20000", "traces", "--limit '20000': the limit is 1 to 10000"),
];

#[test]
fn mistakes_name_the_flag_and_what_was_meant() {
    for (flag, value, signal, expected) in MISTAKES {
        let signal = match *signal {
            "traces" => Signal::Traces,
            "logs" => Signal::Logs,
            _ => Signal::Metrics,
        };
        let message = error(signal, |q| {
            q.measures = strings(&["count"]);
            match *flag {
                "--where" => q.wheres = strings(&[value]),
                "--measure" => q.measures = strings(&[value]),
                "--having" => q.havings = strings(&[value]),
                "--order" => q.orders = strings(&[value]),
                "--since" => q.since = Some((*value).into()),
                "--every" => {
                    q.measures.clear();
                    q.every = Some((*value).into());
                }
                _ => q.limit = value.parse().ok(),
            }
        });
        assert!(message.contains(expected), "{flag} {value}: {message}");
    }
}

#[test]
fn a_duplicate_alias_says_how_to_name_one() {
    let message = error(Signal::Traces, |q| {
        q.measures = strings(&["p95(SpanAttributes.x)", "p95(ResourceAttributes.x)"])
    });
    assert!(
        message.contains("the alias \"p95_x\" is used twice"),
        "{message}"
    );
    assert!(message.contains("NAME=EXPR"), "{message}");
}

#[test]
fn a_having_on_a_duration_takes_units() {
    let query = flags(Signal::Traces, |q| {
        q.measures = strings(&["p95(Duration)"]);
        q.havings = strings(&["p95_duration>500ms"]);
    })
    .unwrap();
    assert_eq!(query.havings[0].value.to_string(), "500000000");
}

fn file(text: &str) -> Result<Query, String> {
    from_json(Path::new("q.json"), text).map_err(|e| e.message)
}

#[test]
fn a_query_file_is_checked_with_the_same_rules() {
    let message = file("{\"signal\":").unwrap_err();
    assert!(message.starts_with("q.json: not valid JSON: "), "{message}");
    let message = file(r#"{"signal":"traces","mode":"raw","timeDimension":{"type":"relative","lookback":"1h"},"limt":5}"#).unwrap_err();
    assert!(
        message.starts_with("q.json: not a KopaiQuery: unknown field `limt`"),
        "{message}"
    );
    let message = file(
        r#"{"signal":"traces","mode":"aggregate","measures":[{"op":"COUNT","as":"n"}],
        "filters":[{"or":[{"column":"Duraton","op":"gt","value":1}]}],
        "timeDimension":{"type":"relative","lookback":"1h"},"output":{"type":"summary"}}"#,
    )
    .unwrap_err();
    assert!(
        message.starts_with("q.json: filters[0].or[0]: traces have no column \"Duraton\""),
        "{message}"
    );
    let message = file(r#"{"signal":"logs","mode":"raw","filters":[{"column":"Body","op":"in","values":["a",1]}],
        "timeDimension":{"type":"absolute","startTime":"2026-01-02T00:00:00Z","endTime":"2026-01-01T00:00:00Z"}}"#)
    .unwrap_err();
    assert!(message.contains("all strings or all numbers"), "{message}");
    let message = file(r#"{"signal":"logs","mode":"raw",
        "timeDimension":{"type":"absolute","startTime":"2026-01-02T00:00:00Z","endTime":"2026-01-01T00:00:00Z"}}"#)
    .unwrap_err();
    assert!(
        message.contains("timeDimension: the window ends"),
        "{message}"
    );
    let message = file(
        r#"{"signal":"traces","mode":"aggregate","measures":[{"op":"COUNT","as":"n"}],
        "timeDimension":{"type":"relative","lookback":"1.5h"}}"#,
    )
    .unwrap_err();
    assert!(
        message.contains("mode: an aggregate query needs an output"),
        "{message}"
    );
}

#[test]
fn measure_ops_have_their_schema_and_flag_names() {
    let json = serde_json::to_string(&MeasureOp::CountDistinct).unwrap();
    assert_eq!(json, "\"COUNT_DISTINCT\"");
    assert_eq!(MeasureOp::P999.flag_name(), "p999");
    assert_eq!(MeasureOp::RateMax.flag_name(), "rate_max");
}

#[test]
fn a_query_file_round_trips_and_rejects_unknown_keys() {
    let text = r#"{"signal":"traces","mode":"aggregate",
        "measures":[{"op":"P95","column":"Duration","as":"p95"}],
        "filters":[{"or":[{"column":{"container":"SpanAttributes","key":"k"},"op":"in","values":[1,2]},
                          {"column":"SpanName","op":"isNull"}]}],
        "timeDimension":{"type":"absolute","startTime":"2026-01-01T00:00:00Z","endTime":"2026-01-02T00:00:00Z"},
        "output":{"type":"timeSeries","granularity":"5m"}}"#;
    let query: Query = serde_json::from_str(text).unwrap();
    let again: Value = serde_json::to_value(&query).unwrap();
    let original: Value = serde_json::from_str(text).unwrap();
    assert_eq!(again, original);
    let unknown = text.replace("\"granularity\"", "\"granularty\"");
    assert!(serde_json::from_str::<Query>(&unknown).is_err());
}
