//! `dashboards schema` and `dashboards create`.

use serde_json::{json, Value};
use wiremock::ResponseTemplate;

use crate::common::*;

#[tokio::test]
async fn dashboards_schema_prints_the_markdown_as_is() {
    let schema = fixture("dashboards-schema.md");
    let markdown =
        ResponseTemplate::new(200).set_body_raw(schema.clone().into_bytes(), "text/markdown");
    let server = serve("GET", "/dashboards/schema", markdown).await;
    let out = kopai_at(&server.uri(), &words("dashboards schema"));
    assert_ok(&out);
    assert_eq!(out.stdout, schema);
    assert_eq!(out.stderr, "");
}

#[tokio::test]
async fn dashboards_schema_rejects_an_html_page() {
    // A server without the route answers with its UI's page, still 200.
    let html = ResponseTemplate::new(200).set_body_raw(
        b"\n<!doctype html>\n<html><head><title>Kopai</title></head></html>".to_vec(),
        "text/html",
    );
    let server = serve("GET", "/dashboards/schema", html).await;
    let out = kopai_at(&server.uri(), &words("dashboards schema"));
    assert_failed(&out, 1);
    assert_eq!(
        out.stderr,
        format!(
            "error: unexpected response from {}/dashboards/schema: \
             expected the schema as markdown, got an HTML page\n",
            server.uri()
        )
    );
}

/// `dashboards create --name "Checkout health" … --json` reading `stdin`: what it printed
/// and the bodies the server got.
async fn create_dashboard(stdin: &str) -> (Output, Vec<Value>) {
    let created = fixture_response(201, "dashboards-create.json");
    let server = serve("POST", "/dashboards", created).await;
    let mut args = words("dashboards create --tree-version 0.14.0 --json");
    args.extend(["--name", "Checkout health"]);
    let stdin = stdin.to_owned();
    let out = kopai_with(&server.uri(), &args, |cmd| {
        cmd.write_stdin(stdin);
    });
    (out, bodies(&server).await)
}

fn ui_tree() -> Value {
    fixture_json("dashboards-create.json")["uiTree"].clone()
}

#[tokio::test]
async fn dashboards_create_sends_tree_and_metadata() {
    let input = json!({"uiTree": ui_tree(), "metadata": {"team": "payments"}});
    let (out, sent) = create_dashboard(&input.to_string()).await;
    assert_ok(&out);
    // The server's dashboard, byte for byte, then a last key `url` (upstream's newer CLI).
    let printed: Value = serde_json::from_str(&out.stdout).unwrap();
    let url = printed["url"].as_str().unwrap().to_owned();
    let id = "4ccd630e-94e1-40ba-85b5-9a352c91fbb1";
    assert!(
        url.ends_with(&format!("/?tab=metrics&dashboardId={id}")),
        "{url}"
    );
    let mut expected = fixture_json("dashboards-create.json");
    expected["url"] = Value::String(url);
    assert_eq!(out.stdout, pretty(&expected));
    assert_eq!(
        sent,
        [json!({
            "name": "Checkout health",
            "uiTreeVersion": "0.14.0",
            "uiTree": ui_tree(),
            "metadata": {"team": "payments"}
        })]
    );
}

#[tokio::test]
async fn dashboards_create_takes_a_bare_ui_tree() {
    let (out, sent) = create_dashboard(&ui_tree().to_string()).await;
    assert_ok(&out);
    assert_eq!(
        sent,
        [json!({"name": "Checkout health", "uiTreeVersion": "0.14.0", "uiTree": ui_tree()})]
    );
}

#[tokio::test]
async fn dashboards_create_refuses_invalid_json() {
    for stdin in [r#"{"uiTree": {"root": "s1""#, "[1, 2]", ""] {
        let (out, sent) = create_dashboard(stdin).await;
        assert_failed(&out, 2);
        let message = json_error(&out)["error"]["message"].clone();
        assert!(
            message
                .as_str()
                .unwrap()
                .starts_with("invalid JSON on stdin: "),
            "{message}"
        );
        assert!(sent.is_empty(), "nothing may be sent for {stdin:?}");
    }
}
