//! `.kopairc`: find it, parse it strictly, and save it atomically without losing anything.
//!
//! The file is a JSON object shared with the Node CLI. The keys kopai knows are typed in
//! `model`; every other key is kept untouched and in order on every write.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::model::{key_path, Config, ModelError, Profile, ProfileName};
use crate::signals::TempFileGuard;

pub const FILE_NAME: &str = ".kopairc";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("could not read config file {}", .path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("config file {} does not exist", .path.display())]
    Missing { path: PathBuf },
    #[error("config file {} is not valid JSON: {message} at line {line}, column {column}", .path.display())]
    Syntax {
        path: PathBuf,
        message: String,
        line: usize,
        column: usize,
    },
    #[error("config file {} must contain a JSON object", .path.display())]
    NotObject { path: PathBuf },
    #[error("config file {}: \"{key}\" must be a string", .path.display())]
    WrongType { path: PathBuf, key: &'static str },
    #[error("config file {}: {message}", .path.display())]
    BadValue { path: PathBuf, message: String },
    #[error("config file {}: {message}", .path.display())]
    Malformed { path: PathBuf, message: String },
    #[error("config file {} has no profile \"{name}\" (it has: {})", .path.display(), .known.join(", "))]
    UnknownProfile {
        path: PathBuf,
        name: ProfileName,
        known: Vec<String>,
    },
    #[error("there is no profile \"{name}\": no config file was found (./.kopairc, ~/.kopairc)")]
    NoFileForProfile { name: ProfileName },
    #[error("could not save {}", .path.display())]
    Write { path: PathBuf, source: io::Error },
}

impl ConfigError {
    pub fn hint(&self) -> Option<String> {
        match self {
            Self::Syntax { .. }
            | Self::NotObject { .. }
            | Self::WrongType { .. }
            | Self::Malformed { .. } => Some(
                "fix the file by hand or delete it; kopai never overwrites a file it cannot read"
                    .into(),
            ),
            Self::Missing { .. } => {
                Some("check --config / KOPAI_CONFIG, or run `kopai login` to create it".into())
            }
            Self::UnknownProfile { name, .. } | Self::NoFileForProfile { name } => Some(format!(
                "check --profile, KOPAI_PROFILE and the file's defaultProfile (`kopai profiles` lists \
                 them), or create it with `kopai login --profile {name} --url <URL>`"
            )),
            _ => None,
        }
    }
}

/// A parsed `.kopairc`. Only `path` is where it was read from; writes go through symlinks.
pub struct ConfigFile {
    pub path: PathBuf,
    config: Config,
}

/// The path only: the settings hold the token.
impl std::fmt::Debug for ConfigFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfigFile")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl ConfigFile {
    pub fn empty(path: PathBuf) -> Self {
        Self {
            path,
            config: Config::default(),
        }
    }

    /// Reads and validates `path`; `Ok(None)` when no file is there.
    pub fn load(path: &Path) -> Result<Option<Self>, ConfigError> {
        let text = match read_regular_file(path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(ConfigError::Read {
                    path: path.to_owned(),
                    source,
                })
            }
        };
        Self::parse(path, &text).map(Some)
    }

    fn parse(path: &Path, text: &str) -> Result<Self, ConfigError> {
        let value: Value = serde_json::from_str(text).map_err(|e| ConfigError::Syntax {
            path: path.to_owned(),
            message: syntax_message(&e),
            line: e.line(),
            column: e.column(),
        })?;
        let Value::Object(doc) = value else {
            return Err(ConfigError::NotObject {
                path: path.to_owned(),
            });
        };
        let config = Config::from_object(doc).map_err(|e| match e {
            ModelError::WrongType(key) => ConfigError::WrongType {
                path: path.to_owned(),
                key,
            },
            ModelError::Malformed(message) => ConfigError::Malformed {
                path: path.to_owned(),
                message,
            },
        })?;
        Ok(Self {
            path: path.to_owned(),
            config,
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn config_mut(&mut self) -> &mut Config {
        &mut self.config
    }

    /// The profile called `name`; one the file does not have is an error naming those it has.
    pub fn profile(&self, name: &ProfileName) -> Result<&Profile, ConfigError> {
        self.config
            .profile(name)
            .ok_or_else(|| ConfigError::UnknownProfile {
                path: self.path.clone(),
                name: name.clone(),
                known: self.config.profiles().map(|(n, _)| n.to_string()).collect(),
            })
    }

    /// `value`, read from `key` of `profile` in this file, parsed; a bad value is a config
    /// error that names the file and the key.
    pub fn parsed<T>(
        &self,
        profile: &ProfileName,
        key: &str,
        value: Option<&str>,
        parse: fn(&str) -> Result<T, String>,
    ) -> Result<Option<T>, ConfigError> {
        let Some(raw) = value else {
            return Ok(None);
        };
        parse(raw)
            .map(Some)
            .map_err(|message| ConfigError::BadValue {
                path: self.path.clone(),
                message: format!("{}: {message}", key_path(profile, key)),
            })
    }

    /// Atomically replaces the file: a 0600 temp file in the same directory, fsync, rename.
    /// A symlinked path stays a symlink; its target is what gets replaced.
    pub fn save(&self) -> Result<(), ConfigError> {
        let write_err = |source| ConfigError::Write {
            path: self.path.clone(),
            source,
        };
        let target = resolve_symlinks(&self.path).map_err(write_err)?;
        let mut text =
            serde_json::to_string_pretty(&self.config.to_object()).expect("a JSON map serializes");
        text.push('\n');
        write_atomically(&target, text.as_bytes()).map_err(write_err)
    }
}

/// A config file is a few hundred bytes; anything past this is not one.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// Reads a regular file (symlinks followed) of at most `MAX_CONFIG_BYTES`. A FIFO, a device
/// (`/dev/zero`) or a directory is an error, found without blocking or reading it.
fn read_regular_file(path: &Path) -> io::Result<String> {
    let not_a_file = |what: &str| io::Error::other(format!("is {what}, not a regular file"));
    let too_big = || io::Error::other(format!("is larger than {} KiB", MAX_CONFIG_BYTES / 1024));
    let meta = fs::metadata(path)?;
    if meta.is_dir() {
        return Err(io::Error::other("is a directory, not a file"));
    }
    if !meta.is_file() {
        return Err(not_a_file("a device, FIFO or socket"));
    }
    if meta.len() > MAX_CONFIG_BYTES {
        return Err(too_big());
    }
    // Non-blocking, and checked again once open: a file swapped for a FIFO in between must
    // not hang the command.
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(not_a_file("a device, FIFO or socket"));
    }
    let mut bytes = Vec::new();
    io::Read::take(file, MAX_CONFIG_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(too_big());
    }
    String::from_utf8(bytes)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "is not UTF-8 text"))
}

fn syntax_message(e: &serde_json::Error) -> String {
    // serde_json appends " at line X column Y"; we print those ourselves.
    let full = e.to_string();
    match full.rfind(" at line ") {
        Some(i) => full[..i].to_owned(),
        None => full,
    }
}

/// Follows a chain of symlinks (even a dangling one) to the path that should be written.
fn resolve_symlinks(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_owned();
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&current)?;
                current = match current.parent() {
                    Some(parent) => parent.join(link),
                    None => link,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

fn write_atomically(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if target.is_dir() {
        return Err(io::Error::other("is a directory, not a file"));
    }
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| FILE_NAME.to_owned());
    // The temp file holds the token: it is removed if anything below fails (NamedTempFile's
    // drop) and if a signal ends the run (the guard, told its name before it exists).
    let guard = TempFileGuard::new();
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .make_in(dir, |path| {
            guard.watch(path);
            create_private(path)
        })?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    hold_for_tests();
    tmp.persist(target).map_err(|e| e.error)?;
    drop(guard);
    sync_dir(dir);
    Ok(())
}

/// A new file readable by its owner only from the start, so the token is never
/// world-readable, not even for a moment.
fn create_private(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Debug builds only: `KOPAI_TEST_HOLD_SAVE` keeps a save waiting with its temp file written,
/// so a test can send a signal at exactly that moment.
fn hold_for_tests() {
    #[cfg(debug_assertions)]
    if std::env::var_os("KOPAI_TEST_HOLD_SAVE").is_some() {
        errln!("holding the save");
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
}

/// Makes the rename durable. Best effort: not every platform can open a directory.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Group- or world-readable permissions on a file that holds a token.
#[cfg(unix)]
pub fn is_readable_by_others(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
}

#[cfg(not(unix))]
pub fn is_readable_by_others(_path: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_wrong_types_and_non_objects() {
        let p = Path::new("x");
        assert!(matches!(
            ConfigFile::parse(p, r#"{"token": 5}"#),
            Err(ConfigError::WrongType { key: "token", .. })
        ));
        assert!(matches!(
            ConfigFile::parse(p, "[]"),
            Err(ConfigError::NotObject { .. })
        ));
        let err = ConfigFile::parse(p, "{\n  \"url\": ,\n}").unwrap_err();
        assert!(matches!(err, ConfigError::Syntax { line: 2, .. }), "{err}");
    }
}
