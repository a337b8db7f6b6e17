//! `kopai services`

use super::fields::SERVICES;
use super::{print_rows, take_array};
use crate::cli::OutputArgs;
use crate::commands::Context;
use crate::error::Exit;
use crate::output::{Cell, Column, StatusLine};

pub async fn run(ctx: &Context, output: &OutputArgs) -> anyhow::Result<Exit> {
    let spec = ctx.output(output, &SERVICES)?;
    let client = ctx.client()?;
    let path = "/signals/services";
    let mut answer = StatusLine::new(&ctx.terminal)
        .wait("", client.get_json(path))
        .await?;
    let rows = take_array(&mut answer, "services")
        .ok_or_else(|| client.unexpected(path, "expected an object with a `services` array"))?;
    print_rows(
        ctx,
        &rows,
        &spec,
        vec![Column::new("Service", Cell::Itself)],
    )
}
