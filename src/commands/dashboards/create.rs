//! `kopai dashboards create`: a dashboard from JSON on stdin and flags.

use std::io::{self, Read};

use serde_json::{Map, Value};

use crate::command_error::Result;
use crate::commands::Context;
use crate::error::{Exit, UserError};
use crate::output::Format;

pub async fn run(
    ctx: &Context,
    name: String,
    tree_version: String,
    format: Format,
) -> Result<Exit> {
    let body = read_dashboard(ctx, name, tree_version)?;
    let (client, ui) = ctx.client_and_ui()?;
    let created = super::create(&client, &body).await?;
    let link = super::link_of(&ui, &created);
    super::print_dashboard(ctx, format, created, link)
}

/// The request body from stdin: `{"uiTree": …, "metadata": …}` or a bare uiTree.
fn read_dashboard(ctx: &Context, name: String, tree_version: String) -> Result<Value> {
    let stdin = io::stdin();
    if ctx.terminal.stdin_is_terminal {
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
