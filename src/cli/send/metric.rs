//! `kopai send metric`.

use clap::{Args, ValueEnum, ValueHint};

use super::{parse_name, parse_otlp_time, OtlpArgs};
use crate::cli::parse::{parse_attr, Attr};

#[derive(Debug, Args)]
pub struct SendMetricArgs {
    #[command(flatten)]
    pub otlp: OtlpArgs,

    /// The metric's name
    #[arg(long, value_parser = parse_name, value_hint = ValueHint::Other)]
    pub name: String,

    /// gauge: the value now; sum: a count added now (monotonic, delta); histogram: one
    /// observation, in the default buckets 0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000,
    /// 2500, 5000, 7500, 10000
    #[arg(
        long = "type",
        value_name = "TYPE",
        value_enum,
        default_value = "gauge"
    )]
    pub kind: SendMetricType,

    /// The value: an integer is sent as one (5), a decimal as a double (5.0, 1e3)
    #[arg(long, value_name = "NUMBER", allow_hyphen_values = true, value_parser = parse_metric_value, value_hint = ValueHint::Other)]
    pub value: MetricValue,

    /// The unit, as UCUM writes it: ms, s, By, 1, {request}
    #[arg(long, value_hint = ValueHint::Other)]
    pub unit: Option<String>,

    /// A data point attribute KEY=VALUE (repeatable)
    #[arg(long = "attr", value_name = "KEY=VALUE", value_parser = parse_attr, value_hint = ValueHint::Other)]
    pub attrs: Vec<Attr>,

    /// When it was measured: nanoseconds, a date or an RFC 3339 time [default: now]
    #[arg(long, value_name = "TIME", allow_hyphen_values = true, value_parser = parse_otlp_time, value_hint = ValueHint::Other)]
    pub time: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SendMetricType {
    Gauge,
    Sum,
    Histogram,
}

/// A data point's value as typed: OTLP keeps integers and doubles apart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MetricValue {
    Int(i64),
    Double(f64),
}

impl MetricValue {
    pub fn as_f64(self) -> f64 {
        match self {
            // Beyond 2^53 a double rounds, as any histogram of such values would.
            MetricValue::Int(n) => n as f64,
            MetricValue::Double(x) => x,
        }
    }
}

fn parse_metric_value(raw: &str) -> Result<MetricValue, String> {
    let text = raw.trim();
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().map(MetricValue::Int).map_err(|_| {
            "the integer overflows 64 bits (write it as a double, like 1.5e19)".to_owned()
        });
    }
    // Rust also reads `inf` and `NaN`, which OTLP backends cannot store or compare.
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(MetricValue::Double(x)),
        Ok(_)
            if text.to_ascii_lowercase().contains("in")
                || text.to_ascii_lowercase().contains("nan") =>
        {
            Err("the value must be a finite number, not infinity or NaN".into())
        }
        Ok(_) => Err("the value overflows a 64-bit double".into()),
        Err(_) => Err("expected a number like 42, -3 or 0.25".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_integers_and_doubles_apart_and_refuse_the_non_finite() {
        assert_eq!(parse_metric_value("42"), Ok(MetricValue::Int(42)));
        assert_eq!(parse_metric_value("-3"), Ok(MetricValue::Int(-3)));
        assert_eq!(parse_metric_value("5.0"), Ok(MetricValue::Double(5.0)));
        assert_eq!(parse_metric_value("1e3"), Ok(MetricValue::Double(1000.0)));
        assert!(parse_metric_value("99999999999999999999").is_err());
        assert!(parse_metric_value("1e999").is_err());
        assert!(parse_metric_value("NaN").is_err());
        assert!(parse_metric_value("-inf").is_err());
        assert!(parse_metric_value("12ms").is_err());
        assert!(parse_metric_value("").is_err());
    }
}
