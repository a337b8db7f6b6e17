//! Parsers for flag values. Each returns a message clap prints after naming the flag,
//! so every bad value is caught before a request is sent (exit 2).

use std::time::{SystemTime, UNIX_EPOCH};

use crate::units::duration_ns;

/// A `key=value` attribute filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    pub key: String,
    pub value: String,
}

pub fn parse_attr(raw: &str) -> Result<Attr, String> {
    match raw.split_once('=') {
        Some((key, value)) if !key.is_empty() => Ok(Attr {
            key: key.to_owned(),
            value: value.to_owned(),
        }),
        Some(_) => Err("the attribute key is empty (expected KEY=VALUE)".into()),
        None => Err("missing `=` (expected KEY=VALUE)".into()),
    }
}

pub fn parse_limit(raw: &str) -> Result<u32, String> {
    match raw.parse::<u32>() {
        Ok(n) if (1..=1000).contains(&n) => Ok(n),
        _ => Err("expected an integer from 1 to 1000".into()),
    }
}

/// `--timeout`: a duration like every other flag (`5s`, `500ms`, `1m`); a bare number stays
/// milliseconds, as it always was. Returns milliseconds.
pub fn parse_timeout(raw: &str) -> Result<u64, String> {
    let raw = raw.trim();
    let bare = !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit());
    let ns = if bare {
        // Digits beyond u128, or milliseconds beyond it in nanoseconds, are "too long" too.
        Some(
            raw.parse::<u128>()
                .map_or(u128::MAX, |ms| ms.saturating_mul(1_000_000)),
        )
    } else {
        duration_ns(raw, true).ok()
    };
    match ns.map(|ns| ns / 1_000_000) {
        Some(ms) if ms > 0 => u64::try_from(ms).map_err(|_| "the timeout is too long".to_owned()),
        _ => Err(
            "expected a positive duration like 5s or 500ms (a bare number is milliseconds)".into(),
        ),
    }
}

/// An ID the server made up (a dashboard's): anything but nothing.
pub fn parse_id(raw: &str) -> Result<String, String> {
    if raw.trim().is_empty() {
        return Err("the ID is empty".into());
    }
    Ok(raw.to_owned())
}

/// A trace ID: 32 hexadecimal digits, in any case; sent lowercased, as the server stores it.
pub fn parse_trace_id(raw: &str) -> Result<String, String> {
    hex_id(raw, 32, "a trace ID")
}

/// A trace ID or a prefix of one (6 to 32 hexadecimal digits), lowercased; a prefix is
/// resolved later from the IDs kopai printed recently.
pub fn parse_trace_id_or_prefix(raw: &str) -> Result<String, String> {
    hex_prefix(raw, 32, "a trace ID")
}

/// A span ID: 16 hexadecimal digits, in any case.
pub fn parse_span_id(raw: &str) -> Result<String, String> {
    hex_id(raw, 16, "a span ID")
}

/// A span ID or a prefix of one (6 to 16 hexadecimal digits), lowercased; a prefix is
/// resolved among the spans of the trace it is asked of.
pub fn parse_span_id_or_prefix(raw: &str) -> Result<String, String> {
    hex_prefix(raw, 16, "a span ID")
}

/// An ID of `digits` hexadecimal digits or a prefix of at least 6, lowercased.
fn hex_prefix(raw: &str, digits: usize, what: &str) -> Result<String, String> {
    let id = raw.trim();
    if (6..=digits).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(id.to_ascii_lowercase())
    } else {
        Err(format!(
            "{what} is {digits} hexadecimal digits, or a unique prefix of at least 6"
        ))
    }
}

fn hex_id(raw: &str, digits: usize, what: &str) -> Result<String, String> {
    let id = raw.trim();
    if id.len() == digits && id.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(id.to_ascii_lowercase())
    } else {
        Err(format!("{what} is {digits} hexadecimal digits"))
    }
}

pub fn parse_severity(raw: &str) -> Result<u8, String> {
    match raw.parse::<u8>() {
        Ok(n) if (1..=24).contains(&n) => Ok(n),
        _ => Err("expected a severity number from 1 to 24".into()),
    }
}

pub fn parse_sort(raw: &str) -> Result<String, String> {
    let upper = raw.to_ascii_uppercase();
    match upper.as_str() {
        "ASC" | "DESC" => Ok(upper),
        _ => Err("expected ASC or DESC".into()),
    }
}

/// A point in time as a nanosecond string: digits pass through, RFC 3339 is converted.
pub fn parse_time_ns(raw: &str) -> Result<String, String> {
    if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) {
        // The server stores 64-bit nanoseconds.
        return raw
            .parse::<u64>()
            .map(|_| raw.to_owned())
            .map_err(|_| "nanoseconds must fit in 64 bits".to_owned());
    }
    if let Some(ns) = local_midnight(raw) {
        return ns;
    }
    raw.parse::<jiff::Timestamp>()
        .map_err(|_| {
            "expected nanoseconds since the epoch, a date like 2026-11-27 or an RFC 3339 time \
             like 2026-11-27T23:00:20Z"
                .to_owned()
        })
        .and_then(|t| {
            let ns = t.as_nanosecond();
            if ns < 0 {
                Err("times before 1970 are not supported".to_owned())
            } else {
                Ok(ns.to_string())
            }
        })
}

/// A date (`2026-11-27`) as the start of that day in the local time zone (`TZ` honoured),
/// the zone the tables show times in. `None` if `raw` is not a date.
fn local_midnight(raw: &str) -> Option<Result<String, String>> {
    let looks_like_date = raw.len() == 10 && raw.as_bytes()[4] == b'-' && raw.as_bytes()[7] == b'-';
    if !looks_like_date {
        return None;
    }
    let Ok(date) = raw.parse::<jiff::civil::Date>() else {
        return Some(Err(format!(
            "`{raw}` is not a valid date (expected YYYY-MM-DD)"
        )));
    };
    let zoned = jiff::tz::TimeZone::system().to_zoned_datetime(date.at(0, 0, 0, 0));
    Some(match zoned {
        Ok(z) if z.timestamp().as_nanosecond() >= 0 => {
            Ok(z.timestamp().as_nanosecond().to_string())
        }
        Ok(_) => Err("times before 1970 are not supported".to_owned()),
        Err(_) => Err(format!("`{raw}` does not exist in the local time zone")),
    })
}

/// `--since 15m` / `--until 2h`: an age before now, or an absolute date or RFC 3339 time.
pub fn parse_since(raw: &str) -> Result<String, String> {
    if raw.contains('T') || raw.contains('-') {
        return parse_time_ns(raw);
    }
    let age = duration_ns(raw, true).map_err(|_| {
        "expected an age like 30s, 15m, 2h, 7d, a date like 2026-11-27 or an RFC 3339 time \
         like 2026-11-27T23:00:20Z"
            .to_owned()
    })?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|_| "the system clock is before 1970".to_owned())?
        .as_nanos();
    // An age reaching back before 1970 is a typo, not "everything": say so instead of
    // silently sending 0.
    now.checked_sub(age)
        .map(|ns| ns.to_string())
        .ok_or_else(|| "that age reaches back before 1970".to_owned())
}

/// A duration as a nanosecond string: `250ms`, `1.5s`, `2m`, `1h`, `10us` or bare nanoseconds.
/// A bare number with a fraction (`1.5`) is refused with a suggestion, never rounded to 1 ns.
pub fn parse_duration_ns(raw: &str) -> Result<String, String> {
    let bare = raw.trim();
    if bare.contains('.') && bare.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err(format!(
            "a bare number is nanoseconds, which have no fraction: add a unit, like {bare}ms or {bare}s"
        ));
    }
    duration_ns(raw, false)
        .map(|ns| ns.to_string())
        .map_err(|_| "expected a duration like 250ms, 1.5s, 2m or nanoseconds".to_owned())
}

/// How long to poll (`--wait`) or between polls (`--interval`): the time and its spelling,
/// which messages echo back ("no matching rows after 30s").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interval {
    pub duration: std::time::Duration,
    pub text: String,
}

/// `--interval 2s`, `--wait 500ms`: a positive duration with a unit, at least a millisecond.
pub fn parse_interval(raw: &str) -> Result<Interval, String> {
    let message = || "expected a duration with a unit like 500ms, 2s, 5m or 1h".to_owned();
    let ns = duration_ns(raw, true).map_err(|_| message())?;
    if ns < 1_000_000 {
        return Err("expected at least 1ms".to_owned());
    }
    let ns = u64::try_from(ns).map_err(|_| message())?;
    Ok(Interval {
        duration: std::time::Duration::from_nanos(ns),
        text: raw.trim().to_owned(),
    })
}

/// The longest `--lag`: each poll reads the whole look-back again.
const MAX_LAG_NS: u128 = 3_600 * 1_000_000_000;

/// `--lag`: a duration with a unit, `0s` (no look-back) up to an hour.
pub fn parse_lag(raw: &str) -> Result<std::time::Duration, String> {
    let message = || "expected a duration with a unit like 0s, 30s or 2m".to_owned();
    let ns = duration_ns(raw, true).map_err(|_| message())?;
    if ns > MAX_LAG_NS {
        return Err("expected at most 1h: each poll reads the whole look-back again".to_owned());
    }
    let ns = u64::try_from(ns).map_err(|_| message())?;
    Ok(std::time::Duration::from_nanos(ns))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_exact() {
        assert_eq!(parse_duration_ns("1.5s").unwrap(), "1500000000");
        assert_eq!(parse_duration_ns("250ms").unwrap(), "250000000");
        assert_eq!(parse_duration_ns("2m").unwrap(), "120000000000");
        assert_eq!(parse_duration_ns("1000").unwrap(), "1000");
        let fraction = parse_duration_ns("1.5").unwrap_err();
        assert!(
            fraction.contains("add a unit, like 1.5ms or 1.5s"),
            "{fraction}"
        );
        assert!(parse_duration_ns("fast").is_err());
        assert!(parse_duration_ns("1.2.3s").is_err());
        assert!(parse_duration_ns("").is_err());
        assert!(parse_duration_ns("-1s").is_err());
        assert!(parse_duration_ns("340282366920938463463374607431.9s").is_err());
        assert!(parse_duration_ns("18446744073709551616").is_err());
        assert!(parse_since("99999999999999999999d").is_err());
        assert!(parse_since("100000d").is_err());
    }

    #[test]
    fn times_accept_ns_and_rfc3339() {
        assert_eq!(
            parse_time_ns("1795820400000000000").unwrap(),
            "1795820400000000000"
        );
        assert_eq!(
            parse_time_ns("2026-11-27T23:00:20Z").unwrap(),
            "1795820420000000000"
        );
        assert_eq!(
            parse_time_ns("2026-11-28T00:00:20.5+01:00").unwrap(),
            "1795820420500000000"
        );
        assert!(parse_time_ns("yesterday").is_err());
        assert!(parse_time_ns("99999999999999999999").is_err());
        assert!(parse_since("15").is_err());
        assert!(parse_since("2026-13-01").is_err());
    }

    #[test]
    fn timeouts_take_durations_and_bare_milliseconds() {
        assert_eq!(parse_timeout("500").unwrap(), 500);
        assert_eq!(parse_timeout("5s").unwrap(), 5_000);
        assert_eq!(parse_timeout("500ms").unwrap(), 500);
        assert_eq!(parse_timeout("1.5s").unwrap(), 1_500);
        assert!(parse_timeout("0").is_err());
        assert!(parse_timeout("10us").is_err());
        assert!(parse_timeout("soon").is_err());
    }

    #[test]
    fn ids_are_hex_of_the_right_length_and_lowercased() {
        let id = "4BF92F3577B34DA6A3CE929D0E0E4736";
        assert_eq!(parse_trace_id(id).unwrap(), id.to_ascii_lowercase());
        assert!(parse_trace_id("4bf92f35").is_err());
        assert!(parse_trace_id("zbf92f3577b34da6a3ce929d0e0e4736").is_err());
        assert_eq!(
            parse_span_id("D6E7F8091A2B3C4D").unwrap(),
            "d6e7f8091a2b3c4d"
        );
        assert!(parse_span_id("d6e7").is_err());
    }

    #[test]
    fn intervals_need_a_unit_and_a_millisecond() {
        let wait = parse_interval("1.5s").unwrap();
        assert_eq!(wait.duration, std::time::Duration::from_millis(1500));
        assert_eq!(wait.text, "1.5s");
        assert!(parse_interval("2").is_err());
        assert!(parse_interval("0s").is_err());
        assert!(parse_interval("10us").is_err());
        assert!(parse_interval("soon").is_err());
        assert_eq!(parse_lag("0s").unwrap(), std::time::Duration::ZERO);
        assert_eq!(parse_lag("1h").unwrap().as_secs(), 3_600);
        assert!(parse_lag("61m").unwrap_err().contains("at most 1h"));
        assert!(parse_lag("30").is_err());
    }
}
