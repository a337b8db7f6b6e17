//! `kopai logout`: remove the token from `.kopairc`, keeping every other field. `--ingest`
//! removes the ingest token instead; plain `logout` leaves it, as it is a separate credential
//! (write-only, used by `send` and `exec` in scripts that never log in).

use crate::cli::LogoutArgs;
use crate::command_error::Result;
use crate::commands::Context;
use crate::config::{self, absolute, env_var, ConfigFile, ProfileName, TokenKind, TokenStore};
use crate::error::Exit;

pub async fn run(ctx: &Context, args: &LogoutArgs) -> Result<Exit> {
    let kind = match args.ingest {
        true => TokenKind::Ingest,
        false => TokenKind::Cli,
    };
    let target = ctx.write_target(args.global)?;
    let local = target.local;
    let target = target.path;
    let mut store = TokenStore::open(target.clone(), &ctx.overrides)?;
    let removed = store.remove(kind)?;
    let profile = &store.profile().name;
    let words = Words::of(kind);

    if removed {
        outln!("{}", words.removed);
        noteln!(
            "Removed the {} from {}. It stays valid on the server until it expires; \
             revoke it in the dashboard (Settings → Access Tokens) if it may have leaked.",
            words.what,
            store.origin().describe()
        );
        if kind == TokenKind::Cli && TokenStore::holds(store.file(), profile, TokenKind::Ingest) {
            noteln!("note: the ingest token is kept; `kopai logout --ingest` removes it");
        }
    } else {
        outln!("{}", words.absent);
        if local && home_holds(profile, kind) {
            let profile_flag = match profile.is_default() {
                true => String::new(),
                false => format!(" --profile {profile}"),
            };
            noteln!(
                "note: there is no {} in ./.kopairc, but ~/.kopairc holds one; \
                 run `kopai logout --global{}{profile_flag}` to remove it",
                words.what,
                words.flag
            );
        }
    }
    if env_var(words.variable)?.is_some() {
        noteln!(
            "note: {} is still set, and commands keep using it until you unset it",
            words.variable
        );
    }
    Ok(Exit::Success)
}

/// What `logout` says about each kind of token.
struct Words {
    removed: &'static str,
    absent: &'static str,
    what: &'static str,
    flag: &'static str,
    variable: &'static str,
}

impl Words {
    fn of(kind: TokenKind) -> Self {
        match kind {
            TokenKind::Cli => Words {
                removed: "Logged out.",
                absent: "Not logged in.",
                what: "token",
                flag: "",
                variable: "KOPAI_TOKEN",
            },
            TokenKind::Ingest => Words {
                removed: "Ingest token removed.",
                absent: "No ingest token saved.",
                what: "ingest token",
                flag: " --ingest",
                variable: "KOPAI_INGEST_TOKEN",
            },
        }
    }
}

fn home_holds(profile: &ProfileName, kind: TokenKind) -> bool {
    let Ok(path) = config::home_config() else {
        return false;
    };
    // Same file as ./.kopairc when run from the home directory: already answered.
    if absolute(&path) == absolute(&config::local_config()) {
        return false;
    }
    matches!(ConfigFile::load(&path), Ok(Some(file)) if TokenStore::holds(&file, profile, kind))
}
