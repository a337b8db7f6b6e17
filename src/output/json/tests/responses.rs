//! Differential test on responses captured from the real Kopai server: every page printed
//! through the new path must equal today's `Value` path, byte for byte.

use super::{old_array, select};
use crate::output::json::{split_rows, JsonArray};
use serde_json::Value;

const RESPONSES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

/// Where a response keeps its rows, as kopai reads them.
fn row_key(value: &Value) -> Option<Option<&'static str>> {
    if value.is_array() {
        return Some(None);
    }
    ["data", "services", "metrics", "operations"]
        .into_iter()
        .find(|k| value.get(k).is_some_and(Value::is_array))
        .map(Some)
}

#[test]
fn captured_responses_print_as_today() {
    let mut checked = 0;
    for entry in std::fs::read_dir(RESPONSES).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let body = std::fs::read(&path).unwrap();
        let value: Value = serde_json::from_slice(&body).unwrap();
        // Whole answers (dashboards, errors) print as one value.
        assert_eq!(
            super::new_pretty(&body, 0, None),
            super::old_pretty(&value, 0),
            "{path:?}"
        );
        let Some(key) = row_key(&value) else {
            continue;
        };
        let rows = match key {
            Some(k) => value[k].as_array().unwrap(),
            None => value.as_array().unwrap(),
        };
        let page = split_rows(&body, key).unwrap();
        let cursor = value
            .get("nextCursor")
            .and_then(Value::as_str)
            .filter(|c| !c.is_empty());
        assert_eq!(page.next_cursor.as_deref(), cursor, "{path:?}");

        // Today's order of keys in the first row, reversed, minus one: exercises `fields`.
        let mut fields: Vec<&str> = rows
            .first()
            .and_then(Value::as_object)
            .map(|m| m.keys().map(String::as_str).rev().skip(1).collect())
            .unwrap_or_default();
        fields.push("noSuchField");
        for fields in [None, Some(&fields[..])] {
            let mut array = JsonArray::new(Vec::new());
            for &row in &page.rows {
                array.push(row, fields).unwrap();
            }
            let got = array.finish().unwrap();
            let want = match fields {
                None => old_array(rows),
                Some(f) => old_array(&rows.iter().map(|r| select(r, f)).collect::<Vec<_>>()),
            };
            assert_eq!(
                String::from_utf8(got).unwrap(),
                String::from_utf8(want).unwrap(),
                "{path:?}"
            );
        }
        checked += 1;
    }
    // 16 today: traces, logs, metrics (search, discover), services, operations, dashboards.
    assert!(checked >= 15, "only {checked} responses had rows");
}
