//! The schema's rules and the server's checks, applied before anything is sent: a query that
//! would come back as a 400 is refused here with the part at fault named and, where it is a
//! near miss, what was meant.

use super::columns;
use super::model::{Mode, Order, Output, Query, Signal, TimeDimension};
use crate::error::UserError;

mod filters;
mod parts;

use filters::{check_filter, metric_type_pin};
pub use parts::{check_column, check_measure};

/// The part of a query a problem is in: its JSON path, and where it sits for the flag form
/// (the section and the indexes within it, a filter inside an OR group having two).
#[derive(Debug)]
pub struct Invalid {
    pub section: Section,
    pub index: Vec<usize>,
    pub path: String,
    pub problem: UserError,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Query,
    Measures,
    Dimensions,
    Filters,
    Havings,
    Time,
    Order,
    Output,
    Limit,
}

/// Upstream's cap on rows per answer.
pub const MAX_LIMIT: u32 = 10_000;

fn at(section: Section, index: Vec<usize>, path: String) -> impl FnOnce(UserError) -> Invalid {
    move |problem| Invalid {
        section,
        index,
        path,
        problem,
    }
}

pub fn check_query(query: &Query) -> Result<(), Invalid> {
    let signal = query.signal;
    check_mode(query).map_err(at(Section::Query, vec![], "mode".into()))?;
    for (i, measure) in query.measures.iter().enumerate() {
        check_measure(signal, measure).map_err(at(
            Section::Measures,
            vec![i],
            format!("measures[{i}]"),
        ))?;
    }
    check_aliases(query)?;
    for (i, column) in query.dimensions.iter().enumerate() {
        check_column(signal, column).map_err(at(
            Section::Dimensions,
            vec![i],
            format!("dimensions[{i}]"),
        ))?;
    }
    for (i, filter) in query.filters.iter().enumerate() {
        check_filter(signal, filter, vec![i], format!("filters[{i}]"))?;
    }
    if signal == Signal::Metrics {
        metric_type_pin(&query.filters).map_err(at(Section::Filters, vec![], "filters".into()))?;
    }
    check_time(&query.time_dimension).map_err(at(Section::Time, vec![], "timeDimension".into()))?;
    if let Some(Output::TimeSeries { granularity }) = &query.output {
        check_duration_string(granularity, "the bucket width").map_err(at(
            Section::Output,
            vec![],
            "output.granularity".into(),
        ))?;
    }
    check_orders(query)?;
    match query.limit {
        Some(limit) if !(1..=MAX_LIMIT).contains(&limit) => Err(Invalid {
            section: Section::Limit,
            index: vec![],
            path: "limit".into(),
            problem: UserError::usage(format!("the limit is 1 to {MAX_LIMIT}, not {limit}")),
        }),
        _ => Ok(()),
    }
}

fn check_mode(query: &Query) -> Result<(), UserError> {
    match query.mode {
        Mode::Raw if !query.measures.is_empty() => Err(UserError::usage(
            "a raw query lists rows: measures need \"mode\": \"aggregate\"",
        )),
        Mode::Raw if !query.havings.is_empty() => {
            Err(UserError::usage("havings filter measures: they need an aggregate query"))
        }
        Mode::Raw if query.output.is_some() => Err(UserError::usage(
            "a raw query lists rows: an output (summary or time series) needs measures",
        )),
        Mode::Aggregate if query.measures.is_empty() => {
            Err(UserError::usage("an aggregate query needs at least one measure"))
        }
        Mode::Aggregate if query.output.is_none() => Err(UserError::usage(
            "an aggregate query needs an output: {\"type\": \"summary\"} or {\"type\": \"timeSeries\", \"granularity\": \"5m\"}",
        )),
        Mode::Aggregate if query.cursor.is_some() => {
            Err(UserError::usage("only raw queries page with a cursor"))
        }
        _ => Ok(()),
    }
}

fn check_aliases(query: &Query) -> Result<(), Invalid> {
    for (i, measure) in query.measures.iter().enumerate() {
        if query.measures[..i].iter().any(|m| m.alias == measure.alias) {
            return Err(Invalid {
                section: Section::Measures,
                index: vec![i],
                path: format!("measures[{i}].as"),
                problem: UserError::usage(format!("the alias \"{}\" is used twice", measure.alias))
                    .with_hint("name one of them: NAME=EXPR, like slow=p95(Duration)"),
            });
        }
    }
    let aliases: Vec<&str> = query.measures.iter().map(|m| m.alias.as_str()).collect();
    for (i, having) in query.havings.iter().enumerate() {
        if !aliases.contains(&having.measure.as_str()) {
            return Err(Invalid {
                section: Section::Havings,
                index: vec![i],
                path: format!("havings[{i}].measure"),
                problem: unknown_alias(&having.measure, &aliases),
            });
        }
    }
    Ok(())
}

pub fn unknown_alias(alias: &str, aliases: &[&str]) -> UserError {
    let suggestion = columns::closest(alias, aliases.iter().copied())
        .map(|s| format!(" (did you mean \"{s}\"?)"))
        .unwrap_or_default();
    UserError::usage(format!("no measure is named \"{alias}\"{suggestion}"))
        .with_hint(format!("the measures are: {}", aliases.join(", ")))
}

fn check_time(time: &TimeDimension) -> Result<(), UserError> {
    match time {
        TimeDimension::Relative { lookback } => check_duration_string(lookback, "the lookback"),
        TimeDimension::Absolute {
            start_time,
            end_time,
        } => {
            let start = parse_iso(start_time)?;
            let end = parse_iso(end_time)?;
            if end <= start {
                return Err(UserError::usage(format!(
                    "the window ends ({end_time}) before it starts ({start_time})"
                )));
            }
            Ok(())
        }
    }
}

/// The schema's ISO 8601 UTC form, `2026-11-27T23:00:20.000Z`.
fn parse_iso(text: &str) -> Result<jiff::Timestamp, UserError> {
    let shaped = text.len() >= 20 && text.ends_with('Z') && text.as_bytes()[10] == b'T';
    match text.parse::<jiff::Timestamp>() {
        Ok(time) if shaped => Ok(time),
        _ => Err(UserError::usage(format!(
            "\"{text}\" is not a UTC time like 2026-11-27T23:00:20.000Z"
        ))),
    }
}

/// The schema's durations: a positive whole number and one of s, m, h, d, w.
fn check_duration_string(text: &str, what: &str) -> Result<(), UserError> {
    let (number, unit) = text.split_at(text.len().saturating_sub(1));
    let digits = !number.is_empty()
        && !number.starts_with('0')
        && number.bytes().all(|b| b.is_ascii_digit());
    if digits && ["s", "m", "h", "d", "w"].contains(&unit) {
        return Ok(());
    }
    Err(UserError::usage(format!(
        "{what} \"{text}\" is not a duration like 30s, 15m, 2h, 7d or 2w"
    )))
}

fn check_orders(query: &Query) -> Result<(), Invalid> {
    let aliases: Vec<&str> = query.measures.iter().map(|m| m.alias.as_str()).collect();
    for (i, order) in query.order_by.iter().enumerate() {
        let fail = at(Section::Order, vec![i], format!("orderBy[{i}]"));
        match order {
            Order::Measure { .. } if query.mode == Mode::Raw => {
                return Err(fail(UserError::usage(
                    "a raw query orders by columns, not measures",
                )))
            }
            Order::Measure { alias, .. } if !aliases.contains(&alias.as_str()) => {
                return Err(fail(unknown_alias(alias, &aliases)))
            }
            Order::Measure { .. } => {}
            Order::Dimension { column, .. } => {
                check_column(query.signal, column).map_err(fail)?;
                let grouped = query.dimensions.contains(column);
                if query.mode == Mode::Aggregate && !grouped {
                    let fail = at(Section::Order, vec![i], format!("orderBy[{i}]"));
                    return Err(fail(
                        UserError::usage(format!(
                            "{} is not grouped on, so results cannot be ordered by it",
                            column.key()
                        ))
                        .with_hint(format!("group on it: --by {}", column.key())),
                    ));
                }
            }
        }
    }
    Ok(())
}
