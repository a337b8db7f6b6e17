//! End-to-end tests of live output: `--follow`, `--wait`, and the `-o` formats. The fake server
//! holds rows that the test adds while `kopai` runs; it answers like the real one (timestampMin
//! inclusive, sortOrder, limit, an opaque cursor) and can be told to fail the next requests.
//! Nothing sleeps for a fixed time: tests wait for a request at the server or a line of output.

use crate::common::*;

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const TRACES_SEARCH: &str = "/signals/traces/search";
const LOGS_SEARCH: &str = "/signals/logs/search";
const TRACE_ID: &str = "5b8efff798038103d269b633813fc60c";
/// 2026-11-27T23:00:00Z in nanoseconds.
const T0: u64 = 1_795_820_400_000_000_000;
/// How long to wait for a line or a request before failing: generous, as builds share the CPU.
const PATIENCE: Duration = Duration::from_secs(15);

// ---------------------------------------------------------------------------------------------
// The fake server

#[derive(Default)]
struct Store {
    /// Every row, oldest first; rows of one nanosecond keep the order they were added in.
    rows: Vec<Value>,
    /// Statuses to answer the next requests with, before any data.
    faults: VecDeque<u16>,
    /// The bodies received, in order.
    requests: Vec<Value>,
    /// Pages as a careless server might send them: each page twice, then the next one
    /// overlapping it by half, and with two rows older than `timestampMin`.
    repeating: bool,
}

/// Shared with the server's thread: the test adds rows and faults, and waits for requests.
#[derive(Clone, Default)]
struct Fake(Arc<(Mutex<Store>, Condvar)>);

impl Fake {
    fn add(&self, rows: impl IntoIterator<Item = Value>) {
        let mut store = self.0 .0.lock().unwrap();
        store.rows.extend(rows);
        store.rows.sort_by_key(time_of); // stable: one nanosecond keeps insertion order
    }

    fn repeat_pages(&self) {
        self.0 .0.lock().unwrap().repeating = true;
    }

    fn fail_next(&self, statuses: &[u16]) {
        self.0 .0.lock().unwrap().faults.extend(statuses);
    }

    /// Blocks until the server has received `count` requests; returns their bodies.
    fn wait_for_requests(&self, count: usize) -> Vec<Value> {
        let (lock, changed) = &*self.0;
        let deadline = Instant::now() + PATIENCE;
        let mut store = lock.lock().unwrap();
        while store.requests.len() < count {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "expected {count} requests, got {}: {:?}",
                store.requests.len(),
                store.requests
            );
            store = changed.wait_timeout(store, left).unwrap().0;
        }
        store.requests.clone()
    }

    fn requests(&self) -> Vec<Value> {
        self.0 .0.lock().unwrap().requests.clone()
    }

    /// Waits for `more` requests after those already made: polls that saw what was added.
    fn wait_for_more_requests(&self, more: usize) -> Vec<Value> {
        self.wait_for_requests(self.requests().len() + more)
    }
}

impl Respond for Fake {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(json!({}));
        let (lock, changed) = &*self.0;
        let mut store = lock.lock().unwrap();
        store.requests.push(body.clone());
        changed.notify_all();
        if let Some(status) = store.faults.pop_front() {
            return ResponseTemplate::new(status)
                .set_body_raw(r#"{"title":"Service Unavailable"}"#, "application/json");
        }
        let min = body["timestampMin"].as_str().map_or(0, |t| {
            t.parse::<u64>().expect("timestampMin is a ns string")
        });
        let older = store.rows.iter().filter(|r| time_of(r) < min).count();
        let resent = if store.repeating { older.min(2) } else { 0 };
        let mut rows: Vec<&Value> = store.rows[older - resent..].iter().collect();
        if body["sortOrder"] != "ASC" {
            rows.reverse(); // the server's default is newest first
        }
        let limit = body["limit"].as_u64().unwrap_or(100) as usize;
        let cursor = body["cursor"].as_str().unwrap_or("0");
        let start: usize = cursor.trim_end_matches('r').parse().unwrap();
        let end = rows.len().min(start + limit);
        let next = match (end < rows.len(), store.repeating) {
            (false, _) => None,
            (true, false) => Some(end.to_string()),
            // This page again, then one starting halfway through it.
            (true, true) if !cursor.ends_with('r') => Some(format!("{start}r")),
            (true, true) => Some((start + 1).max(end - limit / 2).to_string()),
        };
        let page = json!({"data": rows[start.min(end)..end], "nextCursor": next});
        json_response(&page.to_string())
    }
}

/// A row's time; one without a usable `Timestamp` counts as the oldest.
fn time_of(row: &Value) -> u64 {
    row["Timestamp"]
        .as_str()
        .and_then(|t| t.parse().ok())
        .unwrap_or(0)
}

/// A fake server answering `route` from `fake`, on a runtime of its own (the tests block).
fn serve_fake(fake: &Fake, route: &str) -> (tokio::runtime::Runtime, MockServer) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(route))
            .respond_with(fake.clone())
            .mount(&server)
            .await;
        server
    });
    (runtime, server)
}

/// A span `n` at `T0 + offset` nanoseconds.
fn span(n: u64, offset: u64) -> Value {
    json!({
        "SpanId": format!("{n:016x}"),
        "Timestamp": (T0 + offset).to_string(),
        "TraceId": TRACE_ID,
        "Duration": "412000000",
        "ServiceName": "checkout-api",
        "SpanName": format!("span {n}"),
        "SpanAttributes": {"n": n},
    })
}

fn log(body: &str, offset: u64) -> Value {
    json!({
        "Timestamp": (T0 + offset).to_string(),
        "Body": body,
        "ServiceName": "payment-service",
        "SeverityText": "INFO",
    })
}

// ---------------------------------------------------------------------------------------------
// A running kopai

struct Running {
    child: Child,
    lines: Receiver<String>,
    /// Taken when the process has ended.
    stderr: Option<JoinHandle<String>>,
}

/// A test that fails midway must not leave kopai polling: the fake server's port goes back
/// to wiremock's pool and would answer it in another test.
impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Ended {
    code: Option<i32>,
    /// The lines not yet read with `line()`.
    rest: Vec<String>,
    stderr: String,
}

fn spawn(sb: &Sandbox, url: &str, args: &[&str]) -> Running {
    let mut cmd = sb.process();
    cmd.args(args)
        .args(["--url", url, "--token", TOKEN])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("kopai starts");
    let stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let (send, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if send.send(line.expect("stdout is UTF-8")).is_err() {
                break;
            }
        }
    });
    let stderr = std::thread::spawn(move || {
        let mut text = String::new();
        stderr.read_to_string(&mut text).unwrap();
        text
    });
    Running {
        child,
        lines,
        stderr: Some(stderr),
    }
}

impl Running {
    /// The next line of stdout, waiting for it.
    fn line(&self) -> String {
        self.lines
            .recv_timeout(PATIENCE)
            .unwrap_or_else(|e| panic!("no line of output within {PATIENCE:?}: {e}"))
    }

    fn lines(&self, count: usize) -> Vec<String> {
        (0..count).map(|_| self.line()).collect()
    }

    /// Ctrl-C, then what the process printed until it ended.
    fn interrupt(self) -> Ended {
        let status = std::process::Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
        self.end()
    }

    /// Ctrl-C, expecting exit 130 and no row beyond those already read (no duplicates).
    fn interrupt_cleanly(self) -> Ended {
        let ended = self.interrupt();
        assert_eq!(ended.code, Some(130), "stderr: {}", ended.stderr);
        assert!(
            ended.rest.is_empty(),
            "rows after the last read: {:?}",
            ended.rest
        );
        ended
    }

    /// Waits for the process to end by itself.
    fn end(mut self) -> Ended {
        let deadline = Instant::now() + PATIENCE;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("kopai did not end within {PATIENCE:?}");
            }
            std::thread::sleep(Duration::from_millis(10)); // polling the child, not the test's timing
        };
        let rest = self.lines.iter().collect();
        Ended {
            code: status.code(),
            rest,
            stderr: self.stderr.take().unwrap().join().unwrap(),
        }
    }
}

fn parse(line: &str) -> Value {
    serde_json::from_str(line).unwrap_or_else(|e| panic!("not one JSON object ({e}): {line}"))
}

/// The `SpanId`s of NDJSON lines.
fn span_ids(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .map(|l| parse(l)["SpanId"].as_str().unwrap().to_owned())
        .collect()
}

fn ids(ns: &[u64]) -> Vec<String> {
    ns.iter().map(|n| format!("{n:016x}")).collect()
}

mod exactly_once;
mod follow;
mod formats;
mod late;
mod status;
mod wait;
