//! How `kopai login` writes the config file: other fields kept, unreadable files never
//! overwritten, private permissions, symlinks, concurrent logins and failed writes.

use std::fs;
use std::path::Path;

use crate::common::*;

#[test]
fn unknown_fields_and_key_order_are_kept() {
    let sb = Sandbox::new();
    write(
        &sb.local_rc(),
        r#"{"team": "payments", "token": "kpi_old", "nested": {"z": [1, 2.50], "a": null}, "url": "http://127.0.0.1:9"}"#,
    );
    let out = run(sb.kopai().args(["login", "--no-verify"]).write_stdin(TOKEN));
    assert_ok(&out);
    let text = read(&sb.local_rc());
    let config = saved(&sb.local_rc());
    assert_eq!(keys(&config), ["team", "token", "nested", "url", "savedAt"]);
    assert_eq!(config["token"], TOKEN);
    assert_eq!(config["url"], "http://127.0.0.1:9");
    assert!(
        text.contains(
            "\"nested\": {\n    \"z\": [\n      1,\n      2.50\n    ],\n    \"a\": null\n  }"
        ),
        "{text}"
    );
}

#[test]
fn unreadable_configs_are_never_overwritten() {
    let cases = [
        (
            "{\"url\": \"x\",\n  \"token\": \n",
            "is not valid JSON: EOF while parsing a value at line 3, column 0",
        ),
        (r#"{"token": 5}"#, "\"token\" must be a string"),
        (
            r#"{"url": ["https://kopai.app"]}"#,
            "\"url\" must be a string",
        ),
        ("[1, 2]", "must contain a JSON object"),
        ("", "is not valid JSON"),
    ];
    for (content, problem) in cases {
        let sb = Sandbox::new();
        write(&sb.local_rc(), content);
        let out = run(sb.kopai().args(["login", "--no-verify"]).write_stdin(TOKEN));
        assert_eq!(out.code, 3, "{content}");
        assert_eq!(out.stdout, "");
        let stderr = sb.scrub(&out.stderr);
        assert!(
            stderr.starts_with("error: config file .kopairc"),
            "{stderr}"
        );
        assert!(stderr.contains(problem), "{stderr}");
        assert!(stderr.contains("hint: "), "{stderr}");
        assert_eq!(read(&sb.local_rc()), content, "file changed");
    }
}

#[cfg(unix)]
#[test]
fn saved_files_are_private_even_when_they_were_not() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;

    let out = run(sb.kopai().args(["login", "--no-verify"]).write_stdin(TOKEN));
    assert_ok(&out);
    assert_eq!(mode(&sb.local_rc()), 0o600);

    fs::set_permissions(sb.local_rc(), fs::Permissions::from_mode(0o644)).unwrap();
    let out = run(sb.kopai().args(["login", "--no-verify"]).write_stdin(TOKEN));
    assert_ok(&out);
    assert_eq!(mode(&sb.local_rc()), 0o600);
}

#[cfg(unix)]
#[test]
fn a_symlinked_config_stays_a_symlink() {
    let sb = Sandbox::new();
    let real = sb.home.join("dotfiles/kopairc.json");
    write(&real, r#"{"url": "http://127.0.0.1:9", "keep": true}"#);
    std::os::unix::fs::symlink(&real, sb.local_rc()).unwrap();

    let out = run(sb.kopai().args(["login", "--no-verify"]).write_stdin(TOKEN));
    assert_ok(&out);
    assert!(fs::symlink_metadata(sb.local_rc())
        .unwrap()
        .file_type()
        .is_symlink());
    let config = saved(&real);
    assert_eq!(config["token"], TOKEN);
    assert_eq!(config["keep"], true);
    // The temp file went next to the target, and is gone.
    assert_eq!(fs::read_dir(real.parent().unwrap()).unwrap().count(), 1);
}

#[test]
fn twelve_concurrent_logins_never_tear_the_file() {
    let sb = Sandbox::new();
    write(&sb.local_rc(), r#"{"keep": "me"}"#);
    let tokens: Vec<String> = (0..12)
        .map(|i| format!("kpi_concurrent_{i:02}_abcdef"))
        .collect();
    let children: Vec<_> = tokens
        .iter()
        .map(|token| {
            sb.process()
                .args(["login", "--no-verify", "--token", token])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let config = saved(&sb.local_rc());
    assert_eq!(config["keep"], "me");
    assert!(tokens.iter().any(|t| config["token"] == t.as_str()));
    let leftovers: Vec<_> = fs::read_dir(&sb.cwd)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n != ".kopairc")
        .collect();
    assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");
}

#[test]
fn a_directory_in_the_way_is_a_config_error() {
    let sb = Sandbox::new();
    fs::create_dir(sb.local_rc()).unwrap();
    let out = run(sb.kopai().args(["login", "--no-verify"]).write_stdin(TOKEN));
    assert_eq!(out.code, 3);
    assert_eq!(
        out.stderr,
        "error: could not read config file .kopairc: is a directory, not a file\n"
    );
}

#[test]
fn a_failed_write_leaves_the_original_and_no_temp_file() {
    // A name so long that the temp file beside it cannot be created: a write failure that
    // holds even for root, which ignores read-only directories.
    let sb = Sandbox::new();
    let name = "k".repeat(250);
    let target = sb.cwd.join(&name);
    let original = "{\"url\": \"http://127.0.0.1:9\", \"token\": \"kpi_old\"}\n";
    write(&target, original);

    let out = run(sb
        .kopai()
        .args(["login", "--no-verify", "--config", &name])
        .write_stdin(TOKEN));
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with(&format!("error: could not save {name}: ")),
        "{}",
        out.stderr
    );
    assert_eq!(out.stdout, "");
    assert_eq!(read(&target), original);
    assert_eq!(fs::read_dir(&sb.cwd).unwrap().count(), 1);
}

#[cfg(unix)]
#[test]
fn a_read_only_directory_is_reported_when_it_applies() {
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    let dir = sb.cwd.join("locked");
    write(&dir.join(".kopairc"), "{}\n");
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o555)).unwrap();
    let privileged = fs::write(dir.join("probe"), "").is_ok();
    let out = run(sb
        .kopai()
        .args(["login", "--no-verify", "-c", "locked/.kopairc"])
        .write_stdin(TOKEN));
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    if privileged {
        // root writes anyway; the long-name test covers the failure path.
        assert_ok(&out);
        return;
    }
    assert_eq!(out.code, 3);
    assert!(out.stderr.contains("Permission denied"), "{}", out.stderr);
    assert_eq!(read(&dir.join(".kopairc")), "{}\n");
}
