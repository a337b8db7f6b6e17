//! Results sized for a model's context: row caps per kind, a ceiling on the serialised result,
//! and the payload in both channels (`structuredContent` and one text block with the same
//! JSON: some hosts read only one of them).

use rmcp::model::CallToolResult;
use serde_json::{json, Map, Value};

use super::errors::{Kind, ToolError};

/// Raw rows (spans, logs, points): ~700 characters each.
pub const RAW_DEFAULT: u64 = 100;
pub const RAW_CAP: u64 = 200;
/// Aggregate rows (a group and a value): ~100 characters each.
pub const AGGREGATE_CAP: u64 = 500;
/// The most characters one serialised result may have.
pub const MAX_CHARS: usize = 150_000;

pub fn success(payload: Value) -> CallToolResult {
    CallToolResult::structured(payload)
}

pub fn failure(error: &ToolError) -> CallToolResult {
    CallToolResult::structured_error(error.payload())
}

/// Refuses a payload over [`MAX_CHARS`] with `remedies`, most likely cause first.
pub fn within_ceiling(payload: Value, remedies: Vec<String>) -> Result<Value, ToolError> {
    let size = payload.to_string().chars().count();
    if size <= MAX_CHARS {
        return Ok(payload);
    }
    Err(ToolError::new(
        Kind::ResultTooLarge,
        format!("the result is {size} characters, over the {MAX_CHARS} a result may have; nothing was returned"),
    )
    .with_remedies(remedies))
}

/// A page of raw rows: the rows (only `fields`, if given), and when the server has more, the
/// cursor to ask for them and a note saying the answer stopped at the limit.
pub fn raw_page(
    rows: Vec<Value>,
    next_cursor: Option<String>,
    limit: u64,
    fields: Option<&[String]>,
) -> Result<Value, ToolError> {
    let count = rows.len();
    let rows: Vec<Value> = match fields {
        Some(fields) => rows.into_iter().map(|row| project(row, fields)).collect(),
        None => rows,
    };
    let mut payload = Map::new();
    payload.insert("rows".into(), Value::Array(rows));
    payload.insert("rowCount".into(), json!(count));
    match next_cursor {
        Some(cursor) => {
            payload.insert("truncated".into(), json!(true));
            payload.insert(
                "note".into(),
                json!(format!(
                    "stopped at {count} rows (limit {limit}); more match: call again with the same arguments and `cursor` set to nextCursor"
                )),
            );
            payload.insert("nextCursor".into(), json!(cursor));
        }
        None => {
            payload.insert("truncated".into(), json!(false));
        }
    }
    let size = Value::Object(payload.clone()).to_string().chars().count();
    within_ceiling(
        Value::Object(payload),
        raw_remedies(size, count, fields.is_some()),
    )
}

/// For raw rows, by cause: too many rows (fewer), rows too wide (fewer fields), then the window.
fn raw_remedies(size: usize, count: usize, projected: bool) -> Vec<String> {
    let per_row = size / count.max(1);
    let fitting = (MAX_CHARS * 9 / 10) / per_row.max(1);
    let fewer_rows = format!(
        "ask for fewer rows: `limit` {fitting} or less fits (rows average {per_row} characters)"
    );
    let fewer_fields = "name only the row fields you need with `fields` (like [\"Timestamp\", \"ServiceName\", \"SpanName\"])".to_owned();
    let narrower =
        "narrow the time window (`since`, `timestampMin`/`timestampMax`) or the filter".to_owned();
    let mut remedies = Vec::new();
    if fitting >= 1 {
        remedies.push(fewer_rows);
    }
    if !projected || fitting == 0 {
        remedies.push(fewer_fields);
    }
    remedies.push(narrower);
    remedies
}

/// Aggregate rows: over the cap (`limit` was sent one higher to see it) is refused with no
/// rows, as a cut-off aggregate reads as complete.
pub fn aggregate_rows(
    mut rows: Vec<Value>,
    limit: u64,
    remedies: Vec<String>,
) -> Result<Value, ToolError> {
    if rows.len() as u64 > limit {
        return Err(ToolError::new(
            Kind::ResultTooLarge,
            format!("the aggregate has more than {limit} rows; none were returned, as a cut-off aggregate reads as complete"),
        )
        .with_remedies(remedies));
    }
    let count = rows.len();
    rows.shrink_to_fit();
    let payload = json!({"rows": rows, "rowCount": count});
    within_ceiling(payload, remedies)
}

fn project(row: Value, fields: &[String]) -> Value {
    match row {
        Value::Object(mut object) => {
            let kept: Map<String, Value> = fields
                .iter()
                .filter_map(|f| object.remove(f).map(|v| (f.clone(), v)))
                .collect();
            Value::Object(kept)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_with_more_says_so_and_carries_the_cursor() {
        let page = raw_page(
            vec![json!({"a": 1, "b": 2})],
            Some("c1".into()),
            1,
            Some(&["b".into()]),
        )
        .unwrap();
        assert_eq!(page["rows"], json!([{"b": 2}]));
        assert_eq!(page["truncated"], json!(true));
        assert_eq!(page["nextCursor"], json!("c1"));
    }

    #[test]
    fn an_aggregate_over_its_limit_is_refused_without_rows() {
        let rows = vec![json!({"value": 1}); 3];
        let error = aggregate_rows(rows, 2, vec!["fewer groups".into()]).unwrap_err();
        assert_eq!(error.kind, Kind::ResultTooLarge);
        assert_eq!(error.remedies, ["fewer groups"]);
    }
}
