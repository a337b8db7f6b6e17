//! `kopai completions <SHELL>`

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell as Target;

use crate::cli::{Cli, Shell};
use crate::error::Exit;

pub fn run(shell: Shell) -> anyhow::Result<Exit> {
    let target = match shell {
        Shell::Bash => Target::Bash,
        Shell::Zsh => Target::Zsh,
        Shell::Fish => Target::Fish,
        Shell::Powershell => Target::PowerShell,
    };
    // clap_complete panics if its writer fails, so render first and write ourselves.
    let mut script = Vec::new();
    clap_complete::generate(target, &mut Cli::command(), "kopai", &mut script);
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&script)?;
    stdout.flush()?;
    Ok(Exit::Success)
}
