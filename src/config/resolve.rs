//! Which config file, token and URL a command uses, and where each came from.
//! Precedence everywhere: flag → environment → config file → default.

use std::env;
use std::path::{Path, PathBuf};

use super::file::{ConfigError, ConfigFile, FILE_NAME};
use super::model::KEY;
use super::token_store::TokenStore;
use super::SettingsError;
use crate::api::{BaseUrl, DEFAULT_URL};
use crate::error::UserError;
use crate::secret::{RawToken, Token};

/// What the command line says, before the environment and the files are asked.
#[derive(Debug, Default)]
pub struct Overrides {
    pub url: Option<String>,
    pub token: Option<RawToken>,
    pub config: Option<PathBuf>,
}

/// Reads a `KOPAI_*` variable; an empty value counts as unset. A value that is not UTF-8 is an
/// error, never "unset": that would silently pick another token or server.
pub fn env_var(name: &str) -> Result<Option<String>, UserError> {
    match env::var(name) {
        Ok(value) => Ok(Some(value).filter(|v| !v.is_empty())),
        Err(env::VarError::NotPresent) => Ok(None),
        Err(env::VarError::NotUnicode(_)) => Err(UserError::usage(format!(
            "{name} is not valid UTF-8; set it again or unset it"
        ))),
    }
}

/// Where the URL in use came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlSource {
    Flag,
    Env,
    Config,
    Default,
}

impl UrlSource {
    pub fn as_str(self) -> &'static str {
        match self {
            UrlSource::Flag => "flag",
            UrlSource::Env => "env",
            UrlSource::Config => "config",
            UrlSource::Default => "default",
        }
    }
}

/// A config path named by `--config` or `KOPAI_CONFIG`, if any.
fn named_config(global: &Overrides) -> Result<Option<PathBuf>, UserError> {
    match &global.config {
        Some(path) => Ok(Some(path.clone())),
        None => Ok(env_var("KOPAI_CONFIG")?.map(PathBuf::from)),
    }
}

pub fn home_config() -> Result<PathBuf, UserError> {
    dirs::home_dir()
        .map(|h| h.join(FILE_NAME))
        .ok_or_else(|| UserError::usage("cannot find your home directory; use --config <path>"))
}

pub fn local_config() -> PathBuf {
    PathBuf::from(FILE_NAME)
}

/// Makes a path absolute for display without resolving symlinks.
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

/// The file `login` and `logout` change, and a warning for the caller to print when
/// `KOPAI_CONFIG` overrides `--global`.
pub struct WriteTarget {
    pub path: PathBuf,
    pub warning: Option<String>,
    /// `./.kopairc`, chosen for want of `--config`, `KOPAI_CONFIG` or `--global`.
    pub local: bool,
}

/// `--config` → `KOPAI_CONFIG` → `--global` (`~/.kopairc`) → `./.kopairc`.
pub fn write_target(global: &Overrides, use_global: bool) -> Result<WriteTarget, UserError> {
    if use_global && global.config.is_some() {
        return Err(UserError::usage(
            "--config and --global cannot be used together",
        ));
    }
    let path = match named_config(global)? {
        Some(path) => {
            let warning = use_global.then(|| {
                format!(
                    "KOPAI_CONFIG is set, so {} is used instead of ~/.kopairc",
                    path.display()
                )
            });
            return Ok(WriteTarget {
                path,
                warning,
                local: false,
            });
        }
        None if use_global => home_config()?,
        None => local_config(),
    };
    Ok(WriteTarget {
        path,
        warning: None,
        local: !use_global,
    })
}

/// Finds the config to read: `--config` → `KOPAI_CONFIG` → `./.kopairc` → `~/.kopairc`.
/// The first that exists is used whole; a named file that does not exist is an error.
pub fn find_config(global: &Overrides) -> Result<Option<ConfigFile>, SettingsError> {
    if let Some(path) = named_config(global)? {
        return match ConfigFile::load(&path)? {
            Some(file) => Ok(Some(file)),
            None => Err(ConfigError::Missing { path }.into()),
        };
    }
    if let Some(file) = ConfigFile::load(&local_config())? {
        return Ok(Some(file));
    }
    match home_config() {
        Ok(path) => Ok(ConfigFile::load(&path)?),
        Err(_) => Ok(None),
    }
}

/// Where the token in use came from.
#[derive(Debug, Clone)]
pub enum TokenSource {
    Flag,
    Env,
    Config(PathBuf),
}

impl TokenSource {
    /// The `tokenSource` of `whoami --json`.
    pub fn as_str(&self) -> &'static str {
        match self {
            TokenSource::Flag => "flag",
            TokenSource::Env => "env",
            TokenSource::Config(_) => "config",
        }
    }

    pub fn describe(&self) -> String {
        match self {
            TokenSource::Flag => "--token".into(),
            TokenSource::Env => "KOPAI_TOKEN".into(),
            TokenSource::Config(path) => absolute(path).display().to_string(),
        }
    }
}

/// Everything a command that talks to the server needs.
#[derive(Debug)]
pub struct Settings {
    pub config: Option<ConfigFile>,
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
        if self.url_source != UrlSource::Config || file.path != local_config() {
            return None;
        }
        if matches!(source, TokenSource::Config(path) if same_file(path, &file.path)) {
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

    /// Where the web UI lives: `KOPAI_UI_URL` → the config's `ui_url` → the server URL (the UI
    /// is served at the server's root). A hosted UI may live on another host than its API.
    /// Resolved only by the commands that print links, so a bad value stops nothing else.
    pub fn ui_url(&self) -> Result<BaseUrl, SettingsError> {
        if let Some(url) = env_parsed("KOPAI_UI_URL", BaseUrl::parse)? {
            return Ok(url);
        }
        let from_file = match &self.config {
            Some(file) => {
                file.parsed(KEY.ui_url, file.profile().ui_url.as_deref(), BaseUrl::parse)?
            }
            None => None,
        };
        Ok(from_file.unwrap_or_else(|| self.url.clone()))
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => absolute(a) == absolute(b),
    }
}

pub fn resolve(global: &Overrides) -> Result<Settings, SettingsError> {
    let config = find_config(global)?;
    let token = resolve_token(global, config.as_ref())?;
    let (url, url_source) = resolve_url(global, config.as_ref())?;
    Ok(Settings {
        config,
        token,
        url,
        url_source,
    })
}

fn resolve_token(
    global: &Overrides,
    config: Option<&ConfigFile>,
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
    let Some(file) = config else {
        return Ok(None);
    };
    let token = TokenStore::read(file)?;
    Ok(token.map(|token| (token, TokenSource::Config(file.path.clone()))))
}

/// `--url` → `KOPAI_URL` → the config's `url` → the default.
pub fn resolve_url(
    global: &Overrides,
    config: Option<&ConfigFile>,
) -> Result<(BaseUrl, UrlSource), SettingsError> {
    if let Some(raw) = &global.url {
        let url = BaseUrl::parse(raw).map_err(|e| UserError::usage(format!("--url: {e}")))?;
        return Ok((url, UrlSource::Flag));
    }
    if let Some(url) = env_parsed("KOPAI_URL", BaseUrl::parse)? {
        return Ok((url, UrlSource::Env));
    }
    if let Some(file) = config {
        if let Some(url) = file.parsed(KEY.url, file.profile().url.as_deref(), BaseUrl::parse)? {
            return Ok((url, UrlSource::Config));
        }
    }
    Ok((
        BaseUrl::parse(DEFAULT_URL).expect("the default URL is valid"),
        UrlSource::Default,
    ))
}

/// The environment variable `name`, parsed; a bad value is a usage error that names it.
fn env_parsed<T>(name: &str, parse: fn(&str) -> Result<T, String>) -> Result<Option<T>, UserError> {
    let Some(raw) = env_var(name)? else {
        return Ok(None);
    };
    parse(&raw)
        .map(Some)
        .map_err(|e| UserError::usage(format!("{name}: {e}")))
}
