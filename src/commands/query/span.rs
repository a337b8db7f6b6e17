//! `traces get ID --span SPANID`: one span of a trace. On a terminal its details, as the web
//! UI's span panel shows them; as data (a pipe, `--json`, `-f`, `-o`) its row, printed as
//! `traces get` prints every row (`columns`: the span table's).

use std::io::Write;

use super::{checked_page, shape_error};
use crate::command_error::Result;
use crate::commands::{recent_ids, span_prefix, Context};
use crate::error::Exit;
use crate::links;
use crate::output::pager::Paged;
use crate::output::{write_span_details, Column, OutputSpec, Sink, Trace};
use crate::term::{sanitize, StatusLine};

pub async fn show(
    ctx: &Context,
    trace_id: &str,
    span_id: &str,
    spec: &OutputSpec,
    details: bool,
    columns: Vec<Column>,
) -> Result<Exit> {
    let (client, ui) = if details {
        let (client, ui) = ctx.client_and_ui()?;
        (client, Some(ui))
    } else {
        (ctx.client()?, None)
    };
    let answer = StatusLine::new(&ctx.terminal)
        .wait("", client.get_trace(trace_id))
        .await?;
    recent_ids::record([trace_id]);
    let trace = Trace::parse(&answer.bytes).map_err(|e| shape_error(&answer, e))?;
    let page = checked_page(&answer, None)?;
    let index = span_prefix::resolve(trace_id, span_id, &trace)?;
    let Some(&row) = page.rows.get(index) else {
        return Err(answer.unexpected("expected an array of spans").into());
    };
    let Some(ui) = ui else {
        let mut sink = Sink::new(spec, columns, &ctx.terminal);
        sink.push(&[row])?;
        sink.finish()?;
        return Ok(Exit::Success);
    };
    let mut out = std::io::BufWriter::new(Paged(std::io::stdout().lock()));
    write_span_details(&mut out, row, &trace, &ctx.terminal, spec.view)?;
    let service = links::root_service(trace.spans(), |span, key| span.field(key));
    let span_id = &trace.spans()[index].id;
    let link = links::trace(&ui, trace_id, service.as_deref(), Some(span_id));
    writeln!(out, "\n{}", sanitize(&link))?;
    out.flush()?;
    Ok(Exit::Success)
}
