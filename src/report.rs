//! The one place that turns an error into what the user sees: an exit code, a message, a next
//! step, and for JSON output one `{"error":{…}}` object on stderr.

use serde::Serialize;

use crate::api::{ApiError, Newer};
use crate::cli::Command;
use crate::command_error::{Cause, CommandError, ErrorKind};
use crate::error::{Exit, LOGIN_HINT};
use crate::term::{escape_json_controls, sanitize, Terminal};

/// The exit code of a whole run: the command's outcome, unless output it printed was lost.
pub fn finish(outcome: Result<Exit, CommandError>, json: bool, terminal: &Terminal) -> Exit {
    let exit = match outcome {
        Ok(exit) => exit,
        Err(err) => return report(&err, json, terminal),
    };
    match crate::stdio::stdout_error() {
        Some(error) if exit == Exit::Success => report(&stdout_lost(error), json, terminal),
        _ => exit,
    }
}

fn stdout_lost(error: &str) -> CommandError {
    Cause::Output(std::io::Error::other(error.to_owned())).into()
}

/// The one mapping from a kind of error to its exit code (README "Exit codes"). No wildcard:
/// a new kind does not compile until it has a code.
pub fn exit_code(kind: ErrorKind) -> Exit {
    match kind {
        ErrorKind::Usage => Exit::Usage,
        ErrorKind::Config => Exit::Config,
        ErrorKind::Auth => Exit::Auth,
        ErrorKind::NoMatch => Exit::NoMatch,
        ErrorKind::Api | ErrorKind::Output | ErrorKind::Failure => Exit::Failure,
    }
}

/// Whether errors are one JSON object: when the command prints JSON for programs and either
/// that was asked for (`--json`, `-o ndjson`) or stderr is not a terminal. JSON only implied by
/// a piped stdout (`kopai traces search > out.json`) leaves a person at the terminal the usual
/// text line.
pub fn json_errors(command: &Command, terminal: &Terminal) -> bool {
    // Asked for explicitly: JSON even when stdout is a terminal.
    let asked = command.json_errors(true);
    // An agent reads every error as JSON, whatever the command prints.
    terminal.agent
        || command.json_errors(terminal.stdout_is_terminal)
            && (asked || !terminal.stderr_is_terminal)
}

/// Prints `err` for a person (or as JSON) and returns its exit code.
pub fn report(err: &CommandError, json: bool, terminal: &Terminal) -> Exit {
    if matches!(&err.cause, Cause::Output(io) if io.kind() == std::io::ErrorKind::BrokenPipe) {
        // The reader (`| head`) has what it wanted.
        return Exit::Success;
    }
    let mut report = classify(err);
    if let Some(hint) = err.hint() {
        report.hint = Some(hint.to_owned());
    }
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
        let listing = match &err.cause {
            Cause::Usage(e) => &e.listing[..],
            _ => &[],
        };
        print_listed(&err.to_string(), listing, report.hint.as_deref(), terminal);
    }
    exit_code(err.kind())
}

/// An error and its next step for a person, on stderr: `error: …` and `hint: …`.
pub fn print_text(message: &str, hint: Option<&str>, terminal: &Terminal) {
    print_listed(message, &[], hint, terminal);
}

/// The same with kopai's own `listing` lines between the error and its hint.
fn print_listed(message: &str, listing: &[String], hint: Option<&str>, terminal: &Terminal) {
    // Labels styled as clap styles its own (bold red `error:`, green tip).
    let palette = terminal.stderr_palette();
    let (error, hint_label) = (palette.error_label, palette.hint_label);
    // Server titles and details and values from config files are in the message.
    say_labelled("error:", error, message);
    for line in listing {
        errln!("{}", sanitize(line));
    }
    if let Some(text) = hint {
        say_labelled("hint:", hint_label, text);
    }
}

/// `label` in `style`, then `text` sanitised, broken at spaces on a narrow terminal with the
/// later lines under the text (the terminal would break words, URLs and flags anywhere).
fn say_labelled(label: &str, style: anstyle::Style, text: &str) {
    let line = crate::stdio::fit_labelled(format!("{label} {}", sanitize(text)), label.len() + 1);
    let rest = line.get(label.len()..).unwrap_or_default();
    errln!("{style}{label}{style:#}{rest}");
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

/// What an error means to the user: a machine name, the message for JSON errors (the API's
/// `detail` goes in its own field), and a next step.
struct Classified {
    name: &'static str,
    message: String,
    hint: Option<String>,
    status: Option<u16>,
    detail: Option<String>,
}

fn classify(err: &CommandError) -> Classified {
    let plain = |name| Classified {
        name,
        message: err.to_string(),
        hint: None,
        status: None,
        detail: None,
    };
    match &err.cause {
        Cause::Usage(e) => Classified {
            hint: e.hint.clone(),
            detail: (!e.listing.is_empty()).then(|| e.listing.join("\n")),
            ..plain("UsageError")
        },
        Cause::NoMatch(_) => plain("NoMatchError"),
        Cause::Config(e) => Classified {
            hint: e.hint(),
            ..plain("ConfigError")
        },
        Cause::Api(e) => Classified {
            name: api_name(e),
            // A command's own context ("the dashboard may already exist") stays in front.
            message: if err.has_context() {
                err.to_string()
            } else {
                e.headline()
            },
            hint: api_hint(e),
            status: e.status(),
            detail: e.detail().map(str::to_owned),
        },
        Cause::Setup(_) | Cause::Output(_) | Cause::Failure(_) => plain("Error"),
    }
}

fn api_name(error: &ApiError) -> &'static str {
    match error {
        ApiError::Unauthorized | ApiError::TokenRequired | ApiError::Forbidden { .. } => {
            "AuthError"
        }
        ApiError::Status { .. } => "ApiError",
        ApiError::Timeout { .. } => "TimeoutError",
        ApiError::Tls { .. } | ApiError::PlainHttp { .. } => "TlsError",
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
        ApiError::PlainHttp { http, .. } => Some(format!(
            "the server has no TLS on that port: use --url {http} (or the server's HTTPS \
             port)"
        )),
        ApiError::Network { proxy: None, .. } => {
            Some("check --url, KOPAI_URL or the url in .kopairc".into())
        }
        ApiError::Network { proxy: Some(_), .. } => Some(
            "check the proxy (HTTPS_PROXY, HTTP_PROXY or ALL_PROXY), or name the server in \
             NO_PROXY to reach it directly"
                .into(),
        ),
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
        ApiError::Unsupported {
            feature: Newer::Queries,
        } => Some("upgrade the Kopai server; the search commands work with every version".into()),
        ApiError::Unsupported {
            feature: Newer::Flag(_),
        } => Some("upgrade the Kopai server, or query without these flags".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The codes in README's "Exit codes" table.
    fn documented_codes() -> Vec<u8> {
        let readme = include_str!("../README.md");
        let section = readme
            .split("\n## Exit codes\n")
            .nth(1)
            .expect("the section");
        let table = section
            .trim_start()
            .split("\n\n")
            .next()
            .unwrap_or_default();
        table
            .lines()
            .filter_map(|line| line.strip_prefix("| ")?.split(" |").next()?.parse().ok())
            .collect()
    }

    #[test]
    fn every_kind_of_error_has_a_documented_exit_code() {
        let documented = documented_codes();
        assert!(
            documented.contains(&0) && documented.contains(&130),
            "{documented:?}"
        );
        for &kind in ErrorKind::ALL {
            let code = exit_code(kind).code();
            assert!(
                documented.contains(&code),
                "{kind:?} exits {code}, which README's Exit codes table does not list"
            );
        }
    }
}
