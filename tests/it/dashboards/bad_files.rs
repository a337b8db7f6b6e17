//! Bad dashboard files: exit 2, the file and the field named, nothing sent.

use super::*;

#[tokio::test]
async fn bad_dashboard_files_are_refused_before_anything_is_sent() {
    let (server, _) = dashboard_server().await;
    let sb = Sandbox::new();
    let exported = parse(EXPORTED);
    let without = |key: &str| {
        let mut v = exported.clone();
        v.as_object_mut().unwrap().shift_remove(key);
        v.to_string()
    };
    let with = |key: &str, value: Value| {
        let mut v = exported.clone();
        v[key] = value;
        v.to_string()
    };
    let cases: Vec<(String, &str)> = vec![
        (
            "{\"name\": ".into(),
            "d.json: not valid JSON: EOF while parsing a value at line 1 column 9",
        ),
        (
            "[1, 2]".into(),
            "d.json: expected a JSON object, as `kopai dashboards export` writes",
        ),
        (without("uiTree"), "d.json: missing field \"uiTree\""),
        (
            without("uiTreeVersion"),
            "d.json: missing field \"uiTreeVersion\"",
        ),
        (
            without("name"),
            "d.json: missing field \"name\" (or give --name)",
        ),
        (
            with("uiTree", json!("s1")),
            "d.json: \"uiTree\" must be an object",
        ),
        (
            with("uiTreeVersion", json!(14)),
            "d.json: \"uiTreeVersion\" must be a string",
        ),
        (
            with("uiTreeVersion", json!("0.14")),
            "d.json: \"uiTreeVersion\" `0.14` is not a semver version such as 0.14.0",
        ),
        (
            with("metadata", json!(["a"])),
            "d.json: \"metadata\" must be an object",
        ),
    ];
    for (content, message) in cases {
        write(&sb.cwd.join("d.json"), &content);
        let out = kopai(&sb, &server, &["dashboards", "import", "d.json", "--table"]);
        assert_eq!(out.code, 2, "{content}: {}", out.stderr);
        assert_eq!(out.stdout, "");
        assert_eq!(out.stderr, format!("error: {message}\n"), "{content}");

        let out = kopai(&sb, &server, &["dashboards", "import", "d.json", "--json"]);
        assert_eq!(out.code, 2);
        let error = parse(&out.stderr);
        assert_eq!(
            error,
            json!({"error": {"name": "UsageError", "message": message}})
        );
    }
    let out = kopai(
        &sb,
        &server,
        &["dashboards", "import", "missing.json", "-t"],
    );
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.starts_with("error: cannot read missing.json: "),
        "{}",
        out.stderr
    );
    assert!(requests(&server).await.is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn unknown_fields_in_a_file_are_named_in_a_warning() {
    let (server, store) = dashboard_server().await;
    let sb = Sandbox::new();
    let mut file = parse(EXPORTED);
    file["colour"] = json!("blue");
    write(&sb.cwd.join("d.json"), &file.to_string());
    let out = kopai(&sb, &server, &["dashboards", "import", "d.json", "--json"]);
    assert_ok(&out);
    assert_eq!(
        out.stderr,
        "warning: d.json: ignoring unknown field \"colour\"\n"
    );
    assert_eq!(store.all().len(), 1);
}

#[tokio::test]
async fn a_tree_version_that_is_not_semver_is_refused_locally() {
    let (server, _) = dashboard_server().await;
    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args([
            "dashboards",
            "create",
            "--name",
            "X",
            "--tree-version",
            "latest",
            "-t",
        ])
        .args(["--url", &server.uri()])
        .write_stdin(tree().to_string()));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.starts_with(
            "error: invalid value 'latest' for '--tree-version <SEMVER>': \
             expected a semver version such as 0.14.0"
        ),
        "{}",
        out.stderr
    );
    assert!(requests(&server).await.is_empty());
}
