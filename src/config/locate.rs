//! Which config file a command reads, and which one `login` and `logout` change.

use std::env;
use std::path::{Path, PathBuf};

use super::file::{ConfigError, ConfigFile, FILE_NAME};
use super::model::ProfileName;
use super::SettingsError;
use crate::error::UserError;
use crate::secret::RawToken;

/// What the command line says, before the environment and the files are asked.
#[derive(Debug, Default)]
pub struct Overrides {
    pub url: Option<String>,
    pub token: Option<RawToken>,
    pub config: Option<PathBuf>,
    pub profile: Option<ProfileName>,
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
