//! Times and durations as people read them.

use serde_json::Value;

/// A nanosecond count as the server sends it: a digit string or a number.
pub fn ns_of(value: &Value) -> Option<i128> {
    match value {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.to_string().parse().ok(),
        _ => None,
    }
}

/// Nanoseconds since the epoch as RFC 3339 UTC with milliseconds.
pub fn format_time(ns: i128) -> Option<String> {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(ns).ok()?;
    Some(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    ))
}

/// `850 ns`, `12.5 µs`, `412 ms`, `1.52 s`, `2m 3s`. A value that rounds up to the next
/// unit is shown in it (`1 s`, not `1000 ms`).
pub fn format_duration(ns: i128) -> String {
    fn trim(x: f64, decimals: usize) -> String {
        let s = format!("{x:.decimals$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_owned()
        } else {
            s
        }
    }
    if ns < 1_000 {
        return format!("{ns} ns");
    }
    let units: [(f64, usize, &str, f64); 3] = [
        (1e3, 1, "µs", 1000.0),
        (1e6, 1, "ms", 1000.0),
        (1e9, 2, "s", 60.0),
    ];
    for (scale, decimals, unit, next) in units {
        let text = trim(ns as f64 / scale, decimals);
        if text.parse::<f64>().is_ok_and(|x| x < next) {
            return format!("{text} {unit}");
        }
    }
    // Saturating: a server's Duration may be any 128-bit number, and a wrapped sum prints
    // as a negative time.
    let secs = ns.saturating_add(500_000_000) / 1_000_000_000;
    format!("{}m {}s", secs / 60, secs % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_times_read_well() {
        assert_eq!(format_duration(412_000_000), "412 ms");
        assert_eq!(format_duration(1_520_000_000), "1.52 s");
        assert_eq!(format_duration(850), "850 ns");
        assert_eq!(format_duration(123_000_000_000), "2m 3s");
        assert_eq!(format_duration(1_500), "1.5 µs");
        assert_eq!(format_duration(999_999), "1 ms");
        assert_eq!(format_duration(999_960_000), "1 s");
        assert_eq!(format_duration(59_994_000_000), "59.99 s");
        assert_eq!(format_duration(59_999_000_000), "1m 0s");
        assert!(!format_duration(i128::MAX).contains('-'));
        assert_eq!(
            format_time(1_795_820_400_001_000_000).unwrap(),
            "2026-11-27T23:00:00.001Z"
        );
    }
}
