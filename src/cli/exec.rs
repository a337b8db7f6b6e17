//! `kopai exec`: run a command inside a span; `kopai doctor`: check the whole path.

use std::ffi::OsString;

use clap::{Args, ValueHint};

use super::parse::{parse_attr, Attr};
use super::send::OtlpArgs;

pub const EXEC_HELP: &str = "\
Examples:
  kopai exec -- make test                          One span named make
  kopai exec --name 'unit tests' -- cargo test     A name of your own
  kopai exec --attr step=build -- ./build.sh       With an attribute
  TRACEPARENT=$(…) kopai exec -- ./deploy.sh       Joins that trace

The command's stdin, stdout, stderr and exit code are its own (128+N when signal N ended it, \
127 when it was not found, 126 when it could not be run). It gets TRACEPARENT (and TRACESTATE) \
for its span, so a nested `kopai exec` or an instrumented program joins the trace; a TRACEPARENT \
already set is the span's parent (a malformed one is ignored with a warning). SIGINT, SIGTERM, \
SIGHUP and SIGQUIT sent to kopai go to the command. The span is sent when the command ends, \
within 2 s (or --timeout if shorter); a failure to send is a warning, never the command's. \
The command's arguments are not recorded (they may hold secrets), only its name. \
Where to send, and the ingest token: as for `kopai send` (kopai send --help).";

#[derive(Debug, Args)]
pub struct ExecArgs {
    #[command(flatten)]
    pub otlp: OtlpArgs,

    /// The span's name [default: the command's file name]
    #[arg(long, value_hint = ValueHint::Other)]
    pub name: Option<String>,

    /// A span attribute KEY=VALUE (repeatable)
    #[arg(long = "attr", value_name = "KEY=VALUE", value_parser = parse_attr, value_hint = ValueHint::Other)]
    pub attrs: Vec<Attr>,

    /// The command and its arguments, after `--`
    #[arg(required = true, trailing_var_arg = true, allow_hyphen_values = true, value_name = "COMMAND", value_hint = ValueHint::CommandWithArguments)]
    pub command: Vec<OsString>,
}
