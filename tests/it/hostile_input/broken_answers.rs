//! Answers cut short and redirects that go nowhere get messages that say what happened.

use super::*;

/// A server that answers every connection with `head` and the start of a body, then hangs up
/// before the promised `Content-Length`.
async fn cut_short_server() -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                // Read the head and a body of any length (it is small).
                while let Ok(n) = socket.read(&mut buf).await {
                    if n == 0 {
                        return;
                    }
                    request.extend_from_slice(&buf[..n]);
                    let text = String::from_utf8_lossy(&request);
                    if let Some(end) = text.find("\r\n\r\n") {
                        let length = text
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        if request.len() >= end + 4 + length {
                            break;
                        }
                    }
                }
                let _ = socket
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"data\":[")
                    .await;
                let _ = socket.shutdown().await;
            });
        }
    });
    url
}

// The server runs on the runtime while the test blocks on the binary: two threads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_cut_short_is_not_a_connection_failure() {
    let url = cut_short_server().await;
    let out = kopai_at(&url, &["traces", "search", "--table"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.starts_with(&format!(
            "error: the answer from {url}/signals/traces/search was cut short"
        )),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("could not connect"), "{}", out.stderr);
}

// The server runs on the runtime while the test blocks on the binary: two threads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_polls_on_past_an_answer_cut_short() {
    let url = cut_short_server().await;
    let args = words("traces search --wait 300ms --interval 50ms --table");
    let out = kopai_at(&url, &args);
    // Polling went on until --wait ran out; then the last failure is the error.
    assert_eq!(out.code, 1, "{}", out.stderr);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", out.stderr);
    assert!(
        lines[0].starts_with("warning: the answer from ")
            && lines[0].ends_with("; retrying until --wait runs out"),
        "{}",
        out.stderr
    );
    assert!(
        lines[1].starts_with("error: the answer from "),
        "{}",
        out.stderr
    );
    assert!(lines[2].starts_with("hint: "), "{}", out.stderr);
}

// The server runs on the runtime while the test blocks on the binary: two threads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dashboard_create_cut_short_may_already_exist() {
    let url = cut_short_server().await;
    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args([
            "dashboards",
            "create",
            "--name",
            "x",
            "--tree-version",
            "0.14.0",
            "--json",
        ])
        .args(["--url", &url, "--token", TOKEN])
        .write_stdin("{}"));
    assert_eq!(out.code, 1, "{}", out.stderr);
    let error: Value = serde_json::from_str(out.stderr.trim()).expect("one JSON error");
    let message = error["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("the dashboard may already exist"),
        "{message}"
    );
    assert!(message.contains("was cut short"), "{message}");
    assert_eq!(error["error"]["name"], "NetworkError");
}

#[tokio::test]
async fn a_redirect_loop_within_the_server_is_called_one() {
    let server = serve(
        "POST",
        TRACES_SEARCH,
        ResponseTemplate::new(307).insert_header("Location", TRACES_SEARCH),
    )
    .await;
    let out = kopai_at(&server.uri(), &["traces", "search", "--table"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_eq!(
        out.stderr,
        format!(
            "error: {}{TRACES_SEARCH} kept redirecting within the server (more than 5 times); \
             is it misconfigured?\n",
            server.uri()
        )
    );
}

#[tokio::test]
async fn a_3xx_without_location_says_so() {
    for status in [302, 304] {
        let server = serve("POST", TRACES_SEARCH, ResponseTemplate::new(status)).await;
        let out = kopai_at(&server.uri(), &["traces", "search", "--table"]);
        assert_eq!(out.code, 1, "{}", out.stderr);
        assert_eq!(
            out.stderr,
            format!(
                "error: {}{TRACES_SEARCH} answered HTTP {status} without a Location to follow\n",
                server.uri()
            )
        );
    }
}
