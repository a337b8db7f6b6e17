use crate::cli::{GlobalArgs, LogoutArgs};
use crate::config::ConfigFile;
use crate::error::Exit;
use crate::settings::{self, absolute, env_var};

pub fn logout(global: &GlobalArgs, args: &LogoutArgs) -> anyhow::Result<Exit> {
    let target = settings::write_target(global, args.global)?;
    let removed = match ConfigFile::load(&target)? {
        Some(mut file) => {
            let had_token = file.remove("token");
            if had_token {
                file.save()?;
            }
            had_token
        }
        None => false,
    };

    if removed {
        outln!("Logged out.");
        errln!(
            "Removed the token from {}. It stays valid on the server until it expires; \
             revoke it in the dashboard (Settings → Access Tokens) if it may have leaked.",
            absolute(&target).display()
        );
    } else {
        outln!("Not logged in.");
        let targeted_local = !args.global && settings::named_config(global).is_none();
        if targeted_local && home_has_token() {
            errln!(
                "note: there is no token in ./.kopairc, but ~/.kopairc holds one; \
                 run `kopai logout --global` to remove it"
            );
        }
    }
    if env_var("KOPAI_TOKEN").is_some() {
        errln!("note: KOPAI_TOKEN is still set, and commands keep using it until you unset it");
    }
    Ok(Exit::Success)
}

fn home_has_token() -> bool {
    let Ok(path) = settings::home_config() else {
        return false;
    };
    // Same file as ./.kopairc when run from the home directory: already answered.
    if absolute(&path) == absolute(&settings::local_config()) {
        return false;
    }
    matches!(ConfigFile::load(&path), Ok(Some(file)) if file.get("token").is_some())
}
