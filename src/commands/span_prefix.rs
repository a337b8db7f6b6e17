//! A span ID, or a prefix of one, found among the spans of the trace it is asked of
//! (`traces get ID --span`): the trace is already fetched, so nothing else is looked at.

use crate::commands::trace_prefix::start_text;
use crate::error::UserError;
use crate::output::Trace;
use crate::term::sanitize;

/// The span of `trace` that `raw` (16 digits, or a prefix of at least 6, lowercase) names, as
/// its index among the trace's spans.
pub fn resolve(trace_id: &str, raw: &str, trace: &Trace) -> Result<usize, UserError> {
    let found: Vec<usize> = trace
        .spans()
        .iter()
        .enumerate()
        .filter(|(_, span)| span.id.starts_with(raw))
        .map(|(i, _)| i)
        .collect();
    // A span ID written twice names one span, the last with it (as the waterfall has it).
    let same_id = found
        .windows(2)
        .all(|w| trace.spans()[w[0]].id == trace.spans()[w[1]].id);
    match found.as_slice() {
        [] if trace.is_empty() => Err(UserError::usage(format!(
            "trace {trace_id} has no spans: not ingested yet, or older than the retention"
        ))),
        [] => Err(UserError::usage(format!(
            "trace {trace_id} has no span {}{raw}",
            if raw.len() < 16 {
                "ID starting with "
            } else {
                ""
            }
        ))
        .with_hint(format!(
            "its {} spans are in the waterfall: kopai traces get {trace_id}",
            trace.spans().len()
        ))),
        [.., last] if same_id => Ok(*last),
        many => {
            let listed: Vec<String> = many.iter().map(|&i| candidate(trace, i)).collect();
            Err(UserError::usage(format!(
                "span ID prefix {raw} is ambiguous in trace {trace_id}; candidates:"
            ))
            .with_listing(listed)
            .with_hint("give more digits"))
        }
    }
}

/// One candidate line: the span's ID, start, name and service, as the server sent them.
fn candidate(trace: &Trace, i: usize) -> String {
    let span = &trace.spans()[i];
    format!(
        "  {}  {}  {}  ({})",
        sanitize(&span.id),
        start_text(Some(i128::from(span.start))),
        sanitize(&span.name),
        sanitize(&span.service)
    )
}
