//! A whole query from the flag form or from a file, checked: every mistake is a `UserError`
//! (exit 2) naming the flag as typed, or the file and the JSON path.

use std::path::Path;

use super::check::{check_query, Invalid, Section};
use super::flags;
use super::model::{Filter, Leaf, Mode, Output, Query, Signal, TimeDimension};
use crate::error::UserError;

/// The flag form, as typed: each list keeps the user's text so errors can quote it.
#[derive(Debug, Clone, Default)]
pub struct FlagQuery {
    pub measures: Vec<String>,
    pub by: Vec<String>,
    pub wheres: Vec<String>,
    pub any: Vec<String>,
    /// Filters already typed (from the search commands' flags, a text compared exactly),
    /// sent before the `--where`s.
    pub exact: Vec<Leaf>,
    /// `--since`: a window ending now.
    pub since: Option<String>,
    /// `--from` / `--to` as nanoseconds since the epoch; `--to` defaults to now.
    pub from_ns: Option<String>,
    pub to_ns: Option<String>,
    pub every: Option<String>,
    pub havings: Vec<String>,
    pub orders: Vec<String>,
    pub limit: Option<u32>,
}

/// The window when none is given.
pub const DEFAULT_SINCE: &str = "1h";

impl FlagQuery {
    pub fn build(&self, signal: Signal, now_ns: i128) -> Result<Query, UserError> {
        let measures = self
            .measures
            .iter()
            .map(|text| flags::measure(signal, text).map_err(|p| flag_error("--measure", text, p)))
            .collect::<Result<Vec<_>, _>>()?;
        let mode = if measures.is_empty() {
            Mode::Raw
        } else {
            Mode::Aggregate
        };
        let dimensions = self
            .by
            .iter()
            .map(|text| flags::column(signal, text))
            .collect();
        let mut filters: Vec<Filter> = self.exact.iter().cloned().map(Filter::Leaf).collect();
        for text in &self.wheres {
            filters.push(leaf(signal, "--where", text)?);
        }
        if !self.any.is_empty() {
            let or = self
                .any
                .iter()
                .map(|text| leaf(signal, "--any", text))
                .collect::<Result<Vec<_>, _>>()?;
            filters.push(Filter::Or { or });
        }
        let havings = self
            .havings
            .iter()
            .map(|text| flags::having(text, &measures).map_err(|p| flag_error("--having", text, p)))
            .collect::<Result<Vec<_>, _>>()?;
        let order_by = self
            .orders
            .iter()
            .map(|text| flags::order(signal, text, &measures))
            .collect();
        let output = match (mode, &self.every) {
            (Mode::Raw, Some(every)) => {
                return Err(flag_error(
                    "--every",
                    every,
                    UserError::usage(
                        "a time series needs at least one --measure, like --measure count",
                    ),
                ))
            }
            (Mode::Raw, None) => None,
            (Mode::Aggregate, None) => Some(Output::Summary),
            (Mode::Aggregate, Some(every)) => Some(Output::TimeSeries {
                granularity: flags::window(every).map_err(|p| flag_error("--every", every, p))?,
            }),
        };
        let query = Query {
            signal,
            mode,
            measures,
            dimensions,
            filters,
            havings,
            time_dimension: self.time(now_ns)?,
            order_by,
            output,
            limit: self.limit,
            cursor: None,
        };
        check_query(&query).map_err(|invalid| self.locate(invalid))?;
        Ok(query)
    }

    fn time(&self, now_ns: i128) -> Result<TimeDimension, UserError> {
        let Some(from) = &self.from_ns else {
            let since = self.since.as_deref().unwrap_or(DEFAULT_SINCE);
            let lookback = flags::window(since).map_err(|p| flag_error("--since", since, p))?;
            return Ok(TimeDimension::Relative { lookback });
        };
        let to = self.to_ns.clone().unwrap_or_else(|| now_ns.to_string());
        Ok(TimeDimension::Absolute {
            start_time: flags::iso_time(from).map_err(|p| flag_error("--from", from, p))?,
            end_time: flags::iso_time(&to).map_err(|p| flag_error("--to", &to, p))?,
        })
    }

    /// The flag a problem found in the built query came from.
    fn locate(&self, invalid: Invalid) -> UserError {
        let nth = |list: &[String], i: Option<&usize>| {
            i.and_then(|i| list.get(*i)).cloned().unwrap_or_default()
        };
        let index = invalid.index.first();
        let (flag, text) = match invalid.section {
            Section::Measures => ("--measure", nth(&self.measures, index)),
            Section::Dimensions => ("--by", nth(&self.by, index)),
            Section::Filters => match index.map(|i| i.checked_sub(self.exact.len())) {
                None => ("--where", String::new()),
                Some(None) => ("filter", String::new()),
                Some(Some(i)) if i >= self.wheres.len() => {
                    ("--any", nth(&self.any, invalid.index.get(1)))
                }
                Some(Some(i)) => ("--where", nth(&self.wheres, Some(&i))),
            },
            Section::Havings => ("--having", nth(&self.havings, index)),
            Section::Order => ("--order", nth(&self.orders, index)),
            Section::Output => ("--every", self.every.clone().unwrap_or_default()),
            Section::Limit => ("--limit", self.limit.unwrap_or_default().to_string()),
            Section::Time => match &self.from_ns {
                Some(_) => ("--from/--to", String::new()),
                None => ("--since", self.since.clone().unwrap_or_default()),
            },
            Section::Query => ("query", String::new()),
        };
        flag_error(flag, &text, invalid.problem)
    }
}

fn leaf(signal: Signal, flag: &str, text: &str) -> Result<Filter, UserError> {
    flags::filter(signal, text)
        .map(Filter::Leaf)
        .map_err(|p| flag_error(flag, text, p))
}

/// `--where 'Duraton>1s': traces have no column "Duraton" (did you mean "Duration"?)`.
fn flag_error(flag: &str, text: &str, mut problem: UserError) -> UserError {
    problem.message = if text.is_empty() {
        format!("{flag}: {}", problem.message)
    } else {
        format!("{flag} '{text}': {}", problem.message)
    };
    problem
}

/// A query file's text (`name` is the path as given, or `stdin`), read and checked.
pub fn from_json(name: &Path, text: &str) -> Result<Query, UserError> {
    let name = name.display();
    let query: Query = serde_json::from_str(text).map_err(|err| {
        let what = match err.classify() {
            serde_json::error::Category::Data => "not a KopaiQuery",
            _ => "not valid JSON",
        };
        UserError::usage(format!("{name}: {what}: {err}"))
    })?;
    check_query(&query).map_err(|invalid| {
        let mut problem = invalid.problem;
        problem.message = format!("{name}: {}: {}", invalid.path, problem.message);
        problem
    })?;
    Ok(query)
}
