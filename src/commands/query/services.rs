//! `kopai services`

use serde_json::Value;

use super::fields::SERVICES;
use super::{print_answer, take_values};
use crate::api::Client;
use crate::cli::OutputArgs;
use crate::command_error::Result;
use crate::commands::Context;
use crate::error::Exit;
use crate::output::{Cell, Column};
use crate::term::{clean, StatusLine};

pub async fn run(ctx: &Context, output: &OutputArgs) -> Result<Exit> {
    let spec = ctx.output(output, &SERVICES)?;
    let client = ctx.client()?;
    let answer = StatusLine::new(&ctx.terminal)
        .wait("", client.services())
        .await?;
    let columns = vec![Column::new("Service", Cell::Itself)];
    print_answer(ctx, &answer, Some("services"), &spec, columns)?;
    Ok(Exit::Success)
}

/// The server's service names, made safe to show; `None` when they cannot be listed (for
/// hints, which stay silent then).
pub async fn service_names(client: &Client) -> Option<Vec<String>> {
    let names = raw_service_names(client).await?;
    Some(names.iter().map(|name| clean(name)).collect())
}

/// The same as the server sent them, for shell completion, which offers only names it can
/// pass on unchanged.
pub async fn raw_service_names(client: &Client) -> Option<Vec<String>> {
    let mut answer = client.services().await.ok()?.json().ok()?;
    let names = take_values(&mut answer, "services")?;
    Some(
        names
            .into_iter()
            .filter_map(|name| match name {
                Value::String(name) => Some(name),
                _ => None,
            })
            .collect(),
    )
}
