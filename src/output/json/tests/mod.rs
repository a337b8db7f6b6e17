//! Tests of the JSON printer. The oracle is the `Value` path it replaced: parse with serde_json,
//! print with serde_json.

mod depth;
mod props;
mod responses;
mod rules;

use serde_json::{Map, Value};

/// `serde_json::to_writer_pretty`, with `indent` spaces after each newline (as `JsonArray`
/// in kopai indents each element).
pub fn old_pretty(value: &Value, indent: usize) -> Vec<u8> {
    let text = serde_json::to_vec_pretty(value).unwrap();
    let pad = format!("\n{}", " ".repeat(indent));
    let mut out = Vec::new();
    for (i, line) in text.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.extend_from_slice(pad.as_bytes());
        }
        out.extend_from_slice(line);
    }
    out
}

/// Kopai's `JsonArray` today: each element pretty-printed and indented by two.
pub fn old_array(rows: &[Value]) -> Vec<u8> {
    if rows.is_empty() {
        return b"[]\n".to_vec();
    }
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        out.extend_from_slice(if i == 0 { b"[\n  " } else { b",\n  " });
        out.extend_from_slice(&old_pretty(row, 2));
    }
    out.extend_from_slice(b"\n]\n");
    out
}

/// Keeps `fields` of an object in the row's own order.
pub fn select(row: &Value, fields: &[&str]) -> Value {
    match row {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| fields.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<Map<_, _>>(),
        ),
        other => other.clone(),
    }
}

/// The new path for one row.
pub fn new_pretty(row: &[u8], indent: usize, fields: Option<&[&str]>) -> Vec<u8> {
    let mut out = Vec::new();
    let row = crate::output::json::Row::parse(row).expect("a JSON row");
    crate::output::json::write_pretty(&mut out, row, indent, fields);
    out
}

pub fn new_compact(row: &[u8], fields: Option<&[&str]>) -> Vec<u8> {
    let mut out = Vec::new();
    let row = crate::output::json::Row::parse(row).expect("a JSON row");
    crate::output::json::write_compact(&mut out, row, fields);
    out
}

/// Asserts that the new path prints `text` (one value) as serde_json does, pretty and compact,
/// with and without `fields`, and that tables read the same top-level fields.
pub fn assert_same(text: &[u8], fields: &[&str]) {
    let value: Value = serde_json::from_slice(text).unwrap();
    let show = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    for indent in [0, 2] {
        assert_eq!(
            show(&new_pretty(text, indent, None)),
            show(&old_pretty(&value, indent)),
            "pretty {}",
            show(text)
        );
    }
    assert_eq!(
        show(&new_compact(text, None)),
        serde_json::to_string(&value).unwrap(),
        "compact {}",
        show(text)
    );
    let picked = select(&value, fields);
    assert_eq!(
        show(&new_pretty(text, 2, Some(fields))),
        show(&old_pretty(&picked, 2)),
        "pretty with fields {}",
        show(text)
    );
    assert_eq!(
        show(&new_compact(text, Some(fields))),
        serde_json::to_string(&picked).unwrap(),
        "compact with fields {}",
        show(text)
    );
    assert_same_fields(text, &value);
}

/// What tables and CSV read of a row (its top-level fields, each as cell text) is what the
/// `Value` holds: the same keys in the same order, each once, with the same text.
pub fn assert_same_fields(text: &[u8], value: &Value) {
    let row = crate::output::json::Row::parse(text).expect("a JSON row");
    let fields = crate::output::json::RowFields::read(row, None);
    let cell = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => serde_json::to_string(other).unwrap(),
    };
    let Value::Object(map) = value else {
        assert!(fields.keys().is_none());
        assert_eq!(crate::output::json::text(fields.whole()), cell(value));
        return;
    };
    let keys: Vec<&str> = fields.keys().unwrap().collect();
    assert_eq!(keys, map.keys().map(String::as_str).collect::<Vec<_>>());
    for (key, want) in map {
        let got = crate::output::json::text(fields.get(key).unwrap());
        assert_eq!(got, cell(want), "field {key}");
    }
}
