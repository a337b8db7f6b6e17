//! `kopai login` warns when git would commit the token, by git's own rules.

use std::path::Path;

use crate::common::*;

const NOT_IGNORED: &str = "is not ignored by git; add `.kopairc` to .gitignore";

fn login_in(sb: &Sandbox, dir: &Path, extra: &[&str]) -> Output {
    let out = run(sb
        .kopai()
        .current_dir(dir)
        .args(["login", "--no-verify"])
        .args(extra)
        .write_stdin(TOKEN));
    assert_ok(&out);
    out
}

fn repo() -> Sandbox {
    let sb = Sandbox::new();
    git(&sb.cwd, &["init", "-q"], &sb);
    sb
}

#[test]
fn warns_in_a_repo_that_does_not_ignore_it() {
    let sb = repo();
    let out = login_in(&sb, &sb.cwd, &[]);
    assert_eq!(
        sb.scrub(&out.stderr),
        "Logging in to https://kopai.app (the default)\n\
         Saved to [CWD]/.kopairc\n\
         warning: [CWD]/.kopairc is not ignored by git; add `.kopairc` to .gitignore so the token is never committed\n"
    );
}

#[test]
fn no_warning_outside_a_repo() {
    let sb = Sandbox::new();
    let out = login_in(&sb, &sb.cwd, &[]);
    assert!(!out.stderr.contains("git"), "{}", out.stderr);
}

#[test]
fn any_ignore_rule_silences_it() {
    let rules: [(&str, &str); 4] = [
        (".gitignore", ".kopairc\n"),
        (".gitignore", "*.kopairc\n"),
        (".gitignore", "/.kopairc\n"),
        (".git/info/exclude", ".kopairc\n"),
    ];
    for (file, rule) in rules {
        let sb = repo();
        write(&sb.cwd.join(file), rule);
        let out = login_in(&sb, &sb.cwd, &[]);
        assert!(
            !out.stderr.contains(NOT_IGNORED),
            "{file}: {rule}: {}",
            out.stderr
        );
    }
}

#[test]
fn a_negated_rule_still_warns() {
    let sb = repo();
    write(&sb.cwd.join(".gitignore"), "*.kopairc\n!.kopairc\n");
    let out = login_in(&sb, &sb.cwd, &[]);
    assert!(out.stderr.contains(NOT_IGNORED), "{}", out.stderr);
}

#[test]
fn the_global_excludes_file_counts() {
    let sb = repo();
    write(&sb.home.join(".config/git/ignore"), ".kopairc\n");
    let out = login_in(&sb, &sb.cwd, &[]);
    assert!(!out.stderr.contains(NOT_IGNORED), "{}", out.stderr);
}

#[test]
fn subdirectories_use_the_parent_gitignore() {
    let sb = repo();
    let sub = sb.cwd.join("services/api");
    std::fs::create_dir_all(&sub).unwrap();
    let out = login_in(&sb, &sub, &[]);
    assert!(out.stderr.contains(NOT_IGNORED), "{}", out.stderr);

    write(&sb.cwd.join("services/.gitignore"), ".kopairc\n");
    let out = login_in(&sb, &sub, &[]);
    assert!(!out.stderr.contains(NOT_IGNORED), "{}", out.stderr);
}

#[test]
fn a_tracked_file_gets_a_stronger_warning() {
    let sb = repo();
    write(&sb.local_rc(), "{}\n");
    git(&sb.cwd, &["add", ".kopairc"], &sb);
    write(&sb.cwd.join(".gitignore"), ".kopairc\n");
    let out = login_in(&sb, &sb.cwd, &[]);
    assert!(
        sb.scrub(&out.stderr).contains(
            "warning: [CWD]/.kopairc is tracked by git, so the token will be committed; \
             run `git rm --cached .kopairc` and add `.kopairc` to .gitignore"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn a_dotfiles_repo_in_home_counts_for_global() {
    let sb = Sandbox::new();
    git(&sb.home, &["init", "-q"], &sb);
    let out = login_in(&sb, &sb.cwd, &["--global"]);
    assert!(
        sb.scrub(&out.stderr)
            .contains("warning: [HOME]/.kopairc is not ignored by git"),
        "{}",
        out.stderr
    );
}

#[test]
fn without_git_installed_login_just_works() {
    let sb = repo();
    let out = run(sb
        .kopai()
        .args(["login", "--no-verify"])
        .env("PATH", sb.home.join("empty-bin"))
        .write_stdin(TOKEN));
    assert_ok(&out);
    assert_eq!(
        sb.scrub(&out.stderr),
        "Logging in to https://kopai.app (the default)
Saved to [CWD]/.kopairc
"
    );
}
