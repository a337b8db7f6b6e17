//! The one place that turns an error into what the user sees: an exit code, a message, a next
//! step, and for JSON output one `{"error":{…}}` object on stderr.

use serde::Serialize;

use crate::api::ApiError;
use crate::cli::Command;
use crate::config::ConfigError;
use crate::error::{Exit, NoMatch, UserError, LOGIN_HINT};
use crate::term::{escape_json_controls, sanitize, Terminal};

/// The exit code of a whole run: the command's outcome, unless output it printed was lost.
pub fn finish(outcome: anyhow::Result<Exit>, json: bool, terminal: &Terminal) -> Exit {
    let exit = match outcome {
        Ok(exit) => exit,
        Err(err) => return report(&err, json, terminal),
    };
    match crate::stdio::stdout_error() {
        Some(error) if exit == Exit::Success => report(&stdout_lost(error), json, terminal),
        _ => exit,
    }
}

fn stdout_lost(error: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("could not write to stdout: {error}")
}

/// Whether errors are one JSON object: when the command prints JSON for programs and either
/// that was asked for (`--json`, `-o ndjson`) or stderr is not a terminal. JSON only implied by
/// a piped stdout (`kopai traces search > out.json`) leaves a person at the terminal the usual
/// text line.
pub fn json_errors(command: &Command, terminal: &Terminal) -> bool {
    // Asked for explicitly: JSON even when stdout is a terminal.
    let asked = command.json_errors(true);
    command.json_errors(terminal.stdout_is_terminal) && (asked || !terminal.stderr_is_terminal)
}

/// Prints `err` for a person (or as JSON) and returns its exit code.
pub fn report(err: &anyhow::Error, json: bool, terminal: &Terminal) -> Exit {
    if is_broken_pipe(err) {
        // The reader (`| head`) has what it wanted.
        return Exit::Success;
    }
    // A bare I/O error reaching this far comes from writing the results (commands wrap the
    // ones from reading files and stdin in their own errors).
    if let Some(io) = err.downcast_ref::<std::io::Error>() {
        return report(&stdout_lost(io), json, terminal);
    }
    let report = classify(err);
    if json {
        let body = ErrorBody {
            error: ErrorFields {
                name: report.name,
                message: &report.message,
                status: report.status,
                detail: report.detail.as_deref(),
                hint: report.hint.as_deref(),
            },
        };
        let json = serde_json::to_string(&body).unwrap_or_default();
        errln!("{}", escape_json_controls(&json));
    } else {
        print_text(&format!("{err:#}"), report.hint.as_deref(), terminal);
    }
    report.exit
}

/// An error and its next step for a person, on stderr: `error: …` and `hint: …`.
pub fn print_text(message: &str, hint: Option<&str>, terminal: &Terminal) {
    // Labels styled as clap styles its own (bold red `error:`, green tip).
    let palette = terminal.stderr_palette();
    let (error, hint_label) = (palette.error_label, palette.hint_label);
    // Server titles and details and values from config files are in the message.
    errln!("{error}error:{error:#} {}", sanitize(message));
    if let Some(text) = hint {
        errln!("{hint_label}hint:{hint_label:#} {}", sanitize(text));
    }
}

/// The JSON error contract: `{"error":{"name","message","status"?,"detail"?,"hint"?}}`.
#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorFields<'a>,
}

#[derive(Serialize)]
struct ErrorFields<'a> {
    name: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    detail: Option<&'a str>,
    /// The next step, as text output prints it after `hint:`.
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<&'a str>,
}

/// What an error means to the user: its exit code, a machine name, the message for JSON
/// errors (the API's `detail` goes in its own field), and a next step.
struct Classified {
    exit: Exit,
    name: &'static str,
    message: String,
    hint: Option<String>,
    status: Option<u16>,
    detail: Option<String>,
}

fn classify(err: &anyhow::Error) -> Classified {
    let plain = |exit, name| Classified {
        exit,
        name,
        message: format!("{err:#}"),
        hint: None,
        status: None,
        detail: None,
    };
    if let Some(e) = err.downcast_ref::<UserError>() {
        return Classified {
            hint: e.hint.clone(),
            ..plain(Exit::Usage, "UsageError")
        };
    }
    if err.downcast_ref::<NoMatch>().is_some() {
        return plain(Exit::NoMatch, "NoMatchError");
    }
    if let Some(e) = err.downcast_ref::<ConfigError>() {
        return Classified {
            hint: e.hint(),
            ..plain(Exit::Config, "ConfigError")
        };
    }
    if let Some(e) = err.downcast_ref::<ApiError>() {
        return Classified {
            exit: api_exit(e),
            name: api_name(e),
            // A command's own context ("the dashboard may already exist") stays in front.
            message: match err.chain().count() {
                1 => e.headline(),
                _ => format!("{err:#}"),
            },
            hint: api_hint(e),
            status: e.status(),
            detail: e.detail().map(str::to_owned),
        };
    }
    plain(Exit::Failure, "Error")
}

pub fn api_exit(error: &ApiError) -> Exit {
    if error.is_auth() {
        Exit::Auth
    } else {
        Exit::Failure
    }
}

fn api_name(error: &ApiError) -> &'static str {
    match error {
        ApiError::Unauthorized | ApiError::TokenRequired | ApiError::Forbidden { .. } => {
            "AuthError"
        }
        ApiError::Status { .. } => "ApiError",
        ApiError::Timeout { .. } => "TimeoutError",
        ApiError::Tls { .. } => "TlsError",
        ApiError::Network { .. } => "NetworkError",
        ApiError::InvalidResponse { .. } => "InvalidResponseError",
        ApiError::Redirect { .. }
        | ApiError::RedirectLoop { .. }
        | ApiError::RedirectWithoutLocation { .. } => "RedirectError",
        ApiError::Interrupted { .. } => "NetworkError",
        ApiError::Unsupported { .. } => "UnsupportedError",
    }
}

/// What the user can do about an API error.
pub fn api_hint(error: &ApiError) -> Option<String> {
    match error {
        ApiError::Unauthorized => Some(format!(
            "create a new CLI token in the dashboard (Settings → Access Tokens), then {LOGIN_HINT}"
        )),
        ApiError::TokenRequired => Some(LOGIN_HINT.into()),
        ApiError::Forbidden { .. } => Some(format!(
            "use a token with access to this data: {LOGIN_HINT}"
        )),
        ApiError::Timeout { .. } => {
            Some("raise --timeout (like --timeout 60s) or check the server".into())
        }
        ApiError::Tls { .. } => Some(
            "if the server uses a private CA or a self-signed certificate, set SSL_CERT_FILE to \
             it (PEM), or NODE_EXTRA_CA_CERTS to add it to the system store"
                .into(),
        ),
        ApiError::Network { .. } => Some("check --url, KOPAI_URL or the url in .kopairc".into()),
        ApiError::Redirect { to, .. } => Some(format!(
            "if the server has moved, log in again with --url {to}"
        )),
        ApiError::Interrupted { .. } => {
            Some("if it keeps happening, check the server or a proxy in between".into())
        }
        ApiError::Status { .. }
        | ApiError::InvalidResponse { .. }
        | ApiError::RedirectLoop { .. }
        | ApiError::RedirectWithoutLocation { .. } => None,
        ApiError::Unsupported { .. } => {
            Some("upgrade the Kopai server, or query without these flags".into())
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
