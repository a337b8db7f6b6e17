//! The error every command returns. It keeps the kind it was made with (a usage mistake, a
//! config file, the server, …) all the way up: there is a `From` only for the error types
//! listed in [`Cause`], so an error of a new type does not compile until it is given a kind,
//! rather than quietly becoming exit 1. How each kind is shown and which exit code it has is
//! decided in `report`, in one place.

use std::fmt;

use crate::api::{ApiError, SetupError};
use crate::config::{ConfigError, SettingsError};
use crate::error::{NoMatch, UserError};

pub type Result<T, E = CommandError> = std::result::Result<T, E>;

#[derive(Debug)]
pub struct CommandError {
    pub cause: Cause,
    /// Rarely set, so boxed: every command's `Result` carries this error.
    notes: Option<Box<Notes>>,
}

#[derive(Debug, Default)]
struct Notes {
    /// What the command was doing, outermost first, said before the cause.
    context: Vec<String>,
    /// A next step that knows more than the cause alone (the URL it was sent to), said instead
    /// of the cause's own.
    hint: Option<String>,
}

/// What went wrong, typed where it was made.
#[derive(Debug, thiserror::Error)]
pub enum Cause {
    #[error(transparent)]
    Usage(#[from] UserError),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    NoMatch(#[from] NoMatch),
    #[error(transparent)]
    Setup(#[from] SetupError),
    /// Writing the results failed (commands wrap the errors of reading files and stdin in
    /// their own). A closed pipe is not a failure: the reader has what it wanted.
    #[error("could not write to stdout: {0}")]
    Output(std::io::Error),
    /// Anything else that stops a command, said in words.
    #[error("{0}")]
    Failure(String),
}

macro_rules! kinds {
    ($($(#[$doc:meta])* $kind:ident),* $(,)?) => {
        /// What the user can do about an error; each has one exit code (`report::exit_code`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum ErrorKind { $($(#[$doc])* $kind),* }

        impl ErrorKind {
            /// Every kind, for the test that each has a documented exit code.
            #[cfg(test)]
            pub const ALL: &[ErrorKind] = &[$(ErrorKind::$kind),*];
        }
    };
}

kinds! {
    /// Fix what was typed or piped in.
    Usage,
    /// Fix the config file.
    Config,
    /// Log in, or use a token with access.
    Auth,
    /// The server or the network failed.
    Api,
    /// `--wait` ran out of time.
    NoMatch,
    /// The results could not be written.
    Output,
    /// kopai itself could not set up (TLS, the runtime, signals) or the server sent nothing
    /// usable.
    Failure,
}

impl CommandError {
    /// A failure said in words, with no more specific kind.
    pub fn failure(message: impl Into<String>) -> Self {
        Cause::Failure(message.into()).into()
    }

    /// Says what the command was doing when it failed.
    pub fn context(mut self, what: impl Into<String>) -> Self {
        self.notes().context.insert(0, what.into());
        self
    }

    pub fn with_hint(mut self, hint: String) -> Self {
        self.notes().hint = Some(hint);
        self
    }

    fn notes(&mut self) -> &mut Notes {
        self.notes.get_or_insert_with(Box::default)
    }

    pub fn has_context(&self) -> bool {
        self.notes.as_ref().is_some_and(|n| !n.context.is_empty())
    }

    /// The next step given with [`CommandError::with_hint`], if any.
    pub fn hint(&self) -> Option<&str> {
        self.notes.as_ref()?.hint.as_deref()
    }

    pub fn kind(&self) -> ErrorKind {
        match &self.cause {
            Cause::Usage(_) => ErrorKind::Usage,
            Cause::Config(_) => ErrorKind::Config,
            Cause::Api(e) if e.is_auth() => ErrorKind::Auth,
            Cause::Api(_) => ErrorKind::Api,
            Cause::NoMatch(_) => ErrorKind::NoMatch,
            Cause::Output(_) => ErrorKind::Output,
            Cause::Setup(_) | Cause::Failure(_) => ErrorKind::Failure,
        }
    }
}

impl<T: Into<Cause>> From<T> for CommandError {
    fn from(cause: T) -> Self {
        Self {
            cause: cause.into(),
            notes: None,
        }
    }
}

/// A settings error keeps its own kind: a config file, or a value typed.
impl From<SettingsError> for Cause {
    fn from(error: SettingsError) -> Self {
        match error {
            SettingsError::File(e) => Cause::Config(e),
            SettingsError::Value(e) => Cause::Usage(e),
        }
    }
}

impl From<std::io::Error> for Cause {
    fn from(error: std::io::Error) -> Self {
        Cause::Output(error)
    }
}

/// The context, then the cause, each followed by its own source: `what: why: detail`.
impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let context = self.notes.as_ref().map(|n| n.context.as_slice());
        for what in context.unwrap_or_default() {
            write!(f, "{what}: ")?;
        }
        write!(f, "{}", self.cause)?;
        let mut source = std::error::Error::source(&self.cause);
        while let Some(error) = source {
            write!(f, ": {error}")?;
            source = error.source();
        }
        Ok(())
    }
}
