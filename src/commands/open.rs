//! `kopai open`: a page of the web UI, in the browser on a terminal, else as a printed URL.

use std::borrow::Cow;

use serde_json::Value;

use crate::browser;
use crate::cli::{OpenArgs, OpenTarget};
use crate::command_error::{CommandError, Result};
use crate::commands::Context;
use crate::error::Exit;
use crate::links;

pub async fn run(ctx: &Context, args: OpenArgs) -> Result<Exit> {
    let url = match args.target {
        None => links::front_page(&ctx.settings()?.ui_url()?),
        Some(OpenTarget::Logs) => links::logs(&ctx.settings()?.ui_url()?),
        Some(OpenTarget::Metrics) => links::metrics(&ctx.settings()?.ui_url()?),
        Some(OpenTarget::Dashboard { id }) => links::dashboard(&ctx.settings()?.ui_url()?, &id),
        Some(OpenTarget::Trace { trace_id, span }) => {
            let trace_id = super::trace_prefix::resolve(ctx, &trace_id).await?;
            let (client, ui) = ctx.client_and_ui()?;
            let answer = client.get_trace(&trace_id).await?;
            let Value::Array(spans) = answer.json()? else {
                return Err(answer.unexpected("expected an array of spans").into());
            };
            if spans.is_empty() {
                return Err(CommandError::failure(format!(
                    "trace {trace_id} not found: the server has no spans for it"
                )));
            }
            links::trace(
                &ui,
                &trace_id,
                links::root_service(&spans, |span, key| {
                    span.get(key).and_then(Value::as_str).map(Cow::Borrowed)
                })
                .as_deref(),
                span.as_deref(),
            )
        }
    };
    show(ctx, &url, args.print);
    Ok(Exit::Success)
}

/// Starts the browser on a terminal; prints the URL with `--print`, in a pipe, or when no
/// browser starts (so the user can still follow it).
fn show(ctx: &Context, url: &str, print: bool) {
    if print || !ctx.terminal.stdout_is_terminal {
        outln!("{url}");
        return;
    }
    match browser::open(url) {
        Ok(()) => noteln!("Opened {url}"),
        Err(reason) => {
            noteln!("warning: could not start a browser ({reason}); open this URL:");
            outln!("{url}");
        }
    }
}
