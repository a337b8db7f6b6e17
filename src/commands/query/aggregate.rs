//! Grouped answers, one page printed as `{<group keys…>, [bucket_start,] value}`:
//! `logs search --aggregate count --group-by` from `/signals/logs/aggregate` (upstream's newer
//! route, `{groups, value}` rows flattened as upstream's newer CLI prints them) or, where the
//! server lacks that route, through KopaiQuery; `metrics search --time-bucket` through
//! KopaiQuery.

use serde_json::{Map, Value};

use super::grouped::{Grouping, BUCKET};
use super::{print_rows, take_data_values};
use crate::api::{ApiError, Search};
use crate::cli::args::SearchArgs;
use crate::command_error::{Cause, Result};
use crate::commands::{kopai_query, Context};
use crate::error::{Exit, UserError};
use crate::output::{CellKind, Column};
use crate::term::StatusLine;

/// One grouped question.
pub struct Grouped<'a> {
    /// The route that answers it with `{groups, value}` rows, where there is one.
    pub search: Option<Search>,
    /// The same question as a KopaiQuery: asked when there is no route, or the server lacks it.
    pub kopai: Grouping,
    /// The most rows the server returns, said when `--limit` is ignored.
    pub cap: &'a str,
}

pub async fn run(
    ctx: &Context,
    query: Grouped<'_>,
    body: Value,
    args: &SearchArgs,
) -> Result<Exit> {
    if query.search.is_none() && args.live.wait.is_some() {
        return Err(UserError::usage("--wait does not work with --time-bucket").into());
    }
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
    let kopai = query.kopai.query(kopai_query::now_ns()?)?;
    let client = ctx.client()?;
    if let (Some(wait), Some(search)) = (&args.live.wait, query.search) {
        let interval = super::interval(args);
        if let Err(err) =
            super::wait::until_rows(&client, search, &body, wait, interval, &ctx.terminal).await
        {
            if !matches!(err.cause, Cause::Api(ApiError::Unsupported { .. })) {
                return Err(err);
            }
            let (plain, filter) = plain_search(search, &body);
            super::wait::until_rows(&client, plain, &filter, wait, interval, &ctx.terminal).await?;
        }
    }
    let mut status = StatusLine::new(&ctx.terminal);
    let answer = match query.search {
        Some(search) => match status.wait("", client.search(search, &body)).await {
            Ok(answer) => Some(answer),
            // The same question through KopaiQuery, below.
            Err(ApiError::Unsupported { .. }) => None,
            Err(err) => return Err(err.into()),
        },
        None => None,
    };
    let rows = match answer {
        Some(answer) => take_data_values(&answer, &mut answer.json()?)?
            .into_iter()
            .map(flatten)
            .collect::<Option<Vec<Value>>>()
            .ok_or_else(|| answer.unexpected("expected rows with `groups` and `value`"))?,
        None => status.wait("", query.kopai.rows(&client, &kopai)).await?,
    };
    let mut columns: Vec<Column> = query
        .kopai
        .keys
        .iter()
        .map(|key| Column::flex(key, CellKind::Field(key.clone())))
        .collect();
    if kopai.is_time_series() {
        columns.push(Column::new("Time bucket", CellKind::Time(BUCKET.into())));
    }
    columns.push(Column::new("Value", CellKind::Field("value".into())));
    print_rows(ctx, &rows, &spec, columns)
}

/// What `--wait` polls where the server lacks the grouped route: the plain search of the same
/// filter, which every server has (a record matching is a group existing).
fn plain_search(search: Search, body: &Value) -> (Search, Value) {
    let plain = match search {
        Search::LogCounts => Search::Logs,
        other => other,
    };
    let mut filter = body.clone();
    if let Value::Object(keys) = &mut filter {
        keys.shift_remove("aggregate");
        keys.shift_remove("groupBy");
    }
    (plain, filter)
}

/// `{groups: {k: v…}, value}` → `{k: v…, value}`; `None` for a row of another shape. A group
/// key named `value` is overwritten by the value, as a JavaScript spread would.
fn flatten(row: Value) -> Option<Value> {
    let Value::Object(mut row) = row else {
        return None;
    };
    let Some(Value::Object(groups)) = row.shift_remove("groups") else {
        return None;
    };
    let mut flat: Map<String, Value> = groups;
    flat.insert("value".into(), row.shift_remove("value")?);
    Some(Value::Object(flat))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rows_are_flattened_in_order() {
        let row = json!({"groups": {"b": "1", "a": 2}, "value": 3});
        let flat = flatten(row).unwrap();
        assert_eq!(flat.to_string(), r#"{"b":"1","a":2,"value":3}"#);
        assert!(flatten(json!({"value": 1})).is_none());
        assert!(flatten(json!({"groups": {}})).is_none());
        assert_eq!(
            flatten(json!({"groups": {}, "value": 1})).unwrap(),
            json!({"value": 1})
        );
    }
}
