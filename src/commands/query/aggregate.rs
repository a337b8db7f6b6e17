//! Grouped answers from the endpoints upstream is adding (`/signals/logs/aggregate`,
//! `/signals/metrics/timeseries`): one page of `{groups, [timeBucketNs,] value}` rows, printed
//! flattened to `{<group keys…>, [timeBucketNs,] value}` as upstream's newer CLI prints them.

use serde_json::{Map, Value};

use super::{print_rows, take_data_values};
use crate::api::Search;
use crate::cli::args::SearchArgs;
use crate::command_error::Result;
use crate::commands::Context;
use crate::error::Exit;
use crate::output::{CellKind, Column};
use crate::term::StatusLine;

/// One grouped query.
pub struct Grouped<'a> {
    pub search: Search,
    /// The group keys asked for: the table's first columns.
    pub keys: &'a [String],
    /// Rows carry `timeBucketNs`.
    pub bucketed: bool,
    /// The most rows the server returns, said when `--limit` is ignored.
    pub cap: &'a str,
}

pub async fn run(
    ctx: &Context,
    query: Grouped<'_>,
    body: Value,
    args: &SearchArgs,
) -> Result<Exit> {
    if args.page.limit.is_some() {
        noteln!(
            "warning: --limit is ignored with --aggregate: the server returns at most {}",
            query.cap
        );
    }
    if args.page.all {
        noteln!("warning: --all is ignored with --aggregate: the answer is one page");
    }
    let spec = ctx.output(&args.output, &super::fields::GROUPED)?;
    super::check_interval(args)?;
    let client = ctx.client()?;
    if let Some(wait) = &args.live.wait {
        super::wait::until_rows(&client, query.search, &body, wait, super::interval(args)).await?;
    }
    let answer = StatusLine::new(&ctx.terminal)
        .wait("", client.search(query.search, &body))
        .await?;
    let shape = if query.bucketed {
        "expected rows with `groups`, `timeBucketNs` and `value`"
    } else {
        "expected rows with `groups` and `value`"
    };
    let rows = take_data_values(&answer, &mut answer.json()?)?;
    let rows = rows
        .into_iter()
        .map(|row| flatten(row, query.bucketed))
        .collect::<Option<Vec<Value>>>()
        .ok_or_else(|| answer.unexpected(shape))?;
    let mut columns: Vec<Column> = query
        .keys
        .iter()
        .map(|key| Column::flex(key, CellKind::Field(key.clone())))
        .collect();
    if query.bucketed {
        columns.push(Column::new(
            "Time bucket",
            CellKind::Time("timeBucketNs".into()),
        ));
    }
    columns.push(Column::new("Value", CellKind::Field("value".into())));
    print_rows(ctx, &rows, &spec, columns)
}

/// `{groups: {k: v…}, [timeBucketNs,] value}` → `{k: v…, [timeBucketNs,] value}`; `None` for
/// a row of another shape. A group key named like a later field is overwritten by it, as a
/// JavaScript spread would.
fn flatten(row: Value, bucketed: bool) -> Option<Value> {
    let Value::Object(mut row) = row else {
        return None;
    };
    let Some(Value::Object(groups)) = row.shift_remove("groups") else {
        return None;
    };
    let mut flat: Map<String, Value> = groups;
    if bucketed {
        flat.insert("timeBucketNs".into(), row.shift_remove("timeBucketNs")?);
    }
    flat.insert("value".into(), row.shift_remove("value")?);
    Some(Value::Object(flat))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rows_are_flattened_in_order() {
        let row = json!({"groups": {"b": "1", "a": 2}, "timeBucketNs": "10", "value": 3});
        let flat = flatten(row, true).unwrap();
        assert_eq!(
            flat.to_string(),
            r#"{"b":"1","a":2,"timeBucketNs":"10","value":3}"#
        );
        assert!(flatten(json!({"groups": {}, "value": 1}), true).is_none());
        assert!(flatten(json!({"value": 1}), false).is_none());
        assert_eq!(
            flatten(json!({"groups": {}, "value": 1}), false).unwrap(),
            json!({"value": 1})
        );
    }
}
