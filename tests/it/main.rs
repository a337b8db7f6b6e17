//! kopai's integration tests, built as one test binary (`cargo test --test it`).
//!
//! Every test runs the real `kopai` binary end to end in a sandbox (see [`common`]), against a
//! fake Kopai server on 127.0.0.1. The modules are grouped by area.

mod common;

#[cfg(unix)]
mod agent;
mod auth;
mod cli;
mod color_and_quiet;
#[cfg(unix)]
mod completion;
#[cfg(unix)]
mod completion_trace_ids;
mod dashboards;
mod doctor;
#[cfg(unix)]
mod exec;
mod hostile_input;
mod live;
mod mcp;
mod open;
mod proptests;
mod query;
#[cfg(unix)]
mod screen;
mod send;
mod terminal;
mod tls;
mod transport;
