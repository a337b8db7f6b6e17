//! Metric values for people: a number in the unit the metric declares (UCUM, as OpenTelemetry
//! writes it: `By`, `s`, `ms`, `1`, `{request}`), and a histogram's percentiles estimated
//! from its buckets.

use super::human::{format_duration, format_number};
use super::json::{number, RowFields};
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

impl MetricCell {
    pub fn fields(&self) -> Vec<&str> {
        match self {
            MetricCell::Value(key) => vec![key, UNIT],
            MetricCell::Average => vec!["Sum", "Count", UNIT],
            MetricCell::Percentile(_) => vec!["BucketCounts", "ExplicitBounds", "Min", "Max", UNIT],
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
                let (counts, bounds) = (list("BucketCounts"), list("ExplicitBounds"));
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

/// An explicit-bucket histogram as the server sends it: `counts[i]` points fell in
/// `(bounds[i-1], bounds[i]]`, the first bucket is open below and the last open above.
pub struct Buckets<'a> {
    pub counts: &'a [f64],
    pub bounds: &'a [f64],
    /// The smallest and largest point recorded, when the SDK sent them: they close the open
    /// ends, and no estimate falls outside them.
    pub min: Option<f64>,
    pub max: Option<f64>,
}

impl Buckets<'_> {
    /// The `q` quantile (0 < q ≤ 1), assuming points spread evenly within their bucket (as
    /// Prometheus' `histogram_quantile` does). `None` when there are no points or the
    /// buckets do not match the bounds.
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if self.counts.len() != self.bounds.len() + 1 || !(0.0..=1.0).contains(&q) {
            return None;
        }
        if self.counts.iter().any(|c| !c.is_finite() || *c < 0.0)
            || self.bounds.iter().any(|b| !b.is_finite())
            || self.bounds.windows(2).any(|w| w[0] > w[1])
        {
            return None;
        }
        let total: f64 = self.counts.iter().sum();
        if total <= 0.0 {
            return None;
        }
        let rank = q * total;
        let mut below = 0.0;
        for (i, &count) in self.counts.iter().enumerate() {
            if count > 0.0 && below + count >= rank {
                let (lower, upper) = self.edges(i);
                let share = ((rank - below) / count).clamp(0.0, 1.0);
                return Some(self.clamp(lower + (upper - lower) * share));
            }
            below += count;
        }
        None
    }

    /// Where bucket `i` starts and ends; the open ends are closed by min and max, else the
    /// estimate stays at the nearest bound.
    fn edges(&self, i: usize) -> (f64, f64) {
        let last = self.bounds.len();
        let upper = match self.bounds.get(i) {
            Some(&b) => b,
            None => self
                .max
                .filter(|&m| last == 0 || m > self.bounds[last - 1])
                .unwrap_or(self.bounds.last().copied().unwrap_or(0.0)),
        };
        let lower = match i.checked_sub(1).and_then(|j| self.bounds.get(j)) {
            Some(&b) => b,
            None => {
                self.min
                    .filter(|&m| m <= upper)
                    .unwrap_or(if upper > 0.0 { 0.0 } else { upper })
            }
        };
        (lower, upper)
    }

    fn clamp(&self, x: f64) -> f64 {
        let x = self.min.map_or(x, |m| x.max(m));
        self.max.map_or(x, |m| x.min(m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buckets<'a>(counts: &'a [f64], bounds: &'a [f64]) -> Buckets<'a> {
        Buckets {
            counts,
            bounds,
            min: None,
            max: None,
        }
    }

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

    #[test]
    fn quantiles_interpolate_within_their_bucket() {
        // 10 points in (0, 10], 10 in (10, 20].
        let b = buckets(&[10.0, 10.0, 0.0], &[10.0, 20.0]);
        assert_eq!(b.quantile(0.5), Some(10.0));
        assert_eq!(b.quantile(0.25), Some(5.0));
        assert_eq!(b.quantile(0.75), Some(15.0));
        assert_eq!(b.quantile(1.0), Some(20.0));
    }

    #[test]
    fn quantiles_of_the_captured_histogram() {
        // tests/fixtures/metrics-search-histogram.json, first point: 19 points, 30..1460 ms.
        let b = Buckets {
            counts: &[0.0, 2.0, 6.0, 8.0, 3.0, 0.0],
            bounds: &[10.0, 50.0, 100.0, 500.0, 1000.0],
            min: Some(30.0),
            max: Some(1460.0),
        };
        // Rank 9.5 is 1.5 points into the 8 in (100, 500].
        assert_eq!(b.quantile(0.5), Some(175.0));
        // Rank 18.05 is 2.05 of the 3 in (500, 1000].
        let p95 = b.quantile(0.95).unwrap();
        assert!((p95 - 841.666).abs() < 0.01, "{p95}");
        let p99 = b.quantile(0.99).unwrap();
        assert!(p99 <= 1000.0 && p99 > p95, "{p99}");
    }

    #[test]
    fn open_ends_are_closed_by_min_and_max() {
        let counts = [0.0, 0.0, 4.0];
        let bounds = [10.0, 50.0];
        assert_eq!(buckets(&counts, &bounds).quantile(0.5), Some(50.0));
        let known = Buckets {
            max: Some(90.0),
            ..buckets(&counts, &bounds)
        };
        assert_eq!(known.quantile(0.5), Some(70.0));
        let below = Buckets {
            min: Some(2.0),
            ..buckets(&[4.0, 0.0, 0.0], &bounds)
        };
        assert_eq!(below.quantile(0.5), Some(6.0));
        // A min above the first bound cannot be: the estimate still stays within min..max.
        let odd = Buckets {
            min: Some(5.0),
            max: Some(8.0),
            ..buckets(&[4.0, 0.0, 0.0], &bounds)
        };
        assert_eq!(odd.quantile(0.99), Some(8.0));
    }

    #[test]
    fn no_estimate_from_broken_buckets() {
        assert_eq!(buckets(&[], &[]).quantile(0.5), None);
        assert_eq!(buckets(&[0.0, 0.0], &[10.0]).quantile(0.5), None);
        assert_eq!(buckets(&[1.0, 2.0], &[10.0, 20.0]).quantile(0.5), None);
        assert_eq!(buckets(&[1.0, -2.0], &[10.0]).quantile(0.5), None);
        assert_eq!(buckets(&[1.0, 2.0, 1.0], &[20.0, 10.0]).quantile(0.5), None);
        assert_eq!(buckets(&[f64::NAN, 1.0], &[10.0]).quantile(0.5), None);
        // One bucket, no bounds: only min and max say anything.
        let single = Buckets {
            min: Some(1.0),
            max: Some(3.0),
            ..buckets(&[4.0], &[])
        };
        assert_eq!(single.quantile(0.5), Some(2.0));
    }
}
