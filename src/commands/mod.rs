//! One module per command. Each returns the exit status of a run that went as planned;
//! anything else is an error that `main` reports.

use std::time::Duration;

use crate::cli::{Cli, Command, GlobalArgs};
use crate::client::ClientOptions;
use crate::error::Exit;

mod completions;
mod dashboards;
mod login;
mod logout;
mod logs;
mod metrics;
mod query;
mod services;
mod traces;
mod whoami;

pub async fn run(cli: Cli) -> anyhow::Result<Exit> {
    let global = &cli.global;
    match cli.command {
        Command::Login(args) => login::login(global, &args).await,
        Command::Logout(args) => logout::logout(global, &args),
        Command::Whoami(args) => whoami::whoami(global, &args).await,
        Command::Traces(cmd) => traces::run(global, cmd).await,
        Command::Logs(cmd) => logs::run(global, cmd).await,
        Command::Metrics(cmd) => metrics::run(global, cmd).await,
        Command::Dashboards(cmd) => dashboards::run(global, cmd).await,
        Command::Services(output) => services::services(global, &output).await,
        Command::Completions { shell } => completions::completions(shell),
    }
}

pub fn client_options(global: &GlobalArgs) -> ClientOptions {
    ClientOptions {
        timeout: Duration::from_millis(global.timeout),
        verbose: global.verbose,
    }
}
