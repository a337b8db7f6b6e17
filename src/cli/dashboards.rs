//! `kopai dashboards …`

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueHint};

use super::args::{FormatArgs, SearchArgs};
use super::parse::parse_id;

/// Said wherever a user might look for a way to change a dashboard.
macro_rules! no_update {
    () => {
        "The server has no update and no delete endpoint: a dashboard, once created, stays as it is. \
To change one, import the changed file under a new name (`import --name`)."
    };
}

/// `kopai dashboards --help`: examples, then why there is no update.
pub const HELP: &str = concat!(
    "Examples:\n",
    "  kopai dashboards list\n",
    "  kopai dashboards export <ID> > checkout.json\n",
    "  kopai dashboards import checkout.json --if-not-exists\n\n",
    no_update!()
);

#[derive(Debug, Subcommand)]
#[command(defer = true)]
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
  kopai dashboards create --name Checkout --tree-version 0.14.0 -j < dash.json

It prints the new dashboard and its web link (with --json, as the last key \"url\"). \
The tree's format: kopai dashboards schema")]
    Create {
        /// Dashboard name
        #[arg(long, value_name = "NAME", value_hint = ValueHint::Other)]
        name: String,
        /// UI tree version (semver), see `kopai dashboards schema`
        #[arg(long, value_name = "SEMVER", value_parser = parse_semver, value_hint = ValueHint::Other)]
        tree_version: String,
        #[command(flatten)]
        format: FormatArgs,
    },

    /// List dashboards, newest first
    #[command(after_help = "\
Examples:
  kopai dashboards list
  kopai dashboards list --name checkout --json     Names containing \"checkout\"
  kopai dashboards list --all --json > dashboards.json")]
    List(DashboardsListArgs),

    /// Show one dashboard (JSON; on a terminal a summary with its web link)
    Get {
        /// Dashboard ID
        #[arg(value_parser = parse_id)]
        id: String,
        #[command(flatten)]
        format: FormatArgs,
    },

    /// Print a dashboard as the JSON `import` and `create` take, to keep it in git
    #[command(after_help = "\
Example:
  kopai dashboards export 4ccd630e-94e1-40ba-85b5-9a352c91fbb1 > dashboards/checkout.json

The file holds name, uiTreeVersion, uiTree and metadata, pretty-printed with sorted keys,
so it diffs well.")]
    Export {
        /// Dashboard ID
        #[arg(value_parser = parse_id)]
        id: String,
    },

    /// Create a dashboard from an exported file (or - for stdin)
    #[command(after_help = concat!(
        "Examples:\n",
        "  kopai dashboards import dashboards/checkout.json\n",
        "  kopai --url https://kopai.app dashboards import checkout.json --if-not-exists\n",
        "  kopai dashboards export ID | kopai --url https://kopai.app dashboards import -\n\n",
        no_update!()
    ))]
    Import(DashboardsImportArgs),
}

#[derive(Debug, Args)]
pub struct DashboardsListArgs {
    /// Only dashboards whose name contains this text
    #[arg(long, value_name = "TEXT", value_hint = ValueHint::Other)]
    pub name: Option<String>,
    #[command(flatten)]
    pub search: SearchArgs,
}

#[derive(Debug, Args)]
pub struct DashboardsImportArgs {
    /// The exported JSON file, or - to read stdin
    #[arg(value_name = "FILE|-", value_hint = ValueHint::FilePath)]
    pub file: PathBuf,
    /// Create it under this name instead of the file's
    #[arg(long, value_name = "NEW", value_hint = ValueHint::Other)]
    pub name: Option<String>,
    /// Create nothing if a dashboard with exactly this name exists; print its ID and link
    #[arg(long)]
    pub if_not_exists: bool,
    #[command(flatten)]
    pub format: FormatArgs,
}

impl DashboardsCommand {
    pub fn format(&self) -> Option<&FormatArgs> {
        match self {
            Self::Schema | Self::Export { .. } => None,
            Self::Create { format, .. } | Self::Get { format, .. } => Some(format),
            Self::List(args) => Some(&args.search.output.format),
            Self::Import(args) => Some(&args.format),
        }
    }
}

/// `MAJOR.MINOR.PATCH[-pre][+build]` as semver.org defines it: the server rejects anything
/// else with a 400 that quotes a 200-character regex, so say it here instead.
pub fn parse_semver(raw: &str) -> Result<String, String> {
    if is_semver(raw) {
        Ok(raw.to_owned())
    } else {
        Err("expected a semver version such as 0.14.0 (see `kopai dashboards schema`)".into())
    }
}

pub fn is_semver(raw: &str) -> bool {
    let (rest, build) = match raw.split_once('+') {
        Some((rest, build)) => (rest, Some(build)),
        None => (raw, None),
    };
    let (core, pre) = match rest.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (rest, None),
    };
    let numeric = |part: &str| {
        !part.is_empty()
            && part.bytes().all(|b| b.is_ascii_digit())
            && (part == "0" || !part.starts_with('0'))
    };
    let ident = |part: &str| {
        !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| numeric(p))
        && pre.is_none_or(|pre| {
            pre.split('.')
                .all(|p| ident(p) && (!p.bytes().all(|b| b.is_ascii_digit()) || numeric(p)))
        })
        && build.is_none_or(|build| build.split('.').all(ident))
}

#[cfg(test)]
mod tests {
    use super::is_semver;

    #[test]
    fn semver_is_checked_as_semver_org_defines_it() {
        for ok in ["0.14.0", "1.2.3-rc.1", "1.0.0-alpha-1+build.5", "10.20.30"] {
            assert!(is_semver(ok), "{ok}");
        }
        for bad in [
            "0.14", "v0.14.0", "01.2.3", "1.2.3-", "1.2.3-01", "1.2.3+", "", "1.2.x",
        ] {
            assert!(!is_semver(bad), "{bad}");
        }
    }
}
