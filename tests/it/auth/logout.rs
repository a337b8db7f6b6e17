//! `kopai logout`: the token goes, every other field stays.

use crate::common::*;

#[test]
fn logout_removes_only_the_token() {
    let sb = Sandbox::new();
    let original = format!(
        "{{\"team\": \"payments\", \"url\": \"http://127.0.0.1:9\", \"token\": \"{TOKEN}\", \"savedAt\": \"2026-11-01T00:00:00Z\", \"n\": 1.0}}"
    );
    write(&sb.local_rc(), &original);
    let out = run(sb.kopai().arg("logout"));
    assert_ok(&out);
    assert_eq!(out.stdout, "Logged out.\n");
    assert!(
        out.stderr.contains("revoke it in the dashboard"),
        "{}",
        out.stderr
    );
    assert_eq!(
        read(&sb.local_rc()),
        "{\n  \"team\": \"payments\",\n  \"url\": \"http://127.0.0.1:9\",\n  \"savedAt\": \"2026-11-01T00:00:00Z\",\n  \"n\": 1.0\n}\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(sb.local_rc())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let out = run(sb.kopai().arg("logout"));
    assert_eq!((out.code, out.stdout.as_str()), (0, "Not logged in.\n"));
}

#[test]
fn logout_without_a_file_creates_none() {
    let sb = Sandbox::new();
    let out = run(sb.kopai().arg("logout"));
    assert_eq!(
        (out.code, out.stdout.as_str(), out.stderr.as_str()),
        (0, "Not logged in.\n", "")
    );
    assert!(!sb.local_rc().exists());
}

#[test]
fn logout_points_at_the_global_token() {
    let sb = Sandbox::new();
    write(&sb.home_rc(), &config("http://127.0.0.1:9", TOKEN));
    let out = run(sb.kopai().arg("logout"));
    assert_eq!(out.stdout, "Not logged in.\n");
    assert_eq!(
        out.stderr,
        "note: there is no token in ./.kopairc, but ~/.kopairc holds one; run `kopai logout --global` to remove it\n"
    );
    let out = run(sb.kopai().args(["logout", "--global"]));
    assert_eq!(out.stdout, "Logged out.\n");
    assert_eq!(
        read(&sb.home_rc()),
        "{\n  \"url\": \"http://127.0.0.1:9\"\n}\n"
    );
}

#[test]
fn logout_never_touches_an_unreadable_file() {
    let sb = Sandbox::new();
    let broken = "{\"token\": \"kpi_x\",";
    write(&sb.local_rc(), broken);
    let out = run(sb.kopai().arg("logout"));
    assert_eq!(out.code, 3);
    assert_eq!(out.stdout, "");
    assert_eq!(read(&sb.local_rc()), broken);
}

#[test]
fn logout_mentions_kopai_token_in_the_environment() {
    let sb = Sandbox::new();
    let out = run(sb.kopai().arg("logout").env("KOPAI_TOKEN", TOKEN));
    assert!(
        out.stderr.contains("KOPAI_TOKEN is still set"),
        "{}",
        out.stderr
    );
}
