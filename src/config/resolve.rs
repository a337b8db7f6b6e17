//! The token and URL a command uses, and where each came from:
//! flag → environment → the selected profile of the config file → default.

use std::path::Path;

use super::file::{ConfigError, ConfigFile};
use super::locate::{absolute, env_var, find_config, home_config, local_config, Overrides};
use super::model::{ProfileName, KEY};
use super::source::{select_profile, ActiveProfile, FileOrigin, TokenSource, UrlSource};
use super::token_store::{TokenKind, TokenStore};
use super::SettingsError;
use crate::api::{BaseUrl, DEFAULT_URL};
use crate::error::UserError;
use crate::secret::Token;

/// Everything a command that talks to the server needs.
#[derive(Debug)]
pub struct Settings {
    pub config: Option<ConfigFile>,
    pub profile: ActiveProfile,
    pub token: Option<(Token, TokenSource)>,
    pub url: BaseUrl,
    pub url_source: UrlSource,
}

impl Settings {
    /// A note for stderr when the token and the URL come from different places and the URL
    /// from `./.kopairc`: a file in a cloned repository can name any server, and the token from
    /// `KOPAI_TOKEN` or `--token` would go there without a word.
    pub fn token_destination_note(&self) -> Option<String> {
        let (_, source) = self.token.as_ref()?;
        let file = self.config.as_ref()?;
        if !matches!(self.url_source, UrlSource::Config(_)) || file.path != local_config() {
            return None;
        }
        if source.same_place_as(&self.url_source) {
            return None;
        }
        // Run from the home directory, ./.kopairc is the user's own ~/.kopairc.
        if home_config().is_ok_and(|home| same_file(&home, &file.path)) {
            return None;
        }
        Some(format!(
            "sending the token from {} to {} (url from ./.kopairc)",
            source.describe(),
            self.url.as_str()
        ))
    }

    /// The token that comes from where the URL comes from: both from flags, both from the
    /// environment, or one profile of one config file (its own token even when `KOPAI_TOKEN`
    /// or `--token` took precedence). Shell completion sends no other: it runs with stderr thrown away, so
    /// the note above could never say that a `./.kopairc` in a cloned repository chose the
    /// server the environment's token would go to.
    pub fn token_for_url(&self) -> Option<Token> {
        match (&self.token, &self.url_source) {
            (Some((token, source)), url) if source.same_place_as(url) => Some(token.clone()),
            (_, UrlSource::Config(origin)) => {
                let file = self.config.as_ref()?;
                TokenStore::read(file, &origin.profile, TokenKind::Cli)
                    .ok()
                    .flatten()
            }
            _ => None,
        }
    }

    /// Where the web UI lives: `KOPAI_UI_URL` → the config's `ui_url` → the server URL (the UI
    /// is served at the server's root). A hosted UI may live on another host than its API.
    /// Resolved only by the commands that print links, so a bad value stops nothing else.
    pub fn ui_url(&self) -> Result<BaseUrl, SettingsError> {
        if let Some(url) = env_parsed("KOPAI_UI_URL", BaseUrl::parse)? {
            return Ok(url);
        }
        let from_file = match &self.config {
            Some(file) => {
                let profile = &self.profile.name;
                let value = file.profile(profile)?.ui_url.as_deref();
                file.parsed(profile, KEY.ui_url, value, BaseUrl::parse)?
            }
            None => None,
        };
        Ok(from_file.unwrap_or_else(|| self.url.clone()))
    }
}

impl Settings {
    /// When the token in use was saved: only for a token from the file, which `login` dated.
    pub fn saved_at(&self) -> Option<&str> {
        let Some((_, TokenSource::Config(origin))) = &self.token else {
            return None;
        };
        let profile = self.config.as_ref()?.config().profile(&origin.profile)?;
        profile.saved_at.as_deref()
    }

    /// The `kopai login` that saves a new token where the one in use came from: `--global`
    /// for `~/.kopairc`, `--config` for a file other than `./.kopairc`, and `--profile` for a
    /// named profile (or `default` when the file's `defaultProfile` names another). Without a
    /// token from the file, the `kopai login` that saves one for the profile in use.
    pub fn login_command(&self) -> String {
        let mut command = String::from("kopai login");
        let (Some((_, TokenSource::Config(origin))), Some(file)) = (&self.token, &self.config)
        else {
            if !self.profile.name.is_default() {
                command.push_str(&format!(" --profile {}", self.profile.name));
            }
            return command;
        };
        if origin.path != local_config() {
            if home_config().is_ok_and(|home| same_file(&home, &origin.path)) {
                command.push_str(" --global");
            } else {
                command.push_str(" --config ");
                command.push_str(&shell_quote(&absolute(&origin.path).display().to_string()));
            }
        }
        if !origin.profile.is_default() || file.config().default_profile.is_some() {
            command.push_str(&format!(" --profile {}", origin.profile));
        }
        command
    }
}

/// `text` as one shell word: as it is when it is plain, else in single quotes.
fn shell_quote(text: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-~+,:@%=".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        return text.to_owned();
    }
    format!("'{}'", text.replace('\'', "'\\''"))
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => absolute(a) == absolute(b),
    }
}

pub fn resolve(global: &Overrides) -> Result<Settings, SettingsError> {
    let config = find_config(global)?;
    let profile = select_profile(global, config.as_ref())?;
    // A profile that is asked for must exist, even when flags or variables give the token and
    // URL: a misspelt name is never silently the top level.
    match &config {
        Some(file) => {
            file.profile(&profile.name)?;
        }
        None if !profile.name.is_default() => {
            return Err(ConfigError::NoFileForProfile { name: profile.name }.into())
        }
        None => {}
    }
    let from_file = config.as_ref().map(|file| (file, &profile.name));
    let token = resolve_token(global, from_file)?;
    let (url, url_source) = resolve_url(global, from_file)?;
    Ok(Settings {
        config,
        profile,
        token,
        url,
        url_source,
    })
}

fn resolve_token(
    global: &Overrides,
    from_file: Option<(&ConfigFile, &ProfileName)>,
) -> Result<Option<(Token, TokenSource)>, SettingsError> {
    if let Some(raw) = &global.token {
        let token = raw
            .parse()
            .map_err(|e| UserError::usage(format!("--token: {e}")))?;
        return Ok(Some((token, TokenSource::Flag)));
    }
    if let Some(token) = env_parsed("KOPAI_TOKEN", Token::parse)? {
        return Ok(Some((token, TokenSource::Env)));
    }
    let Some((file, profile)) = from_file else {
        return Ok(None);
    };
    let token = TokenStore::read(file, profile, TokenKind::Cli)?;
    Ok(token.map(|token| (token, TokenSource::Config(origin(file, profile)))))
}

/// `--url` → `KOPAI_URL` → the `url` of the profile in the file (if it has that profile) →
/// the default.
pub fn resolve_url(
    global: &Overrides,
    from_file: Option<(&ConfigFile, &ProfileName)>,
) -> Result<(BaseUrl, UrlSource), SettingsError> {
    if let Some(raw) = &global.url {
        let url = BaseUrl::parse(raw).map_err(|e| UserError::usage(format!("--url: {e}")))?;
        return Ok((url, UrlSource::Flag));
    }
    if let Some(url) = env_parsed("KOPAI_URL", BaseUrl::parse)? {
        return Ok((url, UrlSource::Env));
    }
    if let Some((file, profile)) = from_file {
        let value = file
            .config()
            .profile(profile)
            .and_then(|p| p.url.as_deref());
        if let Some(url) = file.parsed(profile, KEY.url, value, BaseUrl::parse)? {
            return Ok((url, UrlSource::Config(origin(file, profile))));
        }
    }
    Ok((
        BaseUrl::parse(DEFAULT_URL).expect("the default URL is valid"),
        UrlSource::Default,
    ))
}

fn origin(file: &ConfigFile, profile: &ProfileName) -> FileOrigin {
    FileOrigin {
        path: file.path.clone(),
        profile: profile.clone(),
    }
}

/// The environment variable `name`, parsed; a bad value is a usage error that names it.
pub(super) fn env_parsed<T>(
    name: &str,
    parse: fn(&str) -> Result<T, String>,
) -> Result<Option<T>, UserError> {
    let Some(raw) = env_var(name)? else {
        return Ok(None);
    };
    parse(&raw)
        .map(Some)
        .map_err(|e| UserError::usage(format!("{name}: {e}")))
}
