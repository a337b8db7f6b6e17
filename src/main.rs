//! `kopai`: detect the terminal, parse, run, and turn the outcome into one exit code.

use std::process::ExitCode;

#[macro_use]
mod stdio;
mod api;
mod browser;
mod cli;
mod command_error;
mod commands;
mod config;
mod error;
mod git;
mod links;
mod mcp;
mod output;
mod query;
mod report;
mod secret;
mod signals;
mod term;
mod units;

fn main() -> ExitCode {
    let terminal = term::Terminal::detect();
    let cli = match cli::parse(std::env::args_os().collect(), &terminal) {
        Ok(cli) => cli,
        // Help and version are printed while parsing: a lost write still fails the run.
        Err(exit) => return report::finish(Ok(exit), false, &terminal).into(),
    };
    let terminal = cli.global.terminal(terminal);
    stdio::set_quiet(cli.global.quiet);
    let json_errors = report::json_errors(&cli.command, &terminal);
    let outcome = commands::run_blocking(cli, terminal);
    report::finish(outcome, json_errors, &terminal).into()
}
