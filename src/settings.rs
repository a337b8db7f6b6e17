//! Which config file, token and URL a command uses, and where each came from.
//! Precedence everywhere: flag → environment → config file → default.

use std::env;
use std::path::{Path, PathBuf};

use url::Url;

use crate::cli::GlobalArgs;
use crate::config::{ConfigError, ConfigFile, FILE_NAME};
use crate::error::UserError;
use crate::secret::Token;

pub const DEFAULT_URL: &str = "https://kopai.app";

/// Reads a `KOPAI_*` variable; an empty value counts as unset.
pub fn env_var(name: &str) -> Option<String> {
    env::var(name).ok().filter(|v| !v.is_empty())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Flag,
    Env,
    Config,
    Default,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Flag => "flag",
            Source::Env => "env",
            Source::Config => "config",
            Source::Default => "default",
        }
    }
}

/// The server root, normalised: `http(s)` only, no trailing `/` or `/signals`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let trimmed = raw.trim();
        let url =
            Url::parse(trimmed).map_err(|e| format!("`{trimmed}` is not a valid URL ({e})"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("`{trimmed}` must start with http:// or https://"));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(format!("`{trimmed}` has no host"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(format!(
                "`{}` must not contain credentials; use a token instead",
                url.host_str().unwrap_or_default()
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(format!("`{trimmed}` must not have a query or fragment"));
        }
        let mut text = url.as_str().trim_end_matches('/').to_owned();
        if let Some(stripped) = text.strip_suffix("/signals") {
            text = stripped.trim_end_matches('/').to_owned();
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Plain http to anything but this machine exposes the token on the network.
    pub fn is_insecure(&self) -> bool {
        let Ok(url) = Url::parse(&self.0) else {
            return false;
        };
        if url.scheme() != "http" {
            return false;
        }
        match url.host() {
            Some(url::Host::Domain(d)) => !d.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => !ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => !ip.is_loopback(),
            None => true,
        }
    }
}

/// A config path named by `--config` or `KOPAI_CONFIG`, if any.
pub fn named_config(global: &GlobalArgs) -> Option<PathBuf> {
    global
        .config
        .clone()
        .or_else(|| env_var("KOPAI_CONFIG").map(PathBuf::from))
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

/// The file `login` and `logout` change: `--config` → `KOPAI_CONFIG` → `--global`
/// (`~/.kopairc`) → `./.kopairc`.
pub fn write_target(global: &GlobalArgs, use_global: bool) -> Result<PathBuf, UserError> {
    if use_global && global.config.is_some() {
        return Err(UserError::usage(
            "--config and --global cannot be used together",
        ));
    }
    match named_config(global) {
        Some(path) => {
            if use_global {
                errln!(
                    "warning: KOPAI_CONFIG is set, so {} is used instead of ~/.kopairc",
                    path.display()
                );
            }
            Ok(path)
        }
        None if use_global => home_config(),
        None => Ok(local_config()),
    }
}

/// Finds the config to read: `--config` → `KOPAI_CONFIG` → `./.kopairc` → `~/.kopairc`.
/// The first that exists is used whole; a named file that does not exist is an error.
pub fn find_config(global: &GlobalArgs) -> anyhow::Result<Option<ConfigFile>> {
    if let Some(path) = named_config(global) {
        return match ConfigFile::load(&path)? {
            Some(file) => Ok(Some(file)),
            None => Err(ConfigError::Missing { path }.into()),
        };
    }
    if let Some(file) = ConfigFile::load(&local_config())? {
        return Ok(Some(file));
    }
    match dirs::home_dir() {
        Some(home) => Ok(ConfigFile::load(&home.join(FILE_NAME))?),
        None => Ok(None),
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
pub struct Resolved {
    pub config: Option<ConfigFile>,
    pub token: Option<(Token, TokenSource)>,
    pub url: BaseUrl,
    pub url_source: Source,
}

pub fn resolve(global: &GlobalArgs) -> anyhow::Result<Resolved> {
    let config = find_config(global)?;
    let token = resolve_token(global, config.as_ref())?;
    let (url, url_source) = resolve_url(global, config.as_ref())?;
    Ok(Resolved {
        config,
        token,
        url,
        url_source,
    })
}

fn resolve_token(
    global: &GlobalArgs,
    config: Option<&ConfigFile>,
) -> anyhow::Result<Option<(Token, TokenSource)>> {
    if let Some(raw) = &global.token {
        let token = raw
            .parse()
            .map_err(|e| UserError::usage(format!("--token: {e}")))?;
        return Ok(Some((token, TokenSource::Flag)));
    }
    if let Some(raw) = env_var("KOPAI_TOKEN") {
        let token =
            Token::parse(&raw).map_err(|e| UserError::usage(format!("KOPAI_TOKEN: {e}")))?;
        return Ok(Some((token, TokenSource::Env)));
    }
    let Some(file) = config else { return Ok(None) };
    match file.get("token") {
        None => Ok(None),
        Some(raw) => {
            let token = Token::parse(raw).map_err(|message| ConfigError::BadValue {
                path: file.path.clone(),
                message: format!("\"token\": {message}"),
            })?;
            Ok(Some((token, TokenSource::Config(file.path.clone()))))
        }
    }
}

/// `--url` → `KOPAI_URL` → the config's `url` → the default.
pub fn resolve_url(
    global: &GlobalArgs,
    config: Option<&ConfigFile>,
) -> anyhow::Result<(BaseUrl, Source)> {
    if let Some(raw) = &global.url {
        let url = BaseUrl::parse(raw).map_err(|e| UserError::usage(format!("--url: {e}")))?;
        return Ok((url, Source::Flag));
    }
    if let Some(raw) = env_var("KOPAI_URL") {
        let url = BaseUrl::parse(&raw).map_err(|e| UserError::usage(format!("KOPAI_URL: {e}")))?;
        return Ok((url, Source::Env));
    }
    if let Some(file) = config {
        if let Some(raw) = file.get("url") {
            let url = BaseUrl::parse(raw).map_err(|message| ConfigError::BadValue {
                path: file.path.clone(),
                message: format!("\"url\": {message}"),
            })?;
            return Ok((url, Source::Config));
        }
    }
    Ok((
        BaseUrl::parse(DEFAULT_URL).expect("the default URL is valid"),
        Source::Default,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_is_normalised() {
        let url = |s| BaseUrl::parse(s).map(|u| u.0);
        assert_eq!(url("https://kopai.app/").unwrap(), "https://kopai.app");
        assert_eq!(url("http://h:8000/signals/").unwrap(), "http://h:8000");
        assert_eq!(url("https://h/base/signals").unwrap(), "https://h/base");
        assert!(url("ftp://h").is_err());
        assert!(url("kopai.app").is_err());
        assert!(url("https://user:pw@h").is_err());
    }

    #[test]
    fn plain_http_is_insecure_off_loopback() {
        let insecure = |s| BaseUrl::parse(s).unwrap().is_insecure();
        assert!(insecure("http://kopai.example.com"));
        assert!(!insecure("http://127.0.0.1:8000"));
        assert!(!insecure("http://localhost:8000"));
        assert!(!insecure("http://[::1]:8000"));
        assert!(!insecure("https://kopai.app"));
    }
}
