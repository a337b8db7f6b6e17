//! `kopai services`

use super::print_answer;
use crate::cli::OutputArgs;
use crate::commands::Context;
use crate::error::Exit;
use crate::output::{Cell, Column};

pub async fn run(ctx: &Context, output: &OutputArgs) -> anyhow::Result<Exit> {
    let spec = ctx.output(output);
    let client = ctx.client()?;
    let path = "/signals/services";
    let answer = client.get_body(path).await?;
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
