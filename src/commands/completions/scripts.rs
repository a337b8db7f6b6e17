//! The edits kopai makes to clap_complete's scripts. Each replaces an exact piece of
//! clap_complete's output; an edit that finds nothing to replace is an error (and fails the
//! unit tests below), never a silent no-op, so an upgrade of clap_complete cannot quietly
//! undo a fix. clap_complete is pinned to one version in Cargo.toml for the same reason.

use clap_complete::Shell as Target;

use crate::cli::{full_command, Shell};

/// What the scripts run to list services; errors go nowhere, so a failure offers nothing.
const LIST: &str = "kopai services --for-completion 2>/dev/null";
/// What the scripts run to list the trace IDs kopai printed recently (no request).
const TRACE_IDS: &str = "kopai services --recent-trace-ids 2>/dev/null";

/// Which edit found nothing to change.
#[derive(Debug, thiserror::Error)]
#[error("the {shell} completion script changed shape: {edit} did not apply")]
pub struct EditMissed {
    shell: &'static str,
    edit: &'static str,
}

/// The finished script for `shell`.
pub fn render(shell: Shell) -> Result<String, EditMissed> {
    edit(shell, generate(shell))
}

/// clap_complete's script, as it comes.
fn generate(shell: Shell) -> String {
    let target = match shell {
        Shell::Bash => Target::Bash,
        Shell::Zsh => Target::Zsh,
        Shell::Fish => Target::Fish,
        Shell::Powershell => Target::PowerShell,
    };
    // clap_complete panics if its writer fails, so render into memory; the caller writes.
    let mut script = Vec::new();
    clap_complete::generate(target, &mut full_command(), "kopai", &mut script);
    String::from_utf8_lossy(&script).into_owned()
}

/// clap_complete's `script` for `shell`, with kopai's edits.
fn edit(shell: Shell, script: String) -> Result<String, EditMissed> {
    let script = without_hidden_flag(script);
    let (name, script) = match shell {
        Shell::Bash => ("bash", bash(&script)?),
        Shell::Zsh => ("zsh", zsh(&script)?),
        Shell::Fish => ("fish", fish(&script)?),
        Shell::Powershell => ("powershell", script),
    };
    // The scripts' own flag appears only where a script runs it.
    if script.matches("--for-completion").count() != script.matches(LIST).count() {
        return Err(EditMissed {
            shell: name,
            edit: "hiding --for-completion",
        });
    }
    Ok(script)
}

/// `from` replaced by `to`, at least once.
fn replace_all(
    script: &str,
    from: &str,
    to: &str,
    shell: &'static str,
    edit: &'static str,
) -> Result<String, EditMissed> {
    if script.contains(from) {
        Ok(script.replace(from, to))
    } else {
        Err(EditMissed { shell, edit })
    }
}

/// clap_complete offers hidden flags too; the scripts' own flags are not for people.
fn without_hidden_flag(script: String) -> String {
    const HIDDEN: [&str; 2] = ["for-completion", "recent-trace-ids"];
    script
        .lines()
        .filter(|line| {
            !HIDDEN.iter().any(|flag| {
                line.contains(&format!("'--{flag}["))
                    || line.contains(&format!("'--{flag}'"))
                    || line.contains(&format!("-l {flag} "))
            })
        })
        .map(|line| {
            HIDDEN.iter().fold(line.to_owned(), |line, flag| {
                line.replace(&format!(" --{flag}"), "")
            })
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// bash's `compgen -W` expands every word of its list again (`$(…)`, backticks, `$VAR`, `~`)
/// and an unquoted `COMPREPLY=($(…))` globs, so the server's names never go near either:
/// they are read line by line, matched as literal prefixes, and offered quoted with `%q`, so
/// what readline inserts is the name itself. A flag's value never falls back to file names
/// (the `-o default` of `complete`), so a server that is down offers nothing.
fn bash(script: &str) -> Result<String, EditMissed> {
    let functions = format!(
        r#"# kopai: the server's service names (prefix "$1"), each a literal word quoted for the
# command line (`:` and `=` too, which would split the word): never expanded, globbed or run.
_kopai_services() {{
    local name quoted
    COMPREPLY=()
    while IFS= read -r name; do
        printf -v quoted '%q' "${{name}}"
        quoted=${{quoted//:/\\:}}
        quoted=${{quoted//=/\\=}}
        if [[ "${{name}}" == "$1"* || "${{quoted}}" == "$1"* ]]; then
            COMPREPLY+=("${{quoted}}")
        fi
    done < <({LIST})
}}

# kopai: the trace IDs kopai printed recently (prefix "$1"), from its cache alone; each is 32
# hexadecimal digits, a literal word.
_kopai_trace_ids() {{
    local id
    COMPREPLY=()
    while IFS= read -r id; do
        if [[ "${{id}}" == "$1"* ]]; then
            COMPREPLY+=("${{id}}")
        fi
    done < <({TRACE_IDS})
}}

# kopai: a flag's value offers only what its branch found, never bash's file names.
_kopai_no_files() {{
    if [[ "${{BASH_VERSINFO[0]}}" -ge 4 ]]; then
        compopt +o default +o bashdefault
    fi
}}

_kopai() {{
"#
    );
    let script = replace_all(script, "_kopai() {\n", &functions, "bash", "the helpers")?;
    let value_branch_end = "\n                    return 0\n                    ;;";
    let script = replace_all(
        &script,
        value_branch_end,
        &format!("\n                    _kopai_no_files{value_branch_end}"),
        "bash",
        "no file names for values",
    )?;
    let free = "COMPREPLY=(\"${cur}\")\n                    if [[ \"${BASH_VERSINFO[0]}\" -ge 4 ]]; then\n                        compopt -o nospace\n                    fi";
    let script = trace_ids_first(&script, "kopai__subcmd__traces__subcmd__get")?;
    let script = trace_ids_first(&script, "kopai__subcmd__open__subcmd__trace")?;
    let names = "_kopai_services \"${cur}\"";
    let script = in_cases(&script, "                --service)\n", free, names)?;
    in_cases(&script, "                -s)\n", free, names)
}

/// In the branch of `command` (whose one argument is a trace ID), a word that is not a flag
/// completes to the recently printed trace IDs instead of the flags.
fn trace_ids_first(script: &str, command: &str) -> Result<String, EditMissed> {
    let branch = format!("        {command})\n");
    let opts_end = "\n            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then\n";
    let Some(at) = script.find(&branch) else {
        return Err(EditMissed {
            shell: "bash",
            edit: "the trace IDs",
        });
    };
    let Some(opts) = script[at..].find(opts_end).map(|o| at + o) else {
        return Err(EditMissed {
            shell: "bash",
            edit: "the trace IDs",
        });
    };
    let ids = "\n            if [[ ${cur} != -* && ${COMP_CWORD} -eq 3 ]] ; then\n                _kopai_trace_ids \"${cur}\"\n                _kopai_no_files\n                return 0\n            fi";
    let mut out = script.to_owned();
    out.insert_str(opts, ids);
    Ok(out)
}

/// Replaces `from` with `to` inside every bash `case` branch that starts with `label`.
fn in_cases(script: &str, label: &str, from: &str, to: &str) -> Result<String, EditMissed> {
    let mut out = String::with_capacity(script.len());
    let mut rest = script;
    let mut applied = false;
    while let Some(at) = rest.find(label) {
        let (head, branch) = rest.split_at(at);
        let end = branch.find(";;").map_or(branch.len(), |e| e + 2);
        out.push_str(head);
        applied |= branch[..end].contains(from);
        out.push_str(&branch[..end].replacen(from, to, 1));
        rest = &branch[end..];
    }
    out.push_str(rest);
    if applied {
        Ok(out)
    } else {
        Err(EditMissed {
            shell: "bash",
            edit: "the service names",
        })
    }
}

/// `compadd` takes the names as they are (`_describe` would cut each at a `:`) and quotes
/// what it inserts; `(f)` splits the list at newlines only, and compsys runs without
/// `GLOB_SUBST`, so a name is never expanded or globbed. The trace IDs are offered the same
/// way, newest first (`-V`: not sorted); `:#` drops the empty word an empty list splits into.
fn zsh(script: &str) -> Result<String, EditMissed> {
    let function = format!(
        "#compdef kopai\n\n_kopai_services() {{\n    local -a services expl\n    services=(${{(f)\"$({LIST})\"}})\n    _wanted services expl 'service' compadd -a services\n}}\n\n_kopai_trace_ids() {{\n    local -a ids expl\n    ids=(${{${{(f)\"$({TRACE_IDS})\"}}:#}})\n    _wanted -V trace-ids expl 'recently printed trace ID' compadd -a ids\n}}\n"
    );
    let script = zsh_trace_ids(script)?;
    let script = replace_all(
        &script,
        "#compdef kopai\n",
        &function,
        "zsh",
        "the service helper",
    )?;
    let script = replace_all(
        &script,
        "[Filter by service name]:NAME:'",
        "[Filter by service name]:NAME:_kopai_services'",
        "zsh",
        "--service of the searches",
    )?;
    let script = replace_all(
        &script,
        "[Service name]:NAME:'",
        "[Service name]:NAME:_kopai_services'",
        "zsh",
        "--service of traces operations",
    )?;
    replace_all(
        &script,
        "spans of this service, and their parents]:NAME:'",
        "spans of this service, and their parents]:NAME:_kopai_services'",
        "zsh",
        "--service of traces get",
    )
}

/// The argument of `traces get` and `open trace` (`:trace_id -- …:ACTION`, the only
/// positionals named so) completes to the recently printed trace IDs, not to file names.
fn zsh_trace_ids(script: &str) -> Result<String, EditMissed> {
    let mut edited = 0;
    let lines: Vec<String> = script
        .lines()
        .map(|line| {
            let Some(spec) = line
                .strip_prefix("':trace_id -- ")
                .and_then(|spec| spec.strip_suffix("' \\"))
            else {
                return line.to_owned();
            };
            // The action follows the last colon that is not escaped (`\:` is the help's own).
            let action_at = spec
                .char_indices()
                .rev()
                .find(|&(at, c)| c == ':' && !spec[..at].ends_with('\\'));
            match action_at {
                Some((at, _)) => {
                    edited += 1;
                    format!("':trace_id -- {}:_kopai_trace_ids' \\", &spec[..at])
                }
                None => line.to_owned(),
            }
        })
        .collect();
    if edited != TRACE_ID_COMMANDS.len() {
        return Err(EditMissed {
            shell: "zsh",
            edit: "the trace IDs",
        });
    }
    Ok(lines.join("\n") + "\n")
}

/// The commands whose one argument is a trace ID, as fish's conditions name them.
const TRACE_ID_COMMANDS: [&str; 2] = [
    "__fish_kopai_using_subcommand traces; and __fish_seen_subcommand_from get",
    "__fish_kopai_using_subcommand open; and __fish_seen_subcommand_from trace",
];

/// fish splits a command substitution's output at newlines only and never expands it again,
/// and escapes what it inserts; only the flags that take a service ask the server, and the
/// argument of `traces get` and `open trace` offers the recently printed trace IDs, in their
/// order (`-k`), instead of file names (`-f`).
fn fish(script: &str) -> Result<String, EditMissed> {
    let mut script = fish_services(script)?;
    for condition in TRACE_ID_COMMANDS {
        if !script.contains(&format!("-n \"{condition}\" ")) {
            return Err(EditMissed {
                shell: "fish",
                edit: "the trace IDs",
            });
        }
        script.push_str(&format!(
            "complete -c kopai -n \"{condition}\" -f -k -a '({TRACE_IDS})'\n"
        ));
    }
    Ok(script)
}

fn fish_services(script: &str) -> Result<String, EditMissed> {
    let mut applied = false;
    let lines: Vec<String> = script
        .lines()
        .map(|line| {
            if line.contains(" -s s -l service ") && line.ends_with(" -r -f") {
                applied = true;
                format!("{line} -a '({LIST})'")
            } else {
                line.to_owned()
            }
        })
        .collect();
    if !applied {
        return Err(EditMissed {
            shell: "fish",
            edit: "the service names",
        });
    }
    Ok(lines.join("\n") + "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHELLS: [Shell; 4] = [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::Powershell];

    /// Fails when clap_complete changes the text an edit replaces: then update the edit with
    /// the new version, never let it skip.
    #[test]
    fn every_edit_applies_to_the_pinned_clap_complete() {
        for shell in SHELLS {
            let script = render(shell).unwrap_or_else(|e| panic!("{e}"));
            assert!(!script.contains("for-completion'"), "{shell:?}");
        }
        let bash = render(Shell::Bash).unwrap();
        assert!(
            !bash.contains("compgen -W \"$("),
            "no server word goes through compgen"
        );
        assert_eq!(
            bash.matches("_kopai_services \"${cur}\"").count(),
            2 * bash.matches("                --service)\n").count(),
            "--service and -s of every command ask the server"
        );
    }

    #[test]
    fn an_edit_that_finds_nothing_is_an_error() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
            let error = edit(shell, "#!/bin/sh\n# another generator's script\n".into())
                .expect_err("nothing to edit");
            assert!(error.to_string().contains("did not apply"), "{error}");
        }
        let renamed = generate(Shell::Bash).replace("--service)", "--svc)");
        assert!(edit(Shell::Bash, renamed).is_err());
        let reworded = generate(Shell::Zsh).replace("[Service name]", "[The service]");
        assert!(edit(Shell::Zsh, reworded).is_err());
        let renamed = generate(Shell::Zsh).replace("':trace_id -- ", "':id -- ");
        assert!(edit(Shell::Zsh, renamed).is_err());
        let renamed = generate(Shell::Fish).replace("seen_subcommand_from get", "seen get");
        assert!(edit(Shell::Fish, renamed).is_err());
    }
}
