//! End-to-end tests of the query commands (`traces`, `logs`, `metrics`, `services`,
//! `dashboards`): the real binary against a fake Kopai server answering with captured responses.
//! Each test checks what a user or a script sees: the request sent, the exit code, stdout, stderr.

mod aggregate;
mod big;
mod chart;
mod cursors;
mod dashboards;
mod errors;
mod fields;
mod json;
pub(crate) mod kopai_answers;
mod kopai_query;
mod metrics;
mod mistakes;
mod paging;
mod questions;
mod requests;
mod retries;
mod short_ids;
mod short_ids_server;
mod spreadsheet;
mod stats;
mod tables;
mod traces;

use serde_json::Value;

use crate::common::*;

const TRACES_SEARCH: &str = "/signals/traces/search";
const TRACES_SUMMARIES: &str = "/signals/traces/summaries";
const LOGS_SEARCH: &str = "/signals/logs/search";
const METRICS_SEARCH: &str = "/signals/metrics/search";
const METRICS_DISCOVER: &str = "/signals/metrics/discover";
const SERVICES: &str = "/signals/services";
const OPERATIONS: &str = "/signals/traces/operations";
const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";

/// The JSON body `kopai ARGS` posts to `route` (answered with an empty page).
async fn body_sent(route: &str, args: &[&str]) -> Value {
    let server = serve("POST", route, json_response(EMPTY_PAGE)).await;
    let out = kopai_at(&server.uri(), args);
    assert_ok(&out);
    assert_eq!(out.stdout, "[]\n");
    let mut sent = bodies(&server).await;
    assert_eq!(sent.len(), 1, "one request");
    sent.remove(0)
}

/// `kopai LINE --table` against a server answering `verb route` with a captured response.
async fn table(verb: &str, route: &str, name: &str, line: &str) -> Output {
    let server = serve_fixture(verb, route, name).await;
    let out = kopai_at(&server.uri(), &words(&format!("{line} --table")));
    assert_ok(&out);
    out
}

const MORE_HINT: &str = "hint: there are more results; add --all to fetch every page\n";
