//! Strict tool arguments: each tool declares its fields once, and that declaration gives both
//! the input schema the model sees and the checks a call goes through. An unknown key is
//! refused with the nearest known one, never dropped: a dropped `filter` runs an unfiltered
//! query that looks like an answer.

use serde_json::{json, Map, Value};

use super::errors::ToolError;
use crate::cli::parse::{parse_duration_ns, parse_since};

/// What a field holds, and where it goes in the REST filter.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A string sent as it is.
    Text,
    /// A time: nanoseconds as digits, an RFC 3339 time, a date or an age (`1h`).
    Time,
    /// A duration: nanoseconds as digits, or `250ms`, `1.5s`, `2m`.
    Duration,
    /// `since`/`until`: the friendly spelling of the time field named.
    TimeAlias(&'static str),
    /// Attribute key → string value.
    Attrs,
    /// An integer in a range.
    Integer(i64, i64),
    /// One of these strings (any case; sent as listed).
    Choice(&'static [&'static str]),
    /// A list of strings sent as it is.
    Keys,
    /// Read by the tool itself, not sent: `limit`, `fields`, a path segment.
    Local(LocalKind),
}

#[derive(Debug, Clone, Copy)]
pub enum LocalKind {
    Limit { default: u64, cap: u64 },
    Names,
    Id,
    Object,
    Flag,
}

pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub about: &'static str,
    pub required: bool,
}

pub const fn field(name: &'static str, kind: Kind, about: &'static str) -> Field {
    Field {
        name,
        kind,
        about,
        required: false,
    }
}

pub const fn required(name: &'static str, kind: Kind, about: &'static str) -> Field {
    Field {
        name,
        kind,
        about,
        required: true,
    }
}

/// The JSON Schema of a tool's arguments: closed (`additionalProperties: false`).
pub fn schema(fields: &[Field]) -> Map<String, Value> {
    let mut properties = Map::new();
    for field in fields {
        let mut property = match field.kind {
            Kind::Text | Kind::Time | Kind::Duration | Kind::TimeAlias(_) => {
                json!({"type": "string"})
            }
            Kind::Attrs => json!({"type": "object", "additionalProperties": {"type": "string"}}),
            Kind::Integer(min, max) => json!({"type": "integer", "minimum": min, "maximum": max}),
            Kind::Choice(choices) => json!({"type": "string", "enum": choices}),
            Kind::Keys | Kind::Local(LocalKind::Names) => {
                json!({"type": "array", "items": {"type": "string"}, "minItems": 1})
            }
            Kind::Local(LocalKind::Limit { default, cap }) => {
                json!({"type": "integer", "minimum": 1, "maximum": cap, "default": default})
            }
            Kind::Local(LocalKind::Id) => json!({"type": "string", "minLength": 1}),
            Kind::Local(LocalKind::Object) => json!({"type": "object"}),
            Kind::Local(LocalKind::Flag) => json!({"type": "boolean"}),
        };
        property["description"] = json!(field.about);
        properties.insert(field.name.into(), property);
    }
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name)
        .collect();
    let mut schema = Map::new();
    schema.insert("type".into(), json!("object"));
    schema.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        schema.insert("required".into(), json!(required));
    }
    schema.insert("additionalProperties".into(), json!(false));
    schema
}

/// A call's arguments, checked against the tool's fields.
pub struct Args {
    map: Map<String, Value>,
}

impl Args {
    pub fn check(
        fields: &[Field],
        arguments: Option<Map<String, Value>>,
    ) -> Result<Self, ToolError> {
        let map = arguments.unwrap_or_default();
        let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
        let mut error: Option<ToolError> = None;
        for key in map.keys() {
            if !names.contains(&key.as_str()) {
                let shown = crate::term::sanitize(key);
                let issue = match nearest(key, &names) {
                    Some(near) => format!("unknown argument `{shown}`: did you mean `{near}`?"),
                    None => format!("unknown argument `{shown}`"),
                };
                let known = match names.as_slice() {
                    [] => "this tool takes no arguments".to_owned(),
                    _ => format!("known arguments: {}", names.join(", ")),
                };
                let base = error.unwrap_or_else(|| {
                    ToolError::invalid("unknown arguments are refused, not ignored")
                        .with_remedies([known])
                });
                error = Some(base.with_issue(issue));
            }
        }
        if let Some(error) = error {
            return Err(error);
        }
        for field in fields.iter().filter(|f| f.required) {
            if map.get(field.name).is_none_or(Value::is_null) {
                return Err(ToolError::invalid(format!("`{}` is required", field.name)));
            }
        }
        Ok(Self { map })
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }

    /// A required or optional string: a path segment, an ID.
    pub fn id(&self, name: &str) -> Result<Option<String>, ToolError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.trim().to_owned())),
            Some(_) => Err(ToolError::invalid(format!(
                "`{name}` must be a non-empty string"
            ))),
        }
    }

    pub fn flag(&self, name: &str) -> Result<Option<bool>, ToolError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(ToolError::invalid(format!(
                "`{name}` must be true or false"
            ))),
        }
    }

    pub fn object(&self, name: &str) -> Result<Option<&Map<String, Value>>, ToolError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Object(o)) => Ok(Some(o)),
            Some(_) => Err(ToolError::invalid(format!("`{name}` must be an object"))),
        }
    }

    /// `fields`: the top-level row keys to keep.
    pub fn names(&self, name: &str) -> Result<Option<Vec<String>>, ToolError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Array(items)) if !items.is_empty() => items
                .iter()
                .map(|item| item.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .map(Some)
                .ok_or_else(|| ToolError::invalid(format!("`{name}` must be a list of strings"))),
            Some(_) => Err(ToolError::invalid(format!(
                "`{name}` must be a non-empty list of strings"
            ))),
        }
    }

    /// `limit`: the default when absent; over the cap is refused, never lowered.
    pub fn limit(&self, default: u64, cap: u64) -> Result<u64, ToolError> {
        let Some(value) = self.get("limit") else {
            return Ok(default);
        };
        match value.as_u64() {
            Some(n) if (1..=cap).contains(&n) => Ok(n),
            Some(n) if n > cap => Err(ToolError::invalid(format!(
                "`limit` {n} is over this tool's cap of {cap} rows"
            ))
            .with_remedies([
                format!("ask for at most {cap} rows and page on with `cursor`"),
                "narrow the filter or the time window".to_owned(),
            ])),
            _ => Err(ToolError::invalid(format!(
                "`limit` must be an integer from 1 to {cap}"
            ))),
        }
    }

    /// The REST filter: every sent field present, converted to what the server takes.
    pub fn filter(&self, fields: &[Field]) -> Result<Map<String, Value>, ToolError> {
        let mut filter = Map::new();
        for field in fields {
            let Some(value) = self.get(field.name) else {
                continue;
            };
            let (key, sent) = match field.kind {
                Kind::Local(_) => continue,
                Kind::TimeAlias(key) => (key, time(field.name, value)?),
                Kind::Time => (field.name, time(field.name, value)?),
                Kind::Duration => (field.name, duration(field.name, value)?),
                Kind::Text => (field.name, json!(text(field.name, value)?)),
                Kind::Attrs => (field.name, attrs(field.name, value)?),
                Kind::Integer(min, max) => (field.name, integer(field.name, value, min, max)?),
                Kind::Choice(choices) => (field.name, choice(field.name, value, choices)?),
                Kind::Keys => (field.name, keys(field.name, value)?),
            };
            if filter.insert(key.to_owned(), sent).is_some() {
                return Err(ToolError::invalid(format!(
                    "`{}` and another argument both set `{key}`: give one",
                    field.name
                )));
            }
        }
        Ok(filter)
    }
}

fn text<'a>(name: &str, value: &'a Value) -> Result<&'a str, ToolError> {
    value
        .as_str()
        .ok_or_else(|| ToolError::invalid(format!("`{name}` must be a string")))
}

fn time(name: &str, value: &Value) -> Result<Value, ToolError> {
    let raw = match value {
        Value::Number(n) => n.to_string(),
        other => text(name, other)?.trim().to_owned(),
    };
    if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(json!(raw));
    }
    parse_since(&raw)
        .map(Value::String)
        .map_err(|e| ToolError::invalid(format!("`{name}`: {e}")))
}

fn duration(name: &str, value: &Value) -> Result<Value, ToolError> {
    let raw = match value {
        Value::Number(n) => n.to_string(),
        other => text(name, other)?.trim().to_owned(),
    };
    parse_duration_ns(&raw)
        .map(Value::String)
        .map_err(|e| ToolError::invalid(format!("`{name}`: {e}")))
}

fn attrs(name: &str, value: &Value) -> Result<Value, ToolError> {
    let object = value
        .as_object()
        .filter(|o| o.values().all(Value::is_string))
        .ok_or_else(|| ToolError::invalid(format!("`{name}` must be an object of strings")))?;
    Ok(Value::Object(object.clone()))
}

fn integer(name: &str, value: &Value, min: i64, max: i64) -> Result<Value, ToolError> {
    match value.as_i64() {
        Some(n) if (min..=max).contains(&n) => Ok(json!(n)),
        _ => Err(ToolError::invalid(format!(
            "`{name}` must be an integer from {min} to {max}"
        ))),
    }
}

fn choice(name: &str, value: &Value, choices: &[&str]) -> Result<Value, ToolError> {
    let raw = text(name, value)?;
    choices
        .iter()
        .find(|c| c.eq_ignore_ascii_case(raw.trim()))
        .map(|c| json!(c))
        .ok_or_else(|| {
            ToolError::invalid(format!("`{name}` must be one of {}", choices.join(", ")))
        })
}

fn keys(name: &str, value: &Value) -> Result<Value, ToolError> {
    match value.as_array() {
        Some(items) if !items.is_empty() && items.iter().all(Value::is_string) => Ok(value.clone()),
        _ => Err(ToolError::invalid(format!(
            "`{name}` must be a non-empty list of strings"
        ))),
    }
}

/// The known name closest to `key`: same letters in another case, or at most two edits.
fn nearest<'a>(key: &str, names: &[&'a str]) -> Option<&'a str> {
    let key_lower = key.to_ascii_lowercase();
    names
        .iter()
        .map(|name| (edits(&key_lower, &name.to_ascii_lowercase()), *name))
        .filter(|(distance, name)| *distance <= 2.max(name.len() / 4))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

/// Levenshtein distance over characters.
fn edits(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_finds_case_slips_and_typos_only() {
        let names = ["traceId", "serviceName", "limit"];
        assert_eq!(nearest("trace_id", &names), Some("traceId"));
        assert_eq!(nearest("servicename", &names), Some("serviceName"));
        assert_eq!(nearest("limt", &names), Some("limit"));
        assert_eq!(nearest("filter", &names), None);
    }
}
