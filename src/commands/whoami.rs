use serde_json::json;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::cli::{GlobalArgs, WhoamiArgs};
use crate::client::{ApiError, Client};
use crate::commands::client_options;
use crate::config::is_readable_by_others;
use crate::error::{Exit, LOGIN_HINT};
use crate::output::write_json;
use crate::settings::{self, absolute, Source, TokenSource};

/// CLI tokens expire after this many days; `whoami` warns from `WARN_FROM_DAY`.
const TOKEN_LIFETIME_DAYS: i64 = 90;
const WARN_FROM_DAY: i64 = 76;

enum Status {
    Valid,
    Invalid,
    Forbidden,
    Unreachable(ApiError),
    NotLoggedIn,
    Skipped,
}

impl Status {
    fn as_str(&self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::Invalid => "invalid",
            Status::Forbidden => "forbidden",
            Status::Unreachable(_) => "unreachable",
            Status::NotLoggedIn => "not_logged_in",
            Status::Skipped => "skipped",
        }
    }

    fn exit(&self) -> Exit {
        match self {
            Status::Valid | Status::Skipped => Exit::Success,
            Status::Invalid | Status::Forbidden | Status::NotLoggedIn => Exit::Auth,
            Status::Unreachable(_) => Exit::Failure,
        }
    }

    /// The result line scripts grep for (as the Node CLI prints it).
    fn line(&self) -> Option<&'static str> {
        match self {
            Status::Valid => Some("Token is valid."),
            Status::Invalid => Some("Token is invalid or expired."),
            Status::Forbidden => Some("Token was rejected: it lacks permission (HTTP 403)."),
            Status::Unreachable(_) => Some("Could not reach server to validate token."),
            Status::NotLoggedIn => Some("Not logged in."),
            Status::Skipped => None,
        }
    }
}

pub async fn whoami(global: &GlobalArgs, args: &WhoamiArgs) -> anyhow::Result<Exit> {
    let resolved = settings::resolve(global)?;
    let config_path = resolved.config.as_ref().map(|c| absolute(&c.path));
    let url = resolved.url.clone();

    let (status, token_info) = match &resolved.token {
        None => (Status::NotLoggedIn, None),
        Some((token, source)) => {
            let status = if args.no_verify {
                Status::Skipped
            } else {
                let client = Client::new(url.clone(), Some(token.clone()), client_options(global))?;
                match client.validate_token().await {
                    Ok(()) => Status::Valid,
                    Err(ApiError::Unauthorized) => Status::Invalid,
                    Err(ApiError::Forbidden { .. }) => Status::Forbidden,
                    Err(e) => Status::Unreachable(e),
                }
            };
            (status, Some((token.prefix(), source.clone())))
        }
    };

    // The age only means something for a token `login` saved.
    let saved_at = match (&token_info, &resolved.config) {
        (Some((_, TokenSource::Config(_))), Some(file)) => file.get("savedAt").map(str::to_owned),
        _ => None,
    };
    let age_days = saved_at.as_deref().and_then(age_in_days);

    if args.json {
        let (prefix, source) = match &token_info {
            Some((prefix, source)) => (json!(prefix), json!(source.as_str())),
            None => (json!(null), json!(null)),
        };
        let report = json!({
            "loggedIn": token_info.is_some(),
            "status": status.as_str(),
            "tokenPrefix": prefix,
            "tokenSource": source,
            "configPath": config_path.as_ref().map(|p| p.display().to_string()),
            "url": url.as_str(),
            "urlSource": resolved.url_source.as_str(),
            "savedAt": saved_at,
        });
        write_json(&mut std::io::stdout().lock(), &report)?;
    } else if let Some((prefix, source)) = &token_info {
        outln!("Token: {prefix} (from {})", source.describe());
        let default = if resolved.url_source == Source::Default {
            " (default)"
        } else {
            ""
        };
        outln!("URL: {}{default}", url.as_str());
        if let (Some(saved), Some(days)) = (&saved_at, age_days) {
            outln!("Saved: {saved} ({})", days_ago(days));
        }
    }
    if !args.json {
        if let Some(line) = status.line() {
            outln!("{line}");
        }
    }

    explain(&status, &token_info, age_days);
    Ok(status.exit())
}

/// Warnings and next steps, on stderr.
fn explain(status: &Status, token: &Option<(String, TokenSource)>, age_days: Option<i64>) {
    if let Some((_, TokenSource::Config(path))) = token {
        if is_readable_by_others(path) {
            errln!(
                "warning: {} holds a token and can be read by other users; run `chmod 600 {}`",
                absolute(path).display(),
                path.display()
            );
        }
    }
    match age_days {
        Some(days) if days >= TOKEN_LIFETIME_DAYS => errln!(
            "warning: this token was saved {} and CLI tokens expire after {TOKEN_LIFETIME_DAYS} days; \
             create a new one (Settings → Access Tokens) and run `kopai login`",
            days_ago(days)
        ),
        Some(days) if days >= WARN_FROM_DAY => errln!(
            "warning: this token expires in about {} days (CLI tokens last {TOKEN_LIFETIME_DAYS}); \
             create a new one (Settings → Access Tokens) and run `kopai login`",
            TOKEN_LIFETIME_DAYS - days
        ),
        _ => {}
    }
    match status {
        Status::NotLoggedIn => errln!("hint: {LOGIN_HINT}"),
        Status::Invalid => errln!(
            "hint: create a new CLI token in the dashboard (Settings → Access Tokens), then run `kopai login`"
        ),
        Status::Forbidden => {
            errln!("hint: use a CLI token with read access (Settings → Access Tokens), then run `kopai login`")
        }
        Status::Unreachable(e) => {
            errln!("error: {e}");
            if let Some(hint) = e.hint() {
                errln!("hint: {hint}");
            }
        }
        Status::Valid | Status::Skipped => {}
    }
}

fn age_in_days(saved_at: &str) -> Option<i64> {
    match OffsetDateTime::parse(saved_at, &Rfc3339) {
        Ok(saved) => Some((OffsetDateTime::now_utc() - saved).whole_days()),
        Err(_) => {
            errln!("warning: ignoring savedAt `{saved_at}`: not an RFC 3339 time");
            None
        }
    }
}

fn days_ago(days: i64) -> String {
    match days {
        i64::MIN..=0 => "today".into(),
        1 => "1 day ago".into(),
        n => format!("{n} days ago"),
    }
}
