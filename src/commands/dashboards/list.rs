//! `kopai dashboards list`: newest first, a page or `--all`.

use crate::api::Search;
use crate::cli::DashboardsListArgs;
use crate::command_error::Result;
use crate::commands::query::fields::DASHBOARDS;
use crate::commands::query::{search, Filter};
use crate::commands::Context;
use crate::error::Exit;
use crate::output::{CellKind, Column};

pub async fn run(ctx: &Context, args: &DashboardsListArgs) -> Result<Exit> {
    // The server matches `name` as a substring.
    let filter = Filter::default().text("name", args.name.clone());
    let columns = vec![
        Column::flex("Name", CellKind::for_field("name")),
        Column::new("Id", CellKind::for_field("id")),
        Column::new("Created", CellKind::for_field("createdAt")),
        Column::new("Tree version", CellKind::for_field("uiTreeVersion")),
    ];
    search(
        ctx,
        Search::Dashboards,
        filter,
        &args.search,
        &DASHBOARDS,
        columns,
    )
    .await
}
