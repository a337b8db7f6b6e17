//! Dashboards as code: `list`, `get`, `export`, `import` and the links `create` prints, against a
//! fake server that keeps the dashboards it is sent (create, get, substring search, cursor pages).

use crate::common::*;

use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use wiremock::matchers::path_regex;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

// ---------------------------------------------------------------------------------------------
// The fake server's dashboard store

#[derive(Default)]
struct Store {
    dashboards: Mutex<Vec<Value>>,
}

/// Answers like the real server: `POST /dashboards`, `GET /dashboards/{id}` and
/// `POST /dashboards/search` (name as a substring, newest first, cursor `createdAt|id`).
#[derive(Clone, Default)]
struct FakeDashboards(Arc<Store>);

impl FakeDashboards {
    fn all(&self) -> Vec<Value> {
        self.0.dashboards.lock().unwrap().clone()
    }

    fn insert(&self, body: &Value) -> Value {
        let mut all = self.0.dashboards.lock().unwrap();
        let n = all.len() + 1;
        let dashboard = json!({
            "name": body["name"],
            "id": format!("00000000-0000-4000-8000-{n:012}"),
            "createdAt": format!("2026-11-28T00:00:00.{n:03}Z"),
            "metadata": body.get("metadata").cloned().unwrap_or(json!({})),
            "uiTreeVersion": body["uiTreeVersion"],
            "uiTree": body["uiTree"],
        });
        all.push(dashboard.clone());
        dashboard
    }

    fn search(&self, filter: &Value) -> Value {
        let key = |d: &Value| {
            format!(
                "{}|{}",
                d["createdAt"].as_str().unwrap(),
                d["id"].as_str().unwrap()
            )
        };
        let mut rows: Vec<Value> = self
            .all()
            .into_iter()
            .filter(|d| {
                filter["name"]
                    .as_str()
                    .is_none_or(|n| d["name"].as_str().unwrap().contains(n))
            })
            .collect();
        rows.sort_by_key(|d| std::cmp::Reverse(key(d)));
        if let Some(cursor) = filter["cursor"].as_str() {
            rows.retain(|d| key(d).as_str() < cursor);
        }
        let limit = filter["limit"].as_u64().unwrap_or(100) as usize;
        let next = (rows.len() > limit).then(|| key(&rows[limit - 1]));
        rows.truncate(limit);
        json!({"data": rows, "nextCursor": next})
    }
}

fn answer(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string().into_bytes(), "application/json")
}

impl Respond for FakeDashboards {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
        let route = request.url.path();
        match (request.method.as_str(), route) {
            ("POST", "/dashboards") => {
                let version = body["uiTreeVersion"].as_str().unwrap_or_default();
                if version.split('.').count() != 3 {
                    let problem = json!({"type": "x", "status": 400, "title": "Invalid data",
                        "detail": "body/uiTreeVersion Invalid string: must match pattern /^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)$/"});
                    return answer(400, &problem);
                }
                answer(201, &self.insert(&body))
            }
            ("POST", "/dashboards/search") => answer(200, &self.search(&body)),
            ("GET", _) => {
                let id = route.trim_start_matches("/dashboards/");
                match self.all().into_iter().find(|d| d["id"] == id) {
                    Some(d) => answer(200, &d),
                    None => answer(
                        404,
                        &json!({"message": "Dashboard not found", "error": "Not Found",
                            "statusCode": 404}),
                    ),
                }
            }
            _ => ResponseTemplate::new(404),
        }
    }
}

async fn dashboard_server() -> (MockServer, FakeDashboards) {
    let server = MockServer::start().await;
    let store = FakeDashboards::default();
    Mock::given(path_regex("^/dashboards"))
        .respond_with(store.clone())
        .mount(&server)
        .await;
    (server, store)
}

/// Dashboards named `names`, created oldest first.
async fn server_with(names: &[&str]) -> (MockServer, FakeDashboards) {
    let (server, store) = dashboard_server().await;
    for name in names {
        store.insert(&json!({"name": name, "uiTreeVersion": "0.14.0", "uiTree": tree()}));
    }
    (server, store)
}

// ---------------------------------------------------------------------------------------------
// Helpers

fn tree() -> Value {
    json!({"root": "s1", "elements": {"s1": {"type": "Stack", "key": "s1", "props": {"gap": "md",
        "direction": "vertical", "align": null}, "children": [], "parentKey": ""}}})
}

fn id(n: usize) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

fn link(server: &MockServer, n: usize) -> String {
    format!("{}/?tab=metrics&dashboardId={}", server.uri(), id(n))
}

/// `kopai ARGS --url SERVER` in `sb` (stdout a pipe).
fn kopai(sb: &Sandbox, server: &MockServer, args: &[&str]) -> Output {
    let out = run(sb
        .kopai()
        .args(args)
        .args(["--url", &server.uri(), "--token", TOKEN]));
    assert_no_secret(&out, TOKEN);
    out
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn posts_to_create(server_requests: &[Request]) -> usize {
    server_requests
        .iter()
        .filter(|r| r.method.as_str() == "POST" && r.url.path() == "/dashboards")
        .count()
}

// ---------------------------------------------------------------------------------------------
// export → import round trip

const EXPORTED: &str = r#"{
  "name": "Checkout health",
  "uiTreeVersion": "0.14.0",
  "uiTree": {
    "elements": {
      "s1": {
        "children": [],
        "key": "s1",
        "parentKey": "",
        "props": {
          "align": null,
          "direction": "vertical",
          "gap": "md"
        },
        "type": "Stack"
      }
    },
    "root": "s1"
  },
  "metadata": {
    "owner": "payments",
    "env": "prod"
  }
}
"#;

#[tokio::test]
async fn export_writes_the_create_body_with_sorted_keys() {
    let (server, store) = dashboard_server().await;
    // Keys in an order no one would choose, to see they come out sorted.
    store.insert(
        &json!({"metadata": {"owner": "payments", "env": "prod"}, "uiTree": tree(),
        "uiTreeVersion": "0.14.0", "name": "Checkout health"}),
    );
    let sb = Sandbox::new();
    let out = kopai(&sb, &server, &["dashboards", "export", &id(1)]);
    assert_ok(&out);
    // Sorted inside uiTree and metadata alike; the four fields in the create body's order.
    let expected = EXPORTED.replace(
        "\"owner\": \"payments\",\n    \"env\": \"prod\"",
        "\"env\": \"prod\",\n    \"owner\": \"payments\"",
    );
    assert_eq!(out.stdout, expected);
    assert_eq!(out.stderr, "");
}

#[tokio::test]
async fn an_exported_file_imports_into_another_server_unchanged() {
    let (from, _) = server_with(&["Checkout health"]).await;
    let sb = Sandbox::new();
    let exported = kopai(&sb, &from, &["dashboards", "export", &id(1)]);
    assert_ok(&exported);
    write(&sb.cwd.join("checkout.json"), &exported.stdout);

    let (to, store) = dashboard_server().await;
    let out = kopai(
        &sb,
        &to,
        &["dashboards", "import", "checkout.json", "--json"],
    );
    assert_ok(&out);
    let created = store.all();
    assert_eq!(created.len(), 1);
    let mut expected = created[0].clone();
    expected["url"] = Value::String(link(&to, 1));
    assert_eq!(
        out.stdout,
        pretty(&expected),
        "the dashboard, then its link"
    );
    // What was sent is exactly the file.
    let sent = parse(std::str::from_utf8(&requests(&to).await[0].body).unwrap());
    assert_eq!(sent, parse(&exported.stdout));

    let again = kopai(&sb, &to, &["dashboards", "export", &id(1)]);
    assert_eq!(
        again.stdout, exported.stdout,
        "a round trip changes nothing"
    );
}

#[tokio::test]
async fn import_reads_stdin_and_takes_a_new_name() {
    let (server, store) = dashboard_server().await;
    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args([
            "dashboards",
            "import",
            "-",
            "--name",
            "Checkout (copy)",
            "--json",
        ])
        .args(["--url", &server.uri()])
        .write_stdin(EXPORTED));
    assert_ok(&out);
    assert_eq!(store.all()[0]["name"], "Checkout (copy)");
    assert_eq!(
        store.all()[0]["metadata"],
        json!({"owner": "payments", "env": "prod"})
    );
    assert_eq!(parse(&out.stdout)["url"], link(&server, 1));
}

#[tokio::test]
async fn get_as_ndjson_and_csv_prints_the_same_object_as_json() {
    let (server, _) = server_with(&["Checkout health"]).await;
    let sb = Sandbox::new();
    let json = kopai(&sb, &server, &["dashboards", "get", &id(1), "--json"]);
    assert_ok(&json);
    let object = parse(&json.stdout);
    let out = kopai(&sb, &server, &["dashboards", "get", &id(1), "-o", "ndjson"]);
    assert_ok(&out);
    assert_eq!(out.stdout, format!("{object}\n"));
    let out = kopai(&sb, &server, &["dashboards", "get", &id(1), "-o", "csv"]);
    assert_ok(&out);
    let lines: Vec<&str> = out.stdout.split_terminator("\r\n").collect();
    let keys: Vec<&str> = object
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    assert_eq!(lines[0], keys.join(","));
    assert!(lines[1].starts_with("Checkout health,"), "{}", out.stdout);
}

#[tokio::test]
async fn import_accepts_the_output_of_get() {
    let (server, store) = server_with(&["Checkout health"]).await;
    let sb = Sandbox::new();
    let got = kopai(&sb, &server, &["dashboards", "get", &id(1), "--json"]);
    assert_ok(&got);
    write(&sb.cwd.join("got.json"), &got.stdout);
    let out = kopai(
        &sb,
        &server,
        &["dashboards", "import", "got.json", "--name", "Copy"],
    );
    assert_ok(&out);
    assert_eq!(
        out.stderr, "",
        "id and createdAt are the server's, not unknown fields"
    );
    assert_eq!(store.all()[1]["uiTree"], tree());
}

#[tokio::test]
async fn import_in_a_table_prints_the_row_and_the_link_on_stderr() {
    let (server, _) = dashboard_server().await;
    let sb = Sandbox::new();
    write(&sb.cwd.join("d.json"), EXPORTED);
    let out = kopai(&sb, &server, &["dashboards", "import", "d.json", "--table"]);
    assert_ok(&out);
    assert_eq!(
        out.stdout,
        format!(
            "ID                                    NAME             TREE VERSION  CREATED\n\
             {}  Checkout health  0.14.0        2026-11-28T00:00:00.001Z\n",
            id(1)
        )
    );
    assert_eq!(out.stderr, format!("Open: {}\n", link(&server, 1)));
}

// ---------------------------------------------------------------------------------------------
// --if-not-exists

#[tokio::test]
async fn if_not_exists_finds_the_exact_name_across_pages_and_creates_nothing() {
    // The search matches substrings: "Checkout health (old)" and friends come back too, and
    // the exact name is on the second page of 1000.
    let mut names: Vec<String> = vec!["Checkout health".into()];
    names.extend((0..1001).map(|i| format!("Checkout health {i}")));
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let (server, store) = server_with(&names).await;
    let sb = Sandbox::new();
    write(&sb.cwd.join("d.json"), EXPORTED);
    let out = kopai(
        &sb,
        &server,
        &[
            "dashboards",
            "import",
            "d.json",
            "--if-not-exists",
            "--json",
        ],
    );
    assert_ok(&out);
    assert_eq!(store.all().len(), 1002, "nothing created");
    let printed = parse(&out.stdout);
    assert_eq!(printed["id"], id(1));
    assert_eq!(printed["url"], link(&server, 1));
    assert_eq!(
        out.stderr,
        format!(
            "A dashboard named \"Checkout health\" already exists ({}); nothing was created.\n",
            id(1)
        )
    );
    let sent = requests(&server).await;
    assert_eq!(posts_to_create(&sent), 0);
    assert_eq!(sent.len(), 2, "two pages searched");
    assert_eq!(
        parse(std::str::from_utf8(&sent[0].body).unwrap())["name"],
        "Checkout health"
    );
}

#[tokio::test]
async fn if_not_exists_creates_when_only_longer_names_match() {
    let (server, store) = server_with(&["Checkout health (old)", "My Checkout health"]).await;
    let sb = Sandbox::new();
    write(&sb.cwd.join("d.json"), EXPORTED);
    let out = kopai(
        &sb,
        &server,
        &[
            "dashboards",
            "import",
            "d.json",
            "--if-not-exists",
            "--json",
        ],
    );
    assert_ok(&out);
    assert_eq!(store.all().len(), 3);
    assert_eq!(parse(&out.stdout)["id"], id(3));
    assert_eq!(out.stderr, "");
}

// ---------------------------------------------------------------------------------------------
// Bad files: exit 2, the file and the field named, nothing sent

#[tokio::test]
async fn bad_dashboard_files_are_refused_before_anything_is_sent() {
    let (server, _) = dashboard_server().await;
    let sb = Sandbox::new();
    let exported = parse(EXPORTED);
    let without = |key: &str| {
        let mut v = exported.clone();
        v.as_object_mut().unwrap().shift_remove(key);
        v.to_string()
    };
    let with = |key: &str, value: Value| {
        let mut v = exported.clone();
        v[key] = value;
        v.to_string()
    };
    let cases: Vec<(String, &str)> = vec![
        (
            "{\"name\": ".into(),
            "d.json: not valid JSON: EOF while parsing a value at line 1 column 9",
        ),
        (
            "[1, 2]".into(),
            "d.json: expected a JSON object, as `kopai dashboards export` writes",
        ),
        (without("uiTree"), "d.json: missing field \"uiTree\""),
        (
            without("uiTreeVersion"),
            "d.json: missing field \"uiTreeVersion\"",
        ),
        (
            without("name"),
            "d.json: missing field \"name\" (or give --name)",
        ),
        (
            with("uiTree", json!("s1")),
            "d.json: \"uiTree\" must be an object",
        ),
        (
            with("uiTreeVersion", json!(14)),
            "d.json: \"uiTreeVersion\" must be a string",
        ),
        (
            with("uiTreeVersion", json!("0.14")),
            "d.json: \"uiTreeVersion\" `0.14` is not a semver version such as 0.14.0",
        ),
        (
            with("metadata", json!(["a"])),
            "d.json: \"metadata\" must be an object",
        ),
    ];
    for (content, message) in cases {
        write(&sb.cwd.join("d.json"), &content);
        let out = kopai(&sb, &server, &["dashboards", "import", "d.json", "--table"]);
        assert_eq!(out.code, 2, "{content}: {}", out.stderr);
        assert_eq!(out.stdout, "");
        assert_eq!(out.stderr, format!("error: {message}\n"), "{content}");

        let out = kopai(&sb, &server, &["dashboards", "import", "d.json", "--json"]);
        assert_eq!(out.code, 2);
        let error = parse(&out.stderr);
        assert_eq!(
            error,
            json!({"error": {"name": "UsageError", "message": message}})
        );
    }
    let out = kopai(
        &sb,
        &server,
        &["dashboards", "import", "missing.json", "-t"],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.starts_with("error: cannot read missing.json: "),
        "{}",
        out.stderr
    );
    assert!(requests(&server).await.is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn unknown_fields_in_a_file_are_named_in_a_warning() {
    let (server, store) = dashboard_server().await;
    let sb = Sandbox::new();
    let mut file = parse(EXPORTED);
    file["colour"] = json!("blue");
    write(&sb.cwd.join("d.json"), &file.to_string());
    let out = kopai(&sb, &server, &["dashboards", "import", "d.json", "--json"]);
    assert_ok(&out);
    assert_eq!(
        out.stderr,
        "warning: d.json: ignoring unknown field \"colour\"\n"
    );
    assert_eq!(store.all().len(), 1);
}

#[tokio::test]
async fn a_tree_version_that_is_not_semver_is_refused_locally() {
    let (server, _) = dashboard_server().await;
    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args([
            "dashboards",
            "create",
            "--name",
            "X",
            "--tree-version",
            "latest",
            "-t",
        ])
        .args(["--url", &server.uri()])
        .write_stdin(tree().to_string()));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.starts_with(
            "error: invalid value 'latest' for '--tree-version <SEMVER>': \
             expected a semver version such as 0.14.0"
        ),
        "{}",
        out.stderr
    );
    assert!(requests(&server).await.is_empty());
}

// ---------------------------------------------------------------------------------------------
// create prints the link

#[tokio::test]
async fn create_prints_the_link_last_in_json_and_on_stderr_in_a_table() {
    let (server, _) = dashboard_server().await;
    let sb = Sandbox::new();
    let create = |format: &str| {
        run(sb
            .kopai()
            .args([
                "dashboards",
                "create",
                "--name",
                "Checkout",
                "--tree-version",
                "0.14.0",
            ])
            .args([format, "--url", &server.uri()])
            .write_stdin(tree().to_string()))
    };
    let out = create("--json");
    assert_ok(&out);
    let printed = parse(&out.stdout);
    let keys: Vec<&String> = printed.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "name",
            "id",
            "createdAt",
            "metadata",
            "uiTreeVersion",
            "uiTree",
            "url"
        ]
    );
    assert_eq!(printed["url"], link(&server, 1));
    assert_eq!(out.stderr, "");

    let out = create("--table");
    assert_ok(&out);
    assert!(out.stdout.contains(&id(2)), "{}", out.stdout);
    assert_eq!(out.stderr, format!("Open: {}\n", link(&server, 2)));
}

#[tokio::test]
async fn the_link_uses_the_ui_url_from_the_environment_or_the_config() {
    let (server, _) = dashboard_server().await;
    let sb = Sandbox::new();
    let create = |extra_env: Option<&str>| {
        let mut cmd = sb.kopai();
        cmd.args([
            "dashboards",
            "create",
            "--name",
            "X",
            "--tree-version",
            "0.14.0",
            "--json",
        ])
        .write_stdin(tree().to_string());
        if let Some(ui) = extra_env {
            cmd.env("KOPAI_UI_URL", ui);
        }
        run(&mut cmd)
    };
    write_private(
        &sb.local_rc(),
        &json!({"url": server.uri(), "ui_url": "https://ui.example/app/", "token": TOKEN})
            .to_string(),
    );
    let out = create(None);
    assert_ok(&out);
    assert_eq!(
        parse(&out.stdout)["url"],
        format!("https://ui.example/app/?tab=metrics&dashboardId={}", id(1))
    );
    let out = create(Some("http://localhost:5173"));
    assert_ok(&out);
    assert_eq!(
        parse(&out.stdout)["url"],
        format!("http://localhost:5173/?tab=metrics&dashboardId={}", id(2))
    );

    let out = create(Some("ftp://x"));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("KOPAI_UI_URL"), "{}", out.stderr);

    write_private(
        &sb.local_rc(),
        &json!({"url": server.uri(), "ui_url": "nope"}).to_string(),
    );
    let out = create(None);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("ui_url"), "{}", out.stderr);
    assert_eq!(
        requests(&server).await.len(),
        2,
        "nothing sent with a bad ui_url"
    );
}

#[tokio::test]
async fn login_keeps_ui_url() {
    let sb = Sandbox::new();
    write_private(&sb.local_rc(), r#"{"ui_url": "https://ui.example"}"#);
    let out = run(sb
        .kopai()
        .args(["login", "--no-verify", "--url", "https://api.example"])
        .write_stdin(TOKEN));
    assert_ok(&out);
    let saved = parse(&read(&sb.local_rc()));
    assert_eq!(saved["ui_url"], "https://ui.example");
    assert_eq!(saved["url"], "https://api.example");
}

// ---------------------------------------------------------------------------------------------
// list and get

#[tokio::test]
async fn list_prints_newest_first_and_matches_names_as_substrings() {
    let (server, store) = server_with(&["Checkout health", "Payments", "Checkout latency"]).await;
    let sb = Sandbox::new();
    let out = kopai(
        &sb,
        &server,
        &["dashboards", "list", "--name", "Checkout", "--table"],
    );
    assert_ok(&out);
    assert_eq!(
        out.stdout,
        format!(
            "NAME              ID                                    CREATED                   TREE VERSION\n\
             Checkout latency  {}  2026-11-28T00:00:00.003Z  0.14.0\n\
             Checkout health   {}  2026-11-28T00:00:00.001Z  0.14.0\n",
            id(3),
            id(1)
        )
    );
    let out = kopai(&sb, &server, &["dashboards", "list"]);
    assert_ok(&out);
    let mut newest_first = store.all();
    newest_first.reverse();
    assert_eq!(out.stdout, pretty(&Value::Array(newest_first)));
}

#[tokio::test]
async fn list_all_follows_the_cursor() {
    let names: Vec<String> = (1..=5).map(|i| format!("D{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let (server, _) = server_with(&names).await;
    let sb = Sandbox::new();
    let out = kopai(
        &sb,
        &server,
        &["dashboards", "list", "--all", "--limit", "2", "-f", "name"],
    );
    assert_ok(&out);
    let printed: Vec<Value> = serde_json::from_value(parse(&out.stdout)).unwrap();
    let printed: Vec<&str> = printed
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(printed, ["D5", "D4", "D3", "D2", "D1"]);
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 3);
    assert_eq!(
        parse(std::str::from_utf8(&sent[1].body).unwrap()),
        json!({"limit": 2, "cursor": format!("2026-11-28T00:00:00.004Z|{}", id(4))})
    );

    let out = kopai(
        &sb,
        &server,
        &["dashboards", "list", "--limit", "2", "--table"],
    );
    assert_ok(&out);
    assert_eq!(out.stdout.lines().count(), 3);
    assert_eq!(
        out.stderr,
        "hint: there are more results; add --all to fetch every page\n"
    );
}

#[tokio::test]
async fn get_prints_the_dashboard_or_a_summary_with_its_link() {
    let (server, store) = server_with(&["Checkout\x1b[31m health"]).await;
    let sb = Sandbox::new();
    let out = kopai(&sb, &server, &["dashboards", "get", &id(1)]);
    assert_ok(&out);
    assert_eq!(out.stdout, pretty(&store.all()[0]), "a pipe gets JSON");

    let out = kopai(&sb, &server, &["dashboards", "get", &id(1), "--table"]);
    assert_ok(&out);
    assert_eq!(
        out.stdout,
        format!(
            "Name:          Checkout\u{FFFD}[31m health\n\
             ID:            {}\n\
             Created:       2026-11-28T00:00:00.001Z\n\
             Tree version:  0.14.0\n\
             Elements:      1\n\
             Link:          {}\n",
            id(1),
            link(&server, 1)
        ),
        "control characters from the server are stripped"
    );
}

#[tokio::test]
async fn an_unknown_dashboard_is_a_404() {
    let (server, _) = dashboard_server().await;
    let sb = Sandbox::new();
    for command in [
        &["get", "nope/../x", "--table"][..],
        &["export", "nope/../x"],
    ] {
        let out = kopai(&sb, &server, &[&["dashboards"][..], command].concat());
        assert_eq!(out.code, 1);
        assert_eq!(out.stdout, "");
        assert_eq!(
            out.stderr,
            "error: Not Found (HTTP 404): Dashboard not found\n"
        );
    }
    let sent = requests(&server).await;
    assert_eq!(
        sent[0].url.path(),
        "/dashboards/nope%2F..%2Fx",
        "the id stays one segment"
    );
}

#[test]
fn help_says_there_is_no_update_or_delete() {
    let sb = Sandbox::new();
    for args in [
        &["dashboards", "--help"][..],
        &["dashboards", "import", "--help"],
    ] {
        let out = run(sb.kopai().args(args));
        assert_ok(&out);
        assert!(
            out.stdout.contains("no update and no delete endpoint"),
            "{}",
            out.stdout
        );
    }
}

#[cfg(unix)]
#[tokio::test]
async fn get_on_a_terminal_is_a_summary_with_the_link() {
    let (server, _) = server_with(&["Checkout health"]).await;
    let sb = Sandbox::new();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kopai"));
    cmd.args(["dashboards", "get", &id(1), "--url", &server.uri()]);
    sb.configure(&mut cmd);
    let mut session = rexpect::session::spawn_command(cmd, Some(10_000)).expect("pty");
    let screen = session.exp_eof().expect("exits");
    assert!(
        screen.contains("Name:          Checkout health"),
        "{screen:?}"
    );
    assert!(
        screen.contains(&format!("Link:          {}", link(&server, 1))),
        "{screen:?}"
    );
    assert!(!screen.contains("\"uiTree\""), "not JSON: {screen:?}");
}
