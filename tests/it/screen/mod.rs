//! What a person sees on a terminal: tables that fit, the trace as a waterfall (and a big one
//! folded), local times, forgiving fields, help, empty results that explain, errors for a
//! person and the spinner.
//! Screens are read from a pseudo-terminal, with `COLUMNS` and `TZ` set per test.

mod big_traces;
mod columns;
mod empty_results;
mod errors;
mod fields;
mod flag_values;
mod help;
mod log_lines;
mod metrics;
#[cfg(unix)]
mod pager;
mod progress;
mod series;
mod span_details;
mod tables;
mod trace_logs;
mod waterfall;

use crate::common::*;
use serde_json::{json, Value};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
/// Three days after the fixtures were captured: their dates show, and stay the same whatever
/// day the tests run.
const TODAY: &str = "2026-11-30";

fn owned_words(line: &str) -> Vec<String> {
    line.split_whitespace().map(str::to_owned).collect()
}

/// kopai in a pseudo-terminal (stdout and stderr both on it), `COLUMNS` wide, in zone `tz`.
/// Returns the screen's bytes with the terminal's `\r\n` turned back into `\n`.
fn screen(url: &str, line: &str, columns: u16, tz: &str, env: &[(&str, &str)]) -> String {
    let sb = Sandbox::new();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kopai"));
    cmd.args(owned_words(line))
        .args(["--url", url, "--token", TOKEN]);
    sb.configure(&mut cmd);
    cmd.env("COLUMNS", columns.to_string())
        .env("TZ", tz)
        .env("KOPAI_TEST_TODAY", TODAY)
        .env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut session = rexpect::session::spawn_command(cmd, Some(20_000)).expect("pty");
    utf8(&session.exp_eof().expect("exits"))
}

/// rexpect hands back one char per byte; the terminal got UTF-8.
fn utf8(raw: &str) -> String {
    let bytes: Vec<u8> = raw.chars().map(|c| c as u32 as u8).collect();
    String::from_utf8(bytes)
        .expect("UTF-8")
        .replace("\r\n", "\n")
}

/// What a person sees: each line as the terminal leaves it after `\r` and erase-line.
fn visible(screen: &str) -> Vec<String> {
    screen
        .split('\n')
        .map(|line| {
            let last = line.rsplit('\r').next().unwrap_or_default();
            last.replace("\x1b[K", "")
        })
        .collect()
}

fn assert_fits(screen: &str, columns: usize) {
    // A link stays whole, so that it can be followed; the terminal wraps it.
    let links = |line: &String| !line.starts_with("http://");
    for line in visible(screen).into_iter().filter(links) {
        assert!(
            line.chars().count() <= columns,
            "wider than {columns}: {line:?}\n{screen}"
        );
    }
}

/// Every table at 80 and 120 columns, in a terminal, times in UTC (`TZ=UTC`).
async fn table_snapshots(name: &str, verb: &str, route: &str, fixture: &str, line: &str) {
    let server = serve_fixture(verb, route, fixture).await;
    for columns in [80, 120] {
        let shown = screen(&server.uri(), line, columns, "UTC", &[]);
        assert_fits(&shown, columns as usize);
        insta::assert_snapshot!(format!("{name}_{columns}"), shown);
    }
}
