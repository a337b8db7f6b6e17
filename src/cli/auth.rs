//! `kopai login`, `logout`, `whoami` and `profiles`.

use clap::{Args, Subcommand, ValueHint};

use crate::config::ProfileName;
use crate::output::Format;
use crate::secret::RawToken;

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Save to ~/.kopairc instead of ./.kopairc
    #[arg(long)]
    pub global: bool,

    /// Save the token without checking it with the server
    #[arg(long)]
    pub no_verify: bool,

    /// Save an ingest token (for kopai send and exec) as the profile's ingest_token; the CLI
    /// token and URL are left as they are
    #[arg(long)]
    pub ingest: bool,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// Remove the token from ~/.kopairc instead of ./.kopairc
    #[arg(long)]
    pub global: bool,

    /// Remove the profile's ingest token instead of its CLI token
    #[arg(long)]
    pub ingest: bool,
}

#[derive(Debug, Args)]
pub struct WhoamiArgs {
    /// Print one JSON object instead of text
    #[arg(long)]
    pub json: bool,

    /// Do not contact the server
    #[arg(long)]
    pub no_verify: bool,

    /// Show the OTLP endpoint as kopai send would take it from this flag
    #[arg(long, value_name = "URL", value_hint = ValueHint::Other)]
    pub otlp_url: Option<String>,

    /// Show the ingest token as kopai send would take it from this flag (its prefix only)
    #[arg(long, value_name = "TOKEN", value_parser = RawToken::from_arg, value_hint = ValueHint::Other)]
    pub ingest_token: Option<RawToken>,
}

#[derive(Debug, Args)]
pub struct ProfilesArgs {
    #[command(subcommand)]
    pub command: Option<ProfilesCommand>,

    /// Print JSON (the default when stdout is not a terminal)
    #[arg(short = 'j', long, conflicts_with = "table")]
    pub json: bool,

    /// Print a table (the default on a terminal)
    #[arg(short = 't', long)]
    pub table: bool,
}

impl ProfilesArgs {
    /// The list's format; `use` prints no data.
    pub fn output_format(&self, stdout_is_terminal: bool) -> Option<Format> {
        match self.command {
            Some(_) => None,
            None => Some(Format::pick(self.json, self.table, stdout_is_terminal)),
        }
    }
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum ProfilesCommand {
    /// Make NAME the profile commands use when neither --profile nor KOPAI_PROFILE is given
    /// (saved as "defaultProfile" in the config file; `default` is the file's top level)
    Use {
        #[arg(value_parser = ProfileName::parse)]
        name: ProfileName,
    },
}
