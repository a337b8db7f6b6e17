//! How old a saved token is, and the warning to give as it nears its end: by `whoami` every
//! time, by every other command on a terminal once a day.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use jiff::Timestamp;

use crate::config::Settings;
use crate::secret::redact;
use crate::term::sanitize;

/// CLI tokens expire after this many days; the warning starts at `WARN_FROM_DAY`.
const TOKEN_LIFETIME_DAYS: i64 = 90;
const WARN_FROM_DAY: i64 = 76;

/// Whole days since `savedAt`, or the warning to print when it is not a time. `secrets` are
/// hidden from the warning, in case a hand-edited file put the token there.
pub fn age_in_days(saved_at: &str, secrets: &[String]) -> Result<i64, String> {
    saved_at
        .parse::<Timestamp>()
        .map(|saved| Timestamp::now().duration_since(saved).as_secs() / ONE_DAY_SECS)
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

/// Whether a token saved `days` ago has passed the end of a CLI token's life.
pub fn is_expired(days: i64) -> bool {
    days >= TOKEN_LIFETIME_DAYS
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

/// On a terminal, at most once a day: the expiry warning for the token in use, naming the
/// `kopai login` that renews it. When it was last given is kept in the user's cache directory;
/// a cache that cannot be read or written never stops a command (the warning may then repeat).
pub fn remind_daily(settings: &Settings) {
    if crate::stdio::quiet() {
        return;
    }
    // A savedAt that is not a time is `whoami`'s to report.
    let Some(days) = settings.saved_at().and_then(|s| age_in_days(s, &[]).ok()) else {
        return;
    };
    let Some(warning) = expiry_warning(days, &settings.login_command()) else {
        return;
    };
    let state = reminder_file();
    let now = Timestamp::now().as_second();
    if state
        .as_deref()
        .and_then(last_reminder)
        .is_some_and(|last| (0..ONE_DAY_SECS).contains(&(now - last)))
    {
        return;
    }
    noteln!("warning: {}", sanitize(&warning));
    if let Some(path) = state {
        let _ = record_reminder(&path, now);
    }
}

const ONE_DAY_SECS: i64 = 24 * 60 * 60;

fn reminder_file() -> Option<PathBuf> {
    Some(dirs::cache_dir()?.join("kopai").join("token-age-warned"))
}

/// The time (Unix seconds) of the last reminder: the file's one line.
fn last_reminder(path: &Path) -> Option<i64> {
    let mut text = String::new();
    fs::File::open(path)
        .ok()?
        .take(64)
        .read_to_string(&mut text)
        .ok()?;
    text.trim().parse().ok()
}

/// Writes `now` to the file, private to the user (0700 directory, 0600 file).
fn record_reminder(path: &Path, now: i64) -> io::Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| io::Error::other("no directory"))?;
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
        builder.mode(0o700);
        options.mode(0o600);
    }
    builder.create(dir)?;
    writeln!(options.open(path)?, "{now}")
}
