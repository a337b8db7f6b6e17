//! clap's own errors (exit 2): printed as clap prints them, or as one JSON object when the
//! command line asked a query command for JSON.

use std::ffi::OsString;

use clap::error::ErrorKind;
use clap::{CommandFactory, ValueEnum};

use super::args::OutputFormat;
use super::Cli;
use crate::error::Exit;
use crate::output::Format;
use crate::secret::redact;
use crate::term::{escape_json_controls, ColorChoice, Terminal};

pub(super) fn report(err: clap::Error, args: &[OsString], terminal: &Terminal) -> Exit {
    let shown = matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if shown {
        // Help and version are output: through kopai's stdout, so a lost write is exit 1 as
        // for data (clap's own printing ignores it). The help shown for a missing subcommand
        // is an error, on stderr.
        let to_stdout = !err.use_stderr();
        terminal
            .with_color(color_written(args))
            .write_styled(to_stdout, &err.render().ansi().to_string());
        return if err.exit_code() == 0 {
            Exit::Success
        } else {
            Exit::Usage
        };
    }
    // clap quotes what was typed ("unexpected argument 'kpi_…' found"): hide secrets first.
    let secrets = secrets(args);
    if !json_requested(args, terminal) {
        let styled = err.render().ansi().to_string();
        terminal
            .with_color(color_written(args))
            .write_styled(false, &redact(&styled, &secrets));
        return Exit::Usage;
    }
    let rendered = redact(&err.render().to_string(), &secrets);
    // clap's first paragraph, on one line ("… not provided: --aggregate <FN>").
    let message = rendered
        .split("\n\n")
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let message = message.trim_start_matches("error: ");
    let json = serde_json::json!({"error": {"name": "UsageError", "message": message}});
    errln!("{}", escape_json_controls(&json.to_string()));
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
    if flag("json", b'j') {
        return true;
    }
    let output = leaf
        .try_get_one::<OutputFormat>("output")
        .ok()
        .flatten()
        .copied();
    let output = output.or_else(|| {
        written_value(&args[1..], "output", Some(b'o'))
            .and_then(|value| OutputFormat::from_str(&value, true).ok())
    });
    match output {
        Some(output) => Format::from(output).is_json(),
        None => {
            !flag("table", b't') && !terminal.stdout_is_terminal && !terminal.stderr_is_terminal
        }
    }
}

/// `--color` as written, for a command line that did not parse: `auto` when it is missing or
/// is itself what failed to parse.
fn color_written(args: &[OsString]) -> ColorChoice {
    written_value(&args[1..], "color", None)
        .and_then(|value| clap::ColorChoice::from_str(&value, true).ok())
        .map_or(ColorChoice::Auto, super::color_choice)
}

/// The value of `--long V`, `--long=V`, `-x V` or `-xV` among raw arguments.
fn written_value(args: &[OsString], long: &str, short: Option<u8>) -> Option<String> {
    let long_eq = format!("--{long}=");
    let mut args = args.iter().map(|a| a.to_string_lossy());
    while let Some(arg) = args.next() {
        let short_is = |bytes: &[u8]| short.is_some_and(|s| bytes == [b'-', s]);
        if arg == format!("--{long}") || short_is(arg.as_bytes()) {
            return args.next().map(|v| v.into_owned());
        }
        if let Some(value) = arg.strip_prefix(&long_eq) {
            return Some(value.to_owned());
        }
        if arg.len() > 2 && short_is(&arg.as_bytes()[..2]) {
            return Some(arg[2..].to_owned());
        }
    }
    None
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

/// The token as given with `--token` (`--token X` or `--token=X`) or `KOPAI_TOKEN`: redacted
/// from clap's messages even when it does not look like a token.
fn secrets(args: &[OsString]) -> Vec<String> {
    let mut found: Vec<String> = std::env::var_os("KOPAI_TOKEN")
        .map(|v| v.to_string_lossy().trim().to_owned())
        .into_iter()
        .collect();
    let mut args = args.iter().map(|a| a.to_string_lossy());
    while let Some(arg) = args.next() {
        if arg == "--token" {
            found.extend(args.next().map(|v| v.trim().to_owned()));
        } else if let Some(value) = arg.strip_prefix("--token=") {
            found.push(value.trim().to_owned());
        }
    }
    found
}
