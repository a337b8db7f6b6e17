//! `create` prints the dashboard's link, from the UI URL in the environment or the config.

use super::*;

#[tokio::test]
async fn create_prints_the_link_last_in_json_and_on_stderr_in_a_table() {
    let (server, _) = dashboard_server().await;
    let sb = Sandbox::new();
    let create = |format: &str| {
        run(sb
            .kopai()
            .args([
                "dashboards",
                "create",
                "--name",
                "Checkout",
                "--tree-version",
                "0.14.0",
            ])
            .args([format, "--url", &server.uri()])
            .write_stdin(tree().to_string()))
    };
    let out = create("--json");
    assert_ok(&out);
    let printed = parse(&out.stdout);
    let keys: Vec<&String> = printed.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "name",
            "id",
            "createdAt",
            "metadata",
            "uiTreeVersion",
            "uiTree",
            "url"
        ]
    );
    assert_eq!(printed["url"], link(&server, 1));
    assert_eq!(out.stderr, "");

    let out = create("--table");
    assert_ok(&out);
    assert!(out.stdout.contains(&id(2)), "{}", out.stdout);
    assert_eq!(out.stderr, format!("Open: {}\n", link(&server, 2)));
}

#[tokio::test]
async fn the_link_uses_the_ui_url_from_the_environment_or_the_config() {
    let (server, _) = dashboard_server().await;
    let sb = Sandbox::new();
    let create = |extra_env: Option<&str>| {
        let mut cmd = sb.kopai();
        cmd.args([
            "dashboards",
            "create",
            "--name",
            "X",
            "--tree-version",
            "0.14.0",
            "--json",
        ])
        .write_stdin(tree().to_string());
        if let Some(ui) = extra_env {
            cmd.env("KOPAI_UI_URL", ui);
        }
        run(&mut cmd)
    };
    write_private(
        &sb.local_rc(),
        &json!({"url": server.uri(), "ui_url": "https://ui.example/app/", "token": TOKEN})
            .to_string(),
    );
    let out = create(None);
    assert_ok(&out);
    assert_eq!(
        parse(&out.stdout)["url"],
        format!("https://ui.example/app/?tab=metrics&dashboardId={}", id(1))
    );
    let out = create(Some("http://localhost:5173"));
    assert_ok(&out);
    assert_eq!(
        parse(&out.stdout)["url"],
        format!("http://localhost:5173/?tab=metrics&dashboardId={}", id(2))
    );

    let out = create(Some("ftp://x"));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("KOPAI_UI_URL"), "{}", out.stderr);

    write_private(
        &sb.local_rc(),
        &json!({"url": server.uri(), "ui_url": "nope"}).to_string(),
    );
    let out = create(None);
    assert_eq!(out.code, 3, "{}", out.stderr);
    assert!(out.stderr.contains("ui_url"), "{}", out.stderr);
    assert_eq!(
        requests(&server).await.len(),
        2,
        "nothing sent with a bad ui_url"
    );
}

#[tokio::test]
async fn login_keeps_ui_url() {
    let sb = Sandbox::new();
    write_private(&sb.local_rc(), r#"{"ui_url": "https://ui.example"}"#);
    let out = run(sb
        .kopai()
        .args(["login", "--no-verify", "--url", "https://api.example"])
        .write_stdin(TOKEN));
    assert_ok(&out);
    let saved = parse(&read(&sb.local_rc()));
    assert_eq!(saved["ui_url"], "https://ui.example");
    assert_eq!(saved["url"], "https://api.example");
}
