//! Reading a token to save: `--token`, else a hidden prompt on a terminal, else the first line
//! of stdin. Shared by `login` and `login --ingest`, so both take a secret with the same care.

use std::io::{self, BufRead};

use crate::command_error::Result;
use crate::commands::Context;
use crate::config::TokenKind;
use crate::error::UserError;
use crate::secret::Token;

/// The token of `kind`: `--token` (the CLI token only), else a hidden prompt on a terminal,
/// else the first line of stdin.
pub(super) fn read_token(ctx: &Context, kind: TokenKind) -> Result<Token> {
    if let (Some(raw), TokenKind::Cli) = (&ctx.overrides.token, kind) {
        return raw
            .parse()
            .map_err(|e| UserError::usage(format!("--token: {e}")).into());
    }
    let (what, pipe) = match kind {
        TokenKind::Cli => (
            "token",
            "pipe it in (`echo \"$KOPAI_TOKEN\" | kopai login`)",
        ),
        TokenKind::Ingest => (
            "ingest token",
            "pipe it in (`echo \"$KOPAI_INGEST_TOKEN\" | kopai login --ingest`)",
        ),
    };
    let or_flag = match kind {
        TokenKind::Cli => ", pass --token,",
        TokenKind::Ingest => "",
    };
    let stdin = io::stdin();
    if ctx.terminal.agent && ctx.terminal.stdin_is_terminal {
        return Err(UserError::usage(format!(
            "agent mode (KOPAI_AGENT or CLAUDECODE is set) never prompts for the {what}"
        ))
        .with_hint(format!("{pipe}{or_flag} or set KOPAI_AGENT=0"))
        .into());
    }
    let raw = if ctx.terminal.stdin_is_terminal {
        let prompt = match kind {
            TokenKind::Cli => "Token: ",
            TokenKind::Ingest => "Ingest token: ",
        };
        read_hidden(prompt).map_err(|e| {
            UserError::usage(format!("could not read the {what} from the terminal: {e}"))
        })?
    } else {
        let mut line = String::new();
        let read = stdin
            .lock()
            .read_line(&mut line)
            .map_err(|e| UserError::usage(format!("could not read the {what} from stdin: {e}")))?;
        if read == 0 {
            let or_flag = match kind {
                TokenKind::Cli => " or pass --token",
                TokenKind::Ingest => "",
            };
            return Err(UserError::usage(format!(
                "no {what}: stdin is not a terminal and is empty"
            ))
            .with_hint(format!("{pipe}{or_flag}"))
            .into());
        }
        line
    };
    Token::parse(&raw).map_err(|e| {
        match kind {
            // `login`'s words are the Node CLI's.
            TokenKind::Cli => UserError::usage(e),
            TokenKind::Ingest => {
                let from = match ctx.terminal.stdin_is_terminal {
                    true => "the prompt",
                    false => "stdin",
                };
                UserError::usage(format!("the ingest token from {from}: {e}"))
            }
        }
        .into()
    })
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
