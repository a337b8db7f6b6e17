//! Rows nested deeper than serde_json's `Value` goes: checked, printed and read at any depth,
//! without recursion.

use super::{new_compact, new_pretty};
use crate::output::json::{split_rows, text, Row, RowFields};
use serde_json::Value;

/// `[[…[1]…]]` or `{"a":{"a":…1}}`, `depth` containers deep.
fn nested(depth: usize, object: bool) -> String {
    let (open, close) = if object { ("{\"a\":", "}") } else { ("[", "]") };
    format!("{}1{}", open.repeat(depth), close.repeat(depth))
}

/// The lines serde_json would print for [`nested`], with `indent` extra spaces.
fn nested_lines(depth: usize, object: bool, indent: usize) -> impl Iterator<Item = String> {
    let pad = move |level: usize| " ".repeat(indent + 2 * level);
    let (open, key) = if object { ("{", "\"a\": ") } else { ("[", "") };
    let close = if object { "}" } else { "]" };
    // The first line starts where the caller left off, so it has no indent.
    let opens = (0..depth).map(move |l| match l {
        0 => open.to_owned(),
        _ => format!("{}{key}{open}", pad(l)),
    });
    let leaf = std::iter::once(format!("{}{key}1", pad(depth)));
    let closes = (0..depth).rev().map(move |l| format!("{}{close}", pad(l)));
    opens.chain(leaf).chain(closes)
}

/// Runs `f` on a thread with a small stack: the code under test must not recurse per level.
fn on_small_stack(f: impl FnOnce() + Send + 'static) {
    let thread = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(f)
        .unwrap();
    thread.join().unwrap();
}

#[test]
fn deep_rows_work_where_serde_json_stops() {
    on_small_stack(|| {
        for depth in [200, 10_000] {
            for object in [false, true] {
                let row = nested(depth, object);
                let body = format!("{{\"data\":[{row},2]}}");
                let page = split_rows(body.as_bytes(), Some("data")).unwrap();
                assert_eq!(
                    page.rows.iter().map(|r| r.as_bytes()).collect::<Vec<_>>(),
                    [row.as_bytes(), b"2"]
                );
                assert_eq!(new_compact(row.as_bytes(), None), row.as_bytes());
                let pretty = new_pretty(row.as_bytes(), 2, None);
                let mut lines = pretty.split(|&b| b == b'\n');
                for want in nested_lines(depth, object, 2) {
                    assert_eq!(lines.next(), Some(want.as_bytes()));
                }
                assert_eq!(lines.next(), None);
                // Tables read the deep field as compact JSON, without parsing it.
                let wrapped = format!("{{\"x\":{row}}}");
                let fields = RowFields::read(Row::parse(wrapped.as_bytes()).unwrap(), None);
                assert_eq!(text(fields.get("x").unwrap()), row);
            }
        }
    });
    // A key repeated at the bottom of 10,000 levels keeps its last value, without recursion.
    on_small_stack(|| {
        let depth = 10_000;
        let row = format!(
            "{}{{\"b\":1,\"a\":2,\"b\":3}}{}",
            "{\"a\":".repeat(depth),
            "}".repeat(depth)
        );
        let want = format!(
            "{}{{\"b\":3,\"a\":2}}{}",
            "{\"a\":".repeat(depth),
            "}".repeat(depth)
        );
        assert_eq!(new_compact(row.as_bytes(), None), want.as_bytes());
    });
    // serde_json itself gives up at depth 128.
    assert!(serde_json::from_str::<Value>(&nested(200, false)).is_err());
}

#[test]
fn mixed_nesting_matches_serde_json() {
    // Mixed containers, siblings, a duplicate and an escape at every level, as deep as
    // serde_json goes (the deeper cases are checked against their known shape above).
    let depth = 120;
    let mut text = String::new();
    for level in 0..depth {
        text.push_str(if level % 2 == 0 {
            r#"{"s":"\u00e9","k":1,"k":"#
        } else {
            "[1.5E3,"
        });
    }
    text.push_str("{}");
    for level in (0..depth).rev() {
        text.push_str(if level % 2 == 0 {
            r#","t":[]}"#
        } else {
            ",[]]"
        });
    }
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        new_pretty(text.as_bytes(), 2, None),
        super::old_pretty(&value, 2)
    );
    assert_eq!(
        new_compact(text.as_bytes(), Some(&["t"])).len(),
        r#"{"t":[]}"#.len()
    );
    super::assert_same_fields(text.as_bytes(), &value);
}
