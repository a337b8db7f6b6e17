//! The exit-code contract, and the error for input the user can fix. Mapping every error to
//! what the user sees happens in one place: `report`.

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
    /// `--wait` ran out of time before any row matched.
    NoMatch = 5,
    /// `--follow` ended by Ctrl-C (SIGINT), everything received printed: 128 + 2, as a shell
    /// reports a command that SIGINT ended, so scripts can tell it from a normal end.
    Interrupted = 130,
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

/// `--wait` ran out of time: no row matched (exit 5).
#[derive(Debug, thiserror::Error)]
#[error("no matching rows after {waited}")]
pub struct NoMatch {
    /// The `--wait` value as the user wrote it.
    pub waited: String,
}

pub const LOGIN_HINT: &str = "run `kopai login` or set KOPAI_TOKEN";
