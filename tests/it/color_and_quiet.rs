//! `--color` and `-q/--quiet`, through the binary: which streams get colour, what `NO_COLOR`
//! and `CLICOLOR_FORCE` still decide, and what `-q` silences.

use crate::common::*;

const BOLD: &str = "\x1b[1m";
const RED_LABEL: &str = "\x1b[1m\x1b[31merror:\x1b[0m";

async fn search_server() -> wiremock::MockServer {
    serve_fixture("POST", "/signals/traces/search", "traces-search-page1.json").await
}

/// A table in a pipe, with `--color` and the colour variables as given.
fn table(url: &str, color: Option<&str>, env: &[(&str, &str)]) -> Output {
    kopai_with(url, &["traces", "search", "-t"], |cmd| {
        if let Some(when) = color {
            cmd.args(["--color", when]);
        }
        cmd.envs(env.iter().copied());
    })
}

#[tokio::test]
async fn color_always_colours_a_pipe_and_wins_over_no_color() {
    let server = search_server().await;
    let plain = table(&server.uri(), None, &[]);
    assert_ok(&plain);
    assert!(!plain.stdout.contains('\x1b'), "{:?}", plain.stdout);

    for env in [&[][..], &[("NO_COLOR", "1")][..]] {
        let out = table(&server.uri(), Some("always"), env);
        assert_ok(&out);
        assert!(out.stdout.starts_with(BOLD), "{env:?}: {:?}", out.stdout);
    }
    // The same data underneath.
    let out = table(&server.uri(), Some("always"), &[]);
    let stripped = out
        .stdout
        .replace(BOLD, "")
        .replace("\x1b[31m", "")
        .replace("\x1b[0m", "");
    assert_eq!(stripped, plain.stdout);
}

#[tokio::test]
async fn color_never_wins_over_clicolor_force_and_auto_follows_the_variables() {
    let server = search_server().await;
    let url = server.uri();
    let forced = table(&url, None, &[("CLICOLOR_FORCE", "1")]);
    assert!(forced.stdout.starts_with(BOLD), "{:?}", forced.stdout);
    let auto = table(&url, Some("auto"), &[("CLICOLOR_FORCE", "1")]);
    assert!(auto.stdout.starts_with(BOLD), "{:?}", auto.stdout);
    let both = table(&url, None, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert!(
        !both.stdout.contains('\x1b'),
        "NO_COLOR first: {:?}",
        both.stdout
    );
    let never = table(&url, Some("never"), &[("CLICOLOR_FORCE", "1")]);
    assert_ok(&never);
    assert!(!never.stdout.contains('\x1b'), "{:?}", never.stdout);
}

#[test]
fn color_always_colours_the_error_label_on_a_piped_stderr() {
    let sb = Sandbox::new();
    let out = run(sb.kopai().args([
        "--color",
        "always",
        "whoami",
        "--no-verify",
        "--config",
        "missing.json",
    ]));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.starts_with(RED_LABEL), "{:?}", out.stderr);
    let out = run(sb
        .kopai()
        .args(["whoami", "--no-verify", "--config", "missing.json"]));
    assert!(out.stderr.starts_with("error: "), "{:?}", out.stderr);
}

#[test]
fn color_always_colours_help_and_usage_errors_in_a_pipe() {
    let sb = Sandbox::new();
    let help = run(sb.kopai().args(["--color", "always", "--help"]));
    assert_ok(&help);
    assert!(help.stdout.contains('\x1b'), "{:?}", help.stdout);
    let help = run(sb
        .kopai()
        .args(["--help"])
        .env("CLICOLOR_FORCE", "1")
        .args(["--color=never"]));
    assert!(!help.stdout.contains('\x1b'), "{:?}", help.stdout);
    let usage = run(sb.kopai().args(["whoami", "--bogus", "--color", "always"]));
    assert_eq!(usage.code, 2);
    assert!(usage.stderr.contains(RED_LABEL), "{:?}", usage.stderr);
}

#[test]
fn an_invalid_color_is_a_usage_error() {
    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args(["whoami", "--no-verify", "--color", "sometimes"]));
    assert_failed(&out, 2);
    assert!(
        out.stderr
            .starts_with("error: invalid value 'sometimes' for '--color <WHEN>'"),
        "{}",
        out.stderr
    );
}

#[tokio::test]
async fn quiet_silences_warnings_and_hints_but_not_the_data() {
    let server = search_server().await;
    // Without -q: a hint that there are more pages.
    let args = ["traces", "search", "-t", "--limit", "8"];
    let loud = kopai_at(&server.uri(), &args);
    assert_ok(&loud);
    assert!(
        loud.stderr.contains("hint: there are more results"),
        "{}",
        loud.stderr
    );
    for quiet in ["-q", "--quiet"] {
        let out = kopai_with(&server.uri(), &args, |cmd| {
            cmd.arg(quiet);
        });
        assert_ok(&out);
        assert_eq!(out.stderr, "", "{quiet}");
        assert_eq!(out.stdout, loud.stdout, "{quiet}");
    }
}

#[test]
fn quiet_keeps_errors_and_warnings_about_the_token() {
    let sb = Sandbox::new();
    // An error still prints, with its exit code.
    let out = run(sb
        .kopai()
        .args(["-q", "whoami", "--no-verify", "--config", "missing.json"]));
    assert_failed(&out, 3);
    assert!(out.stderr.starts_with("error: "), "{}", out.stderr);

    // A token sent in cleartext is still said; "Saved to" is not.
    let out = run(sb
        .kopai()
        .args([
            "login",
            "-q",
            "--no-verify",
            "--url",
            "http://kopai.example.com",
        ])
        .write_stdin(format!("{TOKEN}\n")));
    assert_ok(&out);
    assert!(
        out.stderr
            .contains("warning: http://kopai.example.com uses plain http"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("Saved to"), "{}", out.stderr);
    let loud = run(sb
        .kopai()
        .args(["login", "--no-verify", "--url", "http://kopai.example.com"])
        .write_stdin(format!("{TOKEN}\n")));
    assert!(loud.stderr.contains("Saved to"), "{}", loud.stderr);
}
