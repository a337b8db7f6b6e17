//! clap's own errors (exit 2): printed as clap prints them, or as one JSON object when the
//! command line asked a query command for JSON.

use std::ffi::OsString;

use clap::error::ErrorKind;
use clap::CommandFactory;

use super::Cli;
use crate::error::Exit;
use crate::output::Terminal;

pub(super) fn report(err: clap::Error, args: &[OsString], terminal: &Terminal) -> Exit {
    let shown = matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if shown || !json_requested(args, terminal) {
        let _ = err.print();
        return if err.exit_code() == 0 {
            Exit::Success
        } else {
            Exit::Usage
        };
    }
    // clap's first paragraph, on one line ("… not provided: --aggregate <FN>").
    let rendered = err.render().to_string();
    let message = rendered
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let message = message.trim_start_matches("error: ");
    errln!(
        "{}",
        serde_json::json!({"error": {"name": "UsageError", "message": message}})
    );
    Exit::Usage
}

/// Whether a command line that did not parse was meant for a query command printing JSON:
/// `--json` was written, or JSON was implied by a piped stdout and stderr is not a terminal
/// either (a person at a terminal reads the usual text). clap parses it again leniently to
/// find the command. It stops at the first bad argument, so `-j`/`-t` written after it are
/// looked up in the raw arguments.
fn json_requested(args: &[OsString], terminal: &Terminal) -> bool {
    let Ok(matches) = Cli::command()
        .ignore_errors(true)
        .try_get_matches_from(args)
    else {
        return false;
    };
    let Some((name, mut leaf)) = matches.subcommand() else {
        return false;
    };
    if !matches!(
        name,
        "traces" | "logs" | "metrics" | "services" | "dashboards"
    ) {
        return false;
    }
    while let Some((_, next)) = leaf.subcommand() {
        leaf = next;
    }
    let flag = |id: &str, short: u8| {
        let parsed = leaf.try_get_one::<bool>(id).ok().flatten() == Some(&true);
        parsed || written(&args[1..], id, short)
    };
    flag("json", b'j') || (!flag("table", b't') && !terminal.stdout && !terminal.stderr)
}

/// `--long`, or `-x` alone or in a cluster of short flags (`-jl`), among raw arguments.
fn written(args: &[OsString], long: &str, short: u8) -> bool {
    args.iter().any(|arg| {
        let bytes = arg.as_encoded_bytes();
        match bytes {
            [b'-', b'-', name @ ..] => name == long.as_bytes(),
            [b'-', cluster @ ..] => cluster.contains(&short),
            _ => false,
        }
    })
}
