//! `kopai dashboards …`

use clap::{Subcommand, ValueHint};

use super::args::FormatArgs;

#[derive(Debug, Subcommand)]
pub enum DashboardsCommand {
    /// Print the dashboard UI tree schema (for AI agents)
    #[command(after_help = "\
Examples:
  kopai dashboards schema > schema.md")]
    Schema,

    /// Create a dashboard from JSON on stdin: {"uiTree": ..., "metadata": ...} or a bare uiTree
    #[command(after_help = "\
Examples:
  kopai dashboards create --name Checkout --tree-version 0.14.0 < dashboard.json
  kopai dashboards create --name Checkout --tree-version 0.14.0 --json < dashboard.json

The tree's format: kopai dashboards schema")]
    Create {
        /// Dashboard name
        #[arg(long, value_name = "NAME", value_hint = ValueHint::Other)]
        name: String,
        /// UI tree version (semver), see `kopai dashboards schema`
        #[arg(long, value_name = "SEMVER", value_hint = ValueHint::Other)]
        tree_version: String,
        #[command(flatten)]
        format: FormatArgs,
    },
}

impl DashboardsCommand {
    pub fn format(&self) -> Option<&FormatArgs> {
        match self {
            Self::Schema => None,
            Self::Create { format, .. } => Some(format),
        }
    }
}
