//! Reading, saving and removing the token: the one place that knows where a config file keeps
//! it. (A keyring could stand beside it later.)

use std::path::PathBuf;

use super::file::{ConfigError, ConfigFile};
use super::model::KEY;
use crate::api::BaseUrl;
use crate::secret::Token;

/// The token of one config file, for `login` to save and `logout` to remove.
pub struct TokenStore {
    file: ConfigFile,
}

impl TokenStore {
    /// The store at `path`, read (and so checked) before anything is asked or saved: a file
    /// that cannot be parsed is an error and is never overwritten. No file is an empty store.
    pub fn open(path: PathBuf) -> Result<Self, ConfigError> {
        let file = ConfigFile::load(&path)?.unwrap_or_else(|| ConfigFile::empty(path));
        Ok(Self { file })
    }

    pub fn file(&self) -> &ConfigFile {
        &self.file
    }

    /// Saves `token` for `url` with the time it was saved, keeping everything else.
    pub fn save(&mut self, url: &BaseUrl, token: &Token) -> Result<(), ConfigError> {
        let profile = self.file.profile_mut();
        profile.url = Some(url.as_str().to_owned());
        profile.token = Some(token.expose().to_owned());
        profile.saved_at = Some(now_rfc3339());
        self.file.save()
    }

    /// Removes the token (the URL and every other key stay) and saves, if there was one.
    /// Returns whether there was; a file without one is left as it was (or not created).
    pub fn remove(&mut self) -> Result<bool, ConfigError> {
        if self.file.profile_mut().token.take().is_none() {
            return Ok(false);
        }
        self.file.save()?;
        Ok(true)
    }

    /// The token saved in `file`, checked; a value that could not be sent names the file.
    pub fn read(file: &ConfigFile) -> Result<Option<Token>, ConfigError> {
        file.parsed(KEY.token, file.profile().token.as_deref(), Token::parse)
    }

    /// Whether `file` holds a token at all (valid or not).
    pub fn holds_token(file: &ConfigFile) -> bool {
        file.profile().token.is_some()
    }
}

fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    now.format(&time::format_description::well_known::Rfc3339)
        .expect("the current time formats as RFC 3339")
}
