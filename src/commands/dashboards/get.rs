//! `kopai dashboards get|export`: one dashboard, as the server has it or as a file.

use std::io;

use serde_json::{Map, Value};

use super::{body, dashboard_path};
use crate::api::Client;
use crate::commands::query::print_rows;
use crate::commands::Context;
use crate::error::Exit;
use crate::output::{write_json, Format, OutputSpec};
use crate::term::clean;

pub async fn get(ctx: &Context, id: &str, format: Format) -> anyhow::Result<Exit> {
    let (client, ui) = ctx.client_and_ui()?;
    let dashboard = fetch(&client, id).await?;
    match format {
        Format::Json => write_json(&mut io::stdout().lock(), &Value::Object(dashboard))?,
        Format::Ndjson | Format::Csv | Format::Tsv => {
            let spec = OutputSpec::new(format, &[]);
            print_rows(ctx, &[Value::Object(dashboard)], &spec, Vec::new())?;
        }
        Format::Table => {
            let text = |key: &str| match dashboard.get(key) {
                Some(Value::String(s)) => clean(s),
                Some(Value::Null) | None => String::new(),
                Some(other) => clean(&other.to_string()),
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
                outln!("Link:          {}", clean(&link));
            }
        }
    }
    Ok(Exit::Success)
}

pub async fn export(ctx: &Context, id: &str) -> anyhow::Result<Exit> {
    let client = ctx.client()?;
    let dashboard = fetch(&client, id).await?;
    let file = body::export_body(&dashboard).ok_or_else(|| {
        client.unexpected(
            &dashboard_path(id),
            "the dashboard lacks name, uiTreeVersion or uiTree",
        )
    })?;
    write_json(&mut io::stdout().lock(), &file)?;
    Ok(Exit::Success)
}

async fn fetch(client: &Client, id: &str) -> anyhow::Result<Map<String, Value>> {
    let path = dashboard_path(id);
    match client.get_json(&path).await? {
        Value::Object(dashboard) => Ok(dashboard),
        _ => Err(client
            .unexpected(&path, "expected a dashboard object")
            .into()),
    }
}
