//! The exit-code contract, and the error for input the user can fix. Mapping every error to
//! what the user sees happens in one place: `report`.

/// Documented exit codes (README "Exit codes").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success,
    /// API or network error.
    Failure,
    /// Invalid arguments or input.
    Usage,
    /// Config file error.
    Config,
    /// Not logged in, or token rejected.
    Auth,
    /// `--wait` ran out of time before any row matched.
    NoMatch,
    /// `--follow` ended by Ctrl-C (SIGINT), everything received printed: 128 + 2, as a shell
    /// reports a command that SIGINT ended, so scripts can tell it from a normal end.
    Interrupted,
    /// `kopai exec`: the command's own exit code, mirrored (128 + N when signal N ended it,
    /// 126 or 127 when it could not be started, as shells say).
    Child(u8),
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Failure => 1,
            Exit::Usage => 2,
            Exit::Config => 3,
            Exit::Auth => 4,
            Exit::NoMatch => 5,
            Exit::Interrupted => 130,
            Exit::Child(code) => code,
        }
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        std::process::ExitCode::from(exit.code())
    }
}

/// An error the user can fix by changing what they typed or piped in (exit 2), with an
/// optional next step.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct UserError {
    pub message: String,
    pub hint: Option<String>,
    /// Lines kopai wrote (each already safe to show) listing what the message is about, such
    /// as an ambiguous prefix's candidates: printed under the message one a line, and the
    /// JSON error's `detail`. The message itself stays one line.
    /// Boxed: most errors have none, and `Invalid` query errors carry a `UserError`.
    pub listing: Box<[String]>,
}

impl UserError {
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            hint: None,
            listing: Box::default(),
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_listing(mut self, lines: Vec<String>) -> Self {
        self.listing = lines.into_boxed_slice();
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
