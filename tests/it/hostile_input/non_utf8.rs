//! Arguments and KOPAI_* variables that are not UTF-8 are usage errors that echo nothing.

use super::*;

#[cfg(unix)]
fn bytes(raw: &[u8]) -> std::ffi::OsString {
    use std::os::unix::ffi::OsStringExt;
    std::ffi::OsString::from_vec(raw.to_vec())
}

#[cfg(unix)]
#[test]
fn non_utf8_arguments_are_usage_errors_that_echo_nothing() {
    let secret = "kpi_live_0123456789abcdefghij";
    let mut bad_token = secret.as_bytes().to_vec();
    bad_token.push(0xff);
    let cases: Vec<Vec<std::ffi::OsString>> = vec![
        vec!["whoami".into(), "--token".into(), bytes(&bad_token)],
        vec![
            "traces".into(),
            "search".into(),
            "--service".into(),
            bytes(b"caf\xe9"),
        ],
        vec![bytes(b"\xff")],
        vec!["whoami".into(), bytes(b"\xff")],
    ];
    for args in cases {
        let sb = Sandbox::new();
        let out = run(sb.kopai().args(&args).args(["--url", "http://127.0.0.1:9"]));
        assert_no_panic(&out);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.starts_with("error: ") || out.stderr.starts_with("{\"error\""),
            "{}",
            out.stderr
        );
        assert!(!out.stderr.contains("kpi_live_01"), "{}", out.stderr);
        assert!(out.stdout.is_empty());
    }
}

#[cfg(unix)]
#[test]
fn non_utf8_kopai_variables_are_usage_errors_naming_the_variable() {
    for name in ["KOPAI_TOKEN", "KOPAI_URL", "KOPAI_CONFIG"] {
        let sb = Sandbox::new();
        // A usable token and URL elsewhere must not be picked instead.
        write_private(
            &sb.local_rc(),
            &format!(r#"{{"url":"http://127.0.0.1:9","token":"{TOKEN}"}}"#),
        );
        let out = run(sb
            .kopai()
            .args(["whoami", "--no-verify"])
            .env(name, bytes(b"kpi_\xff\xfe")));
        assert_eq!(out.code, 2, "{name}: {}", out.stderr);
        assert_eq!(
            out.stderr,
            format!("error: {name} is not valid UTF-8; set it again or unset it\n")
        );
        assert!(out.stdout.is_empty(), "{name}: {}", out.stdout);
    }
}
