//! `kopai whoami`: which token is in use, from where, for which server, and whether it works;
//! and where `kopai send` would send, with which ingest token, and where each came from.

use serde::Serialize;

use crate::api::{ApiError, BaseUrl};
use crate::cli::WhoamiArgs;
use crate::command_error::Result;
use crate::commands::token_age::{age_in_days, days_ago, expiry_warning};
use crate::commands::Context;
use crate::config::{
    absolute, is_readable_by_others, OtlpOverrides, OtlpSource, Settings, SettingsError, Signal,
    TokenSource, UrlSource,
};
use crate::error::{Exit, LOGIN_HINT};
use crate::output::write_json;
use crate::report::{api_hint, print_text};
use crate::secret::Token;
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
    let ingest = Ingest::resolve(&settings, args)?;
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
        let (otlp_url, otlp_url_source) = match &ingest.url {
            Ok((url, source)) => (Some(url.as_str()), source.as_str()),
            Err(_) => (None, INVALID),
        };
        let (ingest_token_prefix, ingest_token_source) = match &ingest.token {
            Ok(Some((token, source))) => (Some(token.raw_prefix()), Some(source.as_str())),
            Ok(None) => (None, None),
            Err(_) => (None, Some(INVALID)),
        };
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
            otlp_url,
            otlp_url_source,
            ingest_token_prefix,
            ingest_token_source,
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
        ingest.print();
        if let Some(line) = status.line() {
            outln!("{line}");
        }
    }

    ingest.warn();
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
    /// Where `kopai send` sends traces, as for `url`; `null` with the source `invalid` when a
    /// setting is broken (a warning says which).
    otlp_url: Option<&'a str>,
    otlp_url_source: &'static str,
    ingest_token_prefix: Option<&'a str>,
    /// `null` when no ingest token is given anywhere.
    ingest_token_source: Option<&'static str>,
}

/// The source `whoami --json` gives for a setting that is there but unusable.
const INVALID: &str = "invalid";

/// Where `kopai send` would send traces and with which ingest token, each with where it came
/// from, or why it cannot be used (sanitised: it may quote a variable's value). A broken one
/// is a warning here, not a failure: whoami is about the CLI token, and says what send would
/// refuse.
struct Ingest {
    url: std::result::Result<(BaseUrl, OtlpSource), String>,
    token: std::result::Result<Option<(Token, OtlpSource)>, String>,
}

impl Ingest {
    /// A bad `--otlp-url` or `--ingest-token` given to whoami is an error, as any bad flag
    /// is; a variable or the file is what whoami reports on.
    fn resolve(settings: &Settings, args: &WhoamiArgs) -> std::result::Result<Self, SettingsError> {
        let overrides = OtlpOverrides {
            url: args.otlp_url.clone(),
            token: args.ingest_token.clone(),
        };
        let why = |e: SettingsError| sanitize(&e.to_string()).into_owned();
        let url = match settings.otlp_url(Signal::Traces, &overrides) {
            Err(e) if args.otlp_url.is_some() => return Err(e),
            url => url.map(|(url, _, source)| (url, source)).map_err(why),
        };
        let token = match settings.ingest_token(&overrides) {
            Err(e) if args.ingest_token.is_some() => return Err(e),
            token => token.map_err(why),
        };
        Ok(Self { url, token })
    }

    /// `OTLP: URL (from SOURCE)` and `Ingest token: kpi_xxxxxx... (from SOURCE)`, or `none`.
    fn print(&self) {
        match &self.url {
            Ok((url, source)) => outln!("OTLP: {} ({source})", url.as_str()),
            Err(_) => outln!("OTLP: {INVALID}"),
        }
        match &self.token {
            Ok(Some((token, source))) => {
                outln!("Ingest token: {} ({source})", token.prefix())
            }
            Ok(None) => outln!("Ingest token: none"),
            Err(_) => outln!("Ingest token: {INVALID}"),
        }
    }

    fn warn(&self) {
        for problem in [self.url.as_ref().err(), self.token.as_ref().err()]
            .into_iter()
            .flatten()
        {
            errln!("warning: {problem}");
        }
    }
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
