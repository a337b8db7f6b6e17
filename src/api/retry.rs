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
    let format = time::format_description::parse_borrowed::<1>(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT",
    )
    .ok()?;
    let at = time::PrimitiveDateTime::parse(value, &format)
        .ok()?
        .assume_utc();
    Some(
        (at - time::OffsetDateTime::now_utc())
            .try_into()
            .unwrap_or(Duration::ZERO),
    )
}
