//! One test per printing and validation rule, each checked against serde_json itself.

use super::{assert_same, new_compact, new_pretty, old_array};
use crate::output::json::{split_rows, write_json, JsonArray, Row, ShapeError};
use serde_json::Value;

fn rows<'a>(body: &'a str, key: Option<&str>) -> Vec<&'a str> {
    let page = split_rows(body.as_bytes(), key).unwrap();
    page.rows
        .iter()
        .map(|r| std::str::from_utf8(r.as_bytes()).unwrap())
        .collect()
}

fn not_json(body: &[u8]) -> bool {
    matches!(split_rows(body, None), Err(ShapeError::NotJson(_)))
}

#[test]
fn escapes_are_decoded_and_written_as_serde_json_writes_them() {
    let text = r#""q\" b\\ s\/ \b\f\n\r\t \u0001\u001F\u001f \u007f\u00e9\u2028 \ud83d\ude00 raw é😀 \u0041""#;
    assert_same(text.as_bytes(), &[]);
    let want =
        "\"q\\\" b\\\\ s/ \\b\\f\\n\\r\\t \\u0001\\u001f\\u001f \u{7f}é\u{2028} 😀 raw é😀 A\"";
    assert_eq!(new_compact(text.as_bytes(), None), want.as_bytes());
    // Keys are strings too.
    assert_same(br#"{"a\nb":1,"\u00e9":"\/"}"#, &["\u{e9}"]);
}

#[test]
fn numbers_print_as_node_prints_them() {
    let text = "[1.50,1E5,1e5,1E-5,1e+5,1.0E+2,-0,-0.0,0,0e0,100000000000000000001,\
                -9223372036854775809,18446744073709551616,1e400,-1.5e-400,123456789.123456789]";
    assert_same(text.as_bytes(), &[]);
    // What `JSON.stringify(JSON.parse(text))` prints in Node: each number is a double.
    assert_eq!(
        String::from_utf8(new_compact(text.as_bytes(), None)).unwrap(),
        "[1.5,100000,100000,0.00001,100000,100,0,0,0,0,100000000000000000000,\
         -9223372036854776000,18446744073709552000,null,0,123456789.12345679]"
    );
}

#[test]
fn compact_rows_are_copied_only_when_serde_json_prints_them_so() {
    // Already as serde_json prints them compact: NDJSON copies them as they stand.
    let as_printed = [
        r#"{"a":["a","a"],"b":{"a":1},"c":"\u0001\u001f\n\"\\","d":[{"a":1},{"a":1}]}"#,
        r#"[true,false,null,-1.5,0,0.000001,123456789012345,"x",{}]"#,
        r#""\b\f\n\r\t""#,
    ];
    for text in as_printed {
        assert_same(text.as_bytes(), &["a"]);
        assert_eq!(
            String::from_utf8(new_compact(text.as_bytes(), None)).unwrap(),
            text
        );
    }
    // Each holds one thing the printer changes, so each is re-printed.
    let changed = [
        r#"{"a":1,"b":2,"a":3}"#,
        r#"{"a":{"b":1,"\u0062":2}}"#,
        r#"{"a":1, "b":2}"#,
        r#"{"a":"\/"}"#,
        r#"{"a":"\u0061"}"#,
        r#"{"a":"\u000a"}"#,
        r#"{"a":"\u001F"}"#,
        r#"{"a":"\u0020"}"#,
        r#"{"a":[1.50]}"#,
        r#"{"a":-0}"#,
        r#"{"a":1e5}"#,
    ];
    for text in changed {
        assert_same(text.as_bytes(), &["a"]);
        assert_ne!(
            String::from_utf8(new_compact(text.as_bytes(), None)).unwrap(),
            text
        );
    }
}

#[test]
fn empty_containers_stay_on_one_line() {
    let text = br#"{"a":{},"b":[],"c":[{}],"d":[[],{}],"e":{"f":[]}}"#;
    assert_same(text, &["a", "c"]);
    assert_same(b"[]", &[]);
    assert_same(b"{}", &["a"]);
    assert_eq!(
        new_pretty(br#"{"a":{},"b":[]}"#, 0, None),
        b"{\n  \"a\": {},\n  \"b\": []\n}"
    );
}

#[test]
fn duplicate_keys_keep_the_first_place_and_the_last_value() {
    assert_same(br#"{"a":1,"b":2,"a":3}"#, &["a"]);
    assert_eq!(
        new_compact(br#"{"a":1,"b":2,"a":3}"#, None),
        br#"{"a":3,"b":2}"#
    );
    // Nested, and in a value that is itself replaced.
    assert_same(
        br#"{"x":{"k":1,"k":{"z":1,"z":[2]}},"y":{"k":{"q":1,"q":2}},"y":0}"#,
        &["y"],
    );
    // The same key spelled with an escape.
    assert_same(br#"{"a":1,"\u0061":2,"b":{"\n":1,"\u000a":2}}"#, &["a"]);
    // Many keys: the sorted check.
    let mut many: Vec<String> = (0..40).map(|i| format!("\"key{i}\":{i}")).collect();
    assert_same(format!("{{{}}}", many.join(",")).as_bytes(), &["key3"]);
    many.push("\"key7\":\"again\"".into());
    assert_same(
        format!("{{{}}}", many.join(",")).as_bytes(),
        &["key7", "key9"],
    );
    // Keys that share a fingerprint but differ.
    assert_same(br#"{"abc.x.xyz":1,"abc.y.xyz":2,"abc.x.xyz":3}"#, &[]);
}

#[test]
fn fields_keep_the_rows_own_order_and_only_top_level_keys() {
    let row = br#"{"b":1,"a":{"b":2,"c":3},"c":[1],"d":null}"#;
    assert_eq!(
        new_compact(row, Some(&["c", "b", "missing"])),
        br#"{"b":1,"c":[1]}"#
    );
    assert_eq!(new_compact(row, Some(&[])), b"{}");
    assert_eq!(new_pretty(row, 2, Some(&[])), b"{}");
    // Rows that are not objects are printed unchanged.
    assert_eq!(
        new_compact(br#"["b",{"b":1}]"#, Some(&["a"])),
        br#"["b",{"b":1}]"#
    );
    assert_eq!(new_compact(br#""text""#, Some(&["a"])), br#""text""#);
    // An escaped key matches by its text.
    assert_eq!(
        new_compact(br#"{"\u0061":1,"b":2}"#, Some(&["a"])),
        br#"{"a":1}"#
    );
    assert_same(row, &["c", "b"]);
}

#[test]
fn whitespace_is_allowed_anywhere_rfc_8259_allows_it() {
    let body = " \t\r\n{ \"data\" :\n[ { \"a\" : [ 1 , 2 ] , \"b\" : { } } ,\t\"x\" , [ ] ] ,\r\n\"nextCursor\" : \"c1\" } \n";
    let page = split_rows(body.as_bytes(), Some("data")).unwrap();
    assert_eq!(page.next_cursor.as_deref(), Some("c1"));
    assert_eq!(page.rows.len(), 3);
    for row in &page.rows {
        assert_same(row, &["b"]);
    }
    assert_eq!(new_compact(&page.rows[0], None), br#"{"a":[1,2],"b":{}}"#);
    // Form feed, vertical tab and non-breaking space are not JSON whitespace.
    for bad in ["[1,\u{c}2]", "[1,\u{b}2]", "[1,\u{a0}2]"] {
        assert!(not_json(bad.as_bytes()), "{bad:?}");
    }
}

#[test]
fn trailing_garbage_is_rejected() {
    assert!(split_rows(b"[1] \n\t", None).is_ok());
    for bad in ["[1] x", "[1][2]", "[1],", "{\"data\":[]}}", "[1]\u{0}"] {
        assert!(not_json(bad.as_bytes()), "{bad:?}");
        assert!(serde_json::from_str::<Value>(bad).is_err());
        assert!(Row::parse(bad.as_bytes()).is_err());
    }
}

#[test]
fn everything_serde_json_rejects_is_not_json() {
    let bad: &[&[u8]] = &[
        b"",
        b"  ",
        b"[",
        b"{",
        b"[1,]",
        b"{\"a\":1,}",
        b"[,1]",
        b"01",
        b"-01",
        b"1.",
        b".5",
        b"-",
        b"+1",
        b"1e",
        b"1e+",
        b"1.e5",
        b"tru",
        b"nul",
        b"True",
        b"NaN",
        b"Infinity",
        b"'a'",
        b"\"abc",
        b"\"\\x\"",
        b"\"\\u00\"",
        b"\"\\u00g0\"",
        b"\"\\ud800\"",
        b"\"\\udc00\"",
        b"\"\\ud800\\u0041\"",
        b"\"\\ud800\\n\"",
        b"\"\\ud800x\"",
        b"\"\\ud800\\udbff\"",
        b"\"a\x01b\"",
        b"\"a\nb\"",
        b"\"\xff\"",
        b"\"\xc3\"",
        b"\xef\xbb\xbf[]",
        b"{1:2}",
        b"{\"a\" 1}",
        b"{\"a\":}",
        b"[1 2]",
        b"{\"a\":1 \"b\":2}",
        b"[\"a\":1]",
    ];
    for &text in bad {
        let shown = String::from_utf8_lossy(text);
        assert!(
            serde_json::from_slice::<Value>(text).is_err(),
            "serde accepts {shown}"
        );
        assert!(not_json(text), "split_rows accepts {shown}");
        // Only checked rows reach the printers.
        assert!(Row::parse(text).is_err(), "Row::parse accepts {shown}");
    }
    let err = split_rows(b"[1,]", None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "not JSON: trailing comma at line 1 column 4"
    );
}

#[test]
fn the_rows_are_the_array_under_the_key() {
    let body = r#"{"data":[{"a":1},"s",2,[3],null,true],"nextCursor":"abc","total":6}"#;
    assert_eq!(
        rows(body, Some("data")),
        [r#"{"a":1}"#, r#""s""#, "2", "[3]", "null", "true"]
    );
    assert_eq!(
        rows(r#"{"services":["a","b"]}"#, Some("services")),
        [r#""a""#, r#""b""#]
    );
    assert_eq!(rows(r#"[{"x":[1]},2]"#, None), [r#"{"x":[1]}"#, "2"]);
    assert!(rows(r#"{"data":[]}"#, Some("data")).is_empty());
    // A repeated key counts once, with its last value.
    assert_eq!(
        rows(r#"{"data":[1],"data":[2,3]}"#, Some("data")),
        ["2", "3"]
    );
    let shape =
        |body: &str, key| matches!(split_rows(body.as_bytes(), key), Err(ShapeError::Shape(_)));
    assert!(shape(r#"{"data":[1],"data":{}}"#, Some("data")));
    assert!(shape(r#"{"rows":[]}"#, Some("data")));
    assert!(shape(r#"{"data":{"data":[]}}"#, Some("data")));
    assert!(shape(r#"{"x":{"data":[]}}"#, Some("data")));
    assert!(shape(r#"[{"data":[]}]"#, Some("data")));
    assert!(shape(r#"{"data":[]}"#, None));
    assert!(shape(r#""data""#, None));
    let err = split_rows(br#"{"rows":[]}"#, Some("data")).unwrap_err();
    assert_eq!(err.to_string(), "expected an object with a `data` array");
    // A key spelled with escapes is the same key.
    assert_eq!(rows(r#"{"d\u0061ta":[1]}"#, Some("data")), ["1"]);
}

#[test]
fn next_cursor_is_a_non_empty_string_or_nothing() {
    let cursor = |body: &str| {
        split_rows(body.as_bytes(), Some("data"))
            .unwrap()
            .next_cursor
    };
    assert_eq!(
        cursor(r#"{"data":[],"nextCursor":"c\/2"}"#).as_deref(),
        Some("c/2")
    );
    assert_eq!(
        cursor(r#"{"nextCursor":"c","data":[]}"#).as_deref(),
        Some("c")
    );
    assert_eq!(
        cursor(r#"{"data":[],"next\u0043ursor":"c"}"#).as_deref(),
        Some("c")
    );
    assert_eq!(cursor(r#"{"data":[],"nextCursor":""}"#), None);
    assert_eq!(cursor(r#"{"data":[],"nextCursor":null}"#), None);
    assert_eq!(cursor(r#"{"data":[],"nextCursor":5}"#), None);
    assert_eq!(
        cursor(r#"{"data":[],"nextCursor":"a","nextCursor":null}"#),
        None
    );
    assert_eq!(cursor(r#"{"data":[{"nextCursor":"x"}]}"#), None);
}

#[test]
fn write_json_matches_serde_json() {
    let text = r#"{"a":[1,{"b":"x\ny\u0001"},[],{}],"c":{"d":1.50},"e":"\"é\"","f":null,"g":true}"#;
    let value: Value = serde_json::from_str(text).unwrap();
    let mut out = Vec::new();
    write_json(&mut out, &value).unwrap();
    let want = format!(
        "{}\n",
        serde_json::to_string_pretty(&super::as_node(&value)).unwrap()
    );
    assert_eq!(String::from_utf8(out).unwrap(), want);
}

#[test]
fn streamed_array_matches_todays_json_array() {
    let body = br#"{"data":[{"a":{"b":[1,{"c":"x\ny"}],"e":{}},"d":[]},{"z":1.50},"s",[]]}"#;
    let page = split_rows(body, Some("data")).unwrap();
    let mut array = JsonArray::new(Vec::new());
    for &row in &page.rows {
        array.push(row, None).unwrap();
    }
    array.flush().unwrap();
    let value: Value = serde_json::from_slice(body).unwrap();
    let want = old_array(value["data"].as_array().unwrap());
    assert_eq!(
        String::from_utf8(array.finish().unwrap()).unwrap(),
        String::from_utf8(want).unwrap()
    );
    // The whole array, as serde_json prints it.
    let whole = format!(
        "{}\n",
        serde_json::to_string_pretty(&super::as_node(&value["data"])).unwrap()
    );
    assert_eq!(
        old_array(value["data"].as_array().unwrap()),
        whole.as_bytes()
    );
    assert_eq!(JsonArray::new(Vec::new()).finish().unwrap(), b"[]\n");
}

#[test]
fn a_body_of_one_scalar_is_json_without_rows() {
    for body in [
        "0",
        "-1",
        "18446744073709551616",
        "1.5",
        "1e5",
        "\"x\"",
        "true",
        "null",
        "{}",
    ] {
        for key in [None, Some("data")] {
            let err = split_rows(body.as_bytes(), key).unwrap_err();
            assert!(matches!(err, ShapeError::Shape(_)), "{body}: {err}");
        }
    }
}

/// `first_str` reads up to the first of its keys only: that member's string value (its first,
/// if the key repeats), nothing for a number there, a nested match or a row that is no object.
#[test]
fn first_str_is_the_first_top_level_string_among_the_keys() {
    use crate::output::json::RowFields;
    let first = |text: &str| {
        let row = Row::parse(text.as_bytes()).unwrap();
        RowFields::first_str(row, &["TraceId", "traceId"]).map(|s| s.into_owned())
    };
    assert_eq!(
        first(r#"{"a":[1,{"TraceId":"no"}],"traceId":"x\u0041","TraceId":"y"}"#),
        Some("xA".into())
    );
    assert_eq!(first(r#"{"TraceId":"x","TraceId":"y"}"#), Some("x".into()));
    assert_eq!(first(r#"{"TraceId":5,"traceId":"z"}"#), None);
    assert_eq!(first(r#"{"b":{"TraceId":"z"}}"#), None);
    assert_eq!(first(r#"["TraceId","x"]"#), None);
    assert_eq!(first(r#""TraceId""#), None);
}
