//! `kopai logout`: remove the token from `.kopairc`, keeping every other field.

use crate::cli::LogoutArgs;
use crate::command_error::Result;
use crate::commands::Context;
use crate::config::{self, absolute, env_var, ConfigFile, ProfileName, TokenStore};
use crate::error::Exit;

pub async fn run(ctx: &Context, args: &LogoutArgs) -> Result<Exit> {
    let target = ctx.write_target(args.global)?;
    let local = target.local;
    let target = target.path;
    let mut store = TokenStore::open(target.clone(), &ctx.overrides)?;
    let removed = store.remove()?;
    let profile = &store.profile().name;

    if removed {
        outln!("Logged out.");
        noteln!(
            "Removed the token from {}. It stays valid on the server until it expires; \
             revoke it in the dashboard (Settings → Access Tokens) if it may have leaked.",
            store.origin().describe()
        );
    } else {
        outln!("Not logged in.");
        if local && home_has_token(profile) {
            let flag = match profile.is_default() {
                true => String::new(),
                false => format!(" --profile {profile}"),
            };
            noteln!(
                "note: there is no token in ./.kopairc, but ~/.kopairc holds one; \
                 run `kopai logout --global{flag}` to remove it"
            );
        }
    }
    if env_var("KOPAI_TOKEN")?.is_some() {
        noteln!("note: KOPAI_TOKEN is still set, and commands keep using it until you unset it");
    }
    Ok(Exit::Success)
}

fn home_has_token(profile: &ProfileName) -> bool {
    let Ok(path) = config::home_config() else {
        return false;
    };
    // Same file as ./.kopairc when run from the home directory: already answered.
    if absolute(&path) == absolute(&config::local_config()) {
        return false;
    }
    matches!(ConfigFile::load(&path), Ok(Some(file)) if TokenStore::holds_token(&file, profile))
}
