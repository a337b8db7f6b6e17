//! A log record's severity as a person reads it: its name (the stored text, or where none was
//! stored the OpenTelemetry name of its number's range) and how loud it is. Log lines colour
//! by it; the waterfall's `--logs` marks errors by it.

use std::borrow::Cow;

use super::json::{text, RowFields};

/// How loud a severity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// ERROR and FATAL (and CRITICAL): red.
    Error,
    /// WARN: yellow.
    Warn,
    /// DEBUG and TRACE: dim.
    Quiet,
    /// INFO, and whatever cannot be placed.
    Plain,
}

/// The severity of `row` (which must have read `SeverityText` and `SeverityNumber`) and its
/// level: by `SeverityNumber` when it is OpenTelemetry's 1 to 24, else by the text.
pub fn severity<'a>(row: &RowFields<'a>) -> (Cow<'a, str>, Level) {
    let stored = row.get("SeverityText").map(text).unwrap_or_default();
    let number = row
        .get("SeverityNumber")
        .and_then(|n| n.get().parse::<u8>().ok())
        .filter(|n| (1..=24).contains(n));
    let name = match number {
        Some(n) => ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"][usize::from((n - 1) / 4)],
        None => "",
    };
    let by = if name.is_empty() { &stored } else { name };
    let starts = |prefix: &str| {
        by.get(..prefix.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
    };
    let level = if starts("ERR") || starts("FATAL") || starts("CRIT") {
        Level::Error
    } else if starts("WARN") {
        Level::Warn
    } else if starts("DEBUG") || starts("TRACE") {
        Level::Quiet
    } else {
        Level::Plain
    };
    let shown = if stored.trim().is_empty() {
        Cow::Borrowed(name)
    } else {
        stored
    };
    (shown, level)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_levels_by_number_then_text() {
        let row = |json: &'static str| {
            let row = super::super::json::Row::parse(json.as_bytes()).unwrap();
            severity(&RowFields::read(row, None))
        };
        assert_eq!(
            row(r#"{"SeverityText":"ERROR","SeverityNumber":17}"#),
            ("ERROR".into(), Level::Error)
        );
        assert_eq!(
            row(r#"{"SeverityText":"","SeverityNumber":13}"#),
            ("WARN".into(), Level::Warn)
        );
        assert_eq!(
            row(r#"{"SeverityText":"warning"}"#),
            ("warning".into(), Level::Warn)
        );
        assert_eq!(
            row(r#"{"SeverityText":"Debug","SeverityNumber":0}"#),
            ("Debug".into(), Level::Quiet)
        );
        assert_eq!(
            row(r#"{"SeverityText":"CRITICAL"}"#),
            ("CRITICAL".into(), Level::Error)
        );
        assert_eq!(row(r#"{"SeverityNumber":99}"#), ("".into(), Level::Plain));
    }
}
