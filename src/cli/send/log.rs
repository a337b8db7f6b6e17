//! `kopai send log`.

use clap::{Args, ValueHint};

use super::{parse_otlp_time, OtlpArgs};
use crate::cli::parse::{parse_attr, parse_span_id, parse_trace_id, Attr};

#[derive(Debug, Args)]
pub struct SendLogArgs {
    #[command(flatten)]
    pub otlp: OtlpArgs,

    /// The record's body (its message)
    #[arg(long, value_hint = ValueHint::Other)]
    pub body: String,

    /// TRACE, DEBUG, INFO, WARN (or WARNING), ERROR or FATAL, in any case; INFO2 … FATAL4
    /// for the finer steps. Sent as the upper-case name and OTLP's severity number
    #[arg(long, value_name = "LEVEL", default_value = "INFO", value_parser = parse_log_severity, value_hint = ValueHint::Other)]
    pub severity: Severity,

    /// A record attribute KEY=VALUE (repeatable)
    #[arg(long = "attr", value_name = "KEY=VALUE", value_parser = parse_attr, value_hint = ValueHint::Other)]
    pub attrs: Vec<Attr>,

    /// The trace the record belongs to (32 hex digits)
    #[arg(long, value_name = "TRACE_ID", value_parser = parse_trace_id, value_hint = ValueHint::Other)]
    pub trace_id: Option<String>,

    /// The span the record belongs to (16 hex digits; with --trace-id)
    #[arg(long, value_name = "SPAN_ID", value_parser = parse_span_id, requires = "trace_id", value_hint = ValueHint::Other)]
    pub span_id: Option<String>,

    /// When it happened: nanoseconds, a date or an RFC 3339 time [default: now]
    #[arg(long, value_name = "TIME", allow_hyphen_values = true, value_parser = parse_otlp_time, value_hint = ValueHint::Other)]
    pub time: Option<u64>,
}

/// A log severity as OTLP carries it: the name and its number (1 to 24).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Severity {
    pub text: String,
    pub number: i32,
}

/// OTLP's severity ranges in order, four steps each: TRACE is 1–4, … FATAL 21–24.
const LEVELS: [&str; 6] = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];

fn parse_log_severity(raw: &str) -> Result<Severity, String> {
    let upper = raw.trim().to_ascii_uppercase();
    let (name, step) = match upper.as_bytes().last() {
        Some(digit @ b'2'..=b'4') => (&upper[..upper.len() - 1], i32::from(digit - b'0')),
        _ => (upper.as_str(), 1),
    };
    let name = if name == "WARNING" { "WARN" } else { name };
    let level = LEVELS.iter().position(|level| *level == name).ok_or_else(|| {
        "expected TRACE, DEBUG, INFO, WARN, ERROR or FATAL (any case), or one with a step 2 to 4 \
         like ERROR2"
            .to_owned()
    })?;
    // LEVELS has six entries: the index fits.
    let number = level as i32 * 4 + step;
    let text = if step == 1 {
        name.to_owned()
    } else {
        format!("{name}{step}")
    };
    Ok(Severity { text, number })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_map_to_otlp_numbers_in_any_case() {
        let parsed = |raw| parse_log_severity(raw).map(|s| (s.text, s.number));
        assert_eq!(parsed("trace"), Ok(("TRACE".into(), 1)));
        assert_eq!(parsed("Info"), Ok(("INFO".into(), 9)));
        assert_eq!(parsed("warning"), Ok(("WARN".into(), 13)));
        assert_eq!(parsed("ERROR"), Ok(("ERROR".into(), 17)));
        assert_eq!(parsed("error3"), Ok(("ERROR3".into(), 19)));
        assert_eq!(parsed("FATAL4"), Ok(("FATAL4".into(), 24)));
        assert!(parsed("fatal5").is_err());
        assert!(parsed("critical").is_err());
        assert!(parsed("").is_err());
        assert!(parsed("17").is_err());
    }
}
