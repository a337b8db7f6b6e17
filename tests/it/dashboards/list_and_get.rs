//! `list` and `get`: newest first, substring names, cursors, summaries with links, 404s.

use super::*;

#[tokio::test]
async fn list_prints_newest_first_and_matches_names_as_substrings() {
    let (server, store) = server_with(&["Checkout health", "Payments", "Checkout latency"]).await;
    let sb = Sandbox::new();
    let out = kopai(
        &sb,
        &server,
        &["dashboards", "list", "--name", "Checkout", "--table"],
    );
    assert_ok(&out);
    assert_eq!(
        out.stdout,
        format!(
            "NAME              ID                                    CREATED                   TREE VERSION\n\
             Checkout latency  {}  2026-11-28T00:00:00.003Z  0.14.0\n\
             Checkout health   {}  2026-11-28T00:00:00.001Z  0.14.0\n",
            id(3),
            id(1)
        )
    );
    let out = kopai(&sb, &server, &["dashboards", "list"]);
    assert_ok(&out);
    let mut newest_first = store.all();
    newest_first.reverse();
    assert_eq!(out.stdout, pretty(&Value::Array(newest_first)));
}

#[tokio::test]
async fn list_all_follows_the_cursor() {
    let names: Vec<String> = (1..=5).map(|i| format!("D{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let (server, _) = server_with(&names).await;
    let sb = Sandbox::new();
    let out = kopai(
        &sb,
        &server,
        &["dashboards", "list", "--all", "--limit", "2", "-f", "name"],
    );
    assert_ok(&out);
    let printed: Vec<Value> = serde_json::from_value(parse(&out.stdout)).unwrap();
    let printed: Vec<&str> = printed
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(printed, ["D5", "D4", "D3", "D2", "D1"]);
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 3);
    assert_eq!(
        parse(std::str::from_utf8(&sent[1].body).unwrap()),
        json!({"limit": 2, "cursor": format!("2026-11-28T00:00:00.004Z|{}", id(4))})
    );

    let out = kopai(
        &sb,
        &server,
        &["dashboards", "list", "--limit", "2", "--table"],
    );
    assert_ok(&out);
    assert_eq!(out.stdout.lines().count(), 3);
    assert_eq!(
        out.stderr,
        "hint: there are more results; add --all to fetch every page\n"
    );
}

#[tokio::test]
async fn get_prints_the_dashboard_or_a_summary_with_its_link() {
    let (server, store) = server_with(&["Checkout\x1b[31m health"]).await;
    let sb = Sandbox::new();
    let out = kopai(&sb, &server, &["dashboards", "get", &id(1)]);
    assert_ok(&out);
    assert_eq!(out.stdout, pretty(&store.all()[0]), "a pipe gets JSON");

    let out = kopai(&sb, &server, &["dashboards", "get", &id(1), "--table"]);
    assert_ok(&out);
    assert_eq!(
        out.stdout,
        format!(
            "Name:          Checkout\u{FFFD}[31m health\n\
             ID:            {}\n\
             Created:       2026-11-28T00:00:00.001Z\n\
             Tree version:  0.14.0\n\
             Elements:      1\n\
             Link:          {}\n",
            id(1),
            link(&server, 1)
        ),
        "control characters from the server are stripped"
    );
}

#[tokio::test]
async fn an_unknown_dashboard_is_a_404() {
    let (server, _) = dashboard_server().await;
    let sb = Sandbox::new();
    for command in [
        &["get", "nope/../x", "--table"][..],
        &["export", "nope/../x"],
    ] {
        let out = kopai(&sb, &server, &[&["dashboards"][..], command].concat());
        assert_eq!(out.code, 1);
        assert_eq!(out.stdout, "");
        assert_eq!(
            out.stderr,
            "error: Not Found (HTTP 404): Dashboard not found\n"
        );
    }
    let sent = requests(&server).await;
    assert_eq!(
        sent[0].url.path(),
        "/dashboards/nope%2F..%2Fx",
        "the id stays one segment"
    );
}

#[test]
fn help_says_there_is_no_update_or_delete() {
    let sb = Sandbox::new();
    for args in [
        &["dashboards", "--help"][..],
        &["dashboards", "import", "--help"],
    ] {
        let out = run(sb.kopai().args(args));
        assert_ok(&out);
        assert!(
            out.stdout.contains("no update and no delete endpoint"),
            "{}",
            out.stdout
        );
    }
}

#[cfg(unix)]
#[tokio::test]
async fn get_on_a_terminal_is_a_summary_with_the_link() {
    let (server, _) = server_with(&["Checkout health"]).await;
    let sb = Sandbox::new();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_kopai"));
    cmd.args(["dashboards", "get", &id(1), "--url", &server.uri()]);
    sb.configure(&mut cmd);
    let mut session = rexpect::session::spawn_command(cmd, Some(10_000)).expect("pty");
    let screen = session.exp_eof().expect("exits");
    assert!(
        screen.contains("Name:          Checkout health"),
        "{screen:?}"
    );
    assert!(
        screen.contains(&format!("Link:          {}", link(&server, 1))),
        "{screen:?}"
    );
    assert!(!screen.contains("\"uiTree\""), "not JSON: {screen:?}");
}
