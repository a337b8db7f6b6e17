//! `--follow` prints each row once however the server pages: repeated and
//! overlapping pages, rows older than asked for, and a row stamped in the far future.

use super::*;

fn bodies_of(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .map(|l| parse(l)["Body"].as_str().unwrap().to_owned())
        .collect()
}

fn times_of(lines: &[String]) -> Vec<u64> {
    lines.iter().map(|l| time_of(&parse(l))).collect()
}

#[test]
fn a_server_that_repeats_and_overlaps_pages_gets_each_log_printed_once_in_time_order() {
    let fake = Fake::default();
    fake.repeat_pages();
    fake.add((1..=12).map(|n| log(&format!("record {n}"), n * 10)));
    let (_rt, server) = serve_fake(&fake, LOGS_SEARCH);
    let sb = Sandbox::new();
    let since = T0.to_string();
    let mut args =
        words("logs search --follow -o ndjson --limit 4 --interval 50ms --timestamp-min");
    args.push(&since);
    let kopai = spawn(&sb, &server.uri(), &args);
    let first = kopai.lines(12);
    let expected: Vec<String> = (1..=12).map(|n| format!("record {n}")).collect();
    assert_eq!(bodies_of(&first), expected);
    fake.wait_for_more_requests(2);

    // More, some sharing a nanosecond with each other or with the newest row printed.
    fake.add([
        log("record 13", 120),
        log("record 14", 125),
        log("record 15", 125),
    ]);
    fake.add((16..=20).map(|n| log(&format!("record {n}"), n * 10)));
    let later = kopai.lines(8);
    let expected: Vec<String> = (13..=20).map(|n| format!("record {n}")).collect();
    assert_eq!(bodies_of(&later), expected);
    let times = times_of(&[first, later].concat());
    assert!(times.is_sorted(), "in time order: {times:?}");

    // Polls that find nothing new print nothing.
    fake.wait_for_more_requests(4);
    let ended = kopai.interrupt_cleanly();
    assert_eq!(ended.stderr, "");
}

#[test]
fn a_row_from_the_far_future_is_printed_once_and_holds_no_row_back() {
    let fake = Fake::default();
    let mut future = span(2, 0);
    future["Timestamp"] = json!(u64::MAX.to_string());
    fake.add([span(1, 0), future]);
    let (_rt, server) = serve_fake(&fake, TRACES_SEARCH);
    let sb = Sandbox::new();
    let args = words("traces search --follow -o ndjson --interval 50ms");
    let kopai = spawn(&sb, &server.uri(), &args);
    assert_eq!(span_ids(&kopai.lines(2)), ids(&[1, 2]));
    let sent = fake.wait_for_more_requests(2);
    assert_eq!(
        sent.last().unwrap()["timestampMin"],
        (T0 - 30_000_000_000).to_string(),
        "the watermark stays at the newest row from a correct clock (less --lag)"
    );

    fake.add([span(3, 10), span(4, 20)]);
    assert_eq!(span_ids(&kopai.lines(2)), ids(&[3, 4]));
    fake.wait_for_more_requests(3);
    let ended = kopai.interrupt_cleanly();
    assert_eq!(
        ended.stderr,
        "warning: rows stamped more than 5 minutes ahead of this machine's clock (first: \
         Timestamp 18446744073709551615) are printed once, but --follow keeps its place by the \
         clock\n"
    );
}
