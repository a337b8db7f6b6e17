//! When a failed request is worth another try, and how long to wait before it.

use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};

use super::ApiError;

/// Tries after the first one, for idempotent requests only.
pub const MAX_RETRIES: u32 = 2;

/// Worth another try for an idempotent request: the connection failed, or the server is busy.
pub fn is_transient(error: &ApiError) -> bool {
    match error {
        ApiError::Network { .. } | ApiError::Interrupted { .. } => true,
        ApiError::Status { status, .. } => matches!(status, 429 | 502 | 503 | 504),
        _ => false,
    }
}

/// The wait before retry number `attempt` (from 0) when the server did not say.
pub fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(250 << attempt)
}

/// `Retry-After` as seconds or as an HTTP date (a date already past means now).
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    // The IMF-fixdate of RFC 9110: `Sun, 06 Nov 1994 08:49:37 GMT`.
    let at = jiff::civil::DateTime::strptime("%a, %d %b %Y %H:%M:%S GMT", value).ok()?;
    let at = jiff::tz::TimeZone::UTC.to_timestamp(at).ok()?;
    Some(
        at.duration_since(jiff::Timestamp::now())
            .try_into()
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn after(value: &str) -> Option<Duration> {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        retry_after(&headers)
    }

    #[test]
    fn retry_after_is_seconds_or_an_http_date() {
        assert_eq!(after("7"), Some(Duration::from_secs(7)));
        assert_eq!(after("Sun, 06 Nov 1994 08:49:37 GMT"), Some(Duration::ZERO));
        let soon = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(90);
        let soon = soon.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string();
        let wait = after(&soon).expect("an HTTP date parses");
        assert!((85..=90).contains(&wait.as_secs()), "{wait:?}");
        assert_eq!(after("06 Nov 1994 08:49:37"), None);
        assert_eq!(after("soon"), None);
    }
}
