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
