//! Property tests: random config files, random server answers and random flag values go
//! through the real binary. Whatever comes in, kopai never panics and exits only with a
//! documented code (0 ok, 1 API, 2 usage, 3 config, 4 auth). Case counts are small so the
//! suite stays fast; each case is one run of the binary.

use crate::common::*;

use proptest::prelude::*;
use serde_json::Value;

use wiremock::{Mock, MockServer, ResponseTemplate};

struct Run {
    code: i32,
    stderr: String,
}

/// Runs and checks the promise: a documented exit code, no panic, no token on any stream.
fn run_checked(cmd: &mut std::process::Command) -> Run {
    let out = cmd.output().expect("kopai runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let code = out
        .status
        .code()
        .unwrap_or_else(|| panic!("killed by a signal: {:?}\n{stderr}", out.status));
    assert!((0..=4).contains(&code), "exit {code}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        !stdout.contains(TOKEN) && !stderr.contains(TOKEN),
        "token leaked"
    );
    Run { code, stderr }
}

/// A JSON value of any shape, with the numbers and strings that trip parsers.
fn json_value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        "-?[0-9]{1,40}(\\.[0-9]{1,20})?([eE][+-]?[0-9]{1,4})?",
        any::<String>().prop_map(|s| Value::String(s).to_string()),
        "\"[\\x00-\\x7f\\u{80}-\\u{10ffff}]{0,12}\"".prop_map(|s| s.replace('\\', "\\\\")),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec((key(), inner), 0..5).prop_map(|pairs| {
                let body: Vec<String> = pairs
                    .into_iter()
                    .map(|(k, v)| format!("{}:{v}", Value::String(k)))
                    .collect();
                format!("{{{}}}", body.join(","))
            }),
        ]
    })
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("url".to_owned()),
        Just("token".to_owned()),
        Just("savedAt".to_owned()),
        Just("data".to_owned()),
        Just("nextCursor".to_owned()),
        Just("StatusCode".to_owned()),
        Just("Duration".to_owned()),
        Just("Timestamp".to_owned()),
        "[a-zA-Z]{1,8}",
    ]
}

/// A config file: a JSON object with the keys kopai reads, any JSON, or any bytes.
fn config_bytes() -> impl Strategy<Value = Vec<u8>> {
    let value = prop_oneof![
        json_value(),
        Just(format!("\"{TOKEN}\"")),
        Just("\"http://127.0.0.1:9\"".to_owned()),
        Just("\"2026-01-01T00:00:00Z\"".to_owned()),
    ];
    prop_oneof![
        prop::collection::vec((key(), value), 0..6).prop_map(|pairs| {
            let body: Vec<String> = pairs
                .into_iter()
                .map(|(k, v)| format!("{}: {v}", Value::String(k)))
                .collect();
            format!("{{{}}}", body.join(", ")).into_bytes()
        }),
        json_value().prop_map(String::into_bytes),
        prop::collection::vec(any::<u8>(), 0..64),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any config file: reading commands never panic, and a file kopai cannot use is left
    /// byte for byte as it was.
    #[test]
    fn random_configs(bytes in config_bytes(), command in 0..3usize) {
        let sb = Sandbox::new();
        std::fs::write(sb.local_rc(), &bytes).unwrap();
        let mut cmd = sb.process();
        match command {
            0 => cmd.args(["whoami", "--no-verify"]),
            1 => cmd.args(["logout"]),
            _ => cmd.args(["login", "--no-verify", "--token", TOKEN]),
        };
        let out = run_checked(&mut cmd);
        if out.code == 3 {
            prop_assert_eq!(std::fs::read(sb.local_rc()).unwrap(), bytes, "{}", out.stderr);
        }
    }
}

/// Statuses a server may answer with, none of which is retried after a long wait.
const STATUSES: &[u16] = &[
    200, 200, 200, 201, 204, 301, 304, 400, 401, 403, 404, 500, 503,
];

fn answer() -> impl Strategy<Value = (u16, Vec<u8>, Option<String>)> {
    let body = prop_oneof![
        json_value().prop_map(String::into_bytes),
        json_value()
            .prop_map(|rows| format!("{{\"data\":[{rows}],\"nextCursor\":null}}").into_bytes()),
        json_value()
            .prop_map(|cursor| format!("{{\"data\":[],\"nextCursor\":{cursor}}}").into_bytes()),
        prop::collection::vec(any::<u8>(), 0..64),
    ];
    let retry_after = prop::option::of(prop_oneof![
        Just("0".to_owned()),
        "[0-9]{19,30}",
        "[ -~]{0,12}",
    ]);
    (prop::sample::select(STATUSES), body, retry_after)
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RUNTIME.get_or_init(|| tokio::runtime::Runtime::new().unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any answer from the server, to every kind of command.
    #[test]
    fn random_answers((status, body, retry_after) in answer(), command in 0..6usize) {
        let server = runtime().block_on(async {
            let server = MockServer::start().await;
            let mut response = ResponseTemplate::new(status).set_body_raw(body, "application/json");
            if let Some(wait) = retry_after {
                response = response.insert_header("Retry-After", wait.as_str());
            }
            Mock::given(wiremock::matchers::any()).respond_with(response).mount(&server).await;
            server
        });
        let sb = Sandbox::new();
        let mut cmd = sb.process();
        let args: &[&str] = match command {
            0 => &["traces", "search", "--table", "--all"],
            1 => &["traces", "search", "--json", "--status-code", "error"],
            2 => &["whoami"],
            3 => &["services", "--table"],
            4 => &["traces", "get", "ab", "--table"],
            _ => &["dashboards", "schema"],
        };
        cmd.args(args)
            .args(["--url", &server.uri(), "--token", TOKEN, "--timeout", "3000"])
            .env("COLUMNS", "80");
        run_checked(&mut cmd);
    }
}

/// Flag values: the characters of numbers, units and times, and anything else.
fn flag_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{0,45}(\\.[0-9]{0,45})?(ns|us|µs|ms|s|m|h|d|y|)",
        // Near the edges of 64 and 128 bits, where arithmetic overflows.
        "[1-9][0-9]{17,38}(\\.[0-9]{1,3})?(ns|ms|s|m|h|d|)",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,12})?(Z|[+-][0-9]{2}:[0-9]{2})",
        "[ -~]{0,20}",
        // An argument cannot hold a NUL byte: the OS would refuse to start the process.
        any::<String>().prop_map(|s| s.replace('\0', "")),
    ]
}

const FLAGS: &[&str] = &[
    "--since",
    "--until",
    "--timestamp-min",
    "--duration-min",
    "--duration-max",
    "--limit",
    "--timeout",
    "--status-code",
    "--span-kind",
    "--sort",
    "--span-attr",
    "--url",
    "--fields",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any value for any flag: a usage error (2) or a request to a closed port (1).
    #[test]
    fn random_flag_values(flags in prop::collection::vec((prop::sample::select(FLAGS), flag_value()), 1..4)) {
        let sb = Sandbox::new();
        let mut cmd = sb.process();
        cmd.args(["traces", "search", "--table", "--token", TOKEN]);
        if !flags.iter().any(|(flag, _)| *flag == "--url") {
            cmd.args(["--url", "http://127.0.0.1:9"]);
        }
        for (flag, value) in &flags {
            cmd.arg(format!("{flag}={value}"));
        }
        let out = run_checked(&mut cmd);
        prop_assert!(matches!(out.code, 1 | 2), "{}: {}", out.code, out.stderr);
    }
}

/// Service names made of what shells treat specially, with line breaks, escapes and
/// bidirectional overrides among them, and plain ones to complete by prefix.
fn service_name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[-a-z0-9 $`'\"\\\\*?~!#;&|(){}<>:=^%@,.\\[\\]\n\t\u{1b}\u{9b}\u{202e}é]{0,10}",
        "[a-z][-a-z0-9]{0,6}",
        Just("$(touch${IFS}pwned)".to_owned()),
    ]
}

/// What `services --for-completion` may offer: the name exactly as a terminal shows it.
fn offerable(name: &str) -> bool {
    let bidi = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    !name.is_empty() && name.len() <= 512 && !name.chars().any(|c| c.is_control() || bidi(c))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any list of service names, completed in a real bash after `--service` and a prefix:
    /// nothing runs, nothing is expanded or globbed (each offered word, run as part of the
    /// line, is exactly a server's name that starts with the prefix), within the timeout.
    #[test]
    fn random_service_lists_complete_literally(
        names in prop::collection::vec(service_name(), 0..12),
        pick in any::<prop::sample::Index>(),
        typed in 0..4usize,
    ) {
        let body = serde_json::json!({ "services": names }).to_string();
        let server = runtime().block_on(serve("GET", "/signals/services", json_response(&body)));
        let shells = Shells::new();
        let picked = if names.is_empty() { "" } else { pick.get(&names).as_str() };
        // As a person types it; a word starting with `-` completes options instead.
        let prefix: String = picked
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .take(typed)
            .collect();
        let offered = shells.bash_offers(
            &server.uri(),
            &["kopai", "traces", "search", "--service", &prefix],
        );
        let parsed = shells.bash_parses(&offered);
        let left: Vec<_> = std::fs::read_dir(&shells.sb.cwd).unwrap().collect();
        prop_assert!(left.is_empty(), "something ran: {left:?}");
        let expected: Vec<&String> = names
            .iter()
            .filter(|name| offerable(name) && name.starts_with(&prefix))
            .collect();
        prop_assert_eq!(parsed.iter().collect::<Vec<_>>(), expected);
    }
}
