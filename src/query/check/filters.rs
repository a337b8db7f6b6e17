//! Filters: a value of the type its operator takes, on a column that can be compared so, and
//! the one metric type a metrics query is pinned to.

use serde_json::Value;

use super::{at, check_column, Invalid, Section};
use crate::error::UserError;
use crate::query::columns::{self, METRIC_TYPES, STATUS_CODES};
use crate::query::model::{Column, Filter, Leaf, Operand, Signal};

pub fn check_filter(
    signal: Signal,
    filter: &Filter,
    index: Vec<usize>,
    path: String,
) -> Result<(), Invalid> {
    let (children, key) = match filter {
        Filter::Leaf(leaf) => {
            return check_leaf(signal, leaf).map_err(at(Section::Filters, index, path));
        }
        Filter::And { and } => (and, "and"),
        Filter::Or { or } => (or, "or"),
    };
    if children.is_empty() {
        let problem = UserError::usage(format!("an \"{key}\" group needs at least one filter"));
        return Err(at(Section::Filters, index, path)(problem));
    }
    for (i, child) in children.iter().enumerate() {
        let mut inner = index.clone();
        inner.push(i);
        check_filter(signal, child, inner, format!("{path}.{key}[{i}]"))?;
    }
    Ok(())
}

pub fn check_leaf(signal: Signal, leaf: &Leaf) -> Result<(), UserError> {
    check_column(signal, &leaf.column)?;
    let op = serde_json::to_value(leaf.op).unwrap_or_default();
    let op = op.as_str().unwrap_or_default();
    let operand = leaf.op.operand();
    if operand != Operand::List && leaf.values.is_some() {
        return Err(UserError::usage(format!(
            "{op} takes a \"value\"; \"values\" is for in and notIn"
        )));
    }
    if operand == Operand::List && leaf.value.is_some() {
        return Err(UserError::usage(format!(
            "{op} takes a list: \"values\": [...]"
        )));
    }
    if operand == Operand::Nothing {
        return match leaf.value {
            Some(_) => Err(UserError::usage(format!("{op} takes no value"))),
            None => Ok(()),
        };
    }
    let values: Vec<&Value> = match (&leaf.value, &leaf.values) {
        (Some(value), _) => vec![value],
        (None, Some(values)) if !values.is_empty() => values.iter().collect(),
        (None, Some(_)) => return Err(UserError::usage(format!("{op} needs a non-empty list"))),
        (None, None) if operand == Operand::List => {
            return Err(UserError::usage(format!("{op} needs a non-empty list")))
        }
        (None, None) => return Err(UserError::usage(format!("{op} needs a value"))),
    };
    let numeric = values[0].is_number();
    let fits = |v: &&Value| match operand {
        Operand::Scalar => v.is_string() || v.is_number() || v.is_boolean(),
        Operand::Text => v.is_string(),
        Operand::Number => v.is_number(),
        Operand::List => v.is_number() == numeric && (v.is_number() || v.is_string()),
        Operand::Nothing => false,
    };
    if !values.iter().all(fits) {
        return Err(UserError::usage(match operand {
            Operand::Text => format!("{op} compares text: its value is a string"),
            Operand::Number => format!("{op} compares numbers: its value is a number"),
            Operand::List => format!("the {op} list holds all strings or all numbers"),
            _ => format!("{op} takes a string, a number or true/false"),
        }));
    }
    if numeric && !columns::is_comparable(signal, &leaf.column) {
        return Err(UserError::usage(format!(
            "{} is not numeric: compare it with text, not a number",
            leaf.column.key()
        )));
    }
    check_enumerated(&leaf.column, &values)
}

/// `StatusCode` and `MetricType` hold one of a few exact spellings.
fn check_enumerated(column: &Column, values: &[&Value]) -> Result<(), UserError> {
    let allowed = match column {
        Column::Name(name) if name == "StatusCode" => STATUS_CODES,
        Column::Name(name) if name == "MetricType" => METRIC_TYPES,
        _ => return Ok(()),
    };
    for value in values {
        let text = value.as_str().unwrap_or_default();
        if !allowed.contains(&text) {
            return Err(UserError::usage(format!(
                "{} is one of {}, not {value}",
                column.key(),
                allowed.join(", ")
            )));
        }
    }
    Ok(())
}

/// A metric query names one metric type at the top level, which picks the server's table.
pub fn metric_type_pin(filters: &[Filter]) -> Result<(), UserError> {
    let pinned = filters.iter().any(|f| match f {
        Filter::Leaf(leaf) if leaf.column == Column::Name("MetricType".into()) => {
            leaf.value.is_some() || leaf.values.as_ref().is_some_and(|v| v.len() == 1)
        }
        _ => false,
    });
    if pinned {
        return Ok(());
    }
    Err(
        UserError::usage("a metrics query needs one metric type, as a top-level MetricType filter")
            .with_hint(format!(
                "add --where MetricType=Gauge (one of {})",
                METRIC_TYPES.join(", ")
            )),
    )
}
