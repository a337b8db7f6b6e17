//! `kopai profiles`: the profiles of the config file a command would read, which one is in
//! use and why; `kopai profiles use NAME` makes one the file's default.

use serde::Serialize;

use crate::cli::{ProfilesArgs, ProfilesCommand};
use crate::command_error::Result;
use crate::commands::token_age::{age_in_days, days_ago};
use crate::commands::Context;
use crate::config::{
    self, absolute, ActiveProfile, ConfigError, ConfigFile, ProfileName, ProfileSource,
};
use crate::error::Exit;
use crate::output::{write_json, Format};
use crate::secret::Token;
use crate::term::sanitize;

pub fn run(ctx: &Context, args: &ProfilesArgs) -> Result<Exit> {
    match &args.command {
        Some(ProfilesCommand::Use { name }) => use_profile(ctx, name),
        None => list(ctx, args.output_format(ctx.terminal.stdout_is_terminal)),
    }
}

/// One line of the list; `null` where the profile has no value.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Row {
    name: String,
    active: bool,
    /// Why it is the one in use: `flag`, `env`, `config` (`defaultProfile`) or `default`.
    active_source: Option<&'static str>,
    url: Option<String>,
    token_prefix: Option<String>,
    saved_at: Option<String>,
    age_days: Option<i64>,
}

fn list(ctx: &Context, format: Option<Format>) -> Result<Exit> {
    let file = config::find_config(&ctx.overrides)?;
    let active = config::select_profile(&ctx.overrides, file.as_ref())?;
    let rows = rows(file.as_ref(), &active);
    if !rows.iter().any(|row| row.active) {
        // Every other command stops here; the list is how to find the right name.
        noteln!(
            "warning: {} (from {}) is not a profile of {}",
            active.name,
            active.source.describe(),
            file.as_ref()
                .map(|f| absolute(&f.path).display().to_string())
                .unwrap_or_else(|| "any config file (none was found)".into())
        );
    }
    if format.is_some_and(Format::is_json) {
        write_json(
            &mut std::io::stdout().lock(),
            &serde_json::to_value(&rows).expect("strings and numbers serialise"),
        )?;
    } else {
        print_table(&rows, &active);
    }
    Ok(Exit::Success)
}

fn rows(file: Option<&ConfigFile>, active: &ActiveProfile) -> Vec<Row> {
    let Some(file) = file else {
        return vec![row(ProfileName::default_ref(), None, None, None, active)];
    };
    file.config()
        .profiles()
        .map(|(name, profile)| {
            let url = profile.url.clone();
            let token = config::TokenStore::read(file, name, config::TokenKind::Cli)
                .ok()
                .flatten();
            row(name, url, token, profile.saved_at.clone(), active)
        })
        .collect()
}

fn row(
    name: &ProfileName,
    url: Option<String>,
    token: Option<Token>,
    saved_at: Option<String>,
    active: &ActiveProfile,
) -> Row {
    let is_active = *name == active.name;
    let secrets: Vec<String> = token.iter().map(|t| t.expose().to_owned()).collect();
    Row {
        name: name.to_string(),
        active: is_active,
        active_source: is_active.then(|| active.source.as_str()),
        url,
        token_prefix: token.as_ref().map(|t| t.raw_prefix().to_owned()),
        // The age of the token: none once it is logged out, though `savedAt` stays.
        age_days: saved_at
            .as_deref()
            .filter(|_| token.is_some())
            .and_then(|s| age_in_days(s, &secrets).ok()),
        saved_at: saved_at.map(|s| crate::secret::redact(&s, &secrets)),
    }
}

fn print_table(rows: &[Row], active: &ActiveProfile) {
    let header = ["NAME", "URL", "TOKEN", "SAVED", ""].map(String::from);
    let lines: Vec<[String; 5]> = rows
        .iter()
        .map(|row| {
            [
                row.name.clone(),
                sanitize(row.url.as_deref().unwrap_or("-")).into_owned(),
                row.token_prefix
                    .as_ref()
                    .map_or("-".into(), |p| format!("{p}...")),
                row.age_days.map_or("-".into(), days_ago),
                match row.active {
                    true => format!("active ({})", active.source.describe()),
                    false => String::new(),
                },
            ]
        })
        .collect();
    let mut widths = [0; 5];
    for line in std::iter::once(&header).chain(&lines) {
        for (width, cell) in widths.iter_mut().zip(line) {
            *width = (*width).max(cell.chars().count());
        }
    }
    for line in std::iter::once(&header).chain(&lines) {
        let cells: Vec<String> = line
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:width$}"))
            .collect();
        outln!("{}", cells.join("  ").trim_end());
    }
}

/// Saves `name` as the file's `defaultProfile` (`default` removes the key, so the top level is
/// used again). The file is the one commands read, and it must have that profile.
fn use_profile(ctx: &Context, name: &ProfileName) -> Result<Exit> {
    let Some(mut file) = config::find_config(&ctx.overrides)? else {
        return Err(ConfigError::NoFileForProfile { name: name.clone() }.into());
    };
    file.profile(name)?;
    file.config_mut().default_profile = (!name.is_default()).then(|| name.clone());
    file.save()?;
    match name.is_default() {
        true => outln!("Using the default profile (the file's top level)."),
        false => outln!("Using profile {name} by default."),
    }
    noteln!("Saved to {}", absolute(&file.path).display());
    let chosen = config::select_profile(&ctx.overrides, Some(&file))?;
    if chosen.source != ProfileSource::File && chosen.source != ProfileSource::Default {
        noteln!(
            "note: {} is set and chooses {} instead",
            chosen.source.describe(),
            chosen.name
        );
    }
    Ok(Exit::Success)
}
