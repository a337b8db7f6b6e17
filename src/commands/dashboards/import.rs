//! `kopai dashboards import <FILE|->`: create a dashboard from an exported file, or with
//! `--if-not-exists` find the one already there.

use serde_json::{json, Map, Value};

use super::body;
use crate::api::{Client, Search};
use crate::cli::DashboardsImportArgs;
use crate::command_error::{CommandError, Result};
use crate::commands::query::{take_data_values, LoopGuard};
use crate::commands::Context;
use crate::error::Exit;
use crate::term::sanitize;

/// Rows per search page while looking for a name (the server's maximum).
const PAGE: u32 = 1000;

pub async fn run(ctx: &Context, args: DashboardsImportArgs) -> Result<Exit> {
    let format = ctx.format(&args.format);
    // The file is checked before anything is sent.
    let (label, text) = body::read_source(&args.file, ctx.terminal.stdin_is_terminal)?;
    let new = body::parse_import(&label, &text, args.name)?;
    let name = new["name"].as_str().unwrap_or_default().to_owned();
    let (client, ui) = ctx.client_and_ui()?;
    if args.if_not_exists {
        // Within one --timeout overall: a server whose pages never end cannot hold it forever.
        let search = tokio::time::timeout(ctx.timeout(), find_by_name(&client, &name));
        let found = search.await.map_err(|_| {
            CommandError::failure(format!(
                "--if-not-exists: the search for a dashboard named \"{}\" did not finish within \
                 --timeout ({} ms in all); nothing was created",
                sanitize(&name),
                ctx.timeout().as_millis()
            ))
        })??;
        if let Some(existing) = found {
            let link = super::link_of(&ui, &existing);
            noteln!(
                "A dashboard named \"{}\" already exists ({}); nothing was created.",
                sanitize(&name),
                sanitize(existing.get("id").and_then(Value::as_str).unwrap_or("?"))
            );
            return super::print_dashboard(ctx, format, existing, link);
        }
    }
    let created = super::create(&client, &new).await?;
    let link = super::link_of(&ui, &created);
    super::print_dashboard(ctx, format, created, link)
}

/// The newest dashboard named exactly `name`. The server's `name` filter matches substrings,
/// so every page of candidates is compared here.
async fn find_by_name(client: &Client, name: &str) -> Result<Option<Map<String, Value>>> {
    let mut body = json!({"name": name, "limit": PAGE});
    let mut loops = LoopGuard::default();
    loop {
        let answer = client.search(Search::Dashboards, &body).await?;
        let mut json = answer.json()?;
        let rows = take_data_values(&answer, &mut json)?;
        let page_was_empty = rows.is_empty();
        for row in rows {
            if let Value::Object(row) = row {
                if row.get("name").and_then(Value::as_str) == Some(name) {
                    return Ok(Some(row));
                }
            }
        }
        match json.get("nextCursor") {
            Some(Value::String(cursor)) if !cursor.is_empty() => {
                loops.check(&answer, page_was_empty, cursor)?;
                body["cursor"] = Value::String(cursor.clone());
            }
            _ => return Ok(None),
        }
    }
}
