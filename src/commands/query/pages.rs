//! Paged searches: one page, or with `--all` every page, each printed as it arrives.

use serde_json::Value;

use super::rows_of;
use crate::api::{Client, Retry};
use crate::cli::PageArgs;
use crate::commands::Context;
use crate::error::Exit;
use crate::output::{Column, Format, OutputSpec, Sink, StatusLine};

pub async fn run(
    ctx: &Context,
    client: &Client,
    path: &str,
    mut body: Value,
    page: &PageArgs,
    spec: &OutputSpec,
    columns: Vec<Column>,
) -> anyhow::Result<Exit> {
    let mut sink = Sink::new(spec, columns, &ctx.terminal);
    // Progress and the spinner share stderr's last line; it is cleared before rows are written.
    let mut status = StatusLine::new(&ctx.terminal);
    let mut label = String::new();
    let mut fetched = 0usize;
    loop {
        let request = client.post_body(path, &body, Retry::Transient);
        let answer = status.wait(&label, request).await?;
        let results = rows_of(client, path, &answer, Some("data"))?;
        status.clear();
        sink.push(&results.rows)?;
        fetched += results.rows.len();
        match results.next_cursor {
            Some(cursor) if page.all && body["cursor"].as_str() == Some(cursor.as_str()) => {
                return Err(client
                    .unexpected(path, "the server sent the same nextCursor twice")
                    .into());
            }
            Some(cursor) if page.all => {
                label = format!("Fetched {fetched} rows… ");
                status.show(label.trim_end());
                body["cursor"] = Value::String(cursor);
            }
            Some(_) => {
                if spec.format == Format::Table {
                    errln!("hint: there are more results; add --all to fetch every page");
                }
                break;
            }
            None => break,
        }
    }
    status.clear();
    sink.finish()?;
    if fetched == 0 && spec.format == Format::Table && ctx.terminal.stderr {
        super::empty::explain(client, &body).await;
    }
    Ok(Exit::Success)
}
