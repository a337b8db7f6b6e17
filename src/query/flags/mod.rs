//! The flag language: `p95(Duration)`, `http.response.status_code>=500`, `error_rate>0.01`,
//! `-error_rate`, each read into its part of a query. Whether the part makes sense for the
//! signal (a known column, a numeric one) is `check`'s job, for flags and files alike.

use serde_json::Number;

use super::columns;
use super::model::{
    Attribute, Column, ColumnUse, Comparison, Direction, Having, Measure, MeasureOp, Order, Signal,
};
use crate::error::UserError;

mod filter;

use crate::units::duration_ns;
pub use filter::filter;

/// A column by name: a known one in any case (`duration` is `Duration`), `Container.KEY` for
/// an attribute, else the name as written (for `check` to call unknown).
pub fn column(signal: Signal, text: &str) -> Column {
    let text = text.trim();
    if let Some(known) = columns::names(signal).find(|n| n.eq_ignore_ascii_case(text)) {
        return Column::Name(known.to_owned());
    }
    if let Some((prefix, key)) = text.split_once('.') {
        let container = columns::containers(signal)
            .iter()
            .find(|c| c.eq_ignore_ascii_case(prefix));
        if let Some(container) = container {
            return Column::Attribute(Attribute {
                container: (*container).to_owned(),
                key: key.to_owned(),
            });
        }
    }
    Column::Name(text.to_owned())
}

/// A search command's `--group-by` key as a column: one the signal knows by that name
/// (`service.name`), `Container.KEY`, else an attribute of the record itself
/// (`Attributes.outcome`, `LogAttributes.request.id`), which is what the search routes group by.
pub fn group_key(signal: Signal, key: &str) -> String {
    let key = key.trim();
    match column(signal, key) {
        Column::Name(name) if !columns::is_known(signal, &name) => {
            format!("{}.{key}", columns::containers(signal)[0])
        }
        _ => key.to_owned(),
    }
}

/// `count`, `p95(Duration)`, `slow=p95(Duration)`. The alias is derived when not given:
/// `p95_duration`, `count_distinct_trace_id`.
pub fn measure(signal: Signal, text: &str) -> Result<Measure, UserError> {
    let text = text.trim();
    let (alias, expr) = match text.split_once('=') {
        Some((alias, expr)) if !alias.contains('(') => (Some(alias.trim()), expr.trim()),
        _ => (None, text),
    };
    let (name, column) = match expr.split_once('(') {
        Some((name, rest)) => {
            let inner = rest.strip_suffix(')').ok_or_else(|| {
                UserError::usage(format!("\"{expr}\" is missing its closing parenthesis"))
            })?;
            (name.trim(), Some(inner.trim()))
        }
        None => (expr, None),
    };
    let op = MeasureOp::ALL
        .into_iter()
        .find(|op| op.flag_name().eq_ignore_ascii_case(name))
        .ok_or_else(|| unknown_measure(name))?;
    let column = match column {
        Some("") => None,
        Some(text) => Some(self::column(signal, text)),
        None => None,
    };
    let alias = match alias {
        Some(alias) => alias.to_owned(),
        None => derived_alias(op, column.as_ref()),
    };
    Ok(Measure { op, column, alias })
}

fn unknown_measure(name: &str) -> UserError {
    let names: Vec<String> = MeasureOp::ALL.iter().map(|op| op.flag_name()).collect();
    let suggestion = columns::closest(&name.to_ascii_lowercase(), names.iter().map(String::as_str))
        .map(|s| format!(" (did you mean \"{s}\"?)"))
        .unwrap_or_default();
    let spelled: Vec<String> = MeasureOp::ALL
        .iter()
        .map(|op| match op.column() {
            ColumnUse::None => op.flag_name(),
            _ => format!("{}(COL)", op.flag_name()),
        })
        .collect();
    UserError::usage(format!("there is no measure \"{name}\"{suggestion}"))
        .with_hint(format!("measures: {}", spelled.join(", ")))
}

fn derived_alias(op: MeasureOp, column: Option<&Column>) -> String {
    let name = op.flag_name();
    let column = match column {
        Some(Column::Name(name)) => snake(name),
        Some(Column::Attribute(a)) => snake(&a.key),
        None => return name,
    };
    if column.is_empty() {
        name
    } else {
        format!("{name}_{column}")
    }
}

/// `http.response.status_code` → `http_response_status_code`, `TraceId` → `trace_id`.
fn snake(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    let mut previous_lower = false;
    for c in text.chars() {
        if c.is_ascii_uppercase() && previous_lower {
            out.push('_');
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_owned()
}

/// A plain JSON number, kept as written.
pub fn number(text: &str) -> Option<Number> {
    let parsed: f64 = text.parse().ok()?;
    if !parsed.is_finite() || text.starts_with('+') || text.starts_with('.') {
        return None;
    }
    serde_json::from_str(text).ok()
}

/// `1s`, `250ms`, `1.5s` or bare nanoseconds, as a number of nanoseconds.
pub fn duration(text: &str) -> Option<Number> {
    duration_ns(text, false)
        .ok()
        .and_then(|ns| u64::try_from(ns).ok())
        .map(Number::from)
}

const COMPARISONS: &[(&str, Comparison)] = &[
    ("!=", Comparison::Neq),
    (">=", Comparison::Gte),
    ("<=", Comparison::Lte),
    ("=", Comparison::Eq),
    (">", Comparison::Gt),
    ("<", Comparison::Lt),
];

/// `error_rate>0.01`; a measure of `Duration` takes a duration (`p95_duration>500ms`).
pub fn having(text: &str, measures: &[Measure]) -> Result<Having, UserError> {
    let syntax = || UserError::usage("expected ALIAS OP NUMBER, OP one of = != > >= < <=");
    let split = text.find(['=', '!', '<', '>']).ok_or_else(syntax)?;
    let (alias, rest) = text.split_at(split);
    let (token, op) = COMPARISONS
        .iter()
        .find(|(token, _)| rest.starts_with(token))
        .ok_or_else(syntax)?;
    let alias = alias.trim();
    let operand = rest[token.len()..].trim();
    let of_duration = measures.iter().any(|m| {
        m.alias == alias
            && m.op.column() == ColumnUse::Numeric
            && m.column == Some(Column::Name("Duration".into()))
    });
    let value = match number(operand) {
        Some(n) => n,
        None if of_duration => duration(operand).ok_or_else(|| {
            UserError::usage(format!(
                "expected a number or a duration like 500ms, not \"{operand}\""
            ))
        })?,
        None => {
            return Err(UserError::usage(format!(
                "expected a number, not \"{operand}\""
            )))
        }
    };
    Ok(Having {
        measure: alias.to_owned(),
        op: *op,
        value,
    })
}

/// `-error_rate` (descending), `+service.name` or `service.name` (ascending): a measure's
/// alias, else a column.
pub fn order(signal: Signal, text: &str, measures: &[Measure]) -> Order {
    let text = text.trim();
    let (direction, name) = match text.strip_prefix('-') {
        Some(name) => (Direction::Desc, name),
        None => (Direction::Asc, text.strip_prefix('+').unwrap_or(text)),
    };
    match measures.iter().find(|m| m.alias == name) {
        Some(m) => Order::Measure {
            alias: m.alias.clone(),
            direction,
        },
        None => Order::Dimension {
            column: column(signal, name),
            direction,
        },
    }
}

/// A window or bucket width in the schema's form, from any duration of whole seconds:
/// `90m` stays, `1.5h` becomes `90m`, `3600s` becomes `1h`.
pub fn window(text: &str) -> Result<String, UserError> {
    let text = text.trim();
    let weeks = text
        .strip_suffix('w')
        .and_then(|n| n.parse::<u64>().ok())
        .and_then(|n| n.checked_mul(7 * 86_400));
    let seconds = match weeks {
        Some(seconds) => Some(seconds),
        None => duration_ns(text, true)
            .ok()
            .filter(|ns| ns % 1_000_000_000 == 0)
            .and_then(|ns| u64::try_from(ns / 1_000_000_000).ok()),
    };
    let seconds = seconds.filter(|s| *s > 0).ok_or_else(|| {
        UserError::usage(format!(
            "expected a whole number of seconds or more, like 30s, 15m, 2h, 7d or 2w, not \"{text}\""
        ))
    })?;
    let unit = [
        ("w", 604_800),
        ("d", 86_400),
        ("h", 3_600),
        ("m", 60),
        ("s", 1),
    ]
    .into_iter()
    .find(|(_, size)| seconds % size == 0)
    .unwrap_or(("s", 1));
    Ok(format!("{}{}", seconds / unit.1, unit.0))
}

/// Nanoseconds since the epoch as the schema's UTC time, to the millisecond.
pub fn iso_time(ns: &str) -> Result<String, UserError> {
    let time = ns
        .parse::<i128>()
        .ok()
        .and_then(|ns| jiff::Timestamp::from_nanosecond(ns).ok())
        .ok_or_else(|| UserError::usage(format!("\"{ns}\" is not a time")))?;
    Ok(time.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_derived_in_snake_case() {
        let m = measure(Signal::Traces, "count_distinct(TraceId)").unwrap();
        assert_eq!(m.alias, "count_distinct_trace_id");
        let m = measure(Signal::Traces, "P95(http.response.status_code)").unwrap();
        assert_eq!(m.alias, "p95_http_response_status_code");
        let m = measure(Signal::Traces, "avg(SpanAttributes.db.rows-read)").unwrap();
        assert_eq!(m.alias, "avg_db_rows_read");
        assert_eq!(
            measure(Signal::Traces, "slow=p99(Duration)").unwrap().alias,
            "slow"
        );
    }

    #[test]
    fn group_keys_are_known_columns_or_the_records_attributes() {
        assert_eq!(group_key(Signal::Metrics, "outcome"), "Attributes.outcome");
        assert_eq!(group_key(Signal::Logs, "service.name"), "service.name");
        assert_eq!(group_key(Signal::Logs, "tenant"), "LogAttributes.tenant");
        assert_eq!(
            group_key(Signal::Logs, "ResourceAttributes.team"),
            "ResourceAttributes.team"
        );
    }

    #[test]
    fn windows_take_the_largest_exact_unit() {
        assert_eq!(window("1h").unwrap(), "1h");
        assert_eq!(window("1.5h").unwrap(), "90m");
        assert_eq!(window("3600s").unwrap(), "1h");
        assert_eq!(window("14d").unwrap(), "2w");
        assert_eq!(window("2w").unwrap(), "2w");
        assert!(window("500ms").is_err());
        assert!(window("0s").is_err());
        assert!(window("1").is_err());
    }

    #[test]
    fn times_are_utc_to_the_millisecond() {
        assert_eq!(
            iso_time("1795820420500000000").unwrap(),
            "2026-11-27T23:00:20.500Z"
        );
    }

    #[test]
    fn numbers_are_plain_json_numbers() {
        assert_eq!(number("0.01").unwrap().to_string(), "0.01");
        assert_eq!(number("-3").unwrap().to_string(), "-3");
        assert!(number("NaN").is_none());
        assert!(number("inf").is_none());
        assert!(number("1_000").is_none());
        assert!(number("abc").is_none());
    }
}
