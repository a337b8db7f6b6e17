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

// ---------------------------------------------------------------------------------------------
// --follow

mod exactly_once;
mod late;

#[test]
fn follow_prints_the_newest_rows_oldest_first_then_each_new_row_once() {
    let fake = Fake::default();
    fake.add((1..=5).map(|n| span(n, n * 10)));
    let (_rt, server) = serve_fake(&fake, TRACES_SEARCH);
    let sb = Sandbox::new();
    let args = words("traces search --follow --json --limit 3 --interval 50ms -s checkout-api");
    let kopai = spawn(&sb, &server.uri(), &args);

    // The newest three, oldest first; JSON means NDJSON with --follow.
    let first = kopai.lines(3);
    assert_eq!(span_ids(&first), ids(&[3, 4, 5]));
    assert_eq!(
        parse(&first[0]),
        span(3, 30),
        "the row as the server sent it"
    );
    let sent = fake.wait_for_requests(2);
    assert_eq!(
        sent[0],
        json!({"serviceName": "checkout-api", "limit": 3, "sortOrder": "DESC"})
    );
    // Then polls oldest first, looking back (--lag) but not before the rows shown: the older
    // rows were there already and are not new.
    assert_eq!(
        sent[1],
        json!({
            "serviceName": "checkout-api",
            "timestampMin": (T0 + 31).to_string(),
            "limit": 3,
            "sortOrder": "ASC"
        })
    );

    // Rows arrive between polls: two in one nanosecond, one with the watermark's own time.
    fake.add([span(6, 50), span(7, 60), span(8, 60)]);
    assert_eq!(span_ids(&kopai.lines(3)), ids(&[6, 7, 8]));
    fake.wait_for_more_requests(2);
    fake.add([span(9, 70)]);
    assert_eq!(span_ids(&kopai.lines(1)), ids(&[9]));
    // Two more polls in which nothing is new: nothing may be printed twice.
    let sent = fake.wait_for_more_requests(2);
    assert_eq!(sent.last().unwrap()["timestampMin"], (T0 + 31).to_string());

    let ended = kopai.interrupt_cleanly();
    assert_eq!(ended.stderr, "");
}

#[test]
fn since_sets_the_start_and_every_row_since_is_printed() {
    let fake = Fake::default();
    fake.add((1..=4).map(|n| span(n, n)));
    let (_rt, server) = serve_fake(&fake, TRACES_SEARCH);
    let sb = Sandbox::new();
    let since = (T0 + 2).to_string();
    let mut args = words("traces search --follow -o ndjson --interval 50ms --timestamp-min");
    args.push(&since);
    let kopai = spawn(&sb, &server.uri(), &args);
    assert_eq!(span_ids(&kopai.lines(3)), ids(&[2, 3, 4]));
    let sent = fake.wait_for_requests(2);
    // Without --limit a poll asks for the largest pages: it reads the whole look-back.
    assert_eq!(
        sent[0],
        json!({"timestampMin": since, "limit": 1000, "sortOrder": "ASC"})
    );
    // Looking back 30 s from the newest row, but never before the start.
    assert_eq!(sent[1]["timestampMin"], since);
    kopai.interrupt_cleanly();
}

#[test]
fn a_burst_larger_than_a_page_is_walked_page_by_page_and_loses_nothing() {
    let fake = Fake::default();
    fake.add([span(1, 0)]);
    let (_rt, server) = serve_fake(&fake, TRACES_SEARCH);
    let sb = Sandbox::new();
    let args = words("traces search --follow --json --limit 2 --interval 50ms");
    let kopai = spawn(&sb, &server.uri(), &args);
    assert_eq!(span_ids(&kopai.lines(1)), ids(&[1]));
    fake.wait_for_requests(2);

    // Seven rows at once, three of them in the watermark's nanosecond and two sharing another.
    fake.add([
        span(2, 0),
        span(3, 0),
        span(4, 0),
        span(5, 5),
        span(6, 5),
        span(7, 9),
        span(8, 12),
    ]);
    assert_eq!(span_ids(&kopai.lines(7)), ids(&[2, 3, 4, 5, 6, 7, 8]));
    let sent = fake.wait_for_more_requests(2);
    assert!(
        sent.iter().any(|b| b.get("cursor").is_some()),
        "a full page made it follow nextCursor: {sent:?}"
    );
    kopai.interrupt_cleanly();
}

#[test]
fn rows_without_a_timestamp_are_skipped_with_one_warning() {
    let fake = Fake::default();
    let mut untimed = span(9, 0);
    untimed["Timestamp"] = Value::Null;
    fake.add([untimed, span(1, 0)]);
    let (_rt, server) = serve_fake(&fake, TRACES_SEARCH);
    let sb = Sandbox::new();
    let args = words("traces search --follow -o ndjson --interval 50ms");
    let kopai = spawn(&sb, &server.uri(), &args);
    assert_eq!(span_ids(&kopai.lines(1)), ids(&[1]));
    fake.wait_for_more_requests(2);
    fake.add([span(2, 5)]);
    assert_eq!(span_ids(&kopai.lines(1)), ids(&[2]));
    let ended = kopai.interrupt_cleanly();
    assert_eq!(
        ended.stderr,
        "warning: skipping rows without a valid Timestamp: they cannot be placed in time\n"
    );
}

#[test]
fn log_records_of_one_nanosecond_are_told_apart_by_their_content() {
    let fake = Fake::default();
    let (_rt, server) = serve_fake(&fake, LOGS_SEARCH);
    let sb = Sandbox::new();
    let args = words("logs search --follow -o ndjson --interval 50ms");
    let kopai = spawn(&sb, &server.uri(), &args);
    fake.wait_for_requests(2); // nothing yet: the tail was empty, the first poll too

    fake.add([log("payment accepted", 7)]);
    assert_eq!(parse(&kopai.line())["Body"], "payment accepted");
    fake.wait_for_more_requests(1);
    // Later, the same nanosecond: another record, and a second record identical to the first.
    fake.add([log("receipt sent", 7), log("payment accepted", 7)]);
    let bodies: Vec<Value> = kopai
        .lines(2)
        .iter()
        .map(|l| parse(l)["Body"].clone())
        .collect();
    assert_eq!(bodies, [json!("receipt sent"), json!("payment accepted")]);
    fake.wait_for_more_requests(2);
    kopai.interrupt_cleanly();
}

#[test]
fn server_errors_are_retried_with_one_message_and_no_gap_or_duplicate() {
    let fake = Fake::default();
    fake.add([span(1, 0)]);
    let (_rt, server) = serve_fake(&fake, TRACES_SEARCH);
    let sb = Sandbox::new();
    let args = words("traces search --follow --json --interval 50ms");
    let kopai = spawn(&sb, &server.uri(), &args);
    assert_eq!(span_ids(&kopai.lines(1)), ids(&[1]));
    fake.wait_for_requests(2);

    fake.fail_next(&[503, 502, 429, 500]);
    fake.add([span(2, 0), span(3, 1)]);
    assert_eq!(span_ids(&kopai.lines(2)), ids(&[2, 3]));
    fake.wait_for_more_requests(1);
    fake.add([span(4, 2)]);
    assert_eq!(span_ids(&kopai.lines(1)), ids(&[4]));
    let ended = kopai.interrupt_cleanly();
    assert_eq!(
        ended.stderr.matches("retrying").count(),
        1,
        "said once: {}",
        ended.stderr
    );
    assert!(ended.stderr.contains("(HTTP 503)"), "{}", ended.stderr);
}

#[test]
fn a_rejected_token_ends_follow_with_exit_4() {
    let fake = Fake::default();
    fake.add([span(1, 0)]);
    let (_rt, server) = serve_fake(&fake, TRACES_SEARCH);
    let sb = Sandbox::new();
    let args = words("traces search --follow --json --interval 50ms");
    let kopai = spawn(&sb, &server.uri(), &args);
    assert_eq!(span_ids(&kopai.lines(1)), ids(&[1]));
    fake.fail_next(&[401]);
    let ended = kopai.end();
    assert_eq!(ended.code, Some(4), "stderr: {}", ended.stderr);
    assert!(ended.rest.is_empty());
    let error = parse(ended.stderr.trim());
    assert_eq!(error["error"]["name"], "AuthError");
    assert_eq!(error["error"]["status"], 401);
}

#[test]
fn ctrl_c_ends_a_table_cleanly_with_every_row_printed() {
    let fake = Fake::default();
    fake.add((1..=2).map(|n| span(n, n)));
    let (_rt, server) = serve_fake(&fake, TRACES_SEARCH);
    let sb = Sandbox::new();
    let args = words("traces search --follow -t --interval 50ms");
    let kopai = spawn(&sb, &server.uri(), &args);
    let header = kopai.line();
    assert!(header.starts_with("TIME "), "{header}");
    assert!(kopai.line().contains("span 1"));
    assert!(kopai.line().contains("span 2"));
    fake.wait_for_requests(2);
    fake.add([span(3, 3)]);
    let row = kopai.line();
    assert!(row.contains("span 3"), "{row}");
    assert_eq!(
        row.find("span 3"),
        header.find("NAME"),
        "columns hold still"
    );
    kopai.interrupt_cleanly();
}

#[test]
fn ctrl_c_before_anything_arrived_still_ends_cleanly() {
    let fake = Fake::default();
    let (_rt, server) = serve_fake(&fake, LOGS_SEARCH);
    let sb = Sandbox::new();
    let kopai = spawn(&sb, &server.uri(), &words("logs search --follow -o csv"));
    fake.wait_for_requests(1);
    let ended = kopai.interrupt_cleanly();
    assert_eq!(ended.stderr, "");
}

#[test]
fn follow_streams_csv_with_one_header() {
    let fake = Fake::default();
    fake.add([log("first, with a comma", 1)]);
    let (_rt, server) = serve_fake(&fake, LOGS_SEARCH);
    let sb = Sandbox::new();
    let args = words("logs search --follow -o csv -f Timestamp,Body --interval 50ms");
    let kopai = spawn(&sb, &server.uri(), &args);
    // (`lines()` drops the CR of CSV's CRLF.)
    assert_eq!(kopai.line(), "Timestamp,Body");
    assert_eq!(kopai.line(), format!("{},\"first, with a comma\"", T0 + 1));
    fake.wait_for_requests(2);
    fake.add([log("second", 2)]);
    assert_eq!(kopai.line(), format!("{},second", T0 + 2));
    assert_eq!(kopai.interrupt().code, Some(130));
}

// ---------------------------------------------------------------------------------------------
// --wait

#[test]
fn wait_polls_until_a_row_matches_then_prints_as_usual() {
    let fake = Fake::default();
    let (_rt, server) = serve_fake(&fake, TRACES_SEARCH);
    let sb = Sandbox::new();
    let args = words("traces search --wait 20s --interval 50ms --json --limit 5");
    let kopai = spawn(&sb, &server.uri(), &args);
    let sent = fake.wait_for_requests(2);
    assert_eq!(sent[0], json!({"limit": 1}), "a cheap probe");
    fake.add([span(1, 1), span(2, 2)]);
    let ended = kopai.end();
    assert_eq!(ended.code, Some(0), "stderr: {}", ended.stderr);
    let printed: Value = serde_json::from_str(&ended.rest.join("\n")).unwrap();
    assert_eq!(printed, json!([span(2, 2), span(1, 1)]));
    assert_eq!(fake.requests().last().unwrap(), &json!({"limit": 5}));
}

#[test]
fn wait_rides_out_a_failing_server() {
    let fake = Fake::default();
    fake.fail_next(&[503, 503]);
    fake.add([span(1, 1)]);
    let (_rt, server) = serve_fake(&fake, LOGS_SEARCH);
    let sb = Sandbox::new();
    let args = words("logs search --wait 20s --interval 50ms -o ndjson");
    let ended = spawn(&sb, &server.uri(), &args).end();
    assert_eq!(ended.code, Some(0), "stderr: {}", ended.stderr);
    assert_eq!(ended.rest.len(), 1);
    assert_eq!(
        ended.stderr.matches("retrying").count(),
        1,
        "{}",
        ended.stderr
    );
}

#[test]
fn wait_without_a_match_exits_5() {
    let fake = Fake::default();
    let (_rt, server) = serve_fake(&fake, TRACES_SEARCH);
    let sb = Sandbox::new();
    let started = Instant::now();
    let args = words("traces search --wait 300ms --interval 50ms -t");
    let ended = spawn(&sb, &server.uri(), &args).end();
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(ended.code, Some(5), "stderr: {}", ended.stderr);
    assert!(ended.rest.is_empty(), "nothing on stdout: {:?}", ended.rest);
    assert_eq!(ended.stderr, "error: no matching rows after 300ms\n");
    assert!(
        fake.requests().len() >= 2,
        "polled again at the deadline: {:?}",
        fake.requests()
    );

    // In JSON, the error is one JSON object.
    let ended = spawn(
        &sb,
        &server.uri(),
        &words("traces search --wait 100ms --json"),
    )
    .end();
    assert_eq!(ended.code, Some(5));
    assert_eq!(
        parse(ended.stderr.trim()),
        json!({"error": {"name": "NoMatchError", "message": "no matching rows after 100ms"}})
    );
}

#[test]
fn wait_ends_at_once_on_a_rejected_token() {
    let fake = Fake::default();
    fake.fail_next(&[403]);
    let (_rt, server) = serve_fake(&fake, TRACES_SEARCH);
    let sb = Sandbox::new();
    let ended = spawn(&sb, &server.uri(), &words("traces search --wait 20s -t")).end();
    assert_eq!(ended.code, Some(4), "stderr: {}", ended.stderr);
    assert_eq!(fake.requests().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Usage

#[test]
fn live_flags_are_checked_before_any_request() {
    let sb = Sandbox::new();
    let cases: &[(&str, &str)] = &[
        (
            "logs search --follow --aggregate count --group-by k",
            "--follow does not work with --aggregate",
        ),
        (
            "traces search -o csv --json",
            "'--output <FORMAT>' cannot be used with '--json'",
        ),
        (
            "logs search -t --output ndjson",
            "'--table' cannot be used with '--output",
        ),
        (
            "traces search -o xml",
            "invalid value 'xml' for '--output <FORMAT>'",
        ),
        (
            "traces search --follow --all",
            "'--follow' cannot be used with '--all'",
        ),
        (
            "logs search --follow --wait 5s",
            "cannot be used with '--wait",
        ),
        (
            "traces summaries --follow",
            "unexpected argument '--follow'",
        ),
        (
            "logs search --wait 5",
            "invalid value '5' for '--wait <DURATION>'",
        ),
        (
            "traces search --interval 1s",
            "--interval works only with --follow or --wait",
        ),
    ];
    for &(line, message) in cases {
        let mut cmd = sb.kopai();
        cmd.args(words(line)).args(["--url", "http://127.0.0.1:9"]);
        let out = run(&mut cmd);
        assert_eq!(out.code, 2, "{line}: {}", out.stderr);
        assert!(out.stderr.contains(message), "{line}: {}", out.stderr);
        assert_eq!(out.stdout, "");
    }
}

// ---------------------------------------------------------------------------------------------
// Output formats, from captured responses

/// Answers a search by its cursor: no cursor → the first page, the cursor of page N → page N+1.
struct Pages(Vec<String>);

impl Respond for Pages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(json!({}));
        let index = match body["cursor"].as_str() {
            None => 0,
            Some(cursor) => {
                1 + self
                    .0
                    .iter()
                    .position(|page| cursor_of(page) == cursor)
                    .expect("a cursor the server gave")
            }
        };
        let page = self.0.get(index).cloned();
        json_response(&page.unwrap_or_else(|| r#"{"data":[],"nextCursor":null}"#.into()))
    }
}

fn cursor_of(page: &str) -> String {
    let page: Value = serde_json::from_str(page).unwrap();
    page["nextCursor"].as_str().unwrap_or_default().to_owned()
}

/// `kopai ARGS` against a server answering `verb route` with the captured pages, in order.
fn with_fixtures(verb: &str, route: &str, pages: &[&str], args: &[&str]) -> Output {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method(verb))
            .and(path(route))
            .respond_with(Pages(pages.iter().map(|p| fixture(p)).collect()))
            .mount(&server)
            .await;
        server
    });
    let sb = Sandbox::new();
    let mut cmd = sb.kopai();
    cmd.args(args)
        .args(["--url", &server.uri(), "--token", TOKEN]);
    let out = run(&mut cmd);
    assert_eq!(out.code, 0, "stderr: {}", out.stderr);
    assert_no_secret(&out, TOKEN);
    out
}

/// The rows `--json` prints, as compact lines.
fn json_rows_compact(json: &str) -> String {
    let rows: Vec<Value> = serde_json::from_str(json).unwrap();
    rows.iter().map(|r| r.to_string() + "\n").collect()
}

#[test]
fn ndjson_is_the_json_rows_one_compact_object_a_line() {
    for (route, name, line) in [
        (TRACES_SEARCH, "traces-search-limit3.json", "traces search"),
        (LOGS_SEARCH, "logs-search.json", "logs search"),
        (
            "/signals/metrics/search",
            "metrics-search-histogram.json",
            "metrics search --type Histogram",
        ),
    ] {
        let json = with_fixtures("POST", route, &[name], &words(&format!("{line} --json")));
        let ndjson = with_fixtures("POST", route, &[name], &words(&format!("{line} -o ndjson")));
        assert_eq!(ndjson.stdout, json_rows_compact(&json.stdout), "{line}");
        assert!(ndjson.stdout.lines().count() > 1);
    }
    let out = with_fixtures(
        "POST",
        TRACES_SEARCH,
        &["traces-search-limit3.json"],
        &words("traces search -o ndjson"),
    );
    insta::assert_snapshot!("traces_search_ndjson", out.stdout);
}

#[test]
fn every_page_streams_as_ndjson_and_csv() {
    let pages = ["traces-search-page1.json", "traces-search-page2.json"];
    let json = with_fixtures(
        "POST",
        TRACES_SEARCH,
        &pages,
        &words("traces search --all --json"),
    );
    let ndjson = with_fixtures(
        "POST",
        TRACES_SEARCH,
        &pages,
        &words("traces search --all -o ndjson"),
    );
    assert_eq!(ndjson.stdout, json_rows_compact(&json.stdout));
    assert_eq!(ndjson.stdout.lines().count(), 16);
    let csv = with_fixtures(
        "POST",
        TRACES_SEARCH,
        &pages,
        &words("traces search --all -o csv -f SpanId"),
    );
    assert_eq!(csv.stdout.matches("SpanId").count(), 1, "one header");
    assert_eq!(csv.stdout.lines().count(), 17);
}

#[test]
fn csv_has_a_header_of_the_row_keys_and_values_as_sent() {
    let out = with_fixtures(
        "POST",
        TRACES_SEARCH,
        &["traces-search-limit3.json"],
        &words("traces search --output csv"),
    );
    assert!(out
        .stdout
        .starts_with("SpanId,Timestamp,TraceId,Duration,Events.Attributes,"));
    insta::assert_snapshot!("traces_search_csv", out.stdout);
}

#[test]
fn logs_search_as_tsv() {
    let out = with_fixtures(
        "POST",
        LOGS_SEARCH,
        &["logs-search.json"],
        &words("logs search -o tsv"),
    );
    insta::assert_snapshot!("logs_search_tsv", out.stdout);
}

#[test]
fn csv_and_tsv_with_fields_keep_their_order_and_an_empty_result_keeps_the_header() {
    // Names resolve in any case (an unknown one is exit 2, tested in screen/fields.rs).
    let line = "logs search -o csv -f severitytext,Timestamp,LogAttributes";
    let out = with_fixtures("POST", LOGS_SEARCH, &["logs-search.json"], &words(line));
    insta::assert_snapshot!("logs_search_csv_fields", out.stdout);
    let empty = r#"{"data":[],"nextCursor":null}"#;
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(json_response(empty))
            .mount(&server)
            .await;
        server
    });
    let sb = Sandbox::new();
    let mut cmd = sb.kopai();
    cmd.args(words("traces search -o tsv -f SpanId,Timestamp"))
        .args(["--url", &server.uri()]);
    let out = run(&mut cmd);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "SpanId\tTimestamp\n");
    let mut cmd = sb.kopai();
    cmd.args(words("traces search -o csv"))
        .args(["--url", &server.uri()]);
    assert_eq!(
        run(&mut cmd).stdout,
        "",
        "no rows and no fields: nothing to name"
    );
}

#[test]
fn other_query_commands_print_csv_too() {
    let services = with_fixtures(
        "GET",
        "/signals/services",
        &["services.json"],
        &words("services -o csv"),
    );
    assert_eq!(
        services.stdout,
        "Service\r\ncheckout-api\r\npayment-service\r\n"
    );
    let aggregate = with_fixtures(
        "POST",
        "/signals/metrics/search",
        &["metrics-aggregate-groupby.json"],
        &words("metrics search --type Sum --aggregate sum --group-by outcome -o csv"),
    );
    insta::assert_snapshot!("metrics_aggregate_csv", aggregate.stdout);
    let gauge = with_fixtures(
        "POST",
        "/signals/metrics/search",
        &["metrics-search-gauge.json"],
        &words("metrics search --type Gauge -o tsv"),
    );
    insta::assert_snapshot!("metrics_gauge_tsv", gauge.stdout);
}

#[test]
fn ndjson_errors_are_json_and_csv_errors_are_text() {
    let sb = Sandbox::new();
    for (format, json) in [
        ("ndjson", true),
        ("csv", false),
        ("json", true),
        ("table", false),
    ] {
        let mut cmd = sb.kopai();
        cmd.args([
            "traces",
            "search",
            "-o",
            format,
            "--url",
            "http://127.0.0.1:1",
        ]);
        let out = run(&mut cmd);
        assert_eq!(out.code, 1, "{format}: {}", out.stderr);
        assert_eq!(
            out.stderr.starts_with("{\"error\""),
            json,
            "{format}: {}",
            out.stderr
        );
    }
    // Written after an argument that does not parse, -o still decides.
    let mut cmd = sb.kopai();
    cmd.args(["traces", "search", "--bogus", "-o", "ndjson"]);
    let out = run(&mut cmd);
    assert_eq!(out.code, 2);
    assert!(out.stderr.starts_with("{\"error\""), "{}", out.stderr);
    let mut cmd = sb.kopai();
    cmd.args(["traces", "search", "--bogus", "--output=csv"]);
    let out = run(&mut cmd);
    assert!(out.stderr.starts_with("error:"), "{}", out.stderr);
}

#[test]
fn values_that_would_break_a_line_are_quoted_in_csv_and_escaped_in_tsv() {
    let fake = Fake::default();
    fake.add([log("two\nlines,\ta \"tab\" and C:\\dir", 1)]);
    let (_rt, server) = serve_fake(&fake, LOGS_SEARCH);
    let sb = Sandbox::new();
    let kopai = |format: &str| {
        let mut cmd = sb.kopai();
        cmd.args(["logs", "search", "-o", format, "-f", "Body,ServiceName"])
            .args(["--url", &server.uri()]);
        let out = run(&mut cmd);
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout
    };
    assert_eq!(
        kopai("csv"),
        "Body,ServiceName\r\n\"two\nlines,\ta \"\"tab\"\" and C:\\dir\",payment-service\r\n"
    );
    assert_eq!(
        kopai("tsv"),
        "Body\tServiceName\ntwo\\nlines,\\ta \"tab\" and C:\\\\dir\tpayment-service\n"
    );
}

#[test]
fn dashboards_create_prints_the_created_dashboard_as_ndjson() {
    let created = fixture("dashboards-create.json");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/dashboards"))
            .respond_with(
                ResponseTemplate::new(201).set_body_raw(created.clone(), "application/json"),
            )
            .mount(&server)
            .await;
        server
    });
    let sb = Sandbox::new();
    let mut cmd = sb.kopai();
    cmd.args(words(
        "dashboards create --name X --tree-version 0.14.0 -o ndjson",
    ))
    .args(["--url", &server.uri()])
    .write_stdin(r#"{"root":"s1","elements":{}}"#);
    let out = run(&mut cmd);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // The object `--json` prints (with its last key `url`), on one line.
    let mut expected: Value = serde_json::from_str(&created).unwrap();
    let id = expected["id"].as_str().unwrap().to_owned();
    expected["url"] = json!(format!("{}/?tab=metrics&dashboardId={id}", server.uri()));
    assert_eq!(out.stdout, format!("{expected}\n"));
}

#[test]
fn wait_rides_out_an_unreachable_server_and_then_reports_it() {
    let sb = Sandbox::new();
    let mut cmd = sb.kopai();
    // Port 1 on this machine: nothing listens, the connection is refused at once.
    cmd.args(words(
        "logs search --wait 300ms --interval 50ms -t --url http://127.0.0.1:1",
    ));
    let out = run(&mut cmd);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(out.stdout, "");
    assert_eq!(out.stderr.matches("retrying").count(), 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("error: could not connect to http://127.0.0.1:1/signals/logs/search"),
        "{}",
        out.stderr
    );
}

/// On a terminal: a table without being asked, and Ctrl-C typed at the keyboard (the terminal
/// sends SIGINT to kopai) ends it with 130. (How the table fits the width is the table's business,
/// tested with it.)
#[cfg(unix)]
#[test]
fn on_a_terminal_follow_prints_a_table_until_ctrl_c() {
    use rexpect::process::WaitStatus;

    let fake = Fake::default();
    fake.add([span(1, 1)]);
    let (_rt, server) = serve_fake(&fake, TRACES_SEARCH);
    let sb = Sandbox::new();
    let mut cmd = sb.process();
    cmd.args(words("traces search --follow --interval 50ms"))
        .args(["--url", &server.uri(), "--token", TOKEN])
        .env("COLUMNS", "200");
    let mut session = rexpect::session::spawn_command(cmd, Some(15_000)).expect("pty");
    let header = session.exp_string("span 1").expect("the first row");
    assert!(
        header.contains("TIME") && header.contains("DURATION"),
        "{header:?}"
    );
    fake.wait_for_requests(2);
    fake.add([span(2, 2)]);
    session.exp_string("span 2").expect("a new row");
    session.send_control('c').expect("Ctrl-C");
    let rest = session.exp_eof().expect("ends");
    let status = session.process().wait().expect("exit status");
    assert!(
        matches!(status, WaitStatus::Exited(_, 130)),
        "{status:?}: {rest:?}"
    );
    assert!(!rest.contains("span"), "nothing printed twice: {rest:?}");
}

#[test]
fn wait_works_with_the_grouped_endpoints_too() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let counts = r#"{"data":[{"groups":{"k":"v"},"value":3}],"nextCursor":null}"#;
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        // Empty at first, then one group.
        Mock::given(method("POST"))
            .and(path("/signals/logs/aggregate"))
            .respond_with(json_response(EMPTY_PAGE))
            .up_to_n_times(2)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/signals/logs/aggregate"))
            .respond_with(json_response(counts))
            .with_priority(2)
            .mount(&server)
            .await;
        server
    });
    let sb = Sandbox::new();
    let mut cmd = sb.kopai();
    cmd.args(words(
        "logs search --aggregate count --group-by k --wait 20s --interval 50ms -o csv",
    ))
    .args(["--url", &server.uri()]);
    let out = run(&mut cmd);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "k,value\r\nv,3\r\n");
}

/// A failing server's title is shown in the retry warning without its escape sequences.
#[tokio::test]
async fn the_retry_warning_strips_escape_sequences() {
    let server = MockServer::start().await;
    let problem = r#"{"title":"\u001b]0;PWNED\u0007\u001b[2J","detail":"x\u001b[31mred"}"#;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500).set_body_raw(problem, "application/json"))
        .mount(&server)
        .await;
    let out = kopai_at(
        &server.uri(),
        &words("logs search --wait 300ms --interval 50ms --table"),
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("warning: "), "{}", out.stderr);
    assert!(!out.stderr.contains('\u{1b}'), "{:?}", out.stderr);
    assert!(!out.stderr.contains('\u{7}'), "{:?}", out.stderr);
}
