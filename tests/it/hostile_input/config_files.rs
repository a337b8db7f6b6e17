//! Config files that are not plain files (a FIFO, a device, an oversized file, a symlink) and
//! the git check that runs no repository configuration.

use super::*;

/// A command that would hang or run out of memory instead fails fast with exit 3, naming
/// the file.
fn assert_refused_quickly(sb: &Sandbox, args: &[&str], named: &str) {
    let started = Instant::now();
    let out = run(sb.kopai().args(args).timeout(Duration::from_secs(20)));
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{args:?} took too long"
    );
    assert_eq!(out.code, 3, "{args:?}: {}", out.stderr);
    assert!(out.stderr.contains(named), "{args:?}: {}", out.stderr);
    assert!(out.stderr.contains("not a regular file"), "{}", out.stderr);
}

#[cfg(unix)]
#[test]
fn a_fifo_config_is_a_config_error_not_a_hang() {
    let sb = Sandbox::new();
    let fifo = sb.local_rc();
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let named = fifo.display().to_string();
    assert_refused_quickly(&sb, &["whoami", "--no-verify"], ".kopairc");
    assert_refused_quickly(&sb, &["login", "--no-verify", "--token", TOKEN], ".kopairc");
    assert_refused_quickly(&sb, &["logout"], ".kopairc");
    assert_refused_quickly(&sb, &["whoami", "--config", &named], &named);
}

#[cfg(unix)]
#[test]
fn a_config_linked_to_a_device_is_a_config_error() {
    let sb = Sandbox::new();
    std::os::unix::fs::symlink("/dev/zero", sb.local_rc()).unwrap();
    assert_refused_quickly(&sb, &["whoami", "--no-verify"], ".kopairc");
    assert_refused_quickly(&sb, &["traces", "search", "--table"], ".kopairc");
    // The link is left alone.
    assert!(std::fs::symlink_metadata(sb.local_rc())
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn an_oversized_config_is_a_config_error() {
    let sb = Sandbox::new();
    let big = format!(
        r#"{{"token":"{TOKEN}","pad":"{}"}}"#,
        "x".repeat(2 * 1024 * 1024)
    );
    write_private(&sb.local_rc(), &big);
    let out = run(sb.kopai().args(["whoami", "--no-verify"]));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr.contains(".kopairc") && out.stderr.contains("larger than 1024 KiB"),
        "{}",
        out.stderr
    );
    assert_no_secret(&out, TOKEN);
}

#[cfg(unix)]
#[test]
fn a_config_reached_through_a_symlink_still_works() {
    let sb = Sandbox::new();
    let real = sb.home.join("dotfiles/kopairc");
    write_private(
        &real,
        &format!(r#"{{"url":"http://127.0.0.1:9","token":"{TOKEN}"}}"#),
    );
    std::os::unix::fs::symlink(&real, sb.local_rc()).unwrap();
    let out = run(sb.kopai().args(["whoami", "--no-verify"]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains(PREFIX), "{}", out.stdout);
}

#[test]
fn a_repositorys_fsmonitor_is_not_run() {
    let sb = Sandbox::new();
    git(&sb.cwd, &["init", "-q"], &sb);
    let marker = sb.home.join("fsmonitor-ran");
    let hook = format!("touch '{}'; false", marker.display());
    git(&sb.cwd, &["config", "core.fsmonitor", &hook], &sb);
    // Guards the guard: git itself does run it.
    git(&sb.cwd, &["status", "--short"], &sb);
    assert!(marker.exists(), "this git does not run core.fsmonitor");
    std::fs::remove_file(&marker).unwrap();

    let out = run(sb.kopai().args(["login", "--no-verify"]).write_stdin(TOKEN));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("is not ignored by git"),
        "{}",
        out.stderr
    );
    assert!(!marker.exists(), "kopai ran the repository's fsmonitor");
}

#[cfg(unix)]
#[test]
fn a_home_config_linked_into_a_dotfiles_repo_is_checked_there() {
    let sb = Sandbox::new();
    let dotfiles = sb.home.join("dotfiles");
    std::fs::create_dir_all(&dotfiles).unwrap();
    git(&dotfiles, &["init", "-q"], &sb);
    write_private(&dotfiles.join("kopairc"), "{}\n");
    git(&dotfiles, &["add", "kopairc"], &sb);
    std::os::unix::fs::symlink(dotfiles.join("kopairc"), sb.home_rc()).unwrap();

    let out = run(sb
        .kopai()
        .args(["login", "--global", "--no-verify"])
        .write_stdin(TOKEN));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        sb.scrub(&out.stderr).contains(
            "warning: [HOME]/.kopairc (a link to [HOME]/dotfiles/kopairc) is tracked by git, \
             so the token will be committed; run `git rm --cached kopairc`"
        ),
        "{}",
        out.stderr
    );
    assert!(std::fs::symlink_metadata(sb.home_rc())
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(read(&dotfiles.join("kopairc")).contains(TOKEN));
}
