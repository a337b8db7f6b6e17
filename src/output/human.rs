//! Times and durations as people read them.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde_json::value::RawValue;

/// A nanosecond count as the server sends it: a digit string or a number (or an RFC 3339
/// time, as KopaiQuery's `bucket_start`).
pub fn ns_of(value: &RawValue) -> Option<i128> {
    let raw = value.get();
    match raw.as_bytes().first() {
        Some(b'"') => {
            let text = super::json::text(value);
            text.parse().ok().or_else(|| {
                let time = text.parse::<Timestamp>().ok()?;
                Some(time.as_nanosecond())
            })
        }
        // An average of durations may have a fraction: the nearest nanosecond.
        Some(b'-' | b'0'..=b'9') => raw.parse().ok().or_else(|| {
            let x = raw
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite() && x.abs() < 1e30)?;
            Some(x.round() as i128)
        }),
        _ => None,
    }
}

/// Nanoseconds since the epoch as RFC 3339 UTC with milliseconds.
pub fn format_time(ns: i128) -> Option<String> {
    let t = TimeZone::UTC.to_datetime(Timestamp::from_nanosecond(ns).ok()?);
    Some(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    ))
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Compact wall-clock times in one zone (the local one, `TZ` honoured, or UTC): the time of
/// day with milliseconds, with the date in front where it is not today.
pub struct Clock {
    zone: TimeZone,
    today: Date,
    utc: bool,
}

impl Clock {
    pub fn new(utc: bool) -> Self {
        let zone = if utc {
            TimeZone::UTC
        } else {
            TimeZone::system()
        };
        // Tests pin "today" so that their snapshots do not depend on the day they run; a
        // release build never reads the variable.
        let pinned = cfg!(debug_assertions)
            .then(|| std::env::var("KOPAI_TEST_TODAY").ok()?.parse::<Date>().ok())
            .flatten();
        let today =
            pinned.unwrap_or_else(|| Timestamp::now().to_zoned_datetime(zone.clone()).date());
        Self { zone, today, utc }
    }

    pub fn is_utc(&self) -> bool {
        self.utc
    }

    /// `23:00:20.445`, `Nov 27 23:00:20.445`, or `2025-11-27 23:00:20.445` in another year.
    pub fn format(&self, ns: i128) -> Option<String> {
        self.with_date(ns, |t| {
            format!(
                "{:02}:{:02}:{:02}.{:03}",
                t.hour(),
                t.minute(),
                t.second(),
                t.millisecond()
            )
        })
    }

    /// `23:05`, `Nov 27 23:05`, or `2025-11-27 23:05`: a chart's time axis.
    pub fn minute(&self, ns: i128) -> Option<String> {
        self.with_date(ns, |t| format!("{:02}:{:02}", t.hour(), t.minute()))
    }

    /// The time of day as `clock` writes it, with the date in front where it is not today.
    fn with_date(&self, ns: i128, clock: impl Fn(jiff::civil::Time) -> String) -> Option<String> {
        let zoned = Timestamp::from_nanosecond(ns)
            .ok()?
            .to_zoned_datetime(self.zone.clone());
        let (date, t) = (zoned.date(), zoned.time());
        let clock = clock(t);
        Some(if date == self.today {
            clock
        } else if date.year() == self.today.year() {
            let month = MONTHS[usize::try_from(date.month() - 1).unwrap_or(0)];
            format!("{month} {:2} {clock}", date.day())
        } else {
            format!(
                "{:04}-{:02}-{:02} {clock}",
                date.year(),
                date.month(),
                date.day()
            )
        })
    }
}

/// A measure for people: whole numbers as they are (`1234`), others to a precision that
/// suits their size (`0.0123`, `12.35`, `1234.5`).
pub fn format_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        return format!("{x:.0}");
    }
    let decimals = match x.abs() {
        a if a >= 1000.0 => 1,
        a if a >= 1.0 => 2,
        a if a >= 0.01 => 3,
        _ => 5,
    };
    let text = format!("{x:.decimals$}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" || text.is_empty() {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

/// `850 ns`, `12.5 µs`, `412 ms`, `1.52 s`, `2m 3s`. A value that rounds up to the next
/// unit is shown in it (`1 s`, not `1000 ms`).
pub fn format_duration(ns: i128) -> String {
    if ns < 1_000 {
        return format!("{ns} ns");
    }
    const UNITS: [(i128, u32, &str, i128); 3] = [
        (1_000, 1, "µs", 1000),
        (1_000_000, 1, "ms", 1000),
        (1_000_000_000, 2, "s", 60),
    ];
    for (scale, decimals, unit, next) in UNITS {
        let rounded = rounded(ns, scale, decimals).unwrap_or_else(|| {
            // A tie or a huge number: rounded as the double it is, as before the integer path.
            let text = format!("{:.*}", decimals as usize, ns as f64 / scale as f64);
            let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
            let whole: i128 = whole.parse().unwrap_or(i128::MAX / 1_000);
            let fraction: i128 = fraction.parse().unwrap_or(0);
            whole
                .saturating_mul(10i128.pow(decimals))
                .saturating_add(fraction)
        });
        let ten = 10i128.pow(decimals);
        if rounded < next * ten {
            let (whole, mut fraction, mut digits) = (rounded / ten, rounded % ten, decimals);
            while digits > 0 && fraction % 10 == 0 {
                fraction /= 10;
                digits -= 1;
            }
            return match digits {
                0 => format!("{whole} {unit}"),
                _ => format!(
                    "{whole}.{fraction:0digits$} {unit}",
                    digits = digits as usize
                ),
            };
        }
    }
    // Saturating: a server's Duration may be any 128-bit number, and a wrapped sum prints
    // as a negative time.
    let secs = ns.saturating_add(500_000_000) / 1_000_000_000;
    format!("{}m {}s", secs / 60, secs % 60)
}

/// `ns / scale` in units of `10^-decimals`, rounded to the nearest; `None` for an exact tie
/// (where the double the text was once formatted from may fall either side) and on overflow.
/// Float formatting cost a waterfall of 50,000 spans a tenth of its time.
fn rounded(ns: i128, scale: i128, decimals: u32) -> Option<i128> {
    let scaled = ns.checked_mul(10i128.pow(decimals))?;
    let (quotient, remainder) = (scaled / scale, scaled % scale);
    match (2 * remainder).cmp(&scale) {
        std::cmp::Ordering::Less => Some(quotient),
        std::cmp::Ordering::Greater => Some(quotient + 1),
        std::cmp::Ordering::Equal => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How durations were formatted before the integer path: through doubles.
    fn float_duration(ns: i128) -> String {
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
        let secs = ns.saturating_add(500_000_000) / 1_000_000_000;
        format!("{}m {}s", secs / 60, secs % 60)
    }

    #[test]
    fn durations_read_as_they_did_through_doubles() {
        let mut ns: i128 = 1;
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        while ns < 1_000_000_000_000_000 {
            for _ in 0..2_000 {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                let n = ns + i128::from(seed >> 40) % (ns * 10);
                assert_eq!(format_duration(n), float_duration(n), "{n}");
            }
            for n in [
                ns * 10 - 1,
                ns * 10,
                ns * 10 + 1,
                ns * 5,
                ns * 5 - 1,
                ns * 15,
            ] {
                assert_eq!(format_duration(n), float_duration(n), "{n}");
            }
            ns *= 10;
        }
        for n in [i128::MAX, i128::MAX / 10, i128::MIN, -5] {
            assert_eq!(format_duration(n), float_duration(n), "{n}");
        }
    }

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
        assert_eq!(format_duration(1_250_000), "1.2 ms");
        assert_eq!(format_duration(1_350_000), "1.4 ms");
        assert_eq!(
            format_time(1_795_820_400_001_000_000).unwrap(),
            "2026-11-27T23:00:00.001Z"
        );
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(format_number(1234.0), "1234");
        assert_eq!(format_number(4.256), "4.26");
        assert_eq!(format_number(0.031), "0.031");
        assert_eq!(format_number(1234.56), "1234.6");
        assert_eq!(format_number(0.000123), "0.00012");
        assert_eq!(format_number(-0.0000001), "0");
        let ns = |raw: &str| ns_of(&serde_json::value::RawValue::from_string(raw.into()).unwrap());
        assert_eq!(
            ns("\"2026-11-27T23:00:00.000Z\""),
            Some(1_795_820_400_000_000_000)
        );
        assert_eq!(
            ns("\"1795820400000000000\""),
            Some(1_795_820_400_000_000_000)
        );
        assert_eq!(ns("1E5"), Some(100_000));
        assert_eq!(ns("2.5"), Some(3));
        assert_eq!(ns("true"), None);
    }

    #[test]
    fn clock_times_are_compact() {
        let clock = Clock {
            zone: TimeZone::UTC,
            today: Date::new(2026, 11, 27).unwrap(),
            utc: true,
        };
        let ns = 1_795_820_420_445_000_000;
        assert_eq!(clock.format(ns).unwrap(), "23:00:20.445");
        let other_day = Clock {
            today: Date::new(2026, 11, 30).unwrap(),
            ..clock
        };
        assert_eq!(other_day.format(ns).unwrap(), "Nov 27 23:00:20.445");
        let other_year = Clock {
            today: Date::new(2027, 1, 2).unwrap(),
            ..other_day
        };
        assert_eq!(other_year.format(ns).unwrap(), "2026-11-27 23:00:20.445");
    }
}
