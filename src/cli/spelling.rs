//! `--status-code` and `--span-kind`: Kopai backends store these values in different spellings
//! and the server compares them exactly, so a friendly value is kept as such until the server's
//! spelling is known (`api::support` learns it).

use crate::api::BackendStyle;

/// A `--status-code` or `--span-kind` value as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spelling {
    /// A backend's own spelling (`STATUS_CODE_ERROR`, `Error`): sent unchanged.
    Stored(String),
    /// A friendly name in any case (`error`, `ERROR`, `status_code_error`): sent in the
    /// spelling of the server asked.
    Friendly {
        prefix: &'static str,
        name: &'static str,
    },
}

impl Spelling {
    /// The string to send to a server of `style`.
    pub fn spell(&self, style: BackendStyle) -> String {
        match (self, style) {
            (Spelling::Stored(raw), _) => raw.clone(),
            (Spelling::Friendly { prefix, name }, BackendStyle::Otlp) => format!("{prefix}{name}"),
            (Spelling::Friendly { name, .. }, BackendStyle::ClickHouse) => title_case(name),
        }
    }

    pub fn is_friendly(&self) -> bool {
        matches!(self, Spelling::Friendly { .. })
    }
}

/// `ERROR` → `Error`, as the ClickHouse exporter stores it.
fn title_case(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

const STATUS_CODES: &[&str] = &["OK", "ERROR", "UNSET"];
const SPAN_KINDS: &[&str] = &[
    "SERVER",
    "CLIENT",
    "PRODUCER",
    "CONSUMER",
    "INTERNAL",
    "UNSPECIFIED",
];

/// `error` (any case) is friendly; `STATUS_CODE_ERROR` and `Error` are stored spellings.
pub fn parse_status_code(raw: &str) -> Result<Spelling, String> {
    spelling(raw, "STATUS_CODE_", STATUS_CODES)
}

pub fn parse_span_kind(raw: &str) -> Result<Spelling, String> {
    spelling(raw, "SPAN_KIND_", SPAN_KINDS)
}

fn spelling(raw: &str, prefix: &'static str, names: &[&'static str]) -> Result<Spelling, String> {
    let stored = names
        .iter()
        .any(|name| raw == format!("{prefix}{name}") || raw == title_case(name));
    if stored {
        return Ok(Spelling::Stored(raw.to_owned()));
    }
    let upper = raw.to_ascii_uppercase();
    let short = upper.strip_prefix(prefix).unwrap_or(&upper);
    match names.iter().find(|name| **name == short) {
        Some(name) => Ok(Spelling::Friendly { prefix, name }),
        None => Err(format!(
            "expected one of {} (or the stored {prefix}* or {} form)",
            names.join(", ").to_ascii_lowercase(),
            title_case(names[0])
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_statuses_keep_stored_spellings_and_spell_friendly_ones_per_backend() {
        use BackendStyle::{ClickHouse, Otlp};
        let status = |raw, style| parse_status_code(raw).unwrap().spell(style);
        assert_eq!(status("error", Otlp), "STATUS_CODE_ERROR");
        assert_eq!(status("ERROR", ClickHouse), "Error");
        assert_eq!(status("status_code_ok", ClickHouse), "Ok");
        assert_eq!(status("STATUS_CODE_OK", ClickHouse), "STATUS_CODE_OK");
        assert_eq!(status("Error", Otlp), "Error");
        let kind = |raw, style| parse_span_kind(raw).unwrap().spell(style);
        assert_eq!(kind("Server", Otlp), "Server");
        assert_eq!(kind("SPAN_KIND_SERVER", ClickHouse), "SPAN_KIND_SERVER");
        assert_eq!(kind("unspecified", ClickHouse), "Unspecified");
        assert_eq!(kind("SERVER", Otlp), "SPAN_KIND_SERVER");
        assert!(parse_span_kind("sideways").is_err());
    }
}
