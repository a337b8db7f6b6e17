//! Tests of the JSON printer. The oracle is the `Value` path it replaced: parse with serde_json,
//! print with serde_json, with each number as the Node CLI holds it ([`as_node`]).

mod depth;
mod props;
mod responses;
mod rules;

use serde_json::{Map, Value};

/// The value as the Node CLI holds it: every number a double, spelled as JavaScript spells it
/// (`number.rs`, checked against Node on its own).
pub fn as_node(value: &Value) -> Value {
    match value {
        Value::Number(n) => {
            let mut out = Vec::new();
            super::number::write_number(&mut out, n.as_str().as_bytes());
            serde_json::from_slice(&out).unwrap()
        }
        Value::Array(items) => Value::Array(items.iter().map(as_node).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), as_node(v))).collect())
        }
        other => other.clone(),
    }
}

/// `serde_json::to_string` of the value as the Node CLI holds it.
pub fn old_compact(value: &Value) -> String {
    serde_json::to_string(&as_node(value)).unwrap()
}

/// `serde_json::to_writer_pretty` of the value as the Node CLI holds it, with `indent` spaces
/// after each newline (as `JsonArray` in kopai indents each element).
pub fn old_pretty(value: &Value, indent: usize) -> Vec<u8> {
    let text = serde_json::to_vec_pretty(&as_node(value)).unwrap();
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
        old_compact(&value),
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
        old_compact(&picked),
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
    let check = |got: &str, want: &Value| match want {
        // A cell keeps the server's spelling of a number: the same number.
        Value::Number(n) => {
            assert_eq!(&serde_json::from_str::<serde_json::Number>(got).unwrap(), n)
        }
        Value::String(s) => assert_eq!(got, s),
        Value::Null => assert_eq!(got, ""),
        // Nested values as NDJSON prints them.
        other => assert_eq!(got, old_compact(other)),
    };
    let Value::Object(map) = value else {
        assert!(fields.keys().is_none());
        check(&crate::output::json::text(fields.whole()), value);
        return;
    };
    let keys: Vec<&str> = fields.keys().unwrap().collect();
    assert_eq!(keys, map.keys().map(String::as_str).collect::<Vec<_>>());
    for (key, want) in map {
        check(&crate::output::json::text(fields.get(key).unwrap()), want);
    }
}
