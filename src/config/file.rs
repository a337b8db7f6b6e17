//! `.kopairc`: find it, parse it strictly, and save it atomically without losing anything.
//!
//! The file is a JSON object shared with the Node CLI. `url`, `token`, `savedAt` and `ui_url`
//! are ours; every other key is kept untouched and in order on every write.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

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
    #[error("could not save {}", .path.display())]
    Write { path: PathBuf, source: io::Error },
}

impl ConfigError {
    pub fn hint(&self) -> Option<String> {
        match self {
            Self::Syntax { .. } | Self::NotObject { .. } | Self::WrongType { .. } => Some(
                "fix the file by hand or delete it; kopai never overwrites a file it cannot read"
                    .into(),
            ),
            Self::Missing { .. } => {
                Some("check --config / KOPAI_CONFIG, or run `kopai login` to create it".into())
            }
            _ => None,
        }
    }
}

/// A parsed `.kopairc`. Only `path` is where it was read from; writes go through symlinks.
#[derive(Debug)]
pub struct ConfigFile {
    pub path: PathBuf,
    doc: Map<String, Value>,
}

impl ConfigFile {
    pub fn empty(path: PathBuf) -> Self {
        Self {
            path,
            doc: Map::new(),
        }
    }

    /// Reads and validates `path`; `Ok(None)` when no file is there.
    pub fn load(path: &Path) -> Result<Option<Self>, ConfigError> {
        let text = match fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) if e.kind() == io::ErrorKind::IsADirectory || path.is_dir() => {
                return Err(ConfigError::Read {
                    path: path.to_owned(),
                    source: io::Error::other("is a directory, not a file"),
                })
            }
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
        for key in ["url", "token", "savedAt", "ui_url"] {
            if !matches!(
                doc.get(key),
                None | Some(Value::String(_)) | Some(Value::Null)
            ) {
                return Err(ConfigError::WrongType {
                    path: path.to_owned(),
                    key,
                });
            }
        }
        Ok(Self {
            path: path.to_owned(),
            doc,
        })
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.doc.get(key).and_then(Value::as_str)
    }

    /// Sets `key`, keeping its position if it already exists.
    pub fn set(&mut self, key: &str, value: &str) {
        self.doc
            .insert(key.to_owned(), Value::String(value.to_owned()));
    }

    /// Removes `key`, keeping the order of the others. Returns whether it held a value.
    pub fn remove(&mut self, key: &str) -> bool {
        matches!(self.doc.shift_remove(key), Some(v) if !v.is_null())
    }

    /// Atomically replaces the file: a 0600 temp file in the same directory, fsync, rename.
    /// A symlinked path stays a symlink; its target is what gets replaced.
    pub fn save(&self) -> Result<(), ConfigError> {
        let write_err = |source| ConfigError::Write {
            path: self.path.clone(),
            source,
        };
        let target = resolve_symlinks(&self.path).map_err(write_err)?;
        let mut text = serde_json::to_string_pretty(&self.doc).expect("a JSON map serializes");
        text.push('\n');
        write_atomically(&target, text.as_bytes()).map_err(write_err)
    }
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
    // NamedTempFile is created 0600 on Unix, so the token is never world-readable, not even
    // for a moment; it is removed again if anything below fails.
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(target).map_err(|e| e.error)?;
    sync_dir(dir);
    Ok(())
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
    fn keeps_unknown_keys_order_and_numbers() {
        let text = "{\"b\": 1.50, \"token\": \"kpi_x\", \"a\": [100000000000000000001]}";
        let mut file = ConfigFile::parse(Path::new("x"), text).unwrap();
        file.set("url", "https://kopai.app");
        assert!(file.remove("token"));
        let out = serde_json::to_string(&file.doc).unwrap();
        assert_eq!(
            out,
            r#"{"b":1.50,"a":[100000000000000000001],"url":"https://kopai.app"}"#
        );
    }

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
