//! `kopai services`

use super::fields::SERVICES;
use super::print_answer;
use crate::cli::OutputArgs;
use crate::commands::Context;
use crate::error::Exit;
use crate::output::{Cell, Column, StatusLine};

pub async fn run(ctx: &Context, output: &OutputArgs) -> anyhow::Result<Exit> {
    let spec = ctx.output(output, &SERVICES)?;
    let client = ctx.client()?;
    let path = "/signals/services";
    let answer = StatusLine::new(&ctx.terminal)
        .wait("", client.get_body(path))
        .await?;
    let columns = vec![Column::new("Service", Cell::Itself)];
    print_answer(
        ctx,
        &client,
        path,
        &answer,
        Some("services"),
        &spec,
        columns,
    )?;
    Ok(Exit::Success)
}
