//! Profiles: `login --profile`, `--profile` / `KOPAI_PROFILE` on every command, `kopai
//! profiles` and `profiles use`, `logout --profile`, and the file staying readable by the Node
//! CLI (its top level untouched).

use serde_json::{json, Value};

use crate::common::*;

const STAGING_TOKEN: &str = "kpi_staging_abcdefghijklmnopqrstuv";

/// A Node CLI file (top level) with one unknown key, and a `staging` profile at `url`.
fn two_profiles(sb: &Sandbox, top_url: &str, staging_url: &str) {
    write_private(
        &sb.local_rc(),
        &format!(
            r#"{{"url": "{top_url}", "token": "{TOKEN}", "team": 1.50,
  "profiles": {{"staging": {{"url": "{staging_url}", "token": "{STAGING_TOKEN}", "note": "x"}}}}}}"#
        ),
    );
}

fn whoami_json(sb: &Sandbox, args: &[&str], env: &[(&str, &str)]) -> (Output, Value) {
    let mut cmd = sb.kopai();
    cmd.args(["whoami", "--no-verify", "--json"]).args(args);
    for (key, value) in env {
        cmd.env(key, value);
    }
    let out = run(&mut cmd);
    let report = serde_json::from_str(&out.stdout).unwrap_or(Value::Null);
    (out, report)
}

#[test]
fn login_with_a_profile_saves_it_under_profiles_and_keeps_the_top_level() {
    let sb = Sandbox::new();
    write_private(
        &sb.local_rc(),
        &format!(r#"{{"url": "http://127.0.0.1:7", "token": "{TOKEN}", "team": 1.50}}"#),
    );
    let login = |url: &str| {
        run(sb
            .kopai()
            .args(["login", "--no-verify", "--profile", "staging", "--url", url])
            .write_stdin(STAGING_TOKEN))
    };
    let out = login("http://127.0.0.1:8");
    assert_ok(&out);
    assert_no_secret(&out, STAGING_TOKEN);
    assert!(
        out.stderr
            .contains("Logging in to http://127.0.0.1:8 as profile staging\n"),
        "{}",
        out.stderr
    );
    assert!(
        sb.scrub(&out.stderr)
            .contains("Saved to [CWD]/.kopairc, profile staging\n"),
        "{}",
        out.stderr
    );
    let file = saved(&sb.local_rc());
    assert_eq!(keys(&file), ["url", "token", "team", "profiles"]);
    // What the Node CLI reads is untouched, number spelling included.
    assert_eq!(file["url"], "http://127.0.0.1:7");
    assert_eq!(file["token"], TOKEN);
    assert!(read(&sb.local_rc()).contains("\"team\": 1.50"));
    let staging = &file["profiles"]["staging"];
    assert_eq!(keys(staging), ["url", "token", "savedAt"]);
    assert_eq!(staging["url"], "http://127.0.0.1:8");
    assert_eq!(staging["token"], STAGING_TOKEN);

    // Logging in again updates the profile in place; its saved URL is kept.
    let out = run(sb
        .kopai()
        .args(["login", "--no-verify", "--profile", "staging"])
        .write_stdin(TOKEN));
    assert_ok(&out);
    let file = saved(&sb.local_rc());
    assert_eq!(keys(&file), ["url", "token", "team", "profiles"]);
    assert_eq!(file["profiles"]["staging"]["url"], "http://127.0.0.1:8");
    assert_eq!(file["profiles"]["staging"]["token"], TOKEN);
    assert_eq!(keys(&file["profiles"]), ["staging"]);
}

#[tokio::test]
async fn a_command_sends_the_profiles_token_to_the_profiles_url() {
    let top = accepting_server().await;
    let staging = accepting_server().await;
    let sb = Sandbox::new();
    two_profiles(&sb, &top.uri(), &staging.uri());

    let out = run(sb
        .kopai()
        .args(["traces", "search", "--profile", "staging"]));
    assert_ok(&out);
    let out = run(sb
        .kopai()
        .args(["traces", "search"])
        .env("KOPAI_PROFILE", "staging"));
    assert_ok(&out);
    let sent = requests(&staging).await;
    assert_eq!(sent.len(), 2);
    for request in &sent {
        assert_eq!(
            request.headers["authorization"],
            format!("Bearer {STAGING_TOKEN}").as_str()
        );
    }
    assert!(requests(&top).await.is_empty());
}

#[test]
fn precedence_is_flag_then_env_then_the_profile_then_the_default() {
    let sb = Sandbox::new();
    two_profiles(&sb, "http://127.0.0.1:7", "http://127.0.0.1:8");

    let (_, r) = whoami_json(&sb, &["--profile", "staging"], &[]);
    assert_eq!(r["url"], "http://127.0.0.1:8");
    assert_eq!(r["tokenPrefix"], "kpi_stagin");
    assert_eq!(r["profile"], "staging");
    // The report's keys before profiles come first and in their order, then the profile, then
    // where kopai send would send.
    assert_eq!(
        keys(&r),
        [
            "loggedIn",
            "status",
            "tokenPrefix",
            "tokenSource",
            "configPath",
            "url",
            "urlSource",
            "savedAt",
            "profile",
            "otlpUrl",
            "otlpUrlSource",
            "ingestTokenPrefix",
            "ingestTokenSource"
        ]
    );

    // --profile beats KOPAI_PROFILE; `default` is the top level.
    let (_, r) = whoami_json(
        &sb,
        &["--profile", "default"],
        &[("KOPAI_PROFILE", "staging")],
    );
    assert_eq!(
        (r["url"].as_str(), r["profile"].as_str()),
        (Some("http://127.0.0.1:7"), Some("default"))
    );
    let (_, r) = whoami_json(&sb, &[], &[("KOPAI_PROFILE", "staging")]);
    assert_eq!(r["profile"], "staging");

    // Flags and variables beat the profile's values.
    let env = [
        ("KOPAI_PROFILE", "staging"),
        ("KOPAI_URL", "http://127.0.0.1:9"),
    ];
    let (_, r) = whoami_json(&sb, &[], &env);
    assert_eq!(
        (r["url"].as_str(), r["urlSource"].as_str()),
        (Some("http://127.0.0.1:9"), Some("env"))
    );
    assert_eq!(r["tokenSource"], "config");
    let (_, r) = whoami_json(&sb, &["--token", "kpi_flag_token_3333333"], &env);
    assert_eq!(r["tokenSource"], "flag");

    // A profile without a URL gets the default, not the top level's.
    write(
        &sb.local_rc(),
        &format!(
            r#"{{"url": "http://127.0.0.1:7", "profiles": {{"bare": {{"token": "{TOKEN}"}}}}}}"#
        ),
    );
    let (_, r) = whoami_json(&sb, &["--profile", "bare"], &[]);
    assert_eq!(
        (r["url"].as_str(), r["urlSource"].as_str()),
        (Some("https://kopai.app"), Some("default"))
    );
}

#[test]
fn whoami_says_which_profile_and_why() {
    let sb = Sandbox::new();
    two_profiles(&sb, "http://127.0.0.1:7", "http://127.0.0.1:8");
    let out = run(sb
        .kopai()
        .args(["whoami", "--no-verify", "--profile", "staging"]));
    assert_ok(&out);
    assert_eq!(
        sb.scrub(&out.stdout),
        "Token: kpi_stagin... (from [CWD]/.kopairc, profile staging)\n\
         URL: http://127.0.0.1:8\n\
         Profile: staging (--profile)\n\
         OTLP: http://127.0.0.1:4318 (derived from the API URL)\n\
         Ingest token: none\n"
    );
    // The top level prints what it printed before profiles.
    let out = run(sb.kopai().args(["whoami", "--no-verify"]));
    assert_eq!(
        sb.scrub(&out.stdout),
        format!(
            "Token: {PREFIX} (from [CWD]/.kopairc)\nURL: http://127.0.0.1:7\n\
             OTLP: http://127.0.0.1:4318 (derived from the API URL)\nIngest token: none\n"
        )
    );
}

#[test]
fn an_unknown_profile_is_exit_3_naming_the_known_ones() {
    let sb = Sandbox::new();
    two_profiles(&sb, "http://127.0.0.1:7", "http://127.0.0.1:8");
    let before = read(&sb.local_rc());
    let expected =
        "error: config file .kopairc has no profile \"prod\" (it has: default, staging)\n";
    for (args, env) in [
        (vec!["whoami", "--profile", "prod"], None),
        (
            vec![
                "traces",
                "search",
                "--table",
                "--url",
                "http://127.0.0.1:9",
                "--token",
                TOKEN,
            ],
            Some("prod"),
        ),
        (vec!["logout", "--profile", "prod"], None),
        (vec!["profiles", "use", "prod"], None),
    ] {
        let mut cmd = sb.kopai();
        cmd.args(&args);
        if let Some(name) = env {
            cmd.env("KOPAI_PROFILE", name);
        }
        let out = run(&mut cmd);
        assert_failed(&out, 3);
        assert!(out.stderr.starts_with(expected), "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains("hint: "), "{}", out.stderr);
    }
    assert_eq!(read(&sb.local_rc()), before, "file changed");

    // No config file at all.
    let sb = Sandbox::new();
    let out = run(sb.kopai().args(["whoami", "--profile", "prod"]));
    assert_failed(&out, 3);
    assert!(
        out.stderr.starts_with(
            "error: there is no profile \"prod\": no config file was found (./.kopairc, ~/.kopairc)\n"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn bad_profile_names_are_refused() {
    let sb = Sandbox::new();
    let out = run(sb.kopai().args(["whoami", "--profile", "a b"]));
    assert_failed(&out, 2);
    assert!(
        out.stderr.contains("`a b` is not a profile name"),
        "{}",
        out.stderr
    );
    let out = run(sb.kopai().arg("whoami").env("KOPAI_PROFILE", "-x"));
    assert_failed(&out, 2);
    assert!(
        out.stderr
            .starts_with("error: KOPAI_PROFILE: `-x` is not a profile name"),
        "{}",
        out.stderr
    );

    for (content, problem) in [
        (
            r#"{"profiles": {"a/b": {}}}"#,
            "\"profiles\".\"a/b\": `a/b` is not a profile name",
        ),
        (
            r#"{"profiles": {"default": {}}}"#,
            "\"profiles\".\"default\": `default` is the top level",
        ),
        (
            r#"{"profiles": ["x"]}"#,
            "\"profiles\" must be an object of profiles",
        ),
        (
            r#"{"profiles": {"a": {"url": 5}}}"#,
            "\"profiles\".\"a\": \"url\" must be a string",
        ),
        (
            r#"{"defaultProfile": "gone"}"#,
            "has no profile \"gone\" (it has: default)",
        ),
    ] {
        write(&sb.cwd.join("c.json"), content);
        let out = run(sb
            .kopai()
            .args(["whoami", "--no-verify", "--config", "c.json"]));
        assert_failed(&out, 3);
        assert!(out.stderr.contains(problem), "{content}: {}", out.stderr);
    }
}

#[test]
fn profiles_lists_them_with_which_is_active_and_why() {
    let sb = Sandbox::new();
    two_profiles(
        &sb,
        "https://kopai.example.com",
        "https://staging.example.com",
    );
    kopai_snapshot!("profiles_table", sb.kopai().args(["profiles", "--table"]));
    kopai_snapshot!(
        "profiles_table_env",
        sb.kopai()
            .args(["profiles", "-t"])
            .env("KOPAI_PROFILE", "staging")
    );
    let out = run(sb.kopai().args(["profiles", "--profile", "staging"]));
    assert_ok(&out);
    let rows: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        rows,
        json!([
            {"name": "default", "active": false, "activeSource": null, "url": "https://kopai.example.com",
             "tokenPrefix": "kpi_live_0", "savedAt": null, "ageDays": null},
            {"name": "staging", "active": true, "activeSource": "flag", "url": "https://staging.example.com",
             "tokenPrefix": "kpi_stagin", "savedAt": null, "ageDays": null},
        ])
    );
    assert_no_secret(&out, STAGING_TOKEN);
    assert_no_secret(&out, TOKEN);
}

#[test]
fn profiles_use_sets_the_files_default_and_default_undoes_it() {
    let sb = Sandbox::new();
    two_profiles(&sb, "http://127.0.0.1:7", "http://127.0.0.1:8");
    let out = run(sb.kopai().args(["profiles", "use", "staging"]));
    assert_ok(&out);
    assert_eq!(out.stdout, "Using profile staging by default.\n");
    let file = saved(&sb.local_rc());
    assert_eq!(
        keys(&file),
        ["url", "token", "team", "profiles", "defaultProfile"]
    );
    assert_eq!(file["defaultProfile"], "staging");
    assert_eq!(
        file["token"], TOKEN,
        "the Node CLI's top level is untouched"
    );

    let (_, r) = whoami_json(&sb, &[], &[]);
    assert_eq!(
        (r["url"].as_str(), r["profile"].as_str()),
        (Some("http://127.0.0.1:8"), Some("staging"))
    );
    let out = run(sb.kopai().args(["profiles", "-t"]));
    assert!(
        out.stdout.contains("active (defaultProfile)"),
        "{}",
        out.stdout
    );
    // A plain login now renews the default profile, not the top level.
    let out = run(sb
        .kopai()
        .args(["login", "--no-verify"])
        .write_stdin("kpi_renewed_0000000000000"));
    assert_ok(&out);
    let file = saved(&sb.local_rc());
    assert_eq!(
        file["profiles"]["staging"]["token"],
        "kpi_renewed_0000000000000"
    );
    assert_eq!(file["token"], TOKEN);

    let out = run(sb.kopai().args(["profiles", "use", "default"]));
    assert_ok(&out);
    let file = saved(&sb.local_rc());
    assert_eq!(keys(&file), ["url", "token", "team", "profiles"]);
    let (_, r) = whoami_json(&sb, &[], &[]);
    assert_eq!(r["profile"], "default");
}

#[test]
fn logout_with_a_profile_removes_only_its_token() {
    let sb = Sandbox::new();
    two_profiles(&sb, "http://127.0.0.1:7", "http://127.0.0.1:8");
    let out = run(sb.kopai().args(["logout", "--profile", "staging"]));
    assert_ok(&out);
    assert_eq!(out.stdout, "Logged out.\n");
    assert!(
        sb.scrub(&out.stderr)
            .starts_with("Removed the token from [CWD]/.kopairc, profile staging."),
        "{}",
        out.stderr
    );
    let file = saved(&sb.local_rc());
    assert_eq!(file["token"], TOKEN);
    assert_eq!(
        file["profiles"]["staging"],
        json!({"url": "http://127.0.0.1:8", "note": "x"})
    );
    let out = run(sb.kopai().args(["logout", "--profile", "staging"]));
    assert_eq!(out.stdout, "Not logged in.\n");
    let out = run(sb.kopai().args(["whoami", "--profile", "staging"]));
    assert_eq!(out.code, 4);
    assert!(out.stdout.ends_with("\nNot logged in.\n"), "{}", out.stdout);
    assert_eq!(
        out.stderr,
        "hint: run `kopai login --profile staging` or set KOPAI_TOKEN\n"
    );
}

#[test]
fn the_destination_note_names_the_profile_file() {
    let sb = Sandbox::new();
    two_profiles(&sb, "http://127.0.0.1:7", "http://127.0.0.1:8");
    let out = run(sb
        .kopai()
        .args(["whoami", "--profile", "staging", "--timeout", "300"])
        .env("KOPAI_TOKEN", "kpi_env_token_22222222"));
    assert!(
        out.stderr.contains(
            "note: sending the token from KOPAI_TOKEN to http://127.0.0.1:8 (url from ./.kopairc)"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn profiles_shows_each_tokens_age() {
    let sb = Sandbox::new();
    let three_days_ago =
        (jiff::Timestamp::now() - jiff::SignedDuration::from_hours(72)).to_string();
    write_private(
        &sb.local_rc(),
        &format!(
            r#"{{"profiles": {{"a": {{"url": "https://a.example.com", "token": "{TOKEN}", "savedAt": "{three_days_ago}"}}}}}}"#
        ),
    );
    let out = run(sb.kopai().args(["profiles", "--json"]));
    let rows: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(rows[1]["ageDays"], 3);
    assert_eq!(rows[0]["url"], Value::Null);
    let out = run(sb.kopai().args(["profiles", "--table"]));
    assert!(
        out.stdout
            .contains("a        https://a.example.com  kpi_live_0...  3 days ago\n"),
        "{}",
        out.stdout
    );
}
