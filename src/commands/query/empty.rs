//! Why a search may have found nothing, told to a person at a terminal: a `--service` the
//! server does not know (one extra request, made only when the answer was empty), or a
//! `--severity-text` spelled in another case than the stored one.

use serde_json::Value;

use super::services::service_names;
use crate::api::Client;

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
        if let Some(hint) = unknown_service(client, service).await {
            noteln!("hint: {hint}");
        }
    }
    if let Some(text) = body.get("severityText").and_then(Value::as_str) {
        if let Some(hint) = severity_hint(text) {
            noteln!("hint: {hint}");
        }
    }
}

/// Silent when the services cannot be listed: this is only a hint.
async fn unknown_service(client: &Client, service: &str) -> Option<String> {
    let names = service_names(client).await?;
    if names.iter().any(|n| n == service) {
        return None;
    }
    if names.is_empty() {
        return Some(format!(
            "no service is named `{service}`: the server has no services yet"
        ));
    }
    let wanted = service.to_lowercase();
    let (mut close, rest): (Vec<&String>, Vec<&String>) = names.iter().partition(|n| {
        let n = n.to_lowercase();
        n.contains(&wanted) || wanted.contains(&n)
    });
    let suggestion = match close.as_slice() {
        [one] => format!(" (did you mean `{one}`?)"),
        _ => String::new(),
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
    Some(format!(
        "no service is named `{service}`{suggestion}; known services: {}{tail}",
        listed.join(", ")
    ))
}

fn severity_hint(text: &str) -> Option<String> {
    let upper = text.to_ascii_uppercase();
    let upper = if upper == "WARNING" {
        "WARN".to_owned()
    } else {
        upper
    };
    let (stored, number) = SEVERITIES.iter().find(|(name, _)| *name == upper)?;
    if text == *stored {
        return None;
    }
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
