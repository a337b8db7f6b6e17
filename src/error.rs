//! The exit-code contract and the errors that carry one.

use crate::client::ApiError;
use crate::config::ConfigError;

/// Documented exit codes (README "Exit codes").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    /// API or network error.
    Failure = 1,
    /// Invalid arguments or input.
    Usage = 2,
    /// Config file error.
    Config = 3,
    /// Not logged in, or token rejected.
    Auth = 4,
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        std::process::ExitCode::from(exit as u8)
    }
}

/// An error the user can fix by changing what they typed or piped in (exit 2), with an
/// optional next step.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct UserError {
    pub message: String,
    pub hint: Option<String>,
}

impl UserError {
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

pub const LOGIN_HINT: &str = "run `kopai login` or set KOPAI_TOKEN";

/// What `main` needs to report an error: its exit code, a machine name, the message for JSON
/// errors (the API's `detail` goes in its own field), and a next step.
pub struct Report {
    pub exit: Exit,
    pub name: &'static str,
    pub message: String,
    pub hint: Option<String>,
    pub status: Option<u16>,
    pub detail: Option<String>,
}

pub fn classify(err: &anyhow::Error) -> Report {
    let plain = |exit, name| Report {
        exit,
        name,
        message: format!("{err:#}"),
        hint: None,
        status: None,
        detail: None,
    };
    if let Some(e) = err.downcast_ref::<UserError>() {
        return Report {
            hint: e.hint.clone(),
            ..plain(Exit::Usage, "UsageError")
        };
    }
    if let Some(e) = err.downcast_ref::<ConfigError>() {
        return Report {
            hint: e.hint(),
            ..plain(Exit::Config, "ConfigError")
        };
    }
    if let Some(e) = err.downcast_ref::<ApiError>() {
        return Report {
            exit: e.exit(),
            name: e.name(),
            message: e.headline(),
            hint: e.hint(),
            status: e.status(),
            detail: e.detail().map(str::to_owned),
        };
    }
    plain(Exit::Failure, "Error")
}
