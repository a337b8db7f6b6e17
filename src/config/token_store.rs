//! Reading, saving and removing the tokens (the CLI token and the ingest token): the one place
//! that knows where in a config file they are kept. (A keyring could stand beside it later.)

use std::path::PathBuf;

use super::file::{ConfigError, ConfigFile};
use super::locate::Overrides;
use super::model::{Profile, ProfileName, KEY};
use super::source::{select_profile, ActiveProfile, FileOrigin};
use super::SettingsError;
use crate::api::BaseUrl;
use crate::secret::Token;

/// Which of a profile's two tokens: the CLI token (`token`, read-only, for the API) or the
/// ingest token (`ingest_token`, for sending over OTLP).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Cli,
    Ingest,
}

impl TokenKind {
    /// Its key in the file.
    pub fn key(self) -> &'static str {
        match self {
            TokenKind::Cli => KEY.token,
            TokenKind::Ingest => KEY.ingest_token,
        }
    }

    fn value(self, profile: &Profile) -> Option<&str> {
        match self {
            TokenKind::Cli => profile.token.as_deref(),
            TokenKind::Ingest => profile.ingest_token.as_deref(),
        }
    }

    fn slot(self, profile: &mut Profile) -> &mut Option<String> {
        match self {
            TokenKind::Cli => &mut profile.token,
            TokenKind::Ingest => &mut profile.ingest_token,
        }
    }
}

/// The tokens of one profile of one config file, for `login` to save and `logout` to remove.
pub struct TokenStore {
    file: ConfigFile,
    profile: ActiveProfile,
}

impl TokenStore {
    /// The store at `path`, read (and so checked) before anything is asked or saved: a file
    /// that cannot be parsed is an error and is never overwritten. No file is an empty store.
    /// The profile is chosen as for every command (`--profile` → `KOPAI_PROFILE` → the file's
    /// `defaultProfile` → the top level).
    pub fn open(path: PathBuf, global: &Overrides) -> Result<Self, SettingsError> {
        let file = ConfigFile::load(&path)?.unwrap_or_else(|| ConfigFile::empty(path));
        let profile = select_profile(global, Some(&file))?;
        Ok(Self { file, profile })
    }

    pub fn file(&self) -> &ConfigFile {
        &self.file
    }

    pub fn profile(&self) -> &ActiveProfile {
        &self.profile
    }

    /// The file and profile, to tell the user where the token went.
    pub fn origin(&self) -> FileOrigin {
        FileOrigin {
            path: self.file.path.clone(),
            profile: self.profile.name.clone(),
        }
    }

    /// Saves `token` for `url` with the time it was saved, keeping everything else. A named
    /// profile the file does not have yet is added.
    pub fn save(&mut self, url: &BaseUrl, token: &Token) -> Result<(), ConfigError> {
        self.edit(|profile| {
            profile.url = Some(url.as_str().to_owned());
            profile.token = Some(token.expose().to_owned());
            profile.saved_at = Some(now_rfc3339());
        })
    }

    /// Saves the ingest token alone: the CLI token, the URL and `savedAt` (the CLI token's
    /// age) stay as they are.
    pub fn save_ingest(&mut self, token: &Token) -> Result<(), ConfigError> {
        self.edit(|profile| profile.ingest_token = Some(token.expose().to_owned()))
    }

    /// Removes the profile's token of `kind` (every other key stays) and saves, if there was
    /// one. Returns whether there was; a file without one is left as it was (or not created).
    /// A profile the file does not have is an error naming those it has.
    pub fn remove(&mut self, kind: TokenKind) -> Result<bool, ConfigError> {
        self.file.profile(&self.profile.name)?;
        let profile = self.file.config_mut().profile_mut(&self.profile.name);
        if kind.slot(profile).take().is_none() {
            return Ok(false);
        }
        self.file.save()?;
        Ok(true)
    }

    /// Changes the profile (added if the file does not have it) and saves the whole file.
    fn edit(&mut self, change: impl FnOnce(&mut Profile)) -> Result<(), ConfigError> {
        change(self.file.config_mut().profile_mut(&self.profile.name));
        self.file.save()
    }

    /// The token of `kind` saved in `profile` of `file`, checked; a value that could not be
    /// sent names the file and key.
    pub fn read(
        file: &ConfigFile,
        profile: &ProfileName,
        kind: TokenKind,
    ) -> Result<Option<Token>, ConfigError> {
        let raw = kind.value(file.profile(profile)?);
        file.parsed(profile, kind.key(), raw, Token::parse)
    }

    /// Whether `profile` of `file` holds a token of `kind` at all (valid or not).
    pub fn holds(file: &ConfigFile, profile: &ProfileName, kind: TokenKind) -> bool {
        file.config()
            .profile(profile)
            .is_some_and(|p| kind.value(p).is_some())
    }
}

fn now_rfc3339() -> String {
    // Whole seconds, which jiff prints without a fraction: `2026-12-04T15:00:00Z`.
    let now = jiff::Timestamp::now().as_second();
    jiff::Timestamp::from_second(now)
        .expect("the current time is in range")
        .to_string()
}
