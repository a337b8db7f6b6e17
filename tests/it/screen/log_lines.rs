//! `logs search` on a terminal prints lines, as kubectl logs and stern do: time, service,
//! severity, the whole body wrapped under itself; `-t` and `-f` keep the table, a pipe JSON.

use super::*;

const LOGS: &str = "/signals/logs/search";

/// The captured error logs, with a body longer than any terminal line, one with a stack
/// trace, and one from a service that logs at WARN, INFO and DEBUG.
fn logs_page() -> String {
    let mut page: Value = serde_json::from_str(&fixture("logs-search-error.json")).unwrap();
    let rows = page["data"].as_array_mut().unwrap();
    rows[0]["Body"] = json!(
        "lost connection to ledger database after 3 retries over 30 s; payments are queued and \
         will be replayed when the ledger answers again (queue depth 1204)"
    );
    rows[2]["Body"] = json!(
        "POST /charge responded 502\nError: upstream timeout\n\tat charge (charge.js:12:7)\n"
    );
    for (severity, number, body) in [
        ("WARN", 13, "cart reservation took 1.2 s"),
        ("INFO", 9, "cart 42 checked out"),
        ("DEBUG", 5, "cache hit for sku 1001"),
    ] {
        let mut row = rows[1].clone();
        row["ServiceName"] = json!("cart");
        row["SeverityText"] = json!(severity);
        row["SeverityNumber"] = json!(number);
        row["Body"] = json!(body);
        rows.push(row);
    }
    page["nextCursor"] = Value::Null;
    page.to_string()
}

async fn logs_server() -> MockServer {
    serve("POST", LOGS, json_response(&logs_page())).await
}

/// The day the fixtures were captured: their rows show the time of day only.
const CAPTURED: [(&str, &str); 1] = [("KOPAI_TEST_TODAY", "2026-11-27")];

#[tokio::test]
async fn logs_read_as_lines_at_60_80_and_120_columns() {
    let server = logs_server().await;
    for columns in [60, 80, 120] {
        let shown = screen(&server.uri(), "logs search", columns, "UTC", &CAPTURED);
        assert_fits(&shown, columns as usize);
        insta::assert_snapshot!(format!("log_lines_{columns}"), shown);
    }
}

/// Each later line of a wrapped body starts where the body does, and nothing of it is lost.
#[tokio::test]
async fn a_long_body_wraps_under_itself_whole() {
    let server = logs_server().await;
    let shown = screen(&server.uri(), "logs search", 80, "UTC", &CAPTURED);
    let lines = visible(&shown);
    let first = lines
        .iter()
        .position(|l| l.starts_with("23:00:30.000 payment-service FATAL lost connection"))
        .unwrap_or_else(|| panic!("{shown}"));
    let start = "23:00:30.000 payment-service FATAL ".len();
    let mut words = vec![lines[first][start..].to_owned()];
    for line in &lines[first + 1..] {
        if !line.starts_with(&" ".repeat(start)) {
            break;
        }
        words.push(line[start..].to_owned());
    }
    assert!(words.len() > 2, "wrapped: {shown}");
    assert_eq!(
        words.join(" "),
        "lost connection to ledger database after 3 retries over 30 s; payments are queued and \
         will be replayed when the ledger answers again (queue depth 1204)"
    );
}

#[tokio::test]
async fn dates_show_on_other_days_and_utc_is_marked() {
    let server = logs_server().await;
    let tokyo = screen(&server.uri(), "logs search", 120, "Asia/Tokyo", &[]);
    assert!(
        tokyo.starts_with("Nov 28 08:00:30.000 payment-service FATAL lost"),
        "{tokyo}"
    );
    let utc = screen(&server.uri(), "logs search --utc", 120, "Asia/Tokyo", &[]);
    assert!(
        utc.starts_with("Nov 27 23:00:30.000Z payment-service FATAL lost"),
        "{utc}"
    );
}

/// Severity by level (ERROR and FATAL red, WARN yellow, INFO plain, DEBUG dim) and a colour
/// per service, the same in every run; none at all with NO_COLOR.
#[tokio::test]
async fn severities_and_services_are_coloured_unless_no_color() {
    let server = logs_server().await;
    let coloured = screen(
        &server.uri(),
        "logs search --color always",
        120,
        "UTC",
        &CAPTURED,
    );
    let red = "\x1b[31m";
    assert!(
        coloured.contains(&format!("{red}FATAL\x1b[0m")),
        "{coloured:?}"
    );
    assert!(
        coloured.contains(&format!("{red}ERROR\x1b[0m")),
        "{coloured:?}"
    );
    assert!(coloured.contains("\x1b[33mWARN\x1b[0m"), "{coloured:?}");
    assert!(
        coloured.contains(" INFO  cart 42"),
        "INFO plain: {coloured:?}"
    );
    assert!(coloured.contains("\x1b[2mDEBUG\x1b[0m"), "{coloured:?}");
    // The colour before each of a service's names: one per line it has.
    let colours = |name: &str| -> Vec<String> {
        coloured
            .match_indices(&format!("{name}\x1b[0m"))
            .map(|(at, _)| coloured[..at].rsplit('\x1b').next().unwrap().to_owned())
            .collect()
    };
    let payment = colours("payment-service");
    assert!(
        payment[0].starts_with("[3") || payment[0].starts_with("[9"),
        "{payment:?}"
    );
    let cart = colours("cart");
    assert_eq!(cart.len(), 3, "{coloured:?}");
    assert!(
        payment.iter().all(|c| *c == payment[0]) && cart.iter().all(|c| *c == cart[0]),
        "one colour a service: {payment:?} {cart:?}"
    );
    assert_ne!(cart[0], payment[0], "a colour of its own");
    let again = screen(
        &server.uri(),
        "logs search --color always",
        120,
        "UTC",
        &CAPTURED,
    );
    assert_eq!(again, coloured, "the same colours every run");

    let plain = screen(&server.uri(), "logs search", 120, "UTC", &CAPTURED);
    assert!(!plain.contains('\x1b'), "NO_COLOR: {plain:?}");
}

#[tokio::test]
async fn attrs_are_listed_sorted_below_each_line() {
    let mut page: Value = serde_json::from_str(&logs_page()).unwrap();
    page["data"][1]["LogAttributes"] = json!({
        "z.last": "1", "http.route": "/pay\u{1b}]0;x\u{7}", "a.first": true, "a": 0
    });
    let server = serve("POST", LOGS, json_response(&page.to_string())).await;
    let shown = screen(&server.uri(), "logs search --attrs", 80, "UTC", &CAPTURED);
    insta::assert_snapshot!("log_lines_attrs_80", shown);
    assert!(!shown.contains('\x1b'), "sanitised: {shown:?}");

    // In a pipe, --attrs asks for lines too; with a table or JSON it is a usage error.
    let piped = kopai_at(&server.uri(), &words("logs search --attrs"));
    assert_ok(&piped);
    let start = "2026-11-27T23:00:21.510Z checkout-api ERROR ";
    assert!(
        piped
            .stdout
            .contains(&format!("\n{start}upstream payment-service")),
        "{}",
        piped.stdout
    );
    let under = format!("\n{}a.first=true\n", " ".repeat(start.len()));
    assert!(piped.stdout.contains(&under), "{}", piped.stdout);
    for asked in ["-t", "--json", "-f body"] {
        let out = kopai_at(
            &server.uri(),
            &words(&format!("logs search --attrs {asked}")),
        );
        assert_failed(&out, 2);
        assert!(out.stderr.contains("--attrs"), "{asked}: {}", out.stderr);
    }
}

/// `-t` and `-f` print the table on a terminal; a pipe gets the server's JSON unchanged.
#[tokio::test]
async fn the_table_and_json_stay_available() {
    let server = logs_server().await;
    let table = screen(&server.uri(), "logs search -t", 120, "UTC", &CAPTURED);
    assert!(table.starts_with("TIME "), "{table}");
    let fields = screen(
        &server.uri(),
        "logs search -f severity,body",
        120,
        "UTC",
        &CAPTURED,
    );
    assert!(fields.starts_with("SEVERITYTEXT  BODY"), "{fields}");
    let piped = kopai_at(&server.uri(), &words("logs search"));
    assert_ok(&piped);
    let sent: Value = serde_json::from_str(&logs_page()).unwrap();
    let printed: Value = serde_json::from_str(&piped.stdout).unwrap();
    assert_eq!(printed, sent["data"]);
}
