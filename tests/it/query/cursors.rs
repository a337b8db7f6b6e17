//! Hostile cursors: a server's `nextCursor` can be huge, or never end. Memory
//! stays flat, an absurd cursor is refused, and `--if-not-exists` stops within `--timeout`.

use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::TRACES_SEARCH;
use crate::common::*;

/// 60 KiB: under the cap, and 60 MiB over the pages below if every cursor were kept.
const BIG_CURSOR: usize = 60 * 1024;
const PAGES: usize = 1000;

/// Pages of one row, each with a fresh big cursor, then a last page. At the last request it
/// reads the client's peak memory (VmHWM) from /proc: everything before it has been paged.
struct BigCursors {
    served: AtomicUsize,
    client_pid: Arc<AtomicU32>,
    peak_kib: Arc<Mutex<Option<u64>>>,
}

impl Respond for BigCursors {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.served.fetch_add(1, Ordering::SeqCst);
        if n + 1 < PAGES {
            let cursor = format!("{n:08}{}", "c".repeat(BIG_CURSOR - 8));
            return json_response(&format!(
                r#"{{"data":[{{"SpanId":"{n:016x}"}}],"nextCursor":"{cursor}"}}"#
            ));
        }
        let pid = self.client_pid.load(Ordering::SeqCst);
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let peak = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok());
        *self.peak_kib.lock().unwrap() = peak;
        json_response(EMPTY_PAGE)
    }
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn big_fresh_cursors_keep_memory_flat() {
    let args = ["traces", "search", "--all", "-o", "ndjson", "--limit", "1"];
    peak_stays_flat(TRACES_SEARCH, &args).await;
}

/// A KopaiQuery raw `--all` pages as the searches do (issue #16, item 7).
#[cfg(target_os = "linux")]
#[tokio::test]
async fn kopai_query_raw_all_keeps_memory_flat() {
    let args = ["query", "traces", "--all", "-o", "ndjson", "--limit", "1"];
    peak_stays_flat("/signals/query/traces/raw", &args).await;
}

/// Runs kopai with `args` against [`BigCursors`] at `route`: its peak memory stays flat.
#[cfg(target_os = "linux")]
async fn peak_stays_flat(route: &str, args: &[&str]) {
    let client_pid = Arc::new(AtomicU32::new(0));
    let peak_kib = Arc::new(Mutex::new(None));
    // Not recording requests: the test itself would hold every big cursor.
    let server = MockServer::builder()
        .disable_request_recording()
        .start()
        .await;
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(BigCursors {
            served: AtomicUsize::new(0),
            client_pid: client_pid.clone(),
            peak_kib: peak_kib.clone(),
        })
        .mount(&server)
        .await;
    let sb = Sandbox::new();
    let mut child = sb
        .process()
        .args(args)
        .args(["--url", &server.uri(), "--token", TOKEN])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("kopai starts");
    client_pid.store(child.id(), Ordering::SeqCst);
    let status = tokio::task::spawn_blocking(move || {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "kopai did not end");
            std::thread::sleep(Duration::from_millis(20)); // polling the child, not a wait for it
        }
    })
    .await
    .unwrap();
    assert!(status.success(), "{status:?}");
    let peak = peak_kib
        .lock()
        .unwrap()
        .expect("the last page was asked for");
    // Keeping every cursor would take over 60 MiB; one cursor at a time is a few hundred KiB.
    assert!(
        peak < 40 * 1024,
        "peak memory {peak} KiB after {PAGES} big cursors"
    );
}

#[tokio::test]
async fn a_cursor_over_the_cap_is_refused() {
    let cursor = "c".repeat(64 * 1024 + 1);
    let page = format!(r#"{{"data":[{{"SpanId":"1"}}],"nextCursor":"{cursor}"}}"#);
    let server = serve("POST", TRACES_SEARCH, json_response(&page)).await;
    let out = kopai_at(&server.uri(), &words("traces search --all -o ndjson"));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(
        out.stdout, "{\"SpanId\":\"1\"}\n",
        "the page's rows are printed"
    );
    assert!(
        out.stderr.contains(
            "the server sent a nextCursor of 65537 bytes, over the limit of 64 KiB; \
             stopped following pages"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(
        requests(&server).await.len(),
        1,
        "the cursor was not sent back"
    );
}

/// Dashboards that never match, a page after page, each with a fresh cursor.
struct EndlessDashboards(AtomicUsize);

impl Respond for EndlessDashboards {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        json_response(&format!(
            r#"{{"data":[{{"name":"Checkout {n}","id":"{n}"}}],"nextCursor":"c{n}"}}"#
        ))
    }
}

#[tokio::test]
async fn if_not_exists_against_endless_pages_ends_within_the_timeout() {
    let server = MockServer::builder()
        .disable_request_recording()
        .start()
        .await;
    Mock::given(method("POST"))
        .and(path("/dashboards/search"))
        .respond_with(EndlessDashboards(AtomicUsize::new(0)))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/dashboards"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let sb = Sandbox::new();
    write(
        &sb.cwd.join("d.json"),
        r#"{"name":"Checkout","uiTreeVersion":"0.14.0","uiTree":{"root":"a","elements":{}}}"#,
    );
    let out = run(sb
        .kopai()
        .args([
            "dashboards",
            "import",
            "d.json",
            "--if-not-exists",
            "--json",
        ])
        .args([
            "--url",
            &server.uri(),
            "--token",
            TOKEN,
            "--timeout",
            "1000",
        ])
        .timeout(Duration::from_secs(60)));
    assert_failed(&out, 1);
    let error = json_error(&out);
    assert_eq!(
        error["error"]["message"],
        "--if-not-exists: the search for a dashboard named \"Checkout\" did not finish within \
         --timeout (1000 ms in all); nothing was created"
    );
}
