//! Metric values for people: a number in the unit the metric declares (UCUM, as OpenTelemetry
//! writes it: `By`, `s`, `ms`, `1`, `{request}`), and a histogram's percentiles estimated
//! from its buckets.

mod buckets;

use super::human::{format_duration, format_number};
use super::json::{number, RowFields};
use buckets::{exponential, Buckets};
use serde_json::value::RawValue;

/// A metric point's cell that reads the metric's unit (and a histogram's buckets).
#[derive(Debug, Clone)]
pub enum MetricCell {
    /// A number field (`Value`, `Min`, `Max`, `Sum`) in the metric's unit.
    Value(&'static str),
    /// `Sum / Count`, in the metric's unit.
    Average,
    /// The percentile estimated from the buckets, marked `≈`.
    Percentile(u8),
}

const UNIT: &str = "MetricUnit";

/// What an exponential histogram's percentiles are estimated from.
const EXPONENTIAL: [&str; 5] = [
    "Scale",
    "ZeroCount",
    "PositiveOffset",
    "PositiveBucketCounts",
    "NegativeBucketCounts",
];

impl MetricCell {
    pub fn fields(&self) -> Vec<&str> {
        match self {
            MetricCell::Value(key) => vec![key, UNIT],
            MetricCell::Average => vec!["Sum", "Count", UNIT],
            MetricCell::Percentile(_) => {
                let mut fields = vec!["BucketCounts", "ExplicitBounds", "Min", "Max", UNIT];
                fields.extend(EXPONENTIAL);
                fields
            }
        }
    }

    /// The cell's text; a value that is not a number is shown as it came, a missing one as
    /// nothing.
    pub fn render(&self, row: &RowFields, plain: impl Fn(&RawValue) -> String) -> String {
        let unit = row.str(UNIT).unwrap_or_default();
        match self {
            MetricCell::Value(key) => match row.get(key) {
                Some(v) => number(v).map_or_else(|| plain(v), |x| format_measure(x, &unit)),
                None => String::new(),
            },
            MetricCell::Average => {
                let sum = row.get("Sum").and_then(number);
                let count = row.get("Count").and_then(number).filter(|c| *c > 0.0);
                match (sum, count) {
                    (Some(sum), Some(count)) => format_measure(sum / count, &unit),
                    _ => String::new(),
                }
            }
            MetricCell::Percentile(p) => {
                let list = |key| row.get(key).and_then(numbers).unwrap_or_default();
                let one = |key| row.get(key).and_then(number);
                let (counts, bounds) = match row.get("PositiveBucketCounts") {
                    // An exponential histogram: its buckets turned into bounds.
                    Some(_) => exponential(
                        one("Scale").unwrap_or(f64::NAN),
                        one("PositiveOffset").unwrap_or(0.0),
                        one("ZeroCount").unwrap_or(0.0),
                        &list("PositiveBucketCounts"),
                        &list("NegativeBucketCounts"),
                    )
                    .unwrap_or_default(),
                    None => (list("BucketCounts"), list("ExplicitBounds")),
                };
                let buckets = Buckets {
                    counts: &counts,
                    bounds: &bounds,
                    min: row.get("Min").and_then(number),
                    max: row.get("Max").and_then(number),
                };
                buckets
                    .quantile(f64::from(*p) / 100.0)
                    .map(|x| format!("≈{}", format_measure(x, &unit)))
                    .unwrap_or_default()
            }
        }
    }
}

/// A JSON array of numbers (or of digit strings, as 64-bit counts may come); `None` if any
/// element is neither. At most [`MAX_BUCKETS`] are read.
fn numbers(value: &RawValue) -> Option<Vec<f64>> {
    let items: Vec<&RawValue> = serde_json::from_str(value.get()).ok()?;
    if items.len() > MAX_BUCKETS {
        return None;
    }
    items
        .into_iter()
        .map(|v| number(v).or_else(|| super::json::text(v).parse().ok()))
        .collect()
}

/// OpenTelemetry SDKs send tens of buckets; a row with more is not estimated.
const MAX_BUCKETS: usize = 4096;

const BINARY_PREFIXES: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];

/// `value` as a person reads it in `unit`: bytes in KiB/MiB, times in ms/s, a ratio (`1`) or
/// a count (`{request}`) as a plain number. A unit kopai does not know leaves the number
/// plain (the UNIT column still says what it counts).
pub fn format_measure(value: f64, unit: &str) -> String {
    if let Some(bytes_per) = bytes_scale(unit) {
        return format_bytes(value * bytes_per);
    }
    if let Some(ns_per) = time_scale(unit) {
        let ns = value * ns_per;
        // Beyond ±2^100 ns the time is meaningless; the number says more than a wrapped time.
        if ns.abs() < 1e30 {
            let text = format_duration(ns.abs().round() as i128);
            return if ns < 0.0 && text != "0 ns" {
                format!("-{text}")
            } else {
                text
            };
        }
    }
    format_number(value)
}

fn bytes_scale(unit: &str) -> Option<f64> {
    Some(match unit {
        "By" => 1.0,
        "KiBy" => 1024.0,
        "MiBy" => 1024.0 * 1024.0,
        "GiBy" => 1024.0 * 1024.0 * 1024.0,
        "KBy" => 1e3,
        "MBy" => 1e6,
        "GBy" => 1e9,
        _ => return None,
    })
}

fn time_scale(unit: &str) -> Option<f64> {
    Some(match unit {
        "ns" => 1.0,
        "us" | "µs" => 1e3,
        "ms" => 1e6,
        "s" => 1e9,
        "min" => 60e9,
        "h" => 3600e9,
        _ => return None,
    })
}

/// `512 B`, `1.5 KiB`, `110 MiB`: three significant digits at most.
fn format_bytes(bytes: f64) -> String {
    let mut scaled = bytes;
    let mut prefix = 0;
    while scaled.abs() >= 1024.0 && prefix + 1 < BINARY_PREFIXES.len() {
        scaled /= 1024.0;
        prefix += 1;
    }
    let decimals = match scaled.abs() {
        a if prefix == 0 || a >= 100.0 => 0,
        a if a >= 10.0 => 1,
        _ => 2,
    };
    let text = format!("{scaled:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    format!("{text} {}", BINARY_PREFIXES[prefix])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_read_as_people_write_them() {
        assert_eq!(format_measure(512.0, "By"), "512 B");
        assert_eq!(format_measure(1536.0, "By"), "1.5 KiB");
        assert_eq!(format_measure(115_343_360.0, "By"), "110 MiB");
        assert_eq!(format_measure(2.0, "MiBy"), "2 MiB");
        assert_eq!(format_measure(412.0, "ms"), "412 ms");
        assert_eq!(format_measure(1.52, "s"), "1.52 s");
        assert_eq!(format_measure(0.25, "ms"), "250 µs");
        assert_eq!(format_measure(-3.0, "s"), "-3 s");
        assert_eq!(format_measure(0.93, "1"), "0.93");
        assert_eq!(format_measure(1234.0, "{request}"), "1234");
        assert_eq!(format_measure(7.5, "furlong"), "7.5");
        assert_eq!(format_measure(1e300, "s"), format_number(1e300));
    }
}
