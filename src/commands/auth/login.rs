//! `kopai login`: check a token with the server and save it to `.kopairc`.

use std::io::{self, BufRead};

use crate::api::{ApiError, BaseUrl};
use crate::cli::LoginArgs;
use crate::command_error::Result;
use crate::commands::Context;
use crate::config::{self, absolute, env_var, TokenStore, UrlSource};
use crate::error::{Exit, UserError};
use crate::git::{self, Exposure};
use crate::secret::Token;
use crate::term::sanitize;

pub async fn run(ctx: &Context, args: &LoginArgs) -> Result<Exit> {
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
        Some(read_token(ctx)?)
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
        None => read_token(ctx)?,
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

/// `--token`, else a hidden prompt on a terminal, else the first line of stdin.
fn read_token(ctx: &Context) -> Result<Token> {
    if let Some(raw) = &ctx.overrides.token {
        return raw
            .parse()
            .map_err(|e| UserError::usage(format!("--token: {e}")).into());
    }
    let stdin = io::stdin();
    if ctx.terminal.agent && ctx.terminal.stdin_is_terminal {
        return Err(UserError::usage(
            "agent mode (KOPAI_AGENT or CLAUDECODE is set) never prompts for the token",
        )
        .with_hint("pipe it in (`echo \"$KOPAI_TOKEN\" | kopai login`), pass --token, or set KOPAI_AGENT=0")
        .into());
    }
    let raw = if ctx.terminal.stdin_is_terminal {
        read_hidden("Token: ").map_err(|e| {
            UserError::usage(format!("could not read the token from the terminal: {e}"))
        })?
    } else {
        let mut line = String::new();
        let read = stdin
            .lock()
            .read_line(&mut line)
            .map_err(|e| UserError::usage(format!("could not read the token from stdin: {e}")))?;
        if read == 0 {
            return Err(
                UserError::usage("no token: stdin is not a terminal and is empty")
                    .with_hint("pipe it in (`echo \"$KOPAI_TOKEN\" | kopai login`) or pass --token")
                    .into(),
            );
        }
        line
    };
    Token::parse(&raw).map_err(|e| UserError::usage(e).into())
}

/// A line typed at `prompt` without echo. Echo goes off before the prompt is shown (a paste
/// that arrives with the prompt is not echoed either) and comes back even after Ctrl-C.
#[cfg(unix)]
fn read_hidden(prompt: &str) -> io::Result<String> {
    let echo_off = crate::signals::EchoOff::new()
        .ok_or_else(|| io::Error::other("could not switch off echo"))?;
    errprint!("{prompt}");
    let mut line = String::new();
    let read = io::stdin().lock().read_line(&mut line);
    drop(echo_off);
    read.map(|_| line)
}

#[cfg(not(unix))]
fn read_hidden(prompt: &str) -> io::Result<String> {
    errprint!("{prompt}");
    rpassword::read_password()
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
