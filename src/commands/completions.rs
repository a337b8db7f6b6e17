//! `kopai completions <SHELL>`, and the service names its scripts ask for.

use std::io::Write;
use std::time::Duration;

use clap::CommandFactory;
use clap_complete::Shell as Target;

use crate::cli::{Cli, Shell};
use crate::command_error::Result;
use crate::commands::query::services::service_names;
use crate::commands::Context;
use crate::error::Exit;

/// How long `--service <TAB>` waits for the server before offering nothing.
const SERVICES_TIMEOUT: Duration = Duration::from_secs(2);

/// What the scripts run to list services; errors go nowhere, so a failure offers nothing.
const LIST: &str = "kopai services --for-completion 2>/dev/null";

pub fn run(shell: Shell) -> Result<Exit> {
    let target = match shell {
        Shell::Bash => Target::Bash,
        Shell::Zsh => Target::Zsh,
        Shell::Fish => Target::Fish,
        Shell::Powershell => Target::PowerShell,
    };
    // clap_complete panics if its writer fails, so render first and write ourselves.
    let mut script = Vec::new();
    clap_complete::generate(target, &mut Cli::command(), "kopai", &mut script);
    let script = without_hidden_flag(String::from_utf8_lossy(&script).into_owned());
    let script = with_service_names(shell, script);
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(script.as_bytes())?;
    stdout.flush()?;
    Ok(Exit::Success)
}

/// clap_complete offers hidden flags too; the scripts' own flag is not for people.
fn without_hidden_flag(script: String) -> String {
    script
        .lines()
        .filter(|line| {
            !line.contains("'--for-completion[")
                && !line.contains("'--for-completion'")
                && !line.contains("-l for-completion ")
        })
        .map(|line| line.replace(" --for-completion", ""))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Makes `--service`/`-s` complete the server's service names where the shell can run a
/// command for it (bash, zsh, fish). The generated scripts leave these values free-form, so
/// each edit replaces one exact, known piece of clap_complete's output.
fn with_service_names(shell: Shell, script: String) -> String {
    match shell {
        Shell::Bash => {
            let free = "COMPREPLY=(\"${cur}\")\n                    if [[ \"${BASH_VERSINFO[0]}\" -ge 4 ]]; then\n                        compopt -o nospace\n                    fi";
            let names = format!("COMPREPLY=($(compgen -W \"$({LIST})\" -- \"${{cur}}\"))");
            let script = in_cases(&script, "                --service)\n", free, &names);
            in_cases(&script, "                -s)\n", free, &names)
        }
        Shell::Zsh => {
            let function = format!(
                "#compdef kopai\n\n_kopai_services() {{\n    local -a services\n    services=(${{(f)\"$({LIST})\"}})\n    _describe 'service' services\n}}\n"
            );
            script
                .replacen("#compdef kopai\n", &function, 1)
                .replace(
                    "[Filter by service name]:NAME:'",
                    "[Filter by service name]:NAME:_kopai_services'",
                )
                .replace(
                    "[Service name]:NAME:'",
                    "[Service name]:NAME:_kopai_services'",
                )
        }
        Shell::Fish => format!("{script}complete -c kopai -l service -s s -x -a '({LIST})'\n"),
        Shell::Powershell => script,
    }
}

/// Replaces `from` with `to` inside every bash `case` branch that starts with `label`.
fn in_cases(script: &str, label: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(script.len());
    let mut rest = script;
    while let Some(at) = rest.find(label) {
        let (head, branch) = rest.split_at(at);
        let end = branch.find(";;").map_or(branch.len(), |e| e + 2);
        out.push_str(head);
        out.push_str(&branch[..end].replacen(from, to, 1));
        rest = &branch[end..];
    }
    out.push_str(rest);
    out
}

/// `kopai services --for-completion`: the server's service names, one a line, within two seconds. Silent
/// on any failure (exit 0, nothing printed): a completion must never print an error.
pub async fn services(ctx: &Context) -> Result<Exit> {
    let names = async {
        let client = ctx.client_with_timeout(SERVICES_TIMEOUT).ok()?;
        service_names(&client).await
    }
    .await
    .unwrap_or_default();
    for name in names {
        // A name the shell would split is not offered.
        if !name.is_empty() && !name.contains(char::is_whitespace) {
            outln!("{name}");
        }
    }
    Ok(Exit::Success)
}
