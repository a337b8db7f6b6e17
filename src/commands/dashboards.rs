//! `kopai dashboards schema|create`

use std::io::{self, Read, Write};

use serde_json::{Map, Value};

use crate::api::Retry;
use crate::cli::DashboardsCommand;
use crate::commands::query::print_rows;
use crate::commands::Context;
use crate::error::{Exit, UserError};
use crate::output::{write_json, Cell, Column, Format, OutputSpec};

pub async fn run(ctx: &Context, command: DashboardsCommand) -> anyhow::Result<Exit> {
    match command {
        DashboardsCommand::Schema => {
            let client = ctx.client()?;
            let path = "/dashboards/schema";
            let schema = client.get_text(path).await?;
            if looks_like_html(&schema) {
                // A server without this route answers with its UI's page, still 200.
                return Err(client
                    .unexpected(path, "expected the schema as markdown, got an HTML page")
                    .into());
            }
            let mut out = io::stdout().lock();
            out.write_all(schema.as_bytes())?;
            out.flush()?;
            Ok(Exit::Success)
        }
        DashboardsCommand::Create {
            name,
            tree_version,
            format,
        } => {
            let format = ctx.format(&format);
            let body = read_dashboard(ctx, name, tree_version)?;
            let client = ctx.client()?;
            let path = "/dashboards";
            // Creating is not idempotent: never retried.
            let created = client.post_json(path, &body, Retry::Never).await?;
            if !created.is_object() {
                return Err(client
                    .unexpected(path, "expected a dashboard object")
                    .into());
            }
            match format {
                Format::Json => {
                    write_json(&mut io::stdout().lock(), &created)?;
                    Ok(Exit::Success)
                }
                // A table, or the one object as an NDJSON line or a CSV/TSV row.
                _ => {
                    let spec = OutputSpec::new(format, &[]);
                    let columns = vec![
                        Column::new("Id", Cell::for_field("id")),
                        Column::flex("Name", Cell::for_field("name")),
                        Column::new("Tree version", Cell::for_field("uiTreeVersion")),
                        Column::new("Created", Cell::for_field("createdAt")),
                    ];
                    print_rows(ctx, &[created], &spec, columns)
                }
            }
        }
    }
}

/// An HTML page (what the UI serves for unknown routes), not the markdown schema.
fn looks_like_html(text: &str) -> bool {
    let head: String = text.trim_start().chars().take(14).collect();
    let head = head.to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

/// The request body from stdin: `{"uiTree": …, "metadata": …}` or a bare uiTree.
fn read_dashboard(ctx: &Context, name: String, tree_version: String) -> anyhow::Result<Value> {
    let stdin = io::stdin();
    if ctx.terminal.stdin {
        return Err(UserError::usage("dashboards create reads the dashboard JSON from stdin")
            .with_hint("pipe it in: `kopai dashboards create --name NAME --tree-version X < dashboard.json`")
            .into());
    }
    let mut raw = String::new();
    stdin
        .lock()
        .read_to_string(&mut raw)
        .map_err(|e| UserError::usage(format!("could not read stdin: {e}")))?;
    let input: Value = serde_json::from_str(&raw)
        .map_err(|e| UserError::usage(format!("invalid JSON on stdin: {e}")))?;
    let Value::Object(mut input) = input else {
        return Err(
            UserError::usage("invalid JSON on stdin: expected an object (a uiTree)").into(),
        );
    };
    let (tree, metadata) = match input.shift_remove("uiTree") {
        Some(tree) => (tree, input.shift_remove("metadata")),
        None => (Value::Object(input), None),
    };
    let mut body = Map::new();
    body.insert("name".into(), Value::String(name));
    body.insert("uiTreeVersion".into(), Value::String(tree_version));
    body.insert("uiTree".into(), tree);
    if let Some(metadata) = metadata {
        body.insert("metadata".into(), metadata);
    }
    Ok(Value::Object(body))
}
