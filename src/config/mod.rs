//! `.kopairc` and the precedence that picks the profile, token and URL a command uses.

mod file;
mod locate;
mod model;
mod otlp;
mod profile_name;
mod resolve;
mod source;
mod token_store;

pub use file::{is_readable_by_others, ConfigError, ConfigFile};
pub use locate::{
    absolute, env_var, find_config, home_config, local_config, write_target, Overrides, WriteTarget,
};
pub use model::ProfileName;
pub use otlp::{OtlpOverrides, OtlpTarget, Signal};
pub use resolve::{resolve, resolve_url, Settings};
pub use source::{
    select_profile, ActiveProfile, OtlpSource, ProfileSource, TokenSource, UrlSource,
};
pub use token_store::{TokenKind, TokenStore};

/// Why the settings could not be worked out: a config file, or the value of a flag or an
/// environment variable.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error(transparent)]
    File(#[from] ConfigError),
    #[error(transparent)]
    Value(#[from] crate::error::UserError),
}
