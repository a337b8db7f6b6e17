//! Help: every command has examples, global options come last, examples are aligned.

use super::*;

const EVERY_COMMAND: &[&str] = &[
    "login",
    "logout",
    "whoami",
    "services",
    "completions",
    "traces",
    "traces search",
    "traces get",
    "traces summaries",
    "traces operations",
    "logs",
    "logs search",
    "metrics",
    "metrics search",
    "metrics discover",
    "dashboards",
    "dashboards schema",
    "dashboards create",
];

#[test]
fn every_command_has_examples_and_global_options_come_last() {
    for command in EVERY_COMMAND {
        let out = run(Sandbox::new()
            .kopai()
            .args(owned_words(command))
            .arg("--help"));
        assert_eq!(out.code, 0);
        assert!(
            out.stdout.contains("\nExamples:\n  "),
            "kopai {command} --help:\n{}",
            out.stdout
        );
        let own = out.stdout.find("\nOptions:\n").expect("options");
        let global = out
            .stdout
            .find("\nGlobal options:\n")
            .expect("global options");
        assert!(own < global, "kopai {command} --help:\n{}", out.stdout);
        assert!(out.stdout[global..].contains("--timeout <DURATION>"));
        for line in out
            .stdout
            .lines()
            .filter(|l| l.starts_with("  kopai ") || l.starts_with("  echo "))
        {
            assert!(line.chars().count() <= 100, "an example that wraps: {line}");
        }
    }
}

#[test]
fn top_level_examples_are_aligned() {
    let out = run(Sandbox::new().kopai().arg("--help"));
    let examples = out.stdout.split("Examples:\n").nth(1).unwrap();
    let columns: Vec<usize> = examples
        .lines()
        .take_while(|l| l.starts_with("  "))
        .map(|l| {
            l.find("   ")
                .map(|i| i + l[i..].len() - l[i..].trim_start().len())
                .unwrap()
        })
        .collect();
    assert!(columns.len() >= 5, "{examples}");
    assert!(
        columns.windows(2).all(|w| w[0] == w[1]),
        "{columns:?}\n{examples}"
    );
}

/// Every command's path, from `kopai commands --json` (the whole tree, walked).
fn every_command_path() -> Vec<String> {
    fn walk(commands: &Value, out: &mut Vec<String>) {
        for command in commands.as_array().into_iter().flatten() {
            out.push(command["command"].as_str().expect("a path").to_owned());
            walk(&command["subcommands"], out);
        }
    }
    let listed = run(Sandbox::new().kopai().args(["commands", "--json"]));
    let tree: Value = serde_json::from_str(&listed.stdout).expect("JSON");
    let mut paths = vec!["kopai".to_owned()];
    walk(&tree["commands"], &mut paths);
    assert!(paths.len() > 30, "{paths:?}");
    paths
}

/// What is wrong with help text rendered for `width` columns: a line too long, an example
/// broken mid-command, or prose wrapped raggedly (a line ending where the next word would
/// still have fitted: text broken twice, once in the source and once by clap).
fn help_faults(help: &str, width: usize) -> Vec<String> {
    let mut faults = Vec::new();
    let lines: Vec<&str> = help.lines().collect();
    for line in &lines {
        if line.chars().count() > width {
            faults.push(format!("longer than {width}: {line:?}"));
        }
    }
    let Some(start) = lines.iter().position(|l| *l == "Examples:") else {
        return faults;
    };
    let mut in_examples = true;
    for (i, pair) in lines[start..].windows(2).enumerate() {
        let (line, next) = (pair[0], pair[1]);
        if i > 0 && line.is_empty() {
            in_examples = false;
        }
        if in_examples {
            let example = [
                "  kopai ",
                "  echo ",
                "  export ",
                "  claude ",
                "  TRACEPARENT=",
                "  # ",
            ]
            .iter()
            .any(|p| next.starts_with(p));
            let continued = line.ends_with('\\') && next.starts_with("    ");
            if !next.is_empty() && !example && !continued {
                faults.push(format!("an example broken before {next:?}"));
            }
        } else if !line.is_empty()
            && !line.starts_with(' ')
            && !next.is_empty()
            && !next.starts_with(' ')
        {
            let word = next.split_whitespace().next().unwrap_or_default();
            if line.chars().count() + 1 + word.chars().count() <= width {
                faults.push(format!("ragged: {line:?} then {next:?}"));
            }
        }
    }
    faults
}

#[test]
fn every_help_reads_cleanly_at_80_columns() {
    let mut faults = Vec::new();
    for path in every_command_path() {
        let out = run(Sandbox::new()
            .kopai()
            .args(path.split_whitespace().skip(1))
            .arg("--help")
            .env("COLUMNS", "80"));
        assert_eq!(out.code, 0, "{path} --help: {}", out.stderr);
        faults.extend(
            help_faults(&out.stdout, 80)
                .into_iter()
                .map(|f| format!("{path} --help: {f}")),
        );
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}

#[test]
fn the_help_checker_sees_the_faults() {
    let broken =
        "Examples:\n  kopai open trace 4bf92f   A trace, under its root\n  span's service\n";
    assert_eq!(help_faults(broken, 80).len(), 1);
    let ragged = "Examples:\n  kopai open\n\nOn a terminal this starts $BROWSER. With --print, when stdout is not\na terminal, it prints.\n";
    assert_eq!(help_faults(ragged, 80).len(), 1);
    let clean = "Examples:\n  kopai a \\\n    --b\n\nOne paragraph that is wrapped by clap at eighty columns exactly as it should be\nand ends here.\n";
    assert_eq!(help_faults(clean, 80), Vec::<String>::new());
    assert_eq!(help_faults(&"x".repeat(81), 80).len(), 1);
}

/// Each command's `--help` opens with the line its parent's `--help` lists it by. clap builds a
/// command's flags only when it is used (so `kopai --help` does not build them all): the flags'
/// structs must not bring a description of their own, which would replace the command's.
#[test]
fn every_help_opens_with_what_its_parent_lists() {
    let help = |words: &[&str]| {
        let out = run(Sandbox::new()
            .kopai()
            .args(words)
            .arg("--help")
            .env("COLUMNS", "200"));
        assert_eq!(out.code, 0, "{words:?} --help: {}", out.stderr);
        out.stdout
    };
    let mut wrong = Vec::new();
    for path in every_command_path().iter().skip(1) {
        let words: Vec<&str> = path.split_whitespace().skip(1).collect();
        let (name, parent) = words.split_last().expect("a command");
        let listing = help(parent);
        let listed = listing
            .lines()
            .find_map(|l| l.strip_prefix(&format!("  {name} ")))
            .map(str::trim)
            .unwrap_or_else(|| panic!("{path} is not listed in:\n{listing}"));
        let own = help(&words);
        let opening = own.lines().next().unwrap_or_default();
        if opening != listed {
            wrong.push(format!("{path}: {opening:?}, listed as {listed:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
