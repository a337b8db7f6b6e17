//! `kopai login`, `logout` and `whoami`.

use clap::Args;

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Save to ~/.kopairc instead of ./.kopairc
    #[arg(long)]
    pub global: bool,

    /// Save the token without checking it with the server
    #[arg(long)]
    pub no_verify: bool,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// Remove the token from ~/.kopairc instead of ./.kopairc
    #[arg(long)]
    pub global: bool,
}

#[derive(Debug, Args)]
pub struct WhoamiArgs {
    /// Print one JSON object instead of text
    #[arg(long)]
    pub json: bool,

    /// Do not contact the server
    #[arg(long)]
    pub no_verify: bool,
}
