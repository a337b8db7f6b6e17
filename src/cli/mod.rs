//! The command line: clap types and nothing else. Commands get these values already checked;
//! nothing outside this module (and `completions`) knows clap exists.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum, ValueHint};

pub mod args;
mod auth;
mod choices;
mod command_tree;
mod dashboards;
mod doctor;
mod exec;
mod lazy;
mod logs;
mod metrics;
mod open;
pub mod parse;
mod query;
mod send;
pub mod spelling;
mod traces;
mod usage;

pub use args::{bound, Bound, OutputArgs, PageArgs};
pub use auth::{LoginArgs, LogoutArgs, ProfilesArgs, ProfilesCommand, WhoamiArgs};
pub use command_tree::command_tree;
pub use dashboards::{is_semver, DashboardsCommand, DashboardsImportArgs, DashboardsListArgs};
pub use doctor::DoctorArgs;
pub use exec::ExecArgs;
pub use lazy::{full_command, Lazy};
pub use logs::{Level, LogsCommand, LogsSearchArgs};
pub use metrics::{Aggregate, MetricType, MetricsCommand, MetricsSearchArgs};
pub use open::{OpenArgs, OpenTarget};
pub use query::{QueryArgs, StatsArgs};
pub use send::{
    MetricValue, OtlpArgs, OtlpDestination, SendArgs, SendCommand, SendLogArgs, SendMetricArgs,
    SendMetricType, SendSpanArgs, SendStdinArgs, SignalArg, SpanKindArg, StatusArg,
};
pub use traces::{FoldArgs, SpanFilterArgs, TracesCommand, TracesSearchArgs, TracesSummariesArgs};

use crate::config::ProfileName;
use crate::error::Exit;
use crate::output::Format;
use crate::secret::RawToken;
use crate::term::{ColorChoice, Terminal};

/// Where the options every command takes are listed, after the command's own.
const GLOBAL: &str = "Global options";

const AFTER_HELP: &str = "\
Examples:
  kopai login                          Paste a CLI token, save it to ./.kopairc
  echo \"$KOPAI_TOKEN\" | kopai login    Log in from CI without a terminal
  kopai whoami                         Show the token in use and check it
  kopai services                       List the services that sent telemetry
  kopai traces search --since 1h       Spans of the last hour
  kopai traces get <TRACE_ID>          One trace as a waterfall of its spans
  kopai logs search --body timeout     Logs whose body contains \"timeout\"
  kopai metrics discover               The metrics there are, with their types
  kopai dashboards export <ID>         A dashboard as JSON, to keep in git
  kopai open trace <TRACE_ID>          The trace in the web UI
  kopai logs search --follow           New logs as they arrive, until Ctrl-C
  kopai query traces -m error_rate     Share of spans in error, last hour

Each command's --help has more.

Exit codes: 0 ok, 1 API or network error, 2 bad arguments, 3 config file error, \
4 not logged in or token rejected, 5 no matching rows within --wait, 130 --follow ended by \
Ctrl-C.";

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
pub fn parse(args: Vec<OsString>, terminal: &Terminal) -> Result<Cli, Exit> {
    use clap::{CommandFactory, FromArgMatches};
    // clap's tree of every command and flag is built for one parse and would otherwise be
    // dropped right after it: freeing its thousands of allocations was a sixth of `kopai
    // --help`'s whole run. The process ends soon after, which frees it anyway.
    let mut command = std::mem::ManuallyDrop::new(Cli::command());
    let report = |err: clap::Error| usage::report(err, &args, terminal);
    let matches = command.try_get_matches_from_mut(&args).map_err(report)?;
    Cli::from_arg_matches(&matches).map_err(|err| report(err.format(&mut command)))
}

#[derive(Debug, clap::Args)]
pub struct GlobalArgs {
    /// Kopai server URL [env: KOPAI_URL] [default: https://kopai.app]
    #[arg(long, global = true, value_name = "URL", help_heading = GLOBAL, value_hint = ValueHint::Other)]
    pub url: Option<String>,

    /// API token (prefer KOPAI_TOKEN or `kopai login`: flags are visible in `ps`) [env: KOPAI_TOKEN]
    #[arg(long, global = true, value_name = "TOKEN", value_parser = RawToken::from_arg, help_heading = GLOBAL, value_hint = ValueHint::Other)]
    pub token: Option<RawToken>,

    /// Config file to use instead of ./.kopairc or ~/.kopairc [env: KOPAI_CONFIG]
    #[arg(short = 'c', long, global = true, value_name = "PATH", help_heading = GLOBAL, value_hint = ValueHint::FilePath)]
    pub config: Option<PathBuf>,

    /// Profile of the config file to use (`kopai profiles` lists them; `default` is the
    /// file's top level) [env: KOPAI_PROFILE]
    #[arg(long, global = true, value_name = "NAME", value_parser = ProfileName::parse, help_heading = GLOBAL, value_hint = ValueHint::Other)]
    pub profile: Option<ProfileName>,

    /// Connect and total timeout, retries included: 5s, 500ms, 1m (a bare number is milliseconds)
    #[arg(long, global = true, value_name = "DURATION", default_value = "30s", value_parser = parse::parse_timeout, help_heading = GLOBAL, value_hint = ValueHint::Other)]
    pub timeout: u64,

    /// Print HTTP requests and responses on stderr (the token only as its prefix)
    #[arg(short = 'v', long, global = true, help_heading = GLOBAL)]
    pub verbose: bool,

    /// Colour: auto (on a terminal, unless NO_COLOR is set or CLICOLOR_FORCE asks for it),
    /// always or never; always and never win over NO_COLOR and CLICOLOR_FORCE
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto", help_heading = GLOBAL)]
    pub color: clap::ColorChoice,

    /// No notes, hints, progress or warnings on stderr, except errors and warnings about where
    /// the token goes or who can read it; what goes to stdout is the same
    #[arg(short = 'q', long, global = true, help_heading = GLOBAL)]
    pub quiet: bool,

    /// Print long tables and traces straight to the terminal, not through the pager
    /// ($KOPAI_PAGER, $PAGER or less -FRX)
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub no_pager: bool,
}

impl GlobalArgs {
    /// The terminal with `--color` applied.
    pub fn terminal(&self, detected: Terminal) -> Terminal {
        detected.with_color(color_choice(self.color))
    }
}

fn color_choice(choice: clap::ColorChoice) -> ColorChoice {
    match choice {
        clap::ColorChoice::Auto => ColorChoice::Auto,
        clap::ColorChoice::Always => ColorChoice::Always,
        clap::ColorChoice::Never => ColorChoice::Never,
    }
}

// A run builds only the flags of the command it parses: the namespaces' enums (`TracesCommand`,
// …) are `defer`red, and each top-level command's flags or subcommands are `Lazy` (see lazy.rs
// for why not `defer`).
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Save an API token to .kopairc
    #[command(after_help = "\
Examples:
  kopai login                                    Prompt for the token (hidden)
  kopai login --global                           Save to ~/.kopairc
  kopai login --url https://kopai.example.com    Log in to a self-hosted server
  echo \"$KOPAI_TOKEN\" | kopai login              Read the token from stdin (CI)
  kopai login --ingest                           Save a token for kopai send")]
    Login(Lazy<LoginArgs>),

    /// Remove the saved token from .kopairc (other settings are kept)
    #[command(after_help = "\
Examples:
  kopai logout             Remove the token from ./.kopairc
  kopai logout --global    Remove it from ~/.kopairc
  kopai logout --ingest    Remove the ingest token only")]
    Logout(Lazy<LogoutArgs>),

    /// Show the token in use and check it with the server
    #[command(after_help = "\
Examples:
  kopai whoami                Token and URL in use, checked with the server
  kopai whoami --no-verify    The same without asking the server
  kopai whoami --json         One JSON object, for scripts")]
    Whoami(Lazy<WhoamiArgs>),

    /// List the profiles of the config file, or choose the one commands use
    #[command(after_help = "\
Examples:
  kopai login --profile staging --url https://staging.example.com
  kopai profiles                       Each one's URL, token and age
  kopai profiles use staging           Staging unless --profile or KOPAI_PROFILE
  kopai profiles use default           Back to the file's top level
  kopai traces search --profile staging    One command with another profile")]
    Profiles(Lazy<ProfilesArgs>),

    /// Query traces
    #[command(
        subcommand,
        after_help = "\
Examples:
  kopai traces search --service checkout-api --status-code error --since 1h
  kopai traces summaries --since 1d
  kopai traces get 4bf92f3577b34da6a3ce929d0e0e4736"
    )]
    Traces(Lazy<Box<TracesCommand>>),

    /// Query logs
    #[command(
        subcommand,
        after_help = "\
Examples:
  kopai logs search --service payment-service --severity-min 17 --since 30m"
    )]
    Logs(Lazy<LogsCommand>),

    /// Query metrics
    #[command(
        subcommand,
        after_help = "\
Examples:
  kopai metrics discover
  kopai metrics search --type Gauge --name process.memory.usage --since 1h"
    )]
    Metrics(Lazy<MetricsCommand>),

    /// Answer questions with KopaiQuery: counts, error rates, percentiles per group, over time
    #[command(after_help = query::HELP)]
    Query(Lazy<QueryArgs>),

    /// Manage dashboards: list, get, export and import them (dashboards as code)
    #[command(subcommand, after_help = dashboards::HELP)]
    Dashboards(Lazy<DashboardsCommand>),

    /// List the services that sent telemetry
    #[command(after_help = "\
Examples:
  kopai services
  kopai services --json")]
    Services(Lazy<ServicesArgs>),

    /// Send telemetry to Kopai over OTLP: a span, a log record or a metric data point
    #[command(after_help = send::HELP)]
    Send(Lazy<SendArgs>),

    /// Check the whole path: config, token, API, TLS, clock, ingest; a fix for each failure
    #[command(after_help = doctor::HELP)]
    Doctor(Lazy<DoctorArgs>),

    /// Run a command inside a span (a traced CI step): its output and exit code are its own
    #[command(after_help = exec::EXEC_HELP)]
    Exec(Lazy<ExecArgs>),

    /// Open the web UI (a trace, logs, a dashboard) in a browser, or print its URL
    Open(Lazy<OpenArgs>),

    /// Serve the Kopai tools to an AI agent: a Model Context Protocol server on stdin/stdout
    #[command(after_help = "\
Uses the same URL, token and TLS settings as every other command; --timeout is each \
request's. Runs until stdin closes. Protocol messages only on stdout, warnings on stderr.

Examples:
  claude mcp add kopai -- kopai mcp                    Claude Code
  kopai mcp --url http://localhost:8000                A local server, no token")]
    Mcp,

    /// List every command with its flags and examples; --json for one JSON document (for agents)
    #[command(after_help = "\
Examples:
  kopai commands           Each command and what it does
  kopai commands --json    The whole tree: commands, flags, types, examples")]
    Commands(Lazy<CommandsArgs>),

    /// Print a shell completion script
    #[command(after_help = "\
Examples:
  kopai completions bash > ~/.local/share/bash-completion/completions/kopai
  kopai completions zsh > ~/.zfunc/_kopai
  kopai completions fish > ~/.config/fish/completions/kopai.fish")]
    Completions(Lazy<CompletionsArgs>),
}

impl Command {
    /// The output format of a command that prints data, `None` for the others. A command that
    /// prints JSON also reports its errors as JSON, so scripts can parse both streams.
    pub fn output_format(&self, stdout_is_terminal: bool) -> Option<Format> {
        let format = match self {
            Command::Traces(command) => return Some(command.output().format(stdout_is_terminal)),
            Command::Logs(command) => return Some(command.output().format(stdout_is_terminal)),
            Command::Metrics(command) => return Some(command.output().format(stdout_is_terminal)),
            Command::Services(args) => return Some(args.output.format(stdout_is_terminal)),
            Command::Query(args) => return Some(args.output.format(stdout_is_terminal)),
            Command::Dashboards(command) => command.format()?,
            Command::Profiles(args) => return args.output_format(stdout_is_terminal),
            Command::Login(_) | Command::Logout(_) | Command::Whoami(_) => return None,
            Command::Open(_) | Command::Mcp | Command::Commands(_) => return None,
            Command::Send(_) | Command::Exec(_) | Command::Doctor(_) => return None,
            Command::Completions(_) => return None,
        };
        Some(format.format(stdout_is_terminal))
    }

    /// Whether errors go to stderr as one JSON object: for output that programs read as JSON.
    pub fn json_errors(&self, stdout_is_terminal: bool) -> bool {
        self.output_format(stdout_is_terminal)
            .is_some_and(Format::is_json)
    }
}

#[derive(Debug, clap::Args)]
pub struct ServicesArgs {
    #[command(flatten)]
    pub output: OutputArgs,

    /// For the completion scripts: names one a line, within 2 s, nothing at all on failure
    #[arg(long, hide = true)]
    pub for_completion: bool,

    /// For the completion scripts: the trace IDs kopai printed recently, newest first, from
    /// the local cache only (no request)
    #[arg(long, hide = true)]
    pub recent_trace_ids: bool,
}

#[derive(Debug, clap::Args)]
pub struct CommandsArgs {
    /// One JSON document (the default when stdout is not a terminal)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: Shell,
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

    /// Shell completion offers file names only for a flag that takes a path: every other flag
    /// that takes a value says what it offers (its values, or nothing), so TAB after it never
    /// lists the directory (bash would, through `complete -o default`).
    #[test]
    fn only_path_flags_complete_file_names() {
        fn check(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in cmd
                .get_arguments()
                .filter(|a| a.get_action().takes_values())
            {
                let hint = arg.get_value_hint();
                let named = arg.get_long().is_some() || arg.get_short().is_some();
                let offers = hint == ValueHint::Other
                    || hint == ValueHint::FilePath
                    || !arg.get_possible_values().is_empty();
                if named && !offers {
                    missing.push(format!("{path} --{}", arg.get_id()));
                }
            }
            for sub in cmd.get_subcommands() {
                check(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        // Each command's flags are added when it is built (`defer`): build them all.
        let mut cli = full_command();
        cli.build();
        check(&cli, "kopai", &mut missing);
        assert!(
            missing.is_empty(),
            "say what these complete (value_hint = ValueHint::Other): {missing:#?}"
        );
    }
}
