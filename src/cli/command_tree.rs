//! `kopai commands --json`: the whole command tree as one JSON document, read from clap's own
//! description of the command line, so an agent learns the CLI without scraping help text.

use clap::{Arg, ArgAction, Command};
use serde_json::{json, Map, Value};

use super::full_command;

/// Every command (nested), its flags with value types, choices and defaults, and examples;
/// the global options once, at the top.
pub fn command_tree() -> Value {
    let mut cli = full_command();
    cli.build();
    let globals: Vec<Value> = cli
        .get_arguments()
        .filter(|a| a.is_global_set() && !a.is_hide_set())
        .map(describe_arg)
        .collect();
    let mut tree = Map::new();
    tree.insert("name".into(), json!(cli.get_name()));
    tree.insert("version".into(), json!(env!("CARGO_PKG_VERSION")));
    tree.insert("globalOptions".into(), Value::Array(globals));
    tree.insert(
        "commands".into(),
        Value::Array(subcommands(&cli, cli.get_name())),
    );
    Value::Object(tree)
}

fn subcommands(parent: &Command, path: &str) -> Vec<Value> {
    parent
        .get_subcommands()
        .filter(|c| !c.is_hide_set() && c.get_name() != "help")
        .map(|c| describe_command(c, &format!("{path} {}", c.get_name())))
        .collect()
}

fn describe_command(command: &Command, path: &str) -> Value {
    let mut out = Map::new();
    out.insert("name".into(), json!(command.get_name()));
    out.insert("command".into(), json!(path));
    let about = command
        .get_about()
        .map(|a| a.to_string())
        .unwrap_or_default();
    out.insert("about".into(), json!(about));
    let (arguments, options): (Vec<&Arg>, Vec<&Arg>) = command
        .get_arguments()
        .filter(|a| !a.is_global_set() && !a.is_hide_set())
        .filter(|a| !matches!(a.get_action(), ArgAction::Help | ArgAction::Version))
        .partition(|a| a.is_positional());
    out.insert(
        "arguments".into(),
        arguments.into_iter().map(describe_arg).collect(),
    );
    out.insert(
        "options".into(),
        options.into_iter().map(describe_arg).collect(),
    );
    let examples = command
        .get_after_help()
        .map(|text| examples(&text.to_string()))
        .unwrap_or_default();
    out.insert("examples".into(), json!(examples));
    let children = subcommands(command, path);
    if !children.is_empty() {
        out.insert("subcommands".into(), Value::Array(children));
    }
    Value::Object(out)
}

fn describe_arg(arg: &Arg) -> Value {
    let mut out = Map::new();
    out.insert("name".into(), json!(arg.get_id().as_str()));
    if let Some(long) = arg.get_long() {
        out.insert("long".into(), json!(format!("--{long}")));
    }
    if let Some(short) = arg.get_short() {
        out.insert("short".into(), json!(format!("-{short}")));
    }
    let kind = match arg.get_action() {
        ArgAction::SetTrue | ArgAction::SetFalse => "boolean",
        ArgAction::Count => "count",
        ArgAction::Append => "list",
        _ => "string",
    };
    out.insert("type".into(), json!(kind));
    let choices: Vec<String> = arg
        .get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_owned())
        .collect();
    if let Some(names) = arg.get_value_names() {
        let names: Vec<&str> = names.iter().map(|n| n.as_str()).collect();
        let name = names.join(" ");
        if kind != "boolean" && kind != "count" {
            out.insert(
                "valueType".into(),
                json!(value_type(&name, !choices.is_empty())),
            );
        }
        out.insert("valueName".into(), json!(name));
    }
    if !choices.is_empty() && kind != "boolean" {
        out.insert("choices".into(), json!(choices));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|d| d.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && kind != "boolean" {
        out.insert("default".into(), json!(defaults.join(",")));
    }
    out.insert("required".into(), json!(arg.is_required_set()));
    let help = arg
        .get_long_help()
        .or(arg.get_help())
        .map(|h| h.to_string())
        .unwrap_or_default();
    out.insert(
        "help".into(),
        json!(help.split_whitespace().collect::<Vec<_>>().join(" ")),
    );
    Value::Object(out)
}

/// What a flag's value is, from the value name the CLI gives it: the names are chosen per
/// kind of value (every duration flag says DURATION), so one table serves every command.
fn value_type(value_name: &str, has_choices: bool) -> &'static str {
    match value_name {
        _ if has_choices => "enum",
        "DURATION" | "BUCKET" => "duration",
        // --since/--until: an age (15m) or an absolute time.
        "AGE" => "ageOrTime",
        "TIME" | "WHEN" => "time",
        "N" => "integer",
        "URL" => "url",
        "PATH" | "FILE" | "FILE|-" => "path",
        "KEY=VALUE" => "keyValue",
        "TRACE_ID" => "traceId",
        "SPAN_ID" => "spanId",
        "SEMVER" => "semver",
        _ => "string",
    }
}

/// The lines under `Examples:` in a command's after-help, each `{command, about?}`.
fn examples(after_help: &str) -> Vec<Value> {
    let Some((_, rest)) = after_help.split_once("Examples:") else {
        return Vec::new();
    };
    rest.lines()
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| {
            let line = line.trim();
            // Two or more spaces separate the command from what it does.
            match line.find("   ") {
                Some(at) => Some(json!({"command": line[..at].trim(), "about": line[at..].trim()})),
                None => (!line.is_empty()).then(|| json!({"command": line})),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_types_come_from_the_value_names() {
        assert_eq!(value_type("DURATION", false), "duration");
        assert_eq!(value_type("TIME", false), "time");
        assert_eq!(value_type("N", false), "integer");
        assert_eq!(value_type("FORMAT", true), "enum");
        assert_eq!(value_type("NAME", false), "string");
    }

    #[test]
    fn examples_split_the_command_from_what_it_does() {
        let text = "Examples:\n  kopai whoami                Token and URL\n  kopai services\n\nExit codes";
        assert_eq!(
            examples(text),
            [
                json!({"command": "kopai whoami", "about": "Token and URL"}),
                json!({"command": "kopai services"})
            ]
        );
    }
}
