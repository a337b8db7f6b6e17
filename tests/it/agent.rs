//! Agent mode (KOPAI_AGENT=1, or CLAUDECODE=1 from Claude Code) in a pseudo-terminal: JSON
//! output and errors, no colour, no prompt; and `kopai commands --json`.

use serde_json::Value;

use crate::common::*;

/// kopai in a pseudo-terminal (stdin, stdout and stderr on it) with `env`: what it printed.
fn on_a_terminal(args: &[&str], env: &[(&str, &str)]) -> String {
    let sb = Sandbox::new();
    let mut cmd = sb.process();
    cmd.args(args).env("COLUMNS", "100");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut session = rexpect::session::spawn_command(cmd, Some(20_000)).expect("pty");
    session.exp_eof().expect("exits").replace("\r\n", "\n")
}

#[tokio::test]
async fn agent_mode_prints_json_without_colour_on_a_terminal() {
    let server = serve_fixture("GET", "/signals/services", "services.json").await;
    let url = server.uri();
    let args = ["services", "--url", url.as_str(), "--color", "auto"];
    let person = on_a_terminal(&args, &[]);
    assert!(
        !person.trim_start().starts_with('['),
        "a table for a person: {person}"
    );
    for env in [("KOPAI_AGENT", "1"), ("CLAUDECODE", "1")] {
        let agent = on_a_terminal(&args, &[env]);
        let json: Value =
            serde_json::from_str(&agent).unwrap_or_else(|_| panic!("{env:?}: {agent}"));
        assert_eq!(json, fixture_json("services.json")["services"]);
        assert!(!agent.contains('\u{1b}'), "no colour: {agent:?}");
    }
    let off = on_a_terminal(&args, &[("CLAUDECODE", "1"), ("KOPAI_AGENT", "0")]);
    assert!(
        !off.trim_start().starts_with('['),
        "KOPAI_AGENT=0 wins: {off}"
    );
}

#[test]
fn agent_mode_never_prompts_and_errors_are_json() {
    let screen = on_a_terminal(
        &["login", "--url", "http://127.0.0.1:9"],
        &[("KOPAI_AGENT", "1")],
    );
    let error: Value = serde_json::from_str(screen.trim()).unwrap_or_else(|_| panic!("{screen}"));
    let message = error["error"]["message"].as_str().unwrap();
    assert!(message.contains("never prompts"), "{message}");
    assert!(!screen.contains("Token:"), "{screen}");
}

#[test]
fn commands_json_is_the_whole_tree() {
    let out = run(Sandbox::new().kopai().args(["commands", "--json"]));
    assert_ok(&out);
    let tree: Value = serde_json::from_str(&out.stdout).unwrap();
    let globals: Vec<&str> = tree["globalOptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["long"].as_str().unwrap())
        .collect();
    assert!(
        globals.contains(&"--timeout") && globals.contains(&"--url"),
        "{globals:?}"
    );
    let traces = tree["commands"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "traces")
        .unwrap();
    let search = traces["subcommands"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "search")
        .unwrap();
    assert_eq!(search["command"], "kopai traces search");
    let status = search["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["long"] == "--status-code")
        .unwrap();
    assert_eq!(status["type"], "string");
    let value_type = |long: &str| {
        search["options"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["long"] == long)
            .map(|o| o["valueType"].clone())
            .unwrap()
    };
    assert_eq!(value_type("--limit"), "integer");
    assert_eq!(value_type("--duration-min"), "duration");
    assert_eq!(value_type("--since"), "ageOrTime");
    assert_eq!(value_type("--timestamp-min"), "time");
    assert_eq!(value_type("--span-attr"), "keyValue");
    assert_eq!(value_type("--output"), "enum");
    let output = search["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["long"] == "--output")
        .unwrap();
    assert!(
        output["choices"]
            .as_array()
            .unwrap()
            .contains(&Value::from("json")),
        "{output}"
    );
    let mcp = tree["commands"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "mcp")
        .unwrap();
    assert_eq!(
        mcp["examples"][0]["command"],
        "claude mcp add kopai -- kopai mcp"
    );
    assert!(tree["commands"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["name"] != "help"));
}
