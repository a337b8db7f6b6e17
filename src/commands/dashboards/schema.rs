//! `kopai dashboards schema`: the UI tree schema, as markdown.

use std::io::{self, Write};

use crate::command_error::Result;
use crate::commands::Context;
use crate::error::Exit;
use crate::term::sanitize_multiline;

pub async fn run(ctx: &Context) -> Result<Exit> {
    let client = ctx.client()?;
    let answer = client.dashboard_schema().await?;
    let schema = answer.text()?;
    if looks_like_html(schema) {
        // A server without this route answers with its UI's page, still 200.
        return Err(answer
            .unexpected("expected the schema as markdown, got an HTML page")
            .into());
    }
    // Byte for byte into a pipe or file; on a terminal, the server's text may not drive it
    // with escape sequences.
    let shown = if ctx.terminal.stdout_is_terminal {
        sanitize_multiline(schema)
    } else {
        schema.into()
    };
    let mut out = io::stdout().lock();
    out.write_all(shown.as_bytes())?;
    out.flush()?;
    Ok(Exit::Success)
}

/// An HTML page (what the UI serves for unknown routes), not the markdown schema.
fn looks_like_html(text: &str) -> bool {
    let head: String = text.trim_start().chars().take(14).collect();
    let head = head.to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}
