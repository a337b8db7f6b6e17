//! A top-level command whose flags (a namespace's subcommands) clap builds only when that
//! command is parsed, except in the tree that completions and `kopai commands` read, which is
//! built whole.
//!
//! clap's own `#[command(defer = true)]` cannot serve the top level: `Command::build` (what
//! clap_complete and `kopai commands` call) copies the command tree for `kopai help …` before
//! any deferred part exists, so `kopai help open <TAB>` would offer nothing, and each command's
//! global flags would come before its own in the completion scripts. So the choice is made
//! when the tree is made: `full_command` builds it whole, `Cli::command` defers.

use std::cell::Cell;
use std::ops::Deref;

use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Subcommand};

use super::Cli;

thread_local! {
    /// Set while `full_command` makes the tree. Per thread, so a parse on another thread (the
    /// unit tests run in parallel) still gets its deferred tree.
    static WHOLE: Cell<bool> = const { Cell::new(false) };
}

/// Every command with all its flags and subcommands, for what reads the tree rather than
/// parsing one command line: completion scripts and `kopai commands`.
pub fn full_command() -> clap::Command {
    WHOLE.with(|whole| whole.set(true));
    let command = Cli::command();
    WHOLE.with(|whole| whole.set(false));
    command
}

/// `T`'s flags or subcommands, added to its command when clap builds that command.
#[derive(Debug)]
pub struct Lazy<T>(pub T);

impl<T> Deref for Lazy<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// `augment` applied to `cmd` now when the tree is built whole, else when clap builds `cmd`.
fn now_or_deferred(
    cmd: clap::Command,
    augment: fn(clap::Command) -> clap::Command,
) -> clap::Command {
    if WHOLE.with(Cell::get) {
        augment(cmd)
    } else {
        cmd.defer(augment)
    }
}

impl<T: Args> Args for Lazy<T> {
    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }

    fn augment_args(cmd: clap::Command) -> clap::Command {
        now_or_deferred(cmd, T::augment_args)
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        now_or_deferred(cmd, T::augment_args_for_update)
    }
}

impl<T: FromArgMatches> FromArgMatches for Lazy<T> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(Lazy)
    }

    fn from_arg_matches_mut(matches: &mut ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches_mut(matches).map(Lazy)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }

    fn update_from_arg_matches_mut(&mut self, matches: &mut ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches_mut(matches)
    }
}

impl<T: Subcommand> Subcommand for Lazy<T> {
    fn augment_subcommands(cmd: clap::Command) -> clap::Command {
        now_or_deferred(cmd, T::augment_subcommands)
    }

    fn augment_subcommands_for_update(cmd: clap::Command) -> clap::Command {
        now_or_deferred(cmd, T::augment_subcommands_for_update)
    }

    fn has_subcommand(name: &str) -> bool {
        T::has_subcommand(name)
    }
}
