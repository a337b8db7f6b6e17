//! A trace ID prefix made whole, as git resolves short hashes: from the IDs kopai printed
//! recently, else from the server (one bounded lookup). An ambiguous prefix lists the
//! candidates with their start, root span and service; an unknown one says where it looked.

mod candidates;
mod server;

pub use candidates::start_text;

use crate::command_error::Result;
use crate::commands::recent_ids::{self, Cached};
use crate::commands::Context;
use crate::error::UserError;

/// The whole trace ID that `raw` (whole, or a prefix of at least 6 digits) names.
pub async fn resolve(ctx: &Context, raw: &str) -> Result<String> {
    let (prefix, remembered) = match recent_ids::cached(raw) {
        Cached::Whole(id) => return Ok(id),
        Cached::Ambiguous { prefix, matches } => {
            return Err(candidates::from_cache(ctx, &prefix, matches).await.into());
        }
        Cached::Unknown { prefix, remembered } => (prefix, remembered),
    };
    let client = ctx.client()?;
    let found = server::lookup(&client, &prefix).await?;
    match found.candidates.as_slice() {
        [one] => {
            recent_ids::record([one.id.as_str()]);
            Ok(one.id.clone())
        }
        [] => Err(UserError::usage(format!(
            "no trace ID starting with {prefix} among the {remembered} kopai printed recently \
             nor {}",
            found.looked
        ))
        .with_hint("list it first (kopai traces search / summaries), or give all 32 digits")
        .into()),
        _ => {
            let capped = matches!(found.looked, server::Looked::Query { capped: true });
            let error = candidates::from_server(&client, &prefix, found.candidates, capped).await;
            Err(error.into())
        }
    }
}

/// `--trace-id`'s value made whole in place, as `resolve` does for an argument.
pub async fn resolve_flag(ctx: &Context, trace_id: &mut Option<String>) -> Result<()> {
    if let Some(raw) = trace_id.as_deref() {
        *trace_id = Some(resolve(ctx, raw).await?);
    }
    Ok(())
}

/// A row's trace ID under `key`, only when it is one (32 hex digits), lowercased as the cache
/// keeps it: nothing else from a server is ever offered as an ID.
fn whole_id(row: &serde_json::Value, key: &str) -> Option<String> {
    let id = row.get(key)?.as_str()?;
    (id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit())).then(|| id.to_ascii_lowercase())
}
