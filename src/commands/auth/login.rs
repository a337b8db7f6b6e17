//! `kopai login`: check a token with the server and save it to `.kopairc`; with `--ingest`,
//! save an ingest token beside it.

use super::token_input::read_token;
use crate::api::{ApiError, BaseUrl};
use crate::cli::LoginArgs;
use crate::command_error::Result;
use crate::commands::Context;
use crate::config::{self, absolute, env_var, TokenKind, TokenStore, UrlSource};
use crate::error::{Exit, UserError};
use crate::git::{self, Exposure};
use crate::secret::Token;
use crate::term::sanitize;

pub async fn run(ctx: &Context, args: &LoginArgs) -> Result<Exit> {
    if args.ingest {
        return save_ingest_token(ctx, args);
    }
    let target = ctx.write_target(args.global)?.path;
    // Read (and so validate) the file before asking for anything: a file we cannot parse is
    // never overwritten.
    let mut store = TokenStore::open(target.clone(), &ctx.overrides)?;
    let profile = store.profile().name.clone();
    // A saved self-hosted URL survives re-logging in after a token expired.
    let (url, url_source) = config::resolve_url(&ctx.overrides, Some((store.file(), &profile)))?;
    // A token piped in or given is read first, so that a bad one is the only thing said; one
    // typed at the prompt is asked for once the server it goes to has been named.
    // (An agent is never prompted: its error comes first, alone.)
    let prompts =
        ctx.overrides.token.is_none() && ctx.terminal.stdin_is_terminal && !ctx.terminal.agent;
    let given = if prompts {
        None
    } else {
        Some(read_token(ctx, TokenKind::Cli)?)
    };

    // Also with --no-verify: every later run sends the token saved for this URL.
    ctx.warn_if_cleartext(&url);
    if env_var("KOPAI_TOKEN")?.is_some() {
        noteln!("note: KOPAI_TOKEN is set and takes precedence over the saved token");
    }
    // Before the token is sent or saved: the URL may come from a ./.kopairc in a cloned
    // repository, which can name any server.
    let from = match url_source {
        UrlSource::Flag => String::new(),
        UrlSource::Env => " (url from KOPAI_URL)".into(),
        UrlSource::Config(_) => format!(" (url from {})", absolute(&target).display()),
        UrlSource::Default => " (the default)".into(),
    };
    let as_profile = match profile.is_default() {
        true => String::new(),
        false => format!(" as profile {profile}"),
    };
    errln!("Logging in to {}{as_profile}{from}", url.as_str());
    let token = match given {
        Some(token) => token,
        None => read_token(ctx, TokenKind::Cli)?,
    };
    if !args.no_verify {
        verify(ctx, &url, &token).await?;
    }

    store.save(&url, &token)?;

    let shown = absolute(&target);
    outln!("Logged in. Token: {}", token.prefix());
    noteln!("Saved to {}", store.origin().describe());
    warn_if_committable(&target, &shown);
    Ok(Exit::Success)
}

/// `login --ingest`: the ingest token alone, into the profile's `ingest_token`. Nothing is
/// sent: an ingest token cannot be checked through the read API (`kopai doctor` sends a test
/// span with it), so the one check is that it is not the CLI token, which cannot ingest.
fn save_ingest_token(ctx: &Context, args: &LoginArgs) -> Result<Exit> {
    if ctx.overrides.token.is_some() {
        return Err(UserError::usage(
            "--token gives the CLI token; `kopai login --ingest` reads the ingest token from \
             the prompt or stdin",
        )
        .with_hint("pipe it in (`echo \"$KOPAI_INGEST_TOKEN\" | kopai login --ingest`)")
        .into());
    }
    let target = ctx.write_target(args.global)?.path;
    let mut store = TokenStore::open(target.clone(), &ctx.overrides)?;
    let token = read_token(ctx, TokenKind::Ingest)?;
    let profile = &store.profile().name;
    let cli_token = TokenStore::read(store.file(), profile, TokenKind::Cli)
        .ok()
        .flatten();
    let env_token = env_var("KOPAI_TOKEN")?.and_then(|raw| Token::parse(&raw).ok());
    if cli_token.as_ref() == Some(&token) || env_token.as_ref() == Some(&token) {
        errln!(
            "warning: this is the CLI token, which is read-only and cannot ingest (only a local \
             server, which accepts any token, takes it); saving it anyway"
        );
    }
    // Asked before saving: a variable that is not UTF-8 is an error, and nothing is saved.
    let headers_give_one = env_var("OTEL_EXPORTER_OTLP_HEADERS")?
        .is_some_and(|headers| headers.to_ascii_lowercase().contains("authorization"));
    let shadowed_by = [
        (
            "KOPAI_INGEST_TOKEN",
            env_var("KOPAI_INGEST_TOKEN")?.is_some(),
        ),
        ("OTEL_EXPORTER_OTLP_HEADERS", headers_give_one),
    ];
    store.save_ingest(&token)?;

    outln!("Ingest token saved: {}", token.prefix());
    noteln!(
        "Saved as {} in {}",
        TokenKind::Ingest.key(),
        store.origin().describe()
    );
    for (var, _) in shadowed_by.iter().filter(|(_, set)| *set) {
        noteln!("note: {var} is set and takes precedence over the saved ingest token");
    }
    warn_if_committable(&target, &absolute(&target));
    Ok(Exit::Success)
}

/// Rejected tokens are not saved; a server we cannot ask is not a reason to refuse.
async fn verify(ctx: &Context, url: &BaseUrl, token: &Token) -> Result<()> {
    let client = ctx.client_for(url.clone(), Some(token.clone()))?;
    match client.validate_token().await {
        Ok(()) => Ok(()),
        Err(e @ (ApiError::Unauthorized | ApiError::Forbidden { .. })) => Err(e.into()),
        Err(e) => {
            noteln!(
                "warning: could not validate the token ({}); saving it anyway",
                sanitize(&e.to_string())
            );
            Ok(())
        }
    }
}

fn warn_if_committable(target: &std::path::Path, shown: &std::path::Path) {
    // Through symlinks: the warning names the file git sees, and the link if there is one.
    let real = std::fs::canonicalize(target).unwrap_or_else(|_| shown.to_owned());
    let shown = if real == shown {
        shown.display().to_string()
    } else {
        format!("{} (a link to {})", shown.display(), real.display())
    };
    let name = real
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    match git::exposure(target) {
        Exposure::Safe => {}
        Exposure::NotIgnored => errln!(
            "warning: {shown} is not ignored by git; add `{name}` to .gitignore so the token is never committed"
        ),
        Exposure::Tracked => errln!(
            "warning: {shown} is tracked by git, so the token will be committed; run `git rm --cached {name}` and add `{name}` to .gitignore"
        ),
    }
}
