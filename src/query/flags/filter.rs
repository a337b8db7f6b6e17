//! Filters in the flag language: `Duration>1s`, `service.name in(a,b)`, `StatusMessage !null`,
//! with each value typed by its column and operator.

use serde_json::Value;

use super::{column, duration, number};
use crate::error::UserError;
use crate::query::columns::{self, METRIC_TYPES, STATUS_CODES};
use crate::query::model::{Column, FilterOp, Leaf, Operand, Signal};

/// The filter operators, longest first so that `>=` is not read as `>`.
const FILTER_OPS: &[(&str, FilterOp)] = &[
    ("!in(", FilterOp::NotIn),
    ("!null", FilterOp::IsNotNull),
    ("!=", FilterOp::Neq),
    ("!~", FilterOp::NotContains),
    (">=", FilterOp::Gte),
    ("<=", FilterOp::Lte),
    ("^=", FilterOp::StartsWith),
    ("$=", FilterOp::EndsWith),
    ("in(", FilterOp::In),
    ("null", FilterOp::IsNull),
    ("=", FilterOp::Eq),
    (">", FilterOp::Gt),
    ("<", FilterOp::Lt),
    ("~", FilterOp::Contains),
];

pub const FILTER_SYNTAX: &str = "COLUMN OP VALUE, OP one of = != > >= < <= ~ (contains) !~ \
     ^= (starts with) $= (ends with), or COLUMN in(A,B), COLUMN !in(A,B), COLUMN null, COLUMN !null";

/// `Duration>1s`, `service.name in(a,b)`, `StatusMessage !null`.
pub fn filter(signal: Signal, text: &str) -> Result<Leaf, UserError> {
    let syntax = || UserError::usage(format!("expected {FILTER_SYNTAX}"));
    let split = text
        .find(|c: char| "=!<>~^$".contains(c) || c.is_whitespace())
        .ok_or_else(syntax)?;
    let (name, rest) = text.split_at(split);
    let rest = rest.trim_start();
    let (token, op) = FILTER_OPS
        .iter()
        .find(|(token, _)| rest.starts_with(token))
        .ok_or_else(syntax)?;
    if name.trim().is_empty() {
        return Err(UserError::usage("no column before the operator").with_hint(FILTER_SYNTAX));
    }
    let column = column(signal, name);
    let operand = rest[token.len()..].trim();
    let mut leaf = Leaf {
        column,
        op: *op,
        value: None,
        values: None,
    };
    match op {
        FilterOp::IsNull | FilterOp::IsNotNull if operand.is_empty() => {}
        FilterOp::IsNull | FilterOp::IsNotNull => {
            return Err(UserError::usage(format!(
                "{token} takes no value, found \"{operand}\""
            )))
        }
        FilterOp::In | FilterOp::NotIn => {
            let inner = operand.strip_suffix(')').ok_or_else(|| {
                UserError::usage(format!("{token}…) is missing its closing parenthesis"))
            })?;
            let items: Vec<&str> = inner.split(',').map(str::trim).collect();
            if items.iter().any(|item| item.is_empty()) {
                return Err(UserError::usage(format!(
                    "{token}…) needs a non-empty list of values, like {token}a,b)"
                )));
            }
            leaf.values = Some(list(signal, &leaf.column, &items)?);
        }
        _ if operand.is_empty() => {
            return Err(UserError::usage(format!(
                "{token} needs a value (write \"\" for the empty string)"
            )))
        }
        _ => leaf.value = Some(value(signal, &leaf.column, *op, operand)?),
    }
    Ok(leaf)
}

/// One value, typed by the column and the operator: numbers for numeric columns (durations
/// with units for `Duration`), text for text columns, a number where one looks like it on an
/// attribute. Quotes (`"500"`) keep a value text.
fn value(signal: Signal, column: &Column, op: FilterOp, text: &str) -> Result<Value, UserError> {
    if let Some(quoted) = unquote(text) {
        return Ok(Value::String(quoted.to_owned()));
    }
    let guess = || number(text).map_or_else(|| Value::String(text.to_owned()), Value::Number);
    let structural = match column {
        // An unknown name is `check`'s to report, with what was meant.
        Column::Name(name) if !columns::is_known(signal, name) => return Ok(guess()),
        Column::Name(name) => columns::is_structural(signal, name),
        Column::Attribute(_) => false,
    };
    let wants_number = op.operand() == Operand::Number;
    if structural && wants_number && !columns::is_comparable(signal, column) {
        return Err(UserError::usage(format!(
            "{} is not numeric: > >= < <= compare numbers",
            column.key()
        )));
    }
    if is_duration_column(signal, column) && op.operand() != Operand::Text {
        return duration(text).map(Value::Number).ok_or_else(|| {
            UserError::usage(format!(
                "Duration is compared with a duration like 500ms, 1.5s or nanoseconds, not \"{text}\""
            ))
        });
    }
    let numeric =
        structural && columns::is_numeric(signal, column) && op.operand() != Operand::Text;
    if numeric || wants_number {
        return number(text).map(Value::Number).ok_or_else(|| {
            UserError::usage(format!("{} compares numbers, not \"{text}\"", column.key()))
        });
    }
    if let Column::Name(name) = column {
        if let Some(canonical) = enumerated(name, text)? {
            return Ok(Value::String(canonical.to_owned()));
        }
    }
    if structural || op.operand() == Operand::Text {
        return Ok(Value::String(text.to_owned()));
    }
    Ok(guess())
}

fn list(signal: Signal, column: &Column, items: &[&str]) -> Result<Vec<Value>, UserError> {
    let values = items
        .iter()
        .map(|item| value(signal, column, FilterOp::Eq, item))
        .collect::<Result<Vec<_>, _>>()?;
    // One list is one type: if any value is text, they all are.
    if values.iter().all(Value::is_number) {
        return Ok(values);
    }
    if values.iter().any(Value::is_number) && !columns::is_numeric(signal, column) {
        return Ok(items
            .iter()
            .map(|item| Value::String(unquote(item).unwrap_or(item).to_owned()))
            .collect());
    }
    Ok(values)
}

fn unquote(text: &str) -> Option<&str> {
    text.strip_prefix('"')?.strip_suffix('"')
}

fn is_duration_column(signal: Signal, column: &Column) -> bool {
    signal == Signal::Traces && *column == Column::Name("Duration".into())
}

/// `StatusCode` as KopaiQuery spells it (`Error`), from any spelling a backend stores
/// (`STATUS_CODE_ERROR`) in any case; `MetricType` as the server spells it.
fn enumerated(column: &str, text: &str) -> Result<Option<&'static str>, UserError> {
    let (allowed, prefix) = match column {
        "StatusCode" => (STATUS_CODES, "STATUS_CODE_"),
        "MetricType" => (METRIC_TYPES, ""),
        _ => return Ok(None),
    };
    let upper = text.to_ascii_uppercase();
    let bare = upper.strip_prefix(prefix).unwrap_or(&upper);
    allowed
        .iter()
        .find(|a| a.eq_ignore_ascii_case(bare))
        .map(|a| Some(*a))
        .ok_or_else(|| {
            UserError::usage(format!(
                "{column} is one of {}, not \"{text}\"",
                allowed.join(", ")
            ))
        })
}
