//! The command line: clap types and nothing else. Commands get these values already checked;
//! nothing outside this module (and `completions`) knows clap exists.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

pub mod args;
mod auth;
mod dashboards;
mod logs;
mod metrics;
mod open;
pub mod parse;
mod traces;
mod usage;

pub use args::{OutputArgs, PageArgs};
pub use auth::{LoginArgs, LogoutArgs, WhoamiArgs};
pub use dashboards::{is_semver, DashboardsCommand, DashboardsImportArgs, DashboardsListArgs};
pub use logs::LogsCommand;
pub use metrics::{MetricsCommand, MetricsSearchArgs};
pub use open::{OpenArgs, OpenTarget};
pub use traces::{SpanFilterArgs, TracesCommand, TracesSearchArgs, TracesSummariesArgs};

use crate::error::Exit;
use crate::output::Format;
use crate::secret::RawToken;

const AFTER_HELP: &str = "\
Examples:
  kopai login                          Paste a CLI token, save it to ./.kopairc
  echo \"$KOPAI_TOKEN\" | kopai login     Log in from CI without a terminal
  kopai whoami                         Show the token in use and check it with the server
  kopai traces search --status-code error --since 1h
  kopai logs search --service checkout-api --body timeout --json
  kopai logs search --service checkout-api --follow
  kopai traces search --service checkout-api --since 10m --wait 60s
  kopai metrics search --type Sum --name payment.charges --aggregate sum --group-by outcome
  kopai dashboards export ID > checkout.json   Keep a dashboard in git
  kopai open trace 4bf92f3577b34da6a3ce929d0e0e4736

Exit codes: 0 ok, 1 API or network error, 2 bad arguments, 3 config file error,
4 not logged in or token rejected, 5 no matching rows within --wait,
130 --follow ended by Ctrl-C.";

/// Command-line client for the Kopai OpenTelemetry backend.
#[derive(Debug, Parser)]
#[command(name = "kopai", version, about, after_help = AFTER_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Parses the command line. When it does not parse, clap's message is printed (as JSON when
/// the command line asked for JSON) and the exit code is returned instead.
pub fn parse(args: Vec<OsString>, stdout_is_terminal: bool) -> Result<Cli, Exit> {
    Cli::try_parse_from(&args).map_err(|err| usage::report(err, &args, stdout_is_terminal))
}

#[derive(Debug, clap::Args)]
pub struct GlobalArgs {
    /// Kopai server URL [env: KOPAI_URL] [default: https://kopai.app]
    #[arg(long, global = true, value_name = "URL")]
    pub url: Option<String>,

    /// API token (prefer KOPAI_TOKEN or `kopai login`: flags are visible in `ps`) [env: KOPAI_TOKEN]
    #[arg(long, global = true, value_name = "TOKEN", value_parser = RawToken::from_arg)]
    pub token: Option<RawToken>,

    /// Config file to use instead of ./.kopairc or ~/.kopairc [env: KOPAI_CONFIG]
    #[arg(short = 'c', long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Request timeout in milliseconds
    #[arg(long, global = true, value_name = "MS", default_value = "30000", value_parser = parse::parse_timeout)]
    pub timeout: u64,

    /// Print HTTP requests and responses on stderr (the token only as its prefix)
    #[arg(short = 'v', long, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Save an API token to .kopairc
    #[command(after_help = "\
Examples:
  kopai login                                 Prompt for the token (input is hidden)
  kopai login --global                        Save to ~/.kopairc
  kopai login --url https://kopai.example.com Log in to a self-hosted server
  echo \"$KOPAI_TOKEN\" | kopai login           Read the token from stdin (CI)")]
    Login(LoginArgs),

    /// Remove the saved token from .kopairc (other settings are kept)
    Logout(LogoutArgs),

    /// Show the token in use and check it with the server
    Whoami(WhoamiArgs),

    /// Query traces
    #[command(subcommand)]
    Traces(TracesCommand),

    /// Query logs
    #[command(subcommand)]
    Logs(LogsCommand),

    /// Query metrics
    #[command(subcommand)]
    Metrics(MetricsCommand),

    /// Manage dashboards: list, get, export and import them (dashboards as code)
    #[command(subcommand, after_help = dashboards::NO_UPDATE)]
    Dashboards(DashboardsCommand),

    /// List the services that sent telemetry
    Services(OutputArgs),

    /// Open the web UI (a trace, logs, a dashboard) in a browser, or print its URL
    Open(OpenArgs),

    /// Print a shell completion script
    #[command(
        after_help = "Example:\n  kopai completions bash > ~/.local/share/bash-completion/completions/kopai"
    )]
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
}

impl Command {
    /// The output format of a command that prints data, `None` for the others. A command that
    /// prints JSON also reports its errors as JSON, so scripts can parse both streams.
    pub fn output_format(&self, stdout_is_terminal: bool) -> Option<Format> {
        let format = match self {
            Command::Traces(command) => &command.output().format,
            Command::Logs(command) => &command.output().format,
            Command::Metrics(command) => &command.output().format,
            Command::Services(output) => &output.format,
            Command::Dashboards(command) => command.format()?,
            Command::Login(_) | Command::Logout(_) | Command::Whoami(_) => return None,
            Command::Open(_) => return None,
            Command::Completions { .. } => return None,
        };
        Some(format.format(stdout_is_terminal))
    }

    /// Whether errors go to stderr as one JSON object: for output that programs read as JSON.
    pub fn json_errors(&self, stdout_is_terminal: bool) -> bool {
        self.output_format(stdout_is_terminal)
            .is_some_and(Format::is_json)
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_of_the_parsed_command_line_hides_the_token() {
        let cli =
            Cli::try_parse_from(["kopai", "whoami", "--token", "kpi_secret_value_123"]).unwrap();
        let debug = format!("{cli:?}");
        assert!(!debug.contains("kpi_secret"), "{debug}");
        assert!(debug.contains("REDACTED"));
    }
}
