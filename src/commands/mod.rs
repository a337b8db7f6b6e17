//! One module per command, each entered through `run(ctx, args)`. A command returns the exit
//! status of a run that went as planned; anything else is an error that `report` shows.

use crate::cli::{Cli, Command, Lazy};
use crate::command_error::Result;
use crate::error::Exit;
use crate::term::Terminal;

mod auth;
mod completions;
mod context;
mod dashboards;
mod doctor;
mod exec;
mod input;
mod kopai_query;
mod open;
mod query;
mod recent_ids;
mod send;
mod span_prefix;
mod token_age;
mod trace_prefix;

pub use context::Context;

/// Runs the command on a single-threaded runtime: kopai waits on one request at a time, and a
/// second thread would only add start-up cost.
pub fn run_blocking(cli: Cli, terminal: Terminal) -> Result<Exit> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| {
            crate::command_error::CommandError::failure(format!("could not start: {err}"))
        })?;
    let outcome = runtime.block_on(run(cli, terminal));
    // Before an error is said, and before the shell's prompt comes back.
    crate::output::pager::finish();
    outcome
}

async fn run(cli: Cli, terminal: Terminal) -> Result<Exit> {
    let ctx = Context::new(cli.global, terminal);
    // `send` and `exec` talk to the OTLP port on purpose; `doctor` diagnoses for itself.
    let reads_api = !matches!(
        cli.command,
        Command::Send(_) | Command::Exec(_) | Command::Doctor(_)
    );
    let outcome = dispatch(&ctx, cli.command).await;
    match outcome {
        Err(err) if reads_api => Err(ctx.diagnose(err)),
        other => other,
    }
}

async fn dispatch(ctx: &Context, command: Command) -> Result<Exit> {
    match command {
        Command::Login(args) => auth::login::run(ctx, &args).await,
        Command::Logout(args) => auth::logout::run(ctx, &args).await,
        Command::Whoami(args) => auth::whoami::run(ctx, &args).await,
        Command::Profiles(args) => auth::profiles::run(ctx, &args),
        Command::Traces(Lazy(command)) => query::traces::run(ctx, *command).await,
        Command::Logs(Lazy(command)) => query::logs::run(ctx, command).await,
        Command::Metrics(Lazy(command)) => query::metrics::run(ctx, command).await,
        Command::Services(args) if args.for_completion => completions::services(ctx).await,
        Command::Services(args) if args.recent_trace_ids => completions::recent_trace_ids(),
        Command::Services(args) => query::services::run(ctx, &args.output).await,
        Command::Dashboards(Lazy(command)) => dashboards::run(ctx, command).await,
        Command::Query(Lazy(args)) => kopai_query::run(ctx, args).await,
        Command::Open(Lazy(args)) => open::run(ctx, args).await,
        Command::Send(Lazy(command)) => send::run(ctx, command).await,
        Command::Exec(Lazy(args)) => exec::run(ctx, args).await,
        Command::Doctor(args) => doctor::run(ctx, &args).await,
        Command::Mcp => mcp(ctx).await,
        Command::Commands(args) => Ok(list_commands(ctx, &args)),
        Command::Completions(args) => completions::run(args.shell),
    }
}

/// `kopai mcp`: one client for the tools, and one with a short timeout for asking whether
/// the server has KopaiQuery.
async fn mcp(ctx: &Context) -> Result<Exit> {
    let client = ctx.client()?;
    let probe = ctx.client_with_timeout(crate::mcp::PROBE_TIMEOUT)?;
    Ok(crate::mcp::run(client, probe).await)
}

/// `kopai commands`: the command tree as JSON (asked for, or stdout is not a terminal), else
/// one line per command.
fn list_commands(ctx: &Context, args: &crate::cli::CommandsArgs) -> Exit {
    let tree = crate::cli::command_tree();
    if args.json || !ctx.terminal.stdout_is_terminal {
        outln!(
            "{}",
            serde_json::to_string_pretty(&tree).unwrap_or_default()
        );
        return Exit::Success;
    }
    fn walk(commands: &serde_json::Value) {
        for command in commands.as_array().into_iter().flatten() {
            let name = command["command"].as_str().unwrap_or_default();
            let about = command["about"].as_str().unwrap_or_default();
            outln!("{name:<32}  {about}");
            walk(&command["subcommands"]);
        }
    }
    walk(&tree["commands"]);
    Exit::Success
}
