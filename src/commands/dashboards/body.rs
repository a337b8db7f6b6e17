//! The dashboard file format: exactly the body `POST /dashboards` takes (`name`,
//! `uiTreeVersion`, `uiTree`, `metadata`). `export` writes it, `import` reads and checks it.

use std::path::Path;

use serde_json::{Map, Value};

use crate::cli::is_semver;
use crate::commands::input::InputFile;
use crate::error::UserError;

/// Fields of a dashboard the server fills in: present in `get --json` output, left out of a
/// new dashboard's body, so that output can be imported as well.
const SERVER_FIELDS: [&str; 2] = ["id", "createdAt"];

/// Reads `path` (or stdin for `-`); the first value is the name to show in messages.
pub fn read_source(path: &Path, stdin_is_terminal: bool) -> Result<(String, String), UserError> {
    let source = InputFile {
        command: "import",
        usage: "kopai dashboards import FILE",
        kind: "a dashboard file",
    };
    source.read(path, stdin_is_terminal)
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
