//! `.kopairc` and the precedence that picks the token and URL a command uses.

mod file;
mod model;
mod resolve;
mod token_store;

pub use file::{is_readable_by_others, ConfigError, ConfigFile};
pub use resolve::{
    absolute, env_var, home_config, local_config, resolve, resolve_url, write_target, Overrides,
    Settings, TokenSource, UrlSource, WriteTarget,
};
pub use token_store::TokenStore;

/// Why the settings could not be worked out: a config file, or the value of a flag or an
/// environment variable.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error(transparent)]
    File(#[from] ConfigError),
    #[error(transparent)]
    Value(#[from] crate::error::UserError),
}
