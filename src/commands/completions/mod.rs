//! `kopai completions <SHELL>`, and the service names its scripts ask for.

mod scripts;

use std::io::Write;
use std::time::Duration;

use crate::cli::Shell;
use crate::command_error::{CommandError, Result};
use crate::commands::query::services::raw_service_names;
use crate::commands::Context;
use crate::error::Exit;

/// How long `--service <TAB>` waits for the server before offering nothing.
const SERVICES_TIMEOUT: Duration = Duration::from_secs(2);

/// At most this many names are offered: a person picks from a short list, and the scripts
/// stay quick however many names a server sends (a million names took bash minutes).
const MAX_NAMES: usize = 1_000;

/// A longer name is not offered: no one types or picks it.
const MAX_NAME_BYTES: usize = 512;

pub fn run(shell: Shell) -> Result<Exit> {
    // kopai's own fault, not the user's: a plain failure (exit 1).
    let script = scripts::render(shell).map_err(|e| CommandError::failure(e.to_string()))?;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(script.as_bytes())?;
    stdout.flush()?;
    Ok(Exit::Success)
}

/// `kopai services --for-completion`: the server's service names, one a line, within two
/// seconds. Silent on any failure (exit 0, nothing printed): a completion must never print an
/// error. The token goes only where its own source sends it (`Context::completion_client`): a
/// `./.kopairc` in a cloned repository cannot collect `KOPAI_TOKEN` unseen.
pub async fn services(ctx: &Context) -> Result<Exit> {
    let names = async {
        let client = ctx.completion_client(SERVICES_TIMEOUT).ok()?;
        raw_service_names(&client).await
    }
    .await
    .unwrap_or_default();
    for name in names.iter().filter(|name| offered(name)).take(MAX_NAMES) {
        outln!("{name}");
    }
    Ok(Exit::Success)
}

/// `kopai services --recent-trace-ids`: the trace IDs kopai printed recently, newest first,
/// one a line; from the cache alone, so `traces get <TAB>` never waits for a server.
pub fn recent_trace_ids() -> Result<Exit> {
    for id in crate::commands::recent_ids::newest_first() {
        outln!("{id}");
    }
    Ok(Exit::Success)
}

/// A name is offered only as it is: one that a terminal or a line-based script would show
/// differently (a line break, any control character, a bidirectional override) is left out
/// rather than changed into a name the server does not have.
fn offered(name: &str) -> bool {
    !name.is_empty() && name.len() <= MAX_NAME_BYTES && crate::term::sanitize(name) == name
}
