//! `kopai dashboards schema|create|list|get|export|import`: dashboards as files, with links
//! into the web UI.

use std::io;

use serde_json::{Map, Value};

use crate::api::{ApiError, BaseUrl, Client};
use crate::cli::DashboardsCommand;
use crate::command_error::{CommandError, Result};
use crate::commands::query::print_rows;
use crate::commands::Context;
use crate::error::Exit;
use crate::links;
use crate::output::{write_json, CellKind, Column, Format, OutputSpec};
use crate::term::sanitize;

mod body;
mod create;
mod get;
mod import;
mod list;
mod schema;

pub async fn run(ctx: &Context, command: DashboardsCommand) -> Result<Exit> {
    match command {
        DashboardsCommand::Schema => schema::run(ctx).await,
        DashboardsCommand::Create {
            name,
            tree_version,
            format,
        } => create::run(ctx, name, tree_version, ctx.format(&format)).await,
        DashboardsCommand::List(args) => list::run(ctx, &args).await,
        DashboardsCommand::Get { id, format } => get::get(ctx, &id, ctx.format(&format)).await,
        DashboardsCommand::Export { id } => get::export(ctx, &id).await,
        DashboardsCommand::Import(args) => import::run(ctx, args).await,
    }
}

/// Creates a dashboard from a checked body (never retried: a second send could create it twice).
async fn create(client: &Client, body: &Value) -> Result<Map<String, Value>> {
    // Creating is not idempotent: never retried, and an answer that never came whole does
    // not mean nothing was created.
    let answer = match client.create_dashboard(body).await {
        Ok(answer) => answer,
        Err(e @ (ApiError::Interrupted { .. } | ApiError::Timeout { .. })) => {
            return Err(CommandError::from(e).context(
                "no complete answer to the create request; the dashboard may already exist, \
                 so check before creating it again",
            ))
        }
        Err(e) => return Err(e.into()),
    };
    match answer.json()? {
        Value::Object(created) => Ok(created),
        _ => Err(answer.unexpected("expected a dashboard object").into()),
    }
}

/// The dashboard's web link, from the `id` the server gave it.
fn link_of(ui: &BaseUrl, dashboard: &Map<String, Value>) -> Option<String> {
    dashboard
        .get("id")
        .and_then(Value::as_str)
        .map(|id| links::dashboard(ui, id))
}

/// What `create` and `import` print: with JSON, the dashboard with a last key `url` (as
/// upstream's newer CLI does); as a table, one row on stdout and the link on stderr.
fn print_dashboard(
    ctx: &Context,
    format: Format,
    mut dashboard: Map<String, Value>,
    link: Option<String>,
) -> Result<Exit> {
    if let (Some(link), false) = (&link, format.is_for_people()) {
        dashboard.insert("url".into(), Value::String(link.clone()));
    }
    match format {
        Format::Json => {
            write_json(&mut io::stdout().lock(), &Value::Object(dashboard))?;
            Ok(Exit::Success)
        }
        // One NDJSON line, or a CSV/TSV header and row, of the same object as `--json`.
        Format::Ndjson | Format::Csv | Format::Tsv => {
            let spec = OutputSpec::new(format, &[]);
            print_rows(ctx, &[Value::Object(dashboard)], &spec, Vec::new())
        }
        Format::Table | Format::Lines => {
            let spec = OutputSpec::new(format, &[]);
            let columns = vec![
                Column::new("Id", CellKind::for_field("id")),
                Column::flex("Name", CellKind::for_field("name")),
                Column::new("Tree version", CellKind::for_field("uiTreeVersion")),
                Column::new("Created", CellKind::for_field("createdAt")),
            ];
            let exit = print_rows(ctx, &[Value::Object(dashboard)], &spec, columns)?;
            if let Some(link) = link {
                noteln!("Open: {}", sanitize(&link));
            }
            Ok(exit)
        }
    }
}
