//! A file named on the command line, or stdin for `-`: read whole, within a size bound, as
//! UTF-8 text, every failure naming the file.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use crate::error::UserError;

/// Bigger than any file a person writes by hand; a bound so a wrong file fails fast.
const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// How a command names its input file in messages.
pub struct InputFile {
    /// The command as errors name it (`import`).
    pub command: &'static str,
    /// How to name a file instead (`kopai dashboards import FILE`).
    pub usage: &'static str,
    /// What the file should be (`a dashboard file`).
    pub kind: &'static str,
}

impl InputFile {
    /// Reads `path` (or stdin for `-`); the first value is the name to show in messages.
    pub fn read(
        &self,
        path: &Path,
        stdin_is_terminal: bool,
    ) -> Result<(String, String), UserError> {
        let (label, reader): (String, Box<dyn Read>) = if path == Path::new("-") {
            if stdin_is_terminal {
                return Err(UserError::usage(format!(
                    "{} -: stdin is a terminal, not a file",
                    self.command
                ))
                .with_hint(format!("pipe the file in, or name it: `{}`", self.usage)));
            }
            ("stdin".into(), Box::new(io::stdin()))
        } else {
            let label = path.display().to_string();
            let file = File::open(path)
                .map_err(|e| UserError::usage(format!("cannot read {label}: {e}")))?;
            (label, Box::new(file))
        };
        let mut bytes = Vec::new();
        reader
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| UserError::usage(format!("cannot read {label}: {e}")))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(UserError::usage(format!(
                "{label}: larger than {} MiB; not {}",
                MAX_FILE_BYTES >> 20,
                self.kind
            )));
        }
        let text = String::from_utf8(bytes).map_err(|_| {
            UserError::usage(format!("{label}: not valid JSON: it is not UTF-8 text"))
        })?;
        Ok((label, text))
    }
}
