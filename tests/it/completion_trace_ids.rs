//! zsh and fish complete `traces get <TAB>` and `open trace <TAB>` with the trace IDs kopai
//! printed recently, newest first, from the cache alone (the server is down in every test
//! here), never with file names, and nothing in the cache is run by the shell.

use crate::common::*;

const OLD: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const NEW: &str = "5b8efff798038103d269b633813fc60c";
const DOWN: &str = "http://127.0.0.1:9";

/// Shells whose HOME remembers `OLD` then `NEW`, and whose working directory holds one file,
/// which a fallback to file names would offer.
fn shells_remembering(cache: &str) -> Shells {
    let shells = Shells::new();
    write(&shells.sb.home.join(".cache/kopai/recent-trace-ids"), cache);
    write(&shells.sb.cwd.join("only-file"), "");
    shells
}

fn two_ids() -> String {
    format!("1700000000 {OLD}\n1700000060 {NEW}\n")
}

/// What fish's own completion offers for `line` (the words before the cursor).
fn fish_offers(shells: &Shells, line: &str) -> Vec<String> {
    let program = r#"source $argv[1]; complete -C $argv[2]"#;
    let out = run(shells
        .shell("fish", DOWN)
        .args(["--no-config", "-c", program])
        .arg(shells.script("fish"))
        .arg(line));
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
        .lines()
        .map(|line| line.split('\t').next().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn fish_completes_recently_printed_trace_ids_without_the_server() {
    let shells = shells_remembering(&two_ids());
    assert_eq!(fish_offers(&shells, "kopai traces get "), [NEW, OLD]);
    assert_eq!(fish_offers(&shells, "kopai open trace "), [NEW, OLD]);
    assert_eq!(fish_offers(&shells, "kopai open trace 4b"), [OLD]);
    for line in [
        "kopai traces get zz",
        "kopai traces get o",
        "kopai open trace o",
    ] {
        assert!(
            fish_offers(&shells, line).is_empty(),
            "{line}: no file names"
        );
    }
    assert!(fish_offers(&shells, "kopai traces get --dep").contains(&"--depth".to_owned()));
}

/// TAB in an interactive zsh with compinit, as a person presses it: a unique prefix becomes
/// the whole ID, and a word no remembered ID starts leaves the line as it was (no file name).
#[test]
fn zsh_completes_recently_printed_trace_ids_without_the_server() {
    let shells = shells_remembering(&two_ids());
    let mut zsh = shells.process("zsh", DOWN);
    zsh.args(["-f", "-i"]).env("TERM", "dumb");
    // Ctrl-T prints the line as TAB left it (a widget printing $BUFFER between markers).
    let setup = format!(
        r#"PS1='$ '; autoload -Uz compinit; compinit -u -D; source {}; compdef _kopai kopai; show() {{ print -r -- "$((6*7))<$BUFFER>$((6*7))" }}; zle -N show; bindkey '^T' show; echo READY-$((6*7))"#,
        shells.script("zsh").display()
    );
    let mut session = TabSession::start(zsh, &setup);
    let mut tab = |line: &str| session.tab(line);
    assert_eq!(
        tab("kopai open trace 5b"),
        format!("kopai open trace {NEW} ")
    );
    assert_eq!(
        tab("kopai traces get 4b"),
        format!("kopai traces get {OLD} ")
    );
    for line in [
        "kopai traces get zz",
        "kopai traces get o",
        "kopai open trace o",
    ] {
        assert_eq!(tab(line), line, "TAB changed the line");
    }
    session.exit();
}

/// The helper hands zsh's `compadd` the IDs as they are, newest first; a cache holding
/// anything but IDs and times offers nothing (not even an empty word), and nothing in it is
/// run.
#[test]
fn zsh_and_fish_offer_only_ids_from_the_cache_and_run_nothing() {
    // compadd and _wanted only work inside zsh's completion widget: here they print what they
    // were handed.
    let program = r#"source "$1"
_wanted() { shift 4; "$@"; }
compadd() { [[ $1 == -a ]] && for word in "${(@P)2}"; do printf '%s\0' "$word"; done }
_kopai_trace_ids"#;
    let zsh_offers = |shells: &Shells| {
        let out = run(shells
            .shell("zsh", DOWN)
            .args(["-f", "-c", program, "zsh"])
            .arg(shells.script("zsh")));
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout
            .split_terminator('\0')
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let shells = shells_remembering(&two_ids());
    assert_eq!(zsh_offers(&shells), [NEW, OLD]);

    let hostile = format!(
        "{}1700000070 $(touch pwned)\n1700000080 `touch pwned2`\n1700000090 *\n",
        two_ids()
    );
    let shells = shells_remembering(&hostile);
    assert!(zsh_offers(&shells).is_empty());
    assert!(fish_offers(&shells, "kopai traces get ").is_empty());
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
