//! The search commands' grouped flags answered through KopaiQuery: `metrics search
//! --time-bucket` always (the route it was first written for exists in no Kopai release or
//! branch), `logs search --aggregate count` where the server lacks `/signals/logs/aggregate`.
//! The rows keep the shape those commands print: the group keys as typed, [`bucket_start`,]
//! `value`.

use serde_json::{Map, Value};

use crate::api::{Client, QueryMode, QuerySignal};
use crate::cli::parse::Attr;
use crate::command_error::Result;
use crate::error::UserError;
use crate::query::{group_key, Attribute, Column, FilterOp, FlagQuery, Leaf, Query, Signal};

/// The alias of the one measure, and so the rows' `value`.
const VALUE: &str = "value";

/// A grouped question asked with a search command's flags.
pub struct Grouping {
    pub signal: Signal,
    /// What is computed per group, in the flag language: `count`, `sum(Value)`.
    pub measure: String,
    /// The `--group-by` keys as typed: the rows' first keys.
    pub keys: Vec<String>,
    /// The search flags' filters, each already typed (a text compared exactly, a number).
    pub filters: Vec<Leaf>,
    /// The window in nanoseconds since the epoch; without a start, all of time, as a search
    /// without time flags has.
    pub from_ns: Option<String>,
    pub to_ns: Option<String>,
    /// A time series with buckets this wide.
    pub every: Option<String>,
    pub limit: u32,
    /// Largest groups first (a summary; a time series keeps the server's bucket order).
    pub largest_first: bool,
}

impl Grouping {
    pub fn new(signal: Signal, measure: &str, keys: &[String], limit: u32) -> Self {
        Self {
            signal,
            measure: measure.to_owned(),
            keys: keys.to_vec(),
            filters: Vec::new(),
            from_ns: None,
            to_ns: None,
            every: None,
            limit,
            largest_first: false,
        }
    }

    /// `column = "text"`, when the flag was given.
    pub fn text(self, column: &str, value: Option<String>) -> Self {
        self.compared(column, FilterOp::Eq, value)
    }

    /// `column OP "text"` (`Body ~ "timeout"`), when the flag was given.
    pub fn compared(self, column: &str, op: FilterOp, value: Option<String>) -> Self {
        self.with(column, op, value.map(Value::String))
    }

    /// `column OP number`, when the flag was given.
    pub fn number(self, column: &str, op: FilterOp, value: Option<u8>) -> Self {
        self.with(column, op, value.map(Value::from))
    }

    fn with(mut self, column: &str, op: FilterOp, value: Option<Value>) -> Self {
        if let Some(value) = value {
            self.filters
                .push(leaf(Column::Name(column.to_owned()), op, value));
        }
        self
    }

    /// Each `--attr KEY=VALUE` as the attribute KEY of `container` equal to the text VALUE.
    pub fn attrs(mut self, container: &str, attrs: Vec<Attr>) -> Self {
        for attr in attrs {
            let column = Column::Attribute(Attribute {
                container: container.to_owned(),
                key: attr.key,
            });
            self.filters
                .push(leaf(column, FilterOp::Eq, Value::String(attr.value)));
        }
        self
    }

    pub fn window(mut self, from_ns: Option<String>, to_ns: Option<String>) -> Self {
        self.from_ns = from_ns;
        self.to_ns = to_ns;
        self
    }

    /// The KopaiQuery, checked as `kopai query` checks its own.
    pub fn query(&self, now_ns: i128) -> Result<Query, UserError> {
        let flags = FlagQuery {
            measures: vec![format!("{VALUE}={}", self.measure)],
            by: self
                .keys
                .iter()
                .map(|key| group_key(self.signal, key))
                .collect(),
            exact: self.filters.clone(),
            from_ns: Some(self.from_ns.clone().unwrap_or_else(|| "0".into())),
            to_ns: self.to_ns.clone(),
            every: self.every.clone(),
            orders: if self.largest_first && self.every.is_none() {
                vec![format!("-{VALUE}")]
            } else {
                Vec::new()
            },
            limit: Some(self.limit),
            ..FlagQuery::default()
        };
        flags.build(self.signal, now_ns)
    }

    /// Sends `query` (from [`Grouping::query`]) and gives its rows keyed as the search
    /// commands print them.
    pub async fn rows(&self, client: &Client, query: &Query) -> Result<Vec<Value>> {
        let signal = match self.signal {
            Signal::Traces => QuerySignal::Traces,
            Signal::Logs => QuerySignal::Logs,
            Signal::Metrics => QuerySignal::Metrics,
        };
        let answer = client
            .query(signal, QueryMode::Aggregate, &query.to_value())
            .await?;
        let rows = super::take_data_values(&answer, &mut answer.json()?)?;
        let keys: Vec<(String, &String)> = query
            .dimensions
            .iter()
            .map(Column::key)
            .zip(&self.keys)
            .collect();
        let bucketed = query.is_time_series();
        let shape = "expected rows with the group keys and `value`";
        rows.into_iter()
            .map(|row| rekeyed(row, &keys, bucketed))
            .collect::<Option<Vec<Value>>>()
            .ok_or_else(|| answer.unexpected(shape).into())
    }
}

fn leaf(column: Column, op: FilterOp, value: Value) -> Leaf {
    Leaf {
        column,
        op,
        value: Some(value),
        values: None,
    }
}

/// `{"LogAttributes.http.route": "/pay", "value": 3}` → `{"http.route": "/pay", "value": 3}`;
/// `None` for a row of another shape.
fn rekeyed(row: Value, keys: &[(String, &String)], bucketed: bool) -> Option<Value> {
    let Value::Object(mut row) = row else {
        return None;
    };
    let mut flat = Map::new();
    for (sent, typed) in keys {
        flat.insert(
            (*typed).clone(),
            row.shift_remove(sent).unwrap_or(Value::Null),
        );
    }
    if bucketed {
        flat.insert(BUCKET.into(), row.shift_remove(BUCKET)?);
    }
    flat.insert(VALUE.into(), row.shift_remove(VALUE)?);
    Some(Value::Object(flat))
}

/// The key KopaiQuery gives a time series' bucket.
pub const BUCKET: &str = "bucket_start";
