//! The API itself: does it answer, does it take the token, what does it support, and is its
//! clock in step with this one.

use jiff::Timestamp;
use serde_json::json;

use super::{Check, Checks};
use crate::api::{ApiError, Body, Client, Search};
use crate::commands::Context;
use crate::config::Settings;
use crate::report::api_hint;

/// A skew beyond this fails: `--since 1h` and the token's checks are computed on this clock.
const MAX_SKEW_SECS: i64 = 60;
/// The `Date` header counts whole seconds, and the answer takes a moment to arrive.
const IN_STEP_SECS: i64 = 2;

/// Runs the checks; `Some(client)` when the API answered and took the token.
pub(super) async fn check(
    ctx: &Context,
    settings: &Settings,
    checks: &mut Checks,
) -> Option<Client> {
    let token = settings.token.as_ref().map(|(token, _)| token.clone());
    let has_token = token.is_some();
    ctx.announce_destination(settings);
    let client = match ctx.client_for(settings.url.clone(), token) {
        Ok(client) => client,
        Err(error) => {
            checks.add(Check::fail("HTTP", error.to_string(), "see the error"));
            return None;
        }
    };
    let body = match client.search(Search::Spans, &json!({"limit": 1})).await {
        Ok(body) => body,
        Err(error) => {
            refused(settings, &error, checks);
            return None;
        }
    };
    if let Err(error) = body.json() {
        checks.add(Check::fail(
            "HTTP",
            error.to_string(),
            "check --url: it should name the Kopai API, not the web UI or a proxy's page",
        ));
        return None;
    }
    checks.add(Check::pass("HTTP", format!("{} answered", body.url())));
    checks.add(Check::pass(
        "token accepted",
        if has_token {
            "the server took it"
        } else {
            "the server answered without one"
        },
    ));
    features(&client, checks).await;
    clock(&body, checks);
    Some(client)
}

/// The HTTP check failed, or the server refused the token.
fn refused(settings: &Settings, error: &ApiError, checks: &mut Checks) {
    let login = settings.login_command();
    let refusal = match error {
        ApiError::Unauthorized | ApiError::TokenRequired => Some((
            "refused (401): invalid or expired",
            api_hint(error).unwrap_or(login),
        )),
        ApiError::Forbidden { .. } => Some((
            "refused (403): it lacks permission",
            format!("use a CLI token with read access: `{login}`"),
        )),
        _ => None,
    };
    if let Some((detail, fix)) = refusal {
        checks.add(Check::pass(
            "HTTP",
            format!("{} answered", settings.url.as_str()),
        ));
        checks.add(Check::fail("token accepted", detail, fix));
        return;
    }
    let fix = match error {
        ApiError::Status { status: 404, .. } => {
            "no Kopai API at this URL: check --url (the API, not the web UI)".to_owned()
        }
        other => api_hint(other).unwrap_or_else(|| "run with -v to see the exchange".into()),
    };
    checks.add(Check::fail("HTTP", error.to_string(), fix));
}

/// What this server has of the routes only newer servers have. Informative: never a failure.
async fn features(client: &Client, checks: &mut Checks) {
    let query = match client.supports_query().await {
        Ok(true) => "yes",
        Ok(false) => "no (needs a newer server)",
        Err(_) => "unknown",
    };
    let aggregate = has_route(client.search(Search::LogCounts, &json!({})).await);
    let dashboards = has_route(
        client
            .search(Search::Dashboards, &json!({"limit": 1}))
            .await,
    );
    checks.add(Check::pass(
        "server supports",
        format!("KopaiQuery {query}, logs aggregate {aggregate}, dashboards {dashboards}"),
    ));
}

/// A route is there when it answers, even if only to say the request was not right (400).
fn has_route(answer: Result<Body, ApiError>) -> &'static str {
    match answer {
        Ok(_) | Err(ApiError::Status { status: 400, .. }) => "yes",
        Err(ApiError::Unsupported { .. } | ApiError::Status { status: 404, .. }) => "no",
        Err(_) => "unknown",
    }
}

fn clock(body: &Body, checks: &mut Checks) {
    let Some(date) = body.date() else {
        checks.add(Check::skip("clock", "the server sent no Date header"));
        return;
    };
    let Ok(server) = jiff::fmt::rfc2822::parse(date) else {
        checks.add(Check::skip(
            "clock",
            format!("the server's Date header is not a date: {date}"),
        ));
        return;
    };
    let skew = Timestamp::now().as_second() - server.timestamp().as_second();
    let way = if skew > 0 { "ahead of" } else { "behind" };
    let said = format!("this clock is {} s {way} the server's", skew.abs());
    if skew.abs() <= IN_STEP_SECS {
        checks.add(Check::pass(
            "clock",
            "in step with the server's (within 2 s)",
        ));
    } else if skew.abs() <= MAX_SKEW_SECS {
        checks.add(Check::pass("clock", said));
    } else {
        checks.add(Check::fail(
            "clock",
            said,
            "set this machine's clock (NTP): time windows such as --since 1h are computed here",
        ));
    }
}
