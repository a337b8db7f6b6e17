//! A histogram's percentiles estimated from its buckets: explicit bounds as sent, or an
//! exponential histogram's buckets turned into bounds.

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

/// An exponential histogram (positive values) as explicit buckets: bucket `i` of the positive
/// range covers `(base^(offset+i), base^(offset+i+1)]` with `base = 2^(2^-scale)`, and the zero
/// bucket everything below the first. `None` when any point is negative (its buckets are not
/// estimated) or a bound cannot be computed.
pub fn exponential(
    scale: f64,
    offset: f64,
    zero: f64,
    positive: &[f64],
    negative: &[f64],
) -> Option<(Vec<f64>, Vec<f64>)> {
    // OpenTelemetry's scales are -10..=20; offsets fit an i32.
    if !(-10.0..=20.0).contains(&scale) || scale.fract() != 0.0 || offset.fract() != 0.0 {
        return None;
    }
    if negative.iter().any(|&c| c != 0.0) {
        return None;
    }
    let base = 2f64.powf(2f64.powf(-scale));
    let bound = |i: usize| {
        let b = base.powf(offset + i as f64);
        (b.is_finite() && b > 0.0).then_some(b)
    };
    let bounds: Vec<f64> = (0..=positive.len()).map(bound).collect::<Option<_>>()?;
    let counts = std::iter::once(zero)
        .chain(positive.iter().copied())
        .chain(std::iter::once(0.0))
        .collect();
    Some((counts, bounds))
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

    #[test]
    fn exponential_buckets_become_bounds() {
        // Scale 0: base 2. Offset 2: buckets (4, 8], (8, 16].
        let (counts, bounds) = exponential(0.0, 2.0, 1.0, &[3.0, 4.0], &[]).unwrap();
        assert_eq!(bounds, [4.0, 8.0, 16.0]);
        assert_eq!(counts, [1.0, 3.0, 4.0, 0.0]);
        let b = buckets(&counts, &bounds);
        // Rank 4 is the last of the 3 in (4, 8].
        assert_eq!(b.quantile(0.5), Some(8.0));
        // Scale 1: base √2.
        let (_, bounds) = exponential(1.0, 0.0, 0.0, &[1.0, 1.0], &[]).unwrap();
        assert!((bounds[1] - 2f64.sqrt()).abs() < 1e-12, "{bounds:?}");
    }

    #[test]
    fn exponential_buckets_that_cannot_be_bounded_are_not_estimated() {
        assert!(
            exponential(0.0, 0.0, 0.0, &[1.0], &[2.0]).is_none(),
            "negative points"
        );
        assert!(exponential(21.0, 0.0, 0.0, &[1.0], &[]).is_none(), "scale");
        assert!(exponential(0.5, 0.0, 0.0, &[1.0], &[]).is_none(), "scale");
        assert!(
            exponential(-10.0, 2e9, 0.0, &[1.0], &[]).is_none(),
            "overflow"
        );
        assert!(exponential(0.0, 0.0, 0.0, &[1.0], &[0.0]).is_some());
    }
}
