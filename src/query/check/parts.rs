//! Columns and measures: names the signal has, aliases the schema allows, numeric columns
//! where the operation needs numbers.

use crate::error::UserError;
use crate::query::columns;
use crate::query::model::{Column, ColumnUse, Measure, Signal};

/// A column the signal has: a known name, or an attribute in one of its containers.
pub fn check_column(signal: Signal, column: &Column) -> Result<(), UserError> {
    let containers = columns::containers(signal);
    let attribute_hint = |key: &str| {
        let spelled: Vec<String> = containers.iter().map(|c| format!("{c}.{key}")).collect();
        format!(
            "any other attribute works as {} (in a query file {{\"container\": \"{}\", \"key\": \"{key}\"}})",
            spelled.join(" or "),
            containers[0]
        )
    };
    match column {
        Column::Name(name) if columns::is_known(signal, name) => Ok(()),
        Column::Name(name) => {
            let suggestion = columns::suggest(signal, name)
                .map(|s| format!(" (did you mean \"{s}\"?)"))
                .unwrap_or_default();
            Err(UserError::usage(format!(
                "{} have no column \"{name}\"{suggestion}",
                signal.name()
            ))
            .with_hint(attribute_hint(name)))
        }
        Column::Attribute(a) if !containers.contains(&a.container.as_str()) => {
            Err(UserError::usage(format!(
                "{} have no attribute map \"{}\": it is one of {}",
                signal.name(),
                a.container,
                containers.join(", ")
            )))
        }
        Column::Attribute(a) if a.key.is_empty() => Err(UserError::usage(format!(
            "the {} key is empty",
            a.container
        ))),
        Column::Attribute(_) => Ok(()),
    }
}

/// `^[A-Za-z_][A-Za-z0-9_]*$`, the schema's pattern for measure aliases.
pub fn is_alias(alias: &str) -> bool {
    let mut chars = alias.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

pub fn check_measure(signal: Signal, measure: &Measure) -> Result<(), UserError> {
    let name = measure.op.flag_name();
    if !is_alias(&measure.alias) {
        return Err(UserError::usage(format!(
            "the alias \"{}\" must start with a letter or _ and hold only letters, digits and _",
            measure.alias
        )));
    }
    if measure.op.traces_only() && signal != Signal::Traces {
        return Err(UserError::usage(format!(
            "{name} is about spans: it works on traces only"
        )));
    }
    match (measure.op.column(), &measure.column) {
        (ColumnUse::None, None) => Ok(()),
        (ColumnUse::None, Some(_)) => Err(UserError::usage(format!("{name} takes no column"))),
        (_, None) => Err(UserError::usage(format!(
            "{name} needs a column, like {name}({})",
            example_numeric(signal)
        ))),
        (ColumnUse::Any, Some(column)) => check_column(signal, column),
        (ColumnUse::Numeric, Some(column)) => {
            check_column(signal, column)?;
            if columns::is_numeric(signal, column) {
                return Ok(());
            }
            Err(UserError::usage(format!(
                "{name} needs a numeric column, and {} is not one",
                column.key()
            ))
            .with_hint(format!(
                "numeric columns of {}: {}, or any attribute holding numbers",
                signal.name(),
                numeric_names(signal).join(", ")
            )))
        }
    }
}

fn numeric_names(signal: Signal) -> Vec<&'static str> {
    columns::structural(signal)
        .iter()
        .copied()
        .filter(|n| columns::is_numeric(signal, &Column::Name((*n).into())))
        .collect()
}

fn example_numeric(signal: Signal) -> &'static str {
    numeric_names(signal).first().copied().unwrap_or("Value")
}
