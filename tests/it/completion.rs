//! Shell completion in real shells: the server's service names are offered as literal words
//! (never run, expanded or globbed), at most 1,000 of them, the environment's token never goes
//! to a server that a `./.kopairc` chose, and a flag's value never falls back to file names.

use serde_json::json;
use wiremock::MockServer;

use crate::common::*;

/// Names a server could send that a shell would run, expand, glob or split.
const HOSTILE: &[&str] = &[
    "$(touch${IFS}pwned)",
    "`touch${IFS}pwned2`",
    "*",
    "~",
    "~root",
    "$HOME",
    "[a-z]*",
    "name with spaces",
    "it's \"quoted\"",
    "a:b=c",
    "back\\slash",
    "!!",
    "#hash",
    "x;touch${IFS}pwned3",
    "café",
    "checkout-api",
];

/// Names that are never offered: no shell or terminal would show them as they are.
const UNSAFE: &[&str] = &[
    "line\nbreak",
    "tab\there",
    "\u{1b}]0;title\u{7}",
    "rtl\u{202e}x",
    "",
];

async fn serving_names(names: &[&str]) -> MockServer {
    let body = json!({ "services": names }).to_string();
    serve("GET", "/signals/services", json_response(&body)).await
}

/// Files that a glob would find, so a glob that happened shows in what is offered.
fn bait(sb: &Sandbox) {
    write(&sb.cwd.join("file1"), "");
    write(&sb.cwd.join("dir/inside"), "");
}

fn assert_nothing_ran(sb: &Sandbox) {
    let mut entries: Vec<String> = std::fs::read_dir(&sb.cwd)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    assert_eq!(
        entries,
        ["dir", "file1"],
        "something ran in the working directory"
    );
}

#[tokio::test]
async fn bash_offers_hostile_service_names_literally() {
    let names: Vec<&str> = HOSTILE.iter().chain(UNSAFE).copied().collect();
    let server = serving_names(&names).await;
    let shells = Shells::new();
    bait(&shells.sb);
    // What a person types before TAB, and the names it must offer, in the server's order.
    let cases: &[(&str, &[&str])] = &[
        ("", HOSTILE),
        ("\\$", &["$(touch${IFS}pwned)", "$HOME"]),
        ("*", &["*"]),
        ("~", &["~", "~root"]),
        ("name\\ w", &["name with spaces"]),
        ("name", &["name with spaces"]),
        ("a:", &["a:b=c"]),
        ("caf", &["café"]),
        ("zzz", &[]),
    ];
    for (prefix, expected) in cases {
        let words = ["kopai", "traces", "search", "--service", prefix];
        let offered = shells.bash_offers(&server.uri(), &words);
        assert_nothing_ran(&shells.sb);
        // Each offered word, run as part of the command line, is exactly the server's name.
        let parsed = shells.bash_parses(&offered);
        assert_nothing_ran(&shells.sb);
        assert_eq!(parsed, *expected, "prefix {prefix:?}, offered {offered:?}");
    }
    // -s and the other commands' --service ask the same way.
    for words in [
        ["kopai", "logs", "search", "-s", "che"],
        ["kopai", "metrics", "search", "--service", "che"],
        ["kopai", "traces", "operations", "-s", "che"],
    ] {
        assert_eq!(shells.bash_offers(&server.uri(), &words), ["checkout-api"]);
    }
}

#[tokio::test]
async fn completion_lists_a_capped_number_of_safe_names() {
    let names: Vec<String> = (0..3_000).map(|i| format!("svc-{i:04}")).collect();
    let mut all: Vec<&str> = UNSAFE.to_vec();
    all.extend(names.iter().map(String::as_str));
    let server = serving_names(&all).await;
    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args(["services", "--for-completion"])
        .env("KOPAI_URL", server.uri()));
    assert_ok(&out);
    let listed: Vec<&str> = out.stdout.lines().collect();
    // The first 1,000 safe names, one a line (compared without printing 3,000 names).
    assert!(
        listed == names[..1_000],
        "{} lines: {:?}…",
        listed.len(),
        &listed[..3]
    );
    let shells = Shells::new();
    let offered = shells.bash_offers(&server.uri(), &["kopai", "logs", "search", "-s", ""]);
    assert_eq!(offered.len(), 1_000);
}

/// A TAB does not wait out retries: a server that fails in passing (503, which every other
/// command tries again) gets one request, and nothing is offered.
#[tokio::test]
async fn completion_asks_the_server_once() {
    let server = serve(
        "GET",
        "/signals/services",
        wiremock::ResponseTemplate::new(503),
    )
    .await;
    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args(["services", "--for-completion"])
        .env("KOPAI_URL", server.uri()));
    assert_ok(&out);
    assert_eq!(out.stdout, "");
    assert_eq!(out.stderr, "");
    assert_eq!(requests(&server).await.len(), 1);
}

/// TAB in a cloned repository whose `./.kopairc` names a server: the environment's token is
/// not sent there (completion throws stderr away, so no note could say it was); a token from
/// that same file is.
#[tokio::test]
async fn completion_sends_only_a_token_from_where_the_url_came_from() {
    let server = serving_names(&["checkout-api"]).await;
    let shells = Shells::new();
    write(
        &shells.sb.local_rc(),
        &format!("{{\"url\": \"{}\"}}\n", server.uri()),
    );
    let tab = |shells: &Shells| {
        let words = ["kopai", "traces", "search", "--service", ""];
        let program = r#"source "$1"; shift; compopt() { :; }
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _kopai kopai "" --service
printf '%s\n' "${COMPREPLY[@]}""#;
        let mut cmd = shells.shell("bash", "");
        cmd.env_remove("KOPAI_URL").env("KOPAI_TOKEN", TOKEN);
        run(cmd
            .args(["-c", program, "bash"])
            .arg(shells.script("bash"))
            .args(words))
    };
    let out = tab(&shells);
    assert_eq!(out.stdout, "checkout-api\n", "{}", out.stderr);
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 1);
    assert!(
        !sent[0].headers.contains_key("authorization"),
        "KOPAI_TOKEN went to the server ./.kopairc named"
    );

    write_private(&shells.sb.local_rc(), &config(&server.uri(), TOKEN));
    assert_eq!(tab(&shells).stdout, "checkout-api\n");
    let sent = requests(&server).await;
    assert_eq!(
        sent[1].headers.get("authorization").unwrap(),
        &format!("Bearer {TOKEN}"),
        "the file's own token goes to the file's own server"
    );

    // Both from the environment: the user chose both.
    let out = run(shells
        .sb
        .kopai()
        .args(["services", "--for-completion"])
        .env("KOPAI_URL", server.uri())
        .env("KOPAI_TOKEN", TOKEN));
    assert_eq!(out.stdout, "checkout-api\n");
    let sent = requests(&server).await;
    assert!(sent[2].headers.contains_key("authorization"));
}

#[test]
fn completions_offer_values_instead_of_files() {
    let script = |shell| run(Sandbox::new().kopai().args(["completions", shell])).stdout;
    let (bash, zsh, fish) = (script("bash"), script("zsh"), script("fish"));
    assert!(bash.contains(r#"compgen -W "ok error unset""#));
    assert!(bash.contains(r#"compgen -W "server client producer consumer internal unspecified""#));
    assert!(bash.contains(r#"compgen -W "Gauge Sum Histogram ExponentialHistogram Summary""#));
    assert!(bash.contains(r#"compgen -W "sum avg min max count""#));
    assert!(bash.contains(r#"compgen -W "asc desc""#));
    assert!(
        fish.contains("-l status-code") && fish.contains("ok\\t''"),
        "{fish}"
    );
    assert!(zsh.contains(":CODE:(ok error unset)"), "{zsh}");
    // --service asks the server where the shell can run a command for it.
    assert!(zsh.contains("--service=[Filter by service name]:NAME:_kopai_services'"));
    assert!(zsh.contains(
        "--service=[Waterfall\\: only the spans of this service, and their parents]:NAME:_kopai_services'"
    ));
    assert!(fish.contains(
        "-s s -l service -d 'Filter by service name' -r -f -a '(kopai services --for-completion 2>/dev/null)'"
    ));
    // The scripts' own flag is not offered to people.
    for script in [&bash, &zsh, &fish] {
        let offered = script.matches("--for-completion").count();
        let used = script
            .matches("kopai services --for-completion 2>/dev/null")
            .count();
        assert_eq!(offered, used);
    }
}

/// bash completes `--service <TAB>` with the server's names, fixed values from the script,
/// and nothing at all when the server cannot be reached.
#[tokio::test]
async fn bash_completes_service_names_from_the_server() {
    let server = serve_fixture("GET", "/signals/services", "services.json").await;
    let shells = Shells::new();
    let offers = |url: &str, line: &str| {
        let mut words = words(line);
        words.push("");
        shells.bash_offers(url, &words)
    };
    let names = ["checkout-api", "payment-service"];
    assert_eq!(
        offers(&server.uri(), "kopai traces search --service"),
        names
    );
    assert_eq!(offers(&server.uri(), "kopai logs search -s"), names);
    assert_eq!(
        offers(&server.uri(), "kopai traces search --status-code"),
        ["ok", "error", "unset"]
    );
    let down = "http://127.0.0.1:9";
    assert!(offers(down, "kopai traces search --service").is_empty());
}

/// zsh hands the names to `compadd` as they are (`_describe` would cut `a:b=c` at the colon;
/// compadd quotes what it inserts) and fish offers them as they are (and escapes what it
/// inserts): nothing is run, expanded or globbed while the list is made.
#[tokio::test]
async fn zsh_and_fish_offer_hostile_service_names_literally() {
    let server = serving_names(&HOSTILE.iter().chain(UNSAFE).copied().collect::<Vec<_>>()).await;
    let shells = Shells::new();
    bait(&shells.sb);
    // compadd and _wanted only work inside zsh's completion widget: here they print what they
    // were handed.
    let program = r#"source "$1"
_wanted() { shift 3; "$@"; }
compadd() { [[ $1 == -a ]] && printf '%s\0' "${(@P)2}"; }
_kopai_services"#;
    let out = run(shells
        .shell("zsh", &server.uri())
        .args(["-f", "-c", program, "zsh"])
        .arg(shells.script("zsh")));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let offered: Vec<&str> = out.stdout.split_terminator('\0').collect();
    assert_eq!(offered, HOSTILE);
    assert_nothing_ran(&shells.sb);

    let program = r#"source $argv[1]; complete -C "kopai traces search --service ""#;
    let out = run(shells
        .shell("fish", &server.uri())
        .args(["--no-config", "-c", program])
        .arg(shells.script("fish")));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut offered: Vec<&str> = out
        .stdout
        .lines()
        .map(|line| line.split('\t').next().unwrap())
        .collect();
    offered.sort_unstable();
    let mut expected = HOSTILE.to_vec();
    expected.sort_unstable();
    assert_eq!(offered, expected);
    assert_nothing_ran(&shells.sb);
}

/// TAB in an interactive bash, as a person presses it: after a flag that takes a value, with
/// the server down, nothing is inserted (bash's `-o default` used to complete file names);
/// a flag that takes a path still completes them.
#[test]
fn with_the_server_down_a_value_never_completes_file_names() {
    let shells = Shells::new();
    // The one file: a fallback to file names would insert it.
    write(&shells.sb.cwd.join("only-file"), "");
    write(&shells.sb.local_rc(), "{}\n");
    let mut bash = shells.process("bash", "http://127.0.0.1:9");
    bash.args(["--norc", "--noprofile", "-i"])
        .env("INPUTRC", "/dev/null")
        .env("TERM", "dumb");
    let setup = format!(
        r#"PS1='$ '; bind -x '"\C-t": printf "%s<%s>%s\n" $((6*7)) "$READLINE_LINE" $((6*7))'; source {}; echo READY-$((6*7))"#,
        shells.script("bash").display()
    );
    let mut session = TabSession::start(bash, &setup);
    let mut tab = |line: &str| session.tab(line);
    for line in [
        "kopai traces search --service ",
        "kopai traces search --service on",
        "kopai logs search -s ",
        "kopai traces search --wait on",
        "kopai traces search --status-code on",
        "kopai traces search --limit on",
        "kopai open trace 4bf92f3577b34da6a3ce929d0e0e4736 --span on",
        "kopai whoami --url on",
    ] {
        assert_eq!(tab(line), line, "TAB changed the line");
    }
    // The control: a path flag completes the file, so the cases above could have shown it.
    assert_eq!(
        tab("kopai traces search --config on"),
        "kopai traces search --config only-file "
    );
    session.exit();
}

/// `traces get <TAB>` and `open trace <TAB>` offer the trace IDs kopai printed recently
/// (newest first, matching what is typed), from the cache alone: the server is down here.
#[test]
fn bash_completes_recently_printed_trace_ids_without_the_server() {
    let shells = Shells::new();
    let (old, new) = (
        "4bf92f3577b34da6a3ce929d0e0e4736",
        "5b8efff798038103d269b633813fc60c",
    );
    write(
        &shells.sb.home.join(".cache/kopai/recent-trace-ids"),
        &format!("1700000000 {old}\n1700000060 {new}\n"),
    );
    let down = "http://127.0.0.1:9";
    let offers = |line: &str| shells.bash_offers(down, &words(line));
    assert_eq!(
        shells.bash_offers(down, &["kopai", "traces", "get", ""]),
        [new, old]
    );
    assert_eq!(offers("kopai open trace 4bf"), [old]);
    assert!(offers("kopai traces get 0000").is_empty());
    // A flag still completes as a flag.
    assert!(offers("kopai traces get --dep").contains(&"--depth".to_owned()));
}

/// The IDs reach bash's COMPREPLY as words, never through `compgen -W` (which expands its list
/// again) nor an unquoted `$(…)` (which globs): a cache holding a command substitution,
/// backticks or a glob offers nothing and runs nothing.
#[test]
fn bash_offers_nothing_from_a_tampered_trace_id_cache_and_runs_nothing() {
    let shells = Shells::new();
    // A file for `*` to glob to, were the words globbed.
    write(&shells.sb.cwd.join("only-file"), "");
    write(
        &shells.sb.home.join(".cache/kopai/recent-trace-ids"),
        "1700000000 4bf92f3577b34da6a3ce929d0e0e4736
1700000070 $(touch pwned)
\
         1700000080 `touch pwned2`\n1700000090 *\n",
    );
    for command in [
        ["kopai", "traces", "get", ""],
        ["kopai", "open", "trace", ""],
    ] {
        let offers = shells.bash_offers("http://127.0.0.1:9", &command);
        assert!(offers.is_empty(), "{command:?}: {offers:?}");
    }
    let entries: Vec<String> = std::fs::read_dir(&shells.sb.cwd)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        entries,
        ["only-file"],
        "something ran in the working directory"
    );
}

/// `kopai help COMMAND <TAB>` offers that command's subcommands. The top-level commands get
/// their flags and subcommands from clap only when parsed (start-up speed), and clap copies
/// the tree for `help` before that: the completion scripts must come from the tree built whole.
#[test]
fn help_completes_the_subcommands_of_open_send_profiles_and_traces() {
    let shells = Shells::new();
    let offers = |line: &str| {
        let mut words = words(line);
        words.push("");
        shells.bash_offers("http://127.0.0.1:9", &words)
    };
    assert_eq!(
        offers("kopai help open"),
        ["trace", "logs", "metrics", "dashboard"]
    );
    assert_eq!(offers("kopai help send"), ["span", "log", "metric"]);
    assert_eq!(offers("kopai help profiles"), ["use"]);
    assert_eq!(
        offers("kopai help traces"),
        ["get", "search", "summaries", "stats", "operations"]
    );
    let script = |shell| run(Sandbox::new().kopai().args(["completions", shell])).stdout;
    let (zsh, fish) = (script("zsh"), script("fish"));
    for (command, first) in [("open", "trace"), ("send", "span"), ("profiles", "use")] {
        assert!(
            zsh.contains(&format!(
                "_kopai__subcmd__help__subcmd__{command}_commands() {{\n    local commands; commands=(\n'{first}:"
            )),
            "zsh: help {command}"
        );
        assert!(
            fish.contains(&format!(
                "__fish_kopai_using_subcommand help; and __fish_seen_subcommand_from {command}\" -f -a \"{first}\""
            )),
            "fish: help {command}"
        );
    }
}
