//! `kopai mcp` driven over stdio with JSON-RPC, as an MCP client would, against the fake
//! server. Each read waits for a line with a timeout; nothing sleeps.

mod protocol;
mod sizing;
mod tools;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::*;

const PATIENCE: Duration = Duration::from_secs(20);

pub struct Session {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    stderr: std::thread::JoinHandle<String>,
    next_id: u64,
    _sandbox: Sandbox,
}

impl Session {
    /// `kopai mcp` for `url`, with the test token in KOPAI_TOKEN, initialised.
    pub fn start(url: &str, args: &[&str]) -> Self {
        let mut session = Self::spawn(url, args);
        let answer = session.request(
            "initialize",
            json!({
                "protocolVersion": "2025-06-18",
                "capabilities": {},
                "clientInfo": {"name": "kopai-tests", "version": "1"}
            }),
        );
        assert_eq!(answer["result"]["serverInfo"]["name"], "kopai", "{answer}");
        session.notify("notifications/initialized");
        session
    }

    pub fn spawn(url: &str, args: &[&str]) -> Self {
        let sandbox = Sandbox::new();
        let mut cmd = sandbox.process();
        cmd.args(["mcp", "--url", url])
            .args(args)
            .env("KOPAI_TOKEN", TOKEN)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().expect("kopai mcp starts");
        let stdout = child.stdout.take().unwrap();
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut stderr = child.stderr.take().unwrap();
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        Self {
            stdin: child.stdin.take(),
            child,
            lines,
            stderr,
            next_id: 1,
            _sandbox: sandbox,
        }
    }

    pub fn send_raw(&mut self, text: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(text.as_bytes()).unwrap();
        stdin.write_all(b"\n").unwrap();
        stdin.flush().unwrap();
    }

    pub fn notify(&mut self, method: &str) {
        self.send_raw(&json!({"jsonrpc": "2.0", "method": method}).to_string());
    }

    /// Sends a request; its id.
    pub fn send(&mut self, method: &str, params: Value) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.send_raw(&message.to_string());
        id
    }

    /// The next line on stdout, which must be one JSON-RPC message.
    pub fn recv(&self) -> Value {
        let line = self
            .lines
            .recv_timeout(PATIENCE)
            .expect("an answer from kopai mcp in time");
        let message: Value = serde_json::from_str(&line).expect("stdout holds JSON-RPC only");
        assert_eq!(message["jsonrpc"], "2.0", "{line}");
        message
    }

    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send(method, params);
        let answer = self.recv();
        assert_eq!(answer["id"], json!(id), "{answer}");
        answer
    }

    /// `tools/call`: the result (successful or `isError`).
    pub fn call(&mut self, name: &str, arguments: Value) -> Value {
        let answer = self.request("tools/call", json!({"name": name, "arguments": arguments}));
        let result = answer["result"].clone();
        assert!(result.is_object(), "{answer}");
        both_channels(&result);
        result
    }

    /// A call that must succeed: its payload.
    pub fn ok(&mut self, name: &str, arguments: Value) -> Value {
        let result = self.call(name, arguments);
        assert_eq!(result["isError"], false, "{result}");
        result["structuredContent"].clone()
    }

    /// A call that must fail: its error payload.
    pub fn error(&mut self, name: &str, arguments: Value) -> Value {
        let result = self.call(name, arguments);
        assert_eq!(result["isError"], true, "{result}");
        let payload = result["structuredContent"].clone();
        assert_eq!(keys(&payload)[..2], ["error", "message"], "{payload}");
        payload
    }

    pub fn tool_names(&mut self) -> Vec<String> {
        let answer = self.request("tools/list", json!({}));
        answer["result"]["tools"]
            .as_array()
            .expect("a tool list")
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_owned())
            .collect()
    }

    /// Closes stdin: the exit code and stderr, and nothing more on stdout.
    pub fn close(mut self) -> (i32, String) {
        drop(self.stdin.take());
        // Stdout ends when the process does.
        match self.lines.recv_timeout(PATIENCE) {
            Ok(line) => panic!("unexpected output after the last answer: {line}"),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                panic!("kopai mcp did not end when stdin closed")
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {}
        }
        let status = self.child.wait().unwrap();
        let stderr = self.stderr.join().unwrap();
        assert!(
            !stderr.contains(TOKEN),
            "the token leaked to stderr: {stderr}"
        );
        (status.code().unwrap_or(-1), stderr)
    }
}

/// The payload is in both channels: `structuredContent`, and one text block of the same JSON.
fn both_channels(result: &Value) {
    let content = result["content"].as_array().expect("content");
    assert_eq!(content.len(), 1, "{result}");
    assert_eq!(content[0]["type"], "text");
    let text: Value = serde_json::from_str(content[0]["text"].as_str().unwrap()).unwrap();
    assert_eq!(text, result["structuredContent"]);
    assert!(
        !content[0]["text"].as_str().unwrap().contains(TOKEN),
        "the token leaked"
    );
}

/// A fake server: `verb route` answers `response`; the KopaiQuery probe is a 404 unless the
/// test mounts the route.
pub async fn server_with(routes: &[(&str, &str, ResponseTemplate)]) -> MockServer {
    let server = MockServer::builder().start().await;
    for (verb, route, response) in routes {
        Mock::given(method(*verb))
            .and(path(*route))
            .respond_with(response.clone())
            .mount(&server)
            .await;
    }
    server
}

pub fn fixture_ok(name: &str) -> ResponseTemplate {
    json_response(&fixture(name))
}

/// The bodies the fake server received on `route`.
pub async fn bodies_at(server: &MockServer, route: &str) -> Vec<Value> {
    requests(server)
        .await
        .into_iter()
        .filter(|r| r.url.path() == route)
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

/// Nothing reached the server but the KopaiQuery probe: the call was refused before asking.
pub async fn asked_only_the_probe(server: &MockServer) {
    let sent = requests(server).await;
    assert!(
        sent.iter()
            .all(|r| r.url.path() == "/signals/query/traces/raw"),
        "{sent:?}"
    );
}
