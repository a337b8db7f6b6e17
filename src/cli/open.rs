//! `kopai open …`: the web UI in a browser.

use clap::{Args, Subcommand, ValueHint};

use super::parse::{parse_id, parse_span_id, parse_trace_id_or_prefix};

#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  kopai open                                          The UI's front page
  kopai open trace 4bf92f3577b34da6a3ce929d0e0e4736   A trace, under its service
  kopai open dashboard 4ccd630e-94e1-40ba-85b5-9a352c91fbb1 --print

On a terminal this starts $BROWSER, else the system's opener. With --print, when stdout is not \
a terminal, or when no browser starts, it prints the URL instead. The UI is at the server URL \
unless ui_url in .kopairc or KOPAI_UI_URL names another.")]
pub struct OpenArgs {
    #[command(subcommand)]
    pub target: Option<OpenTarget>,

    /// Print the URL instead of starting a browser
    #[arg(long, global = true)]
    pub print: bool,
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum OpenTarget {
    /// A trace (one request finds its root span's service)
    Trace {
        /// Trace ID: 32 hexadecimal digits, or a unique prefix of one kopai printed recently
        #[arg(value_name = "TRACE_ID", value_parser = parse_trace_id_or_prefix)]
        trace_id: String,
        /// Select this span: 16 hexadecimal digits
        #[arg(long, value_name = "SPAN_ID", value_parser = parse_span_id, value_hint = ValueHint::Other)]
        span: Option<String>,
    },
    /// The logs tab
    Logs,
    /// The metrics tab
    Metrics,
    /// A dashboard
    Dashboard {
        /// Dashboard ID
        #[arg(value_parser = parse_id)]
        id: String,
    },
}
