//! Property tests: random documents printed by the new path and by serde_json must match, and
//! no input may panic or be judged differently from serde_json.

use super::assert_same;
use crate::output::json::reindent::reindent;
use crate::output::json::{split_rows, Row, ShapeError};
use proptest::prelude::*;
use serde_json::{Map, Number, Value};

/// Strings heavy in what needs escaping: quotes, backslashes, control characters, unicode.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[\"\\\\/\\x00-\\x1f\\x7f a-cé€😀\u{2028}\u{fffd}]{0,8}",
        any::<String>(),
    ]
}

fn number() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::from),
        any::<u64>().prop_map(Number::from),
        any::<f64>().prop_filter_map("finite", Number::from_f64),
        (-1e6..1e6f64).prop_filter_map("finite", Number::from_f64),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number().prop_map(Value::Number),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 64, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((text(), inner), 0..5)
                .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// JSON text as a server might spell it: odd whitespace, escapes for plain characters,
/// surrogate pairs, exponents in either case, and keys that repeat (also via escapes).
fn raw_json() -> impl Strategy<Value = String> {
    let ws = "[ \t\r\n]{0,2}";
    let piece = prop_oneof![
        "[a-z é😀]{1,3}",
        Just(r"\n".to_owned()),
        Just(r"\/".to_owned()),
        Just(r"\u0061".to_owned()),
        Just(r"\u001F".to_owned()),
        Just(r"\uD83D\uDE00".to_owned()),
        Just(r#"\""#.to_owned()),
        Just(r"\\".to_owned()),
    ];
    let string = prop::collection::vec(piece, 0..4).prop_map(|p| format!("\"{}\"", p.concat()));
    let key = prop_oneof![
        Just(r#""a""#.to_owned()),
        Just(r#""\u0061""#.to_owned()),
        Just(r#""b""#.to_owned()),
        string.clone(),
    ];
    let leaf = prop_oneof![
        "-?(0|[1-9][0-9]{0,22})(\\.[0-9]{1,4})?([eE][+-]?[0-9]{1,3})?",
        string,
        Just("true".to_owned()),
        Just("false".to_owned()),
        Just("null".to_owned()),
    ];
    leaf.prop_recursive(6, 64, 5, move |inner| {
        let member = (ws, key.clone(), ws, ws, inner.clone(), ws)
            .prop_map(|(a, k, b, c, v, d)| format!("{a}{k}{b}:{c}{v}{d}"));
        let element = (ws, inner, ws).prop_map(|(a, v, b)| format!("{a}{v}{b}"));
        prop_oneof![
            (prop::collection::vec(element, 0..5), ws)
                .prop_map(|(items, w)| format!("[{}{w}]", items.join(","))),
            (prop::collection::vec(member, 0..5), ws)
                .prop_map(|(items, w)| format!("{{{}{w}}}", items.join(","))),
        ]
    })
}

/// What serde_json says about a body: `Some(is an array)` if it parses, `None` if not.
fn serde_verdict(body: &[u8]) -> Option<bool> {
    serde_json::from_slice::<Value>(body)
        .ok()
        .map(|v| v.is_array())
}

fn check_verdict(body: &[u8]) -> Result<(), TestCaseError> {
    let ours = match split_rows(body, None) {
        Ok(_) => Some(true),
        Err(ShapeError::Shape(_)) => Some(false),
        Err(ShapeError::NotJson(_)) => None,
    };
    prop_assert_eq!(ours, serde_verdict(body));
    prop_assert_eq!(Row::parse(body).is_ok(), ours.is_some());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn values_print_as_serde_json_prints_them(v in value()) {
        for text in [serde_json::to_string(&v).unwrap(), serde_json::to_string_pretty(&v).unwrap()] {
            let body = format!("{{\"data\":[{text},{text}],\"nextCursor\":\"n\"}}");
            let page = split_rows(body.as_bytes(), Some("data")).unwrap();
            prop_assert_eq!(page.rows.len(), 2);
            prop_assert_eq!(page.next_cursor.as_deref(), Some("n"));
            prop_assert_eq!(page.rows[0].as_bytes(), text.as_bytes());
            assert_same(&page.rows[0], &["a", "b", ""]);
        }
    }

    #[test]
    fn raw_json_prints_as_serde_json_prints_it(text in raw_json()) {
        let body = format!(" [ {text} ] ");
        let page = split_rows(body.as_bytes(), None).unwrap();
        prop_assert_eq!(page.rows.len(), 1);
        assert_same(&page.rows[0], &["a", "b"]);
    }

    #[test]
    fn broken_json_is_judged_as_serde_json_judges_it(
        text in raw_json(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, any::<u8>()), 1..3),
    ) {
        let mut body = format!("[{text}]").into_bytes();
        for (at, kind, byte) in edits {
            let i = at.index(body.len() + 1);
            match kind {
                0 => body.insert(i, b"\"\\{}[],:0-eE. \x01"[byte as usize % 15]),
                1 if i < body.len() => { body.remove(i); }
                _ => body.truncate(i),
            }
        }
        check_verdict(&body)?;
    }

    #[test]
    fn random_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..64)) {
        check_verdict(&body)?;
        // The printer trusts its rows to be JSON, but must not panic on anything else either.
        let mut out = Vec::new();
        reindent(&mut out, &body, Some(2), Some(&["a"]));
        reindent(&mut out, &body, None, None);
        let _ = split_rows(&body, Some("data"));
        prop_assert_eq!(Row::parse(&body).is_ok(), serde_json::from_slice::<Value>(&body).is_ok());
    }
}
