//! Hostile and broken input: a server's numbers, cursors and text, files that are not files,
//! non-UTF-8 arguments, lost output. Each test runs the real binary end to end and checks what a
//! user sees: the exit code, stdout, stderr and the files left behind. The helpers here are shared
//! by the modules below, one per kind of input.

mod broken_answers;
mod config_files;
mod lost_output;
mod non_utf8;
mod numbers;
mod pagination;
mod redaction;
mod sanitising;
mod signals;
mod status_and_kind;
mod token_destination;

use crate::common::*;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use wiremock::{MockServer, Request, Respond, ResponseTemplate};

const TRACES_SEARCH: &str = "/signals/traces/search";

/// `kopai ARGS --url URL --token TOKEN` in a fresh sandbox, stdout a pipe.
fn kopai_at(url: &str, args: &[&str]) -> Output {
    let sb = Sandbox::new();
    run(sb.kopai().args(args).args(["--url", url, "--token", TOKEN]))
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

async fn bodies(server: &MockServer) -> Vec<Value> {
    requests(server)
        .await
        .iter()
        .map(|r| serde_json::from_slice(&r.body).expect("a JSON body"))
        .collect()
}

/// Runs a plain command whose stdout may be set already (a file, /dev/full).
fn run_std(mut cmd: std::process::Command) -> Output {
    let out = cmd.output().expect("kopai runs");
    Output {
        code: out.status.code().expect("exited normally, not by a signal"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Never a panic: no exit 101, no "panicked" on stderr.
fn assert_no_panic(out: &Output) {
    assert_ne!(out.code, 101, "panicked: {}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
}

/// Answers with the pages given, in turn, repeating the last.
struct Pages(Vec<String>, AtomicUsize);

impl Pages {
    fn new(pages: &[&str]) -> Self {
        Self(
            pages.iter().map(|p| (*p).to_owned()).collect(),
            AtomicUsize::new(0),
        )
    }
}

impl Respond for Pages {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.1.fetch_add(1, Ordering::SeqCst);
        json_response(&self.0[n.min(self.0.len() - 1)])
    }
}

/// Answers every page with no rows and a cursor never sent before.
struct FreshEmptyPages(AtomicUsize);

impl Respond for FreshEmptyPages {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        json_response(&format!(r#"{{"data":[],"nextCursor":"c{n}"}}"#))
    }
}
