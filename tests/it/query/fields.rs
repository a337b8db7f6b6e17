//! `--fields`: only those fields. JSON keeps each row's own key order (as the Node CLI prints
//! it); tables show the columns in the order given.

use serde_json::Value;

use super::*;
use crate::common::*;

#[tokio::test]
async fn fields_keep_only_those_fields_in_the_rows_order() {
    let server = serve_fixture("POST", TRACES_SEARCH, "traces-search-page1.json").await;
    for fields in [["SpanId", "Duration"], ["Duration", "SpanId"]] {
        // Whatever order was asked for, a row's keys keep the server's order.
        let picked = |row: &Value| -> Value {
            let map = ["SpanId", "Duration"].map(|f| (f.to_owned(), row[f].clone()));
            Value::Object(map.into_iter().collect())
        };
        let rows = data("traces-search-page1.json");
        let expected: Vec<Value> = rows.as_array().unwrap().iter().map(picked).collect();
        let line = format!("traces search --json -f {}", fields.join(","));
        let out = kopai_at(&server.uri(), &words(&line));
        assert_ok(&out);
        assert_eq!(out.stdout, pretty(&Value::Array(expected)), "{line}");
    }
}

#[tokio::test]
async fn fields_are_the_table_columns() {
    let line = "traces search --fields SpanId,Duration";
    let out = table("POST", TRACES_SEARCH, "traces-search-page1.json", line).await;
    insta::assert_snapshot!("traces_search_fields_table", out.stdout);
}
