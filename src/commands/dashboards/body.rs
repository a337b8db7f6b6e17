//! The dashboard file format: exactly the body `POST /dashboards` takes (`name`,
//! `uiTreeVersion`, `uiTree`, `metadata`). `export` writes it, `import` reads and checks it.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use serde_json::{Map, Value};

use crate::cli::is_semver;
use crate::error::UserError;

/// Bigger than any dashboard a person writes; a bound so a wrong file fails fast.
const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Fields of a dashboard the server fills in: present in `get --json` output, left out of a
/// new dashboard's body, so that output can be imported as well.
const SERVER_FIELDS: [&str; 2] = ["id", "createdAt"];

/// Reads `path` (or stdin for `-`); the first value is the name to show in messages.
pub fn read_source(path: &Path, stdin_is_terminal: bool) -> Result<(String, String), UserError> {
    let (label, reader): (String, Box<dyn Read>) = if path == Path::new("-") {
        if stdin_is_terminal {
            return Err(
                UserError::usage("import -: stdin is a terminal, not a file")
                    .with_hint("pipe the file in, or name it: `kopai dashboards import FILE`"),
            );
        }
        ("stdin".into(), Box::new(io::stdin()))
    } else {
        let label = path.display().to_string();
        let file =
            File::open(path).map_err(|e| UserError::usage(format!("cannot read {label}: {e}")))?;
        (label, Box::new(file))
    };
    let mut bytes = Vec::new();
    reader
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| UserError::usage(format!("cannot read {label}: {e}")))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(UserError::usage(format!(
            "{label}: larger than {} MiB; not a dashboard file",
            MAX_FILE_BYTES >> 20
        )));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| UserError::usage(format!("{label}: not valid JSON: it is not UTF-8 text")))?;
    Ok((label, text))
}

/// The body to create from a dashboard file, with `name` replaced if given. Every problem is
/// named with the file and the field at fault.
pub fn parse_import(label: &str, text: &str, name: Option<String>) -> Result<Value, UserError> {
    let bad = |message: String| UserError::usage(format!("{label}: {message}"));
    let value: Value =
        serde_json::from_str(text).map_err(|e| bad(format!("not valid JSON: {e}")))?;
    let Value::Object(mut file) = value else {
        return Err(bad(
            "expected a JSON object, as `kopai dashboards export` writes".into(),
        ));
    };
    let name = match name {
        Some(name) => name,
        None => match file.get("name") {
            Some(Value::String(name)) if !name.trim().is_empty() => name.clone(),
            Some(Value::String(_)) => return Err(bad("\"name\" is empty (or give --name)".into())),
            Some(_) => return Err(bad("\"name\" must be a string".into())),
            None => return Err(bad("missing field \"name\" (or give --name)".into())),
        },
    };
    let version = match file.get("uiTreeVersion") {
        Some(Value::String(v)) if is_semver(v) => v.clone(),
        Some(Value::String(v)) => {
            return Err(bad(format!(
                "\"uiTreeVersion\" `{}` is not a semver version such as 0.14.0",
                v.escape_debug()
            )))
        }
        Some(_) => return Err(bad("\"uiTreeVersion\" must be a string".into())),
        None => return Err(bad("missing field \"uiTreeVersion\"".into())),
    };
    let tree = match file.shift_remove("uiTree") {
        Some(tree @ Value::Object(_)) => tree,
        Some(_) => return Err(bad("\"uiTree\" must be an object".into())),
        None => return Err(bad("missing field \"uiTree\"".into())),
    };
    let metadata = match file.shift_remove("metadata") {
        None | Some(Value::Null) => None,
        Some(metadata @ Value::Object(_)) => Some(metadata),
        Some(_) => return Err(bad("\"metadata\" must be an object".into())),
    };
    for key in file.keys() {
        if !matches!(key.as_str(), "name" | "uiTreeVersion")
            && !SERVER_FIELDS.contains(&key.as_str())
        {
            noteln!(
                "warning: {label}: ignoring unknown field \"{}\"",
                key.escape_debug()
            );
        }
    }
    let mut body = Map::new();
    body.insert("name".into(), Value::String(name));
    body.insert("uiTreeVersion".into(), Value::String(version));
    body.insert("uiTree".into(), tree);
    if let Some(metadata) = metadata {
        body.insert("metadata".into(), metadata);
    }
    Ok(Value::Object(body))
}

/// A dashboard as the file `import` reads: the four fields in a fixed order, and every
/// object inside with sorted keys, so an export diffs cleanly whichever server it came from.
/// `None` when the server's dashboard lacks one of the required fields.
pub fn export_body(dashboard: &Map<String, Value>) -> Option<Value> {
    let mut body = Map::new();
    for key in ["name", "uiTreeVersion", "uiTree"] {
        body.insert(key.into(), dashboard.get(key)?.clone());
    }
    if let Some(metadata) = dashboard.get("metadata").filter(|m| !m.is_null()) {
        body.insert("metadata".into(), metadata.clone());
    }
    for value in body.values_mut() {
        value.sort_all_objects();
    }
    Some(Value::Object(body))
}
