//! `kopai`: parse, run, and turn the outcome into one exit code.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

#[macro_use]
mod printer;

mod cli;
mod client;
mod commands;
mod config;
mod error;
mod filters;
mod git;
mod output;
mod secret;
mod settings;

use cli::{Cli, Command};
use error::{classify, Exit};

fn main() -> ExitCode {
    // ring, not aws-lc-rs: same TLS, a fraction of the start-up and build cost.
    let _ = rustls::crypto::ring::default_provider().install_default();

    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return usage_error(err),
    };
    let json_errors = wants_json_errors(&cli.command);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            errln!("error: could not start: {err}");
            return Exit::Failure.into();
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(exit) => exit.into(),
        Err(err) => report(&err, json_errors).into(),
    }
}

/// Query commands printing JSON (asked for, or because stdout is a pipe) report errors as one
/// JSON object on stderr, so scripts can parse both streams.
fn wants_json_errors(command: &Command) -> bool {
    use cli::{DashboardsCommand as D, MetricsCommand as M, TracesCommand as T};
    let output = match command {
        Command::Traces(T::Get { output, .. } | T::Operations { output, .. }) => output,
        Command::Traces(T::Search(a)) => &a.output,
        Command::Traces(T::Summaries(a)) => &a.output,
        Command::Logs(cli::LogsCommand::Search(a)) => &a.output,
        Command::Metrics(M::Search(a)) => &a.output,
        Command::Metrics(M::Discover { output }) => output,
        Command::Services(output) => output,
        Command::Dashboards(D::Create { json, table, .. }) => {
            return output::Format::pick(*json, *table) == output::Format::Json
        }
        _ => return false,
    };
    output::Format::pick(output.json, output.table) == output::Format::Json
}

fn report(err: &anyhow::Error, json: bool) -> Exit {
    if is_broken_pipe(err) {
        // The reader (`| head`) has what it wanted.
        return Exit::Success;
    }
    let report = classify(err);
    if json {
        let mut error = serde_json::Map::new();
        error.insert("name".into(), report.name.into());
        error.insert("message".into(), report.message.into());
        if let Some(status) = report.status {
            error.insert("status".into(), status.into());
        }
        if let Some(detail) = report.detail {
            error.insert("detail".into(), detail.into());
        }
        errln!("{}", serde_json::json!({ "error": error }));
    } else {
        errln!("error: {err:#}");
        if let Some(hint) = report.hint {
            errln!("hint: {hint}");
        }
    }
    report.exit
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// clap's own errors (exit 2), as JSON when the command line asked for JSON output.
fn usage_error(err: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) || err.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    {
        let _ = err.print();
        return ExitCode::from(err.exit_code() as u8);
    }
    if json_requested_on_command_line() {
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
        return Exit::Usage.into();
    }
    let _ = err.print();
    Exit::Usage.into()
}

/// A best guess from raw arguments, for when they did not parse: a query command with
/// `-j/--json`, or without `-t/--table` while stdout is a pipe.
fn json_requested_on_command_line() -> bool {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let query = args.iter().any(|a| {
        matches!(
            a.as_str(),
            "traces" | "logs" | "metrics" | "services" | "dashboards"
        )
    });
    if !query {
        return false;
    }
    let flag = |long: &str, short: char| {
        args.iter().any(|a| {
            a == long || (a.starts_with('-') && !a.starts_with("--") && a[1..].contains(short))
        })
    };
    flag("--json", 'j') || (!flag("--table", 't') && !std::io::stdout().is_terminal())
}
