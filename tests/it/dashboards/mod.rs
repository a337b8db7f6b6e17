//! Dashboards as code: `list`, `get`, `export`, `import` and the links `create` prints, against a
//! fake server that keeps the dashboards it is sent (create, get, substring search, cursor pages).
//! The fake server and the helpers are here, the tests in the modules below.

mod bad_files;
mod export_import;
mod if_not_exists;
mod links;
mod list_and_get;

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

/// A dashboard file in the shape `export` writes (the create body).
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
