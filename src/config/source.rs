//! Where each setting in use came from: the profile, the token and the URL, and for sending,
//! the OTLP endpoint and the ingest token. Kept as values,
//! not strings, so a rule such as "send a token only to the URL from the same place" is one
//! comparison.

use std::path::PathBuf;

use super::file::ConfigFile;
use super::locate::{absolute, env_var, Overrides};
use super::model::ProfileName;
use crate::error::UserError;

/// One profile of one config file: where a value read from a file came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileOrigin {
    pub path: PathBuf,
    pub profile: ProfileName,
}

impl FileOrigin {
    /// `/abs/.kopairc`, or `/abs/.kopairc, profile staging`.
    pub fn describe(&self) -> String {
        let path = absolute(&self.path).display().to_string();
        match self.profile.is_default() {
            true => path,
            false => format!("{path}, profile {}", self.profile),
        }
    }
}

/// Why a profile is the one in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileSource {
    Flag,
    Env,
    /// The file's `defaultProfile` (`kopai profiles use`).
    File,
    /// Nothing chose one: the top level of the file.
    Default,
}

impl ProfileSource {
    /// What `kopai profiles` and `whoami` say: `--profile`, `KOPAI_PROFILE`, …
    pub fn describe(self) -> &'static str {
        match self {
            ProfileSource::Flag => "--profile",
            ProfileSource::Env => "KOPAI_PROFILE",
            ProfileSource::File => "defaultProfile",
            ProfileSource::Default => "default",
        }
    }

    /// For JSON: `flag`, `env`, `config`, `default`, as `tokenSource` and `urlSource` spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            ProfileSource::Flag => "flag",
            ProfileSource::Env => "env",
            ProfileSource::File => "config",
            ProfileSource::Default => "default",
        }
    }
}

/// The profile a command uses, and why.
#[derive(Debug, Clone)]
pub struct ActiveProfile {
    pub name: ProfileName,
    pub source: ProfileSource,
}

/// `--profile` → `KOPAI_PROFILE` → the file's `defaultProfile` → `default` (the top level).
/// Whether the file has it is the caller's question: `login` creates it.
pub fn select_profile(
    global: &Overrides,
    file: Option<&ConfigFile>,
) -> Result<ActiveProfile, UserError> {
    let active = |name: &ProfileName, source| ActiveProfile {
        name: name.clone(),
        source,
    };
    if let Some(name) = &global.profile {
        return Ok(active(name, ProfileSource::Flag));
    }
    if let Some(raw) = env_var("KOPAI_PROFILE")? {
        let name = ProfileName::parse(&raw)
            .map_err(|e| UserError::usage(format!("KOPAI_PROFILE: {e}")))?;
        return Ok(active(&name, ProfileSource::Env));
    }
    match file.and_then(|file| file.config().default_profile.as_ref()) {
        Some(name) => Ok(active(name, ProfileSource::File)),
        None => Ok(active(ProfileName::default_ref(), ProfileSource::Default)),
    }
}

/// Where the URL in use came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlSource {
    Flag,
    Env,
    Config(FileOrigin),
    Default,
}

impl UrlSource {
    /// The `urlSource` of `whoami --json`.
    pub fn as_str(&self) -> &'static str {
        match self {
            UrlSource::Flag => "flag",
            UrlSource::Env => "env",
            UrlSource::Config(_) => "config",
            UrlSource::Default => "default",
        }
    }
}

/// Where the token in use came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    Flag,
    Env,
    Config(FileOrigin),
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
            TokenSource::Config(origin) => origin.describe(),
        }
    }

    /// Whether the URL was given in the same place: both flags, both variables, or the same
    /// profile of the same file.
    pub fn same_place_as(&self, url: &UrlSource) -> bool {
        match (self, url) {
            (TokenSource::Flag, UrlSource::Flag) | (TokenSource::Env, UrlSource::Env) => true,
            (TokenSource::Config(token), UrlSource::Config(url)) => token == url,
            _ => false,
        }
    }
}

/// Where the OTLP endpoint or the ingest token in use came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OtlpSource {
    /// `--otlp-url` or `--ingest-token`.
    Flag(&'static str),
    /// `KOPAI_OTLP_URL`, `KOPAI_INGEST_TOKEN`, or one of the OpenTelemetry SDK's variables.
    Env(&'static str),
    /// The profile's `otlp_url` or `ingest_token`.
    Config {
        key: &'static str,
        origin: FileOrigin,
    },
    /// The endpoint only: derived from the API URL.
    Derived,
}

impl OtlpSource {
    /// The `otlpUrlSource` and `ingestTokenSource` of `whoami --json`, spelt as `urlSource`.
    pub fn as_str(&self) -> &'static str {
        match self {
            OtlpSource::Flag(_) => "flag",
            OtlpSource::Env(_) => "env",
            OtlpSource::Config { .. } => "config",
            OtlpSource::Derived => "derived",
        }
    }
}

/// `from --otlp-url`, `from KOPAI_INGEST_TOKEN`, `from otlp_url in /abs/.kopairc, profile ci`,
/// `derived from the API URL`: what follows a URL or token prefix in parentheses.
impl std::fmt::Display for OtlpSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OtlpSource::Flag(name) | OtlpSource::Env(name) => write!(f, "from {name}"),
            OtlpSource::Config { key, origin } => {
                write!(f, "from {key} in {}", origin.describe())
            }
            OtlpSource::Derived => f.write_str("derived from the API URL"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::OtlpSource;

    /// Each source reads after a URL in parentheses: `(from --otlp-url)`, never `(from derived
    /// from the API URL)`.
    #[test]
    fn an_otlp_source_reads_in_parentheses() {
        let said = [
            OtlpSource::Flag("--otlp-url"),
            OtlpSource::Env("KOPAI_INGEST_TOKEN"),
            OtlpSource::Derived,
        ]
        .map(|source| format!("({source})"));
        assert_eq!(
            said,
            [
                "(from --otlp-url)",
                "(from KOPAI_INGEST_TOKEN)",
                "(derived from the API URL)"
            ]
        );
    }
}
