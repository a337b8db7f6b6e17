//! Stdio between the client and rmcp. rmcp ignores a line that is not JSON; JSON-RPC answers
//! it with a parse error (-32700, id null), so lines are checked here first. Everything
//! written to stdout goes through one writer, a whole line at a time.

use serde::de::IgnoredAny;
use serde_json::json;
use tokio::io::{
    AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader, DuplexStream,
};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// The longest message taken in; a longer line is answered with an error and skipped.
const MAX_LINE: u64 = 16 * 1024 * 1024;
const PIPE: usize = 256 * 1024;

/// What rmcp reads and writes, and the task that ends once everything it wrote is on stdout.
pub struct Pipes {
    pub from_client: DuplexStream,
    pub to_client: DuplexStream,
    pub written: JoinHandle<()>,
}

pub fn stdio() -> Pipes {
    pipes(tokio::io::stdin(), tokio::io::stdout())
}

fn pipes(
    input: impl AsyncRead + Unpin + Send + 'static,
    output: impl AsyncWrite + Unpin + Send + 'static,
) -> Pipes {
    let (from_client, client_side) = tokio::io::duplex(PIPE);
    let (to_client, server_side) = tokio::io::duplex(PIPE);
    let (lines, mut queue) = mpsc::unbounded_channel::<Vec<u8>>();
    tokio::spawn(check_input(input, client_side, lines.clone()));
    tokio::spawn(forward_output(server_side, lines));
    let written = tokio::spawn(async move {
        let mut output = output;
        while let Some(line) = queue.recv().await {
            // A client gone (EPIPE) will not read anything else either: stop writing.
            if output.write_all(&line).await.is_err() || output.flush().await.is_err() {
                break;
            }
        }
    });
    Pipes {
        from_client,
        to_client,
        written,
    }
}

/// Client lines to rmcp; a line that is not JSON, or too long, is answered here.
async fn check_input(
    input: impl AsyncRead + Unpin,
    mut to_server: DuplexStream,
    answers: mpsc::UnboundedSender<Vec<u8>>,
) {
    let mut input = BufReader::new(input);
    let mut line = Vec::new();
    loop {
        line.clear();
        let read = (&mut input)
            .take(MAX_LINE)
            .read_until(b'\n', &mut line)
            .await;
        match read {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        if !line.ends_with(b"\n") && line.len() as u64 == MAX_LINE {
            if skip_line(&mut input).await.is_err() {
                break;
            }
            let _ = answers.send(error_line(
                -32600,
                &format!("message over {MAX_LINE} bytes"),
            ));
            continue;
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if let Err(e) = serde_json::from_slice::<IgnoredAny>(&line) {
            let _ = answers.send(error_line(-32700, &format!("Parse error: {e}")));
            continue;
        }
        if !line.ends_with(b"\n") {
            line.push(b'\n');
        }
        if to_server.write_all(&line).await.is_err() {
            break;
        }
    }
    // Stdin closed: rmcp sees the end and stops.
    let _ = to_server.shutdown().await;
}

async fn skip_line(input: &mut (impl AsyncBufReadExt + Unpin)) -> std::io::Result<()> {
    loop {
        let buffer = input.fill_buf().await?;
        if buffer.is_empty() {
            return Ok(());
        }
        match buffer.iter().position(|b| *b == b'\n') {
            Some(end) => {
                input.consume(end + 1);
                return Ok(());
            }
            None => {
                let all = buffer.len();
                input.consume(all);
            }
        }
    }
}

async fn forward_output(from_server: DuplexStream, lines: mpsc::UnboundedSender<Vec<u8>>) {
    let mut from_server = BufReader::new(from_server);
    loop {
        let mut line = Vec::new();
        match from_server.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => break,
            Ok(_) => {
                if lines.send(with_null_id(line)).is_err() {
                    break;
                }
            }
        }
    }
}

/// rmcp answers JSON that is no JSON-RPC message with an error lacking `id`, which JSON-RPC
/// requires (null when there is none to echo): add it.
fn with_null_id(line: Vec<u8>) -> Vec<u8> {
    const WITHOUT: &[u8] = br#"{"jsonrpc":"2.0","error":"#;
    match line.strip_prefix(WITHOUT) {
        Some(rest) => [br#"{"jsonrpc":"2.0","id":null,"error":"#.as_slice(), rest].concat(),
        None => line,
    }
}

fn error_line(code: i64, message: &str) -> Vec<u8> {
    let error = json!({"jsonrpc": "2.0", "id": null, "error": {"code": code, "message": message}});
    let mut line = error.to_string().into_bytes();
    line.push(b'\n');
    line
}
