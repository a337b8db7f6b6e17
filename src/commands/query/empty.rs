//! Why a search may have found nothing, told to a person at a terminal: a `--service` the
//! server does not know (one extra request, made only when the answer was empty), or a
//! `--severity-text` spelled in another case than the stored one.

use serde_json::Value;

use super::services::service_names;
use crate::api::Client;
use crate::term::sanitize;

/// The severity texts OpenTelemetry SDKs store, and the number each range starts at.
const SEVERITIES: [(&str, u8); 6] = [
    ("TRACE", 1),
    ("DEBUG", 5),
    ("INFO", 9),
    ("WARN", 13),
    ("ERROR", 17),
    ("FATAL", 21),
];

/// How many known service names a hint lists at most.
const LISTED: usize = 10;

pub async fn explain(client: &Client, body: &Value) {
    if crate::stdio::quiet() {
        // Its hints would not be shown: do not ask the server for them.
        return;
    }
    if let Some(service) = body.get("serviceName").and_then(Value::as_str) {
        if let Some(unknown) = unknown_service(client, service).await {
            noteln!("hint: {}", unknown_service_hint(service, unknown));
        }
    }
    if let Some(text) = body.get("severityText").and_then(Value::as_str) {
        if let Some(hint) = severity_hint(text) {
            noteln!("hint: {hint}");
        }
    }
}

/// The status line of `--follow` and `--wait` while nothing has matched: what is awaited and
/// the hints [`explain`] would give, on one line.
pub async fn waiting(client: &Client, body: &Value, what: &str) -> String {
    let service = body.get("serviceName").and_then(Value::as_str);
    let mut text = match service {
        Some(service) => format!("waiting for {what} from {}…", sanitize(service)),
        None => format!("waiting for {what}…"),
    };
    if let Some(service) = service {
        match unknown_service(client, service).await {
            Some(Unknown::NoServices) => text.push_str(" — no service has sent anything yet"),
            Some(Unknown::Among { close, known }) => {
                text.push_str(" — no such service yet");
                if let Some(close) = close {
                    text.push_str(&format!(" (did you mean `{close}`?)"));
                }
                text.push_str(&format!("; known: {known}"));
            }
            None => {}
        }
    }
    if let Some(stored) = body
        .get("severityText")
        .and_then(Value::as_str)
        .and_then(stored_severity)
    {
        text.push_str(&format!(
            " — severity texts are usually stored as `{stored}`"
        ));
    }
    text
}

/// A `--service` the server does not know.
enum Unknown {
    /// The server has no services at all.
    NoServices,
    /// One close name to suggest, if there is exactly one, and the known names (the close ones
    /// first, at most [`LISTED`], and how many more).
    Among {
        close: Option<String>,
        known: String,
    },
}

/// Silent when the services cannot be listed: this is only a hint.
async fn unknown_service(client: &Client, service: &str) -> Option<Unknown> {
    let names = service_names(client).await?;
    if names.iter().any(|n| n == service) {
        return None;
    }
    if names.is_empty() {
        return Some(Unknown::NoServices);
    }
    let wanted = service.to_lowercase();
    let (mut close, rest): (Vec<&String>, Vec<&String>) = names.iter().partition(|n| {
        let n = n.to_lowercase();
        n.contains(&wanted) || wanted.contains(&n)
    });
    let suggestion = match close.as_slice() {
        [one] => Some((*one).clone()),
        _ => None,
    };
    close.extend(rest);
    let more = close.len().saturating_sub(LISTED);
    let mut listed: Vec<&str> = close.iter().take(LISTED).map(|s| s.as_str()).collect();
    let tail = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    listed.dedup();
    Some(Unknown::Among {
        close: suggestion,
        known: format!("{}{tail}", listed.join(", ")),
    })
}

/// The hint for an empty search's unknown `--service`.
fn unknown_service_hint(service: &str, unknown: Unknown) -> String {
    let service = sanitize(service);
    match unknown {
        Unknown::NoServices => {
            format!("no service is named `{service}`: the server has no services yet")
        }
        Unknown::Among { close, known } => {
            let suggestion = close.map_or_else(String::new, |c| format!(" (did you mean `{c}`?)"));
            format!("no service is named `{service}`{suggestion}; known services: {known}")
        }
    }
}

/// The stored spelling of a severity typed in another case (`error` → `ERROR`).
fn stored_severity(text: &str) -> Option<&'static str> {
    let upper = text.to_ascii_uppercase();
    let upper = if upper == "WARNING" {
        "WARN".to_owned()
    } else {
        upper
    };
    let (stored, _) = SEVERITIES.iter().find(|(name, _)| *name == upper)?;
    (text != *stored).then_some(*stored)
}

fn severity_hint(text: &str) -> Option<String> {
    let stored = stored_severity(text)?;
    let (_, number) = SEVERITIES.iter().find(|(name, _)| *name == stored)?;
    Some(format!(
        "severity texts match exactly and are usually stored as `{stored}`: try \
         --severity-text {stored}, or --severity-min {number} for {stored} and above"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severity_in_another_case_suggests_the_stored_one() {
        let hint = severity_hint("error").unwrap();
        assert!(hint.contains("--severity-text ERROR") && hint.contains("--severity-min 17"));
        assert!(severity_hint("warning").unwrap().contains("WARN"));
        assert!(severity_hint("ERROR").is_none());
        assert!(severity_hint("custom").is_none());
    }
}
