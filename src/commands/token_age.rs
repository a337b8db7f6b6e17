//! How old a saved token is, and the warning to give as it nears its end.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::secret::redact;

/// CLI tokens expire after this many days; the warning starts at `WARN_FROM_DAY`.
const TOKEN_LIFETIME_DAYS: i64 = 90;
const WARN_FROM_DAY: i64 = 76;

/// Whole days since `savedAt`, or the warning to print when it is not a time. `secrets` are
/// hidden from the warning, in case a hand-edited file put the token there.
pub fn age_in_days(saved_at: &str, secrets: &[String]) -> Result<i64, String> {
    OffsetDateTime::parse(saved_at, &Rfc3339)
        .map(|saved| (OffsetDateTime::now_utc() - saved).whole_days())
        .map_err(|_| {
            let shown = redact(saved_at, secrets);
            format!("ignoring savedAt `{shown}`: not an RFC 3339 time")
        })
}

pub fn days_ago(days: i64) -> String {
    match days {
        i64::MIN..=0 => "today".into(),
        1 => "1 day ago".into(),
        n => format!("{n} days ago"),
    }
}

/// The warning for a token `days` old, if it is near or past its end; `renew` is the command
/// that logs in again.
pub fn expiry_warning(days: i64, renew: &str) -> Option<String> {
    if days >= TOKEN_LIFETIME_DAYS {
        Some(format!(
            "this token was saved {} and CLI tokens expire after {TOKEN_LIFETIME_DAYS} days; \
             create a new one (Settings → Access Tokens) and run `{renew}`",
            days_ago(days)
        ))
    } else if days >= WARN_FROM_DAY {
        Some(format!(
            "this token expires in about {} days (CLI tokens last {TOKEN_LIFETIME_DAYS}); \
             create a new one (Settings → Access Tokens) and run `{renew}`",
            TOKEN_LIFETIME_DAYS - days
        ))
    } else {
        None
    }
}
