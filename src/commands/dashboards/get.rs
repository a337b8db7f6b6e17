//! `kopai dashboards get|export`: one dashboard, as the server has it or as a file.

use std::io;

use serde_json::{Map, Value};

use super::body;
use crate::api::{ApiError, Client};
use crate::command_error::Result;
use crate::commands::query::print_rows;
use crate::commands::Context;
use crate::error::Exit;
use crate::output::{write_json, Format, OutputSpec};
use crate::term::sanitize;

pub async fn get(ctx: &Context, id: &str, format: Format) -> Result<Exit> {
    let (client, ui) = ctx.client_and_ui()?;
    let (dashboard, _) = fetch(&client, id).await?;
    match format {
        Format::Json => write_json(&mut io::stdout().lock(), &Value::Object(dashboard))?,
        Format::Ndjson | Format::Csv | Format::Tsv => {
            let spec = OutputSpec::new(format, &[]);
            print_rows(ctx, &[Value::Object(dashboard)], &spec, Vec::new())?;
        }
        Format::Table | Format::Lines => {
            let text = |key: &str| match dashboard.get(key) {
                Some(Value::String(s)) => sanitize(s).into_owned(),
                Some(Value::Null) | None => String::new(),
                Some(other) => sanitize(&other.to_string()).into_owned(),
            };
            let elements = dashboard
                .get("uiTree")
                .and_then(|tree| tree.get("elements"))
                .and_then(Value::as_object)
                .map_or(0, Map::len);
            outln!("Name:          {}", text("name"));
            outln!("ID:            {}", text("id"));
            outln!("Created:       {}", text("createdAt"));
            outln!("Tree version:  {}", text("uiTreeVersion"));
            outln!("Elements:      {elements}");
            if let Some(link) = super::link_of(&ui, &dashboard) {
                outln!("Link:          {}", sanitize(&link));
            }
        }
    }
    Ok(Exit::Success)
}

pub async fn export(ctx: &Context, id: &str) -> Result<Exit> {
    let client = ctx.client()?;
    let (dashboard, url) = fetch(&client, id).await?;
    let file = body::export_body(&dashboard).ok_or_else(|| {
        ApiError::unexpected(&url, "the dashboard lacks name, uiTreeVersion or uiTree")
    })?;
    write_json(&mut io::stdout().lock(), &file)?;
    Ok(Exit::Success)
}

/// The dashboard, and the URL it came from (for errors about it).
async fn fetch(client: &Client, id: &str) -> Result<(Map<String, Value>, String)> {
    let answer = client.dashboard(id).await?;
    match answer.json()? {
        Value::Object(dashboard) => Ok((dashboard, answer.url().to_owned())),
        _ => Err(answer.unexpected("expected a dashboard object").into()),
    }
}
