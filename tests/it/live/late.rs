//! `--follow` looks back `--lag` behind the newest row: a span is stamped with its
//! start and sent when it ends, so a root span arrives after its children.

use super::*;

/// A span of the trace with its parent.
fn child_of(n: u64, parent: u64, offset: u64) -> Value {
    let mut row = span(n, offset);
    row["ParentSpanId"] = json!(format!("{parent:016x}"));
    row
}

#[test]
fn a_root_span_that_arrives_after_its_children_is_printed_once() {
    let fake = Fake::default();
    // The children ended first and were exported; the root (span 1, the earliest start) has not.
    fake.add([child_of(2, 1, 10), child_of(3, 2, 20)]);
    let (_rt, server) = serve_fake(&fake, TRACES_SEARCH);
    let sb = Sandbox::new();
    let args = words("traces search --follow -o ndjson --interval 50ms");
    let kopai = spawn(&sb, &server.uri(), &args);
    assert_eq!(span_ids(&kopai.lines(2)), ids(&[2, 3]));
    let sent = fake.wait_for_more_requests(2);
    assert_eq!(
        sent.last().unwrap()["timestampMin"],
        (T0 + 20 - 30_000_000_000).to_string(),
        "30 s behind the newest row"
    );

    // The root ends and arrives, older than every row printed; then a later trace's span.
    fake.add([span(1, 0)]);
    assert_eq!(span_ids(&kopai.lines(1)), ids(&[1]));
    fake.wait_for_more_requests(1);
    fake.add([span(4, 40)]);
    assert_eq!(span_ids(&kopai.lines(1)), ids(&[4]));
    // Polls that send the whole window again print nothing twice.
    fake.wait_for_more_requests(3);
    let ended = kopai.interrupt_cleanly();
    assert_eq!(ended.stderr, "");
}

#[test]
fn a_late_log_record_is_printed_once_and_one_older_than_the_lag_is_not() {
    let fake = Fake::default();
    fake.add([log("recent", 40_000_000_000)]);
    let (_rt, server) = serve_fake(&fake, LOGS_SEARCH);
    let sb = Sandbox::new();
    let args = words("logs search --follow -o ndjson --interval 50ms --lag 20s");
    let kopai = spawn(&sb, &server.uri(), &args);
    assert_eq!(parse(&kopai.line())["Body"], "recent");
    fake.wait_for_more_requests(1);
    // 15 s older than the newest: within --lag. 40 s older: beyond it.
    fake.add([log("too late", 0), log("late", 25_000_000_000)]);
    assert_eq!(parse(&kopai.line())["Body"], "late");
    let sent = fake.wait_for_more_requests(3);
    assert_eq!(
        sent.last().unwrap()["timestampMin"],
        (T0 + 20_000_000_000).to_string()
    );
    kopai.interrupt_cleanly();
}

#[test]
fn lag_0s_polls_from_the_newest_row() {
    let fake = Fake::default();
    fake.add([span(1, 0), span(2, 10)]);
    let (_rt, server) = serve_fake(&fake, TRACES_SEARCH);
    let sb = Sandbox::new();
    let args = words("traces search --follow -o ndjson --interval 50ms --lag 0s");
    let kopai = spawn(&sb, &server.uri(), &args);
    assert_eq!(span_ids(&kopai.lines(2)), ids(&[1, 2]));
    let sent = fake.wait_for_more_requests(2);
    assert_eq!(sent.last().unwrap()["timestampMin"], (T0 + 10).to_string());
    // Without a look-back, a late span is not shown.
    fake.add([span(3, 5), span(4, 20)]);
    assert_eq!(span_ids(&kopai.lines(1)), ids(&[4]));
    fake.wait_for_more_requests(2);
    kopai.interrupt_cleanly();
}

#[test]
fn lag_is_checked_before_any_request() {
    for (args, message) in [
        ("traces search --lag 10s", "--lag works only with --follow"),
        ("logs search --lag 10s", "--lag works only with --follow"),
        ("traces search --follow --lag 2h", "at most 1h"),
        ("logs search --follow --lag 30", "a unit"),
    ] {
        let out = kopai_at("http://127.0.0.1:9", &words(args));
        assert_failed(&out, 2);
        assert!(out.stderr.contains("--lag"), "{args}: {}", out.stderr);
        assert!(out.stderr.contains(message), "{args}: {}", out.stderr);
    }
}

/// Spans 0..`rows` at T0 + n, in pages of 1000 built once (the rows are too many to build per
/// request); a poll after the first sweep gets an empty page.
struct ManyRows {
    pages: Vec<String>,
    sent: Fake,
}

impl ManyRows {
    fn new(rows: u64) -> Self {
        let pages = (0..rows)
            .step_by(1000)
            .map(|first| {
                // Written out rather than built as values: a hundred thousand of those are slow.
                let data: Vec<String> = (first..rows.min(first + 1000))
                    .map(|n| {
                        let time = T0 + n;
                        format!(
                            r#"{{"SpanId":"{n:016x}","Timestamp":"{time}","TraceId":"{TRACE_ID}"}}"#
                        )
                    })
                    .collect();
                let next = (first + 1000 < rows).then(|| format!("\"{}\"", first / 1000 + 1));
                format!(
                    r#"{{"data":[{}],"nextCursor":{}}}"#,
                    data.join(","),
                    next.as_deref().unwrap_or("null")
                )
            })
            .collect();
        Self {
            pages,
            sent: Fake::default(),
        }
    }
}

impl Respond for ManyRows {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let (lock, changed) = &*self.sent.0;
        lock.lock().unwrap().requests.push(body.clone());
        changed.notify_all();
        let first_sweep = T0.to_string();
        if body["timestampMin"].as_str() != Some(first_sweep.as_str()) {
            return json_response(r#"{"data":[],"nextCursor":null}"#);
        }
        let page: usize = body["cursor"].as_str().map_or(0, |c| c.parse().unwrap());
        json_response(&self.pages[page])
    }
}

#[test]
fn a_look_back_holding_too_many_rows_forgets_its_oldest_with_one_warning() {
    const ROWS: u64 = 100_001; // one over what is remembered
    let many = ManyRows::new(ROWS);
    let sent = many.sent.clone();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(TRACES_SEARCH))
            .respond_with(many)
            .mount(&server)
            .await;
        server
    });
    let sb = Sandbox::new();
    let since = T0.to_string();
    let mut args = words("traces search --follow -o ndjson --interval 50ms --timestamp-min");
    args.push(&since);
    let kopai = spawn(&sb, &server.uri(), &args);
    let printed = kopai.lines(ROWS as usize);
    let ids: Vec<&str> = printed.iter().map(|line| &line[11..27]).collect();
    let expected: Vec<String> = (0..ROWS).map(|n| format!("{n:016x}")).collect();
    assert_eq!(ids, expected, "each row once, in order");
    // The next poll starts after the row it forgot.
    let pages = ROWS.div_ceil(1000) as usize;
    let polls = sent.wait_for_requests(pages + 1);
    assert_eq!(polls[pages]["timestampMin"], (T0 + 1).to_string());
    let ended = kopai.interrupt_cleanly();
    assert_eq!(
        ended.stderr,
        format!(
            "warning: more than 100000 rows within --lag; forgetting the oldest, so rows older \
             than Timestamp {} are no longer shown (a shorter --lag or a narrower search \
             remembers fewer)\n",
            T0 + 1
        )
    );
}
