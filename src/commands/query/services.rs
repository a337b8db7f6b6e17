//! `kopai services`

use std::borrow::Cow;

use super::fields::SERVICES;
use super::{checked_page, print_answer};
use crate::api::Client;
use crate::cli::OutputArgs;
use crate::command_error::Result;
use crate::commands::Context;
use crate::error::Exit;
use crate::output::{CellKind, Column};
use crate::term::{sanitize, StatusLine};

pub async fn run(ctx: &Context, output: &OutputArgs) -> Result<Exit> {
    let spec = ctx.output(output, &SERVICES)?;
    let client = ctx.client()?;
    let answer = StatusLine::new(&ctx.terminal)
        .wait("", client.services())
        .await?;
    let columns = vec![Column::new("Service", CellKind::Itself)];
    print_answer(ctx, &answer, Some("services"), &spec, columns)?;
    Ok(Exit::Success)
}

/// The server's service names, made safe to show; `None` when they cannot be listed (for
/// hints, which stay silent then).
pub async fn service_names(client: &Client) -> Option<Vec<String>> {
    let names = raw_service_names(client).await?;
    Some(
        names
            .iter()
            .map(|name| sanitize(name).into_owned())
            .collect(),
    )
}

/// The same as the server sent them, for shell completion, which offers only names it can
/// pass on unchanged.
pub async fn raw_service_names(client: &Client) -> Option<Vec<String>> {
    let answer = client.services().await.ok()?;
    let page = checked_page(&answer, Some("services")).ok()?;
    let names = page.rows.iter().filter_map(|name| name.as_text());
    Some(names.map(Cow::into_owned).collect())
}
