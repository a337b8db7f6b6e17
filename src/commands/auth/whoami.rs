//! `kopai whoami`: which token is in use, from where, for which server, and whether it works.

use serde::Serialize;

use crate::api::ApiError;
use crate::cli::WhoamiArgs;
use crate::command_error::Result;
use crate::commands::token_age::{age_in_days, days_ago, expiry_warning};
use crate::commands::Context;
use crate::config::{absolute, is_readable_by_others, TokenSource, UrlSource};
use crate::error::{Exit, LOGIN_HINT};
use crate::output::write_json;
use crate::report::{api_hint, print_text};
use crate::term::{sanitize, Terminal};

/// What the server said about the token (or why it was not asked).
enum TokenStatus {
    Valid,
    Invalid,
    Forbidden,
    Unreachable(ApiError),
    NotLoggedIn,
    Skipped,
}

impl TokenStatus {
    fn as_str(&self) -> &'static str {
        match self {
            TokenStatus::Valid => "valid",
            TokenStatus::Invalid => "invalid",
            TokenStatus::Forbidden => "forbidden",
            TokenStatus::Unreachable(_) => "unreachable",
            TokenStatus::NotLoggedIn => "not_logged_in",
            TokenStatus::Skipped => "skipped",
        }
    }

    fn exit(&self) -> Exit {
        match self {
            TokenStatus::Valid | TokenStatus::Skipped => Exit::Success,
            TokenStatus::Invalid | TokenStatus::Forbidden | TokenStatus::NotLoggedIn => Exit::Auth,
            TokenStatus::Unreachable(_) => Exit::Failure,
        }
    }

    /// The result line scripts grep for (as the Node CLI prints it).
    fn line(&self) -> Option<&'static str> {
        match self {
            TokenStatus::Valid => Some("Token is valid."),
            TokenStatus::Invalid => Some("Token is invalid or expired."),
            TokenStatus::Forbidden => Some("Token was rejected: it lacks permission (HTTP 403)."),
            TokenStatus::Unreachable(_) => Some("Could not reach server to validate token."),
            TokenStatus::NotLoggedIn => Some("Not logged in."),
            TokenStatus::Skipped => None,
        }
    }
}

pub async fn run(ctx: &Context, args: &WhoamiArgs) -> Result<Exit> {
    ctx.skip_age_reminder();
    let settings = ctx.settings()?;
    let config_path = settings.config.as_ref().map(|c| absolute(&c.path));
    let url = settings.url.clone();

    let token = settings.token.as_ref();
    let source = token.map(|(_, source)| source);
    let status = match token {
        None => TokenStatus::NotLoggedIn,
        Some(_) if args.no_verify => TokenStatus::Skipped,
        Some((token, _)) => {
            ctx.announce_destination(&settings);
            let client = ctx.client_for(url.clone(), Some(token.clone()))?;
            match client.validate_token().await {
                Ok(()) => TokenStatus::Valid,
                Err(ApiError::Unauthorized) => TokenStatus::Invalid,
                Err(ApiError::Forbidden { .. }) => TokenStatus::Forbidden,
                Err(e) => TokenStatus::Unreachable(e),
            }
        }
    };

    // The age only means something for a token `login` saved.
    let saved_at = settings.saved_at().map(str::to_owned);
    // The token itself is never echoed, even if a hand-edited file put it in savedAt.
    let secrets: Vec<String> = token
        .iter()
        .map(|(token, _)| token.expose().to_owned())
        .collect();
    let age_days = match saved_at.as_deref().map(|s| age_in_days(s, &secrets)) {
        Some(Ok(days)) => Some(days),
        Some(Err(warning)) => {
            noteln!("warning: {}", sanitize(&warning));
            None
        }
        None => None,
    };

    if args.json {
        let report = Report {
            logged_in: token.is_some(),
            status: status.as_str(),
            token_prefix: token.map(|(token, _)| token.raw_prefix()),
            token_source: source.map(TokenSource::as_str),
            config_path: config_path.as_ref().map(|p| p.display().to_string()),
            url: url.as_str(),
            url_source: settings.url_source.as_str(),
            saved_at: saved_at.as_deref(),
            profile: settings.profile.name.as_str(),
        };
        write_json(
            &mut std::io::stdout().lock(),
            // Strings and an Option of each: nothing that could fail to serialise.
            &serde_json::to_value(&report).expect("a Report serialises"),
        )?;
    } else if let Some((token, source)) = token {
        outln!(
            "Token: {}... (from {})",
            token.raw_prefix(),
            source.describe()
        );
        let default = if settings.url_source == UrlSource::Default {
            " (default)"
        } else {
            ""
        };
        outln!("URL: {}{default}", url.as_str());
        let profile = &settings.profile;
        if !profile.name.is_default() {
            outln!("Profile: {} ({})", profile.name, profile.source.describe());
        }
        if let (Some(saved), Some(days)) = (&saved_at, age_days) {
            outln!("Saved: {saved} ({})", days_ago(days));
        }
    }
    if !args.json {
        if let Some(line) = status.line() {
            outln!("{line}");
        }
    }

    print_advice(
        &status,
        source,
        age_days,
        &settings.login_command(),
        &ctx.terminal,
    );
    Ok(status.exit())
}

/// `whoami --json`, one object whose keys scripts rely on, in this order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Report<'a> {
    logged_in: bool,
    status: &'static str,
    token_prefix: Option<&'a str>,
    token_source: Option<&'static str>,
    config_path: Option<String>,
    url: &'a str,
    url_source: &'static str,
    saved_at: Option<&'a str>,
    /// The profile in use: `default` is the top level of the file.
    profile: &'a str,
}

/// Warnings and next steps, on stderr.
fn print_advice(
    status: &TokenStatus,
    source: Option<&TokenSource>,
    age_days: Option<i64>,
    login: &str,
    terminal: &Terminal,
) {
    if let Some(TokenSource::Config(origin)) = source {
        let path = &origin.path;
        if is_readable_by_others(path) {
            errln!(
                "warning: {} holds a token and can be read by other users; run `chmod 600 {}`",
                absolute(path).display(),
                path.display()
            );
        }
    }
    if let Some(warning) = age_days.and_then(|days| expiry_warning(days, login)) {
        noteln!("warning: {}", sanitize(&warning));
    }
    match status {
        TokenStatus::NotLoggedIn if login != "kopai login" => {
            noteln!("hint: run `{}` or set KOPAI_TOKEN", sanitize(login))
        }
        TokenStatus::NotLoggedIn => noteln!("hint: {LOGIN_HINT}"),
        TokenStatus::Invalid => noteln!(
            "hint: create a new CLI token in the dashboard (Settings → Access Tokens), then run `{}`",
            sanitize(login)
        ),
        TokenStatus::Forbidden => {
            noteln!(
                "hint: use a CLI token with read access (Settings → Access Tokens), then run `{}`",
                sanitize(login)
            )
        }
        TokenStatus::Unreachable(e) => print_text(&e.to_string(), api_hint(e).as_deref(), terminal),
        TokenStatus::Valid | TokenStatus::Skipped => {}
    }
}
