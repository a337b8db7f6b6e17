//! export → import round trip: what `export` and `get` write, `import` reads back unchanged.

use super::*;

#[tokio::test]
async fn export_writes_the_create_body_with_sorted_keys() {
    let (server, store) = dashboard_server().await;
    // Keys in an order no one would choose, to see they come out sorted.
    store.insert(
        &json!({"metadata": {"owner": "payments", "env": "prod"}, "uiTree": tree(),
        "uiTreeVersion": "0.14.0", "name": "Checkout health"}),
    );
    let sb = Sandbox::new();
    let out = kopai(&sb, &server, &["dashboards", "export", &id(1)]);
    assert_ok(&out);
    // Sorted inside uiTree and metadata alike; the four fields in the create body's order.
    let expected = EXPORTED.replace(
        "\"owner\": \"payments\",\n    \"env\": \"prod\"",
        "\"env\": \"prod\",\n    \"owner\": \"payments\"",
    );
    assert_eq!(out.stdout, expected);
    assert_eq!(out.stderr, "");
}

#[tokio::test]
async fn an_exported_file_imports_into_another_server_unchanged() {
    let (from, _) = server_with(&["Checkout health"]).await;
    let sb = Sandbox::new();
    let exported = kopai(&sb, &from, &["dashboards", "export", &id(1)]);
    assert_ok(&exported);
    write(&sb.cwd.join("checkout.json"), &exported.stdout);

    let (to, store) = dashboard_server().await;
    let out = kopai(
        &sb,
        &to,
        &["dashboards", "import", "checkout.json", "--json"],
    );
    assert_ok(&out);
    let created = store.all();
    assert_eq!(created.len(), 1);
    let mut expected = created[0].clone();
    expected["url"] = Value::String(link(&to, 1));
    assert_eq!(
        out.stdout,
        pretty(&expected),
        "the dashboard, then its link"
    );
    // What was sent is exactly the file.
    let sent = parse(std::str::from_utf8(&requests(&to).await[0].body).unwrap());
    assert_eq!(sent, parse(&exported.stdout));

    let again = kopai(&sb, &to, &["dashboards", "export", &id(1)]);
    assert_eq!(
        again.stdout, exported.stdout,
        "a round trip changes nothing"
    );
}

#[tokio::test]
async fn import_reads_stdin_and_takes_a_new_name() {
    let (server, store) = dashboard_server().await;
    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args([
            "dashboards",
            "import",
            "-",
            "--name",
            "Checkout (copy)",
            "--json",
        ])
        .args(["--url", &server.uri()])
        .write_stdin(EXPORTED));
    assert_ok(&out);
    assert_eq!(store.all()[0]["name"], "Checkout (copy)");
    assert_eq!(
        store.all()[0]["metadata"],
        json!({"owner": "payments", "env": "prod"})
    );
    assert_eq!(parse(&out.stdout)["url"], link(&server, 1));
}

#[tokio::test]
async fn get_as_ndjson_and_csv_prints_the_same_object_as_json() {
    let (server, _) = server_with(&["Checkout health"]).await;
    let sb = Sandbox::new();
    let json = kopai(&sb, &server, &["dashboards", "get", &id(1), "--json"]);
    assert_ok(&json);
    let object = parse(&json.stdout);
    let out = kopai(&sb, &server, &["dashboards", "get", &id(1), "-o", "ndjson"]);
    assert_ok(&out);
    assert_eq!(out.stdout, format!("{object}\n"));
    let out = kopai(&sb, &server, &["dashboards", "get", &id(1), "-o", "csv"]);
    assert_ok(&out);
    let lines: Vec<&str> = out.stdout.split_terminator("\r\n").collect();
    let keys: Vec<&str> = object
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    assert_eq!(lines[0], keys.join(","));
    assert!(lines[1].starts_with("Checkout health,"), "{}", out.stdout);
}

#[tokio::test]
async fn import_accepts_the_output_of_get() {
    let (server, store) = server_with(&["Checkout health"]).await;
    let sb = Sandbox::new();
    let got = kopai(&sb, &server, &["dashboards", "get", &id(1), "--json"]);
    assert_ok(&got);
    write(&sb.cwd.join("got.json"), &got.stdout);
    let out = kopai(
        &sb,
        &server,
        &["dashboards", "import", "got.json", "--name", "Copy"],
    );
    assert_ok(&out);
    assert_eq!(
        out.stderr, "",
        "id and createdAt are the server's, not unknown fields"
    );
    assert_eq!(store.all()[1]["uiTree"], tree());
}

#[tokio::test]
async fn import_in_a_table_prints_the_row_and_the_link_on_stderr() {
    let (server, _) = dashboard_server().await;
    let sb = Sandbox::new();
    write(&sb.cwd.join("d.json"), EXPORTED);
    let out = kopai(&sb, &server, &["dashboards", "import", "d.json", "--table"]);
    assert_ok(&out);
    assert_eq!(
        out.stdout,
        format!(
            "ID                                    NAME             TREE VERSION  CREATED\n\
             {}  Checkout health  0.14.0        2026-11-28T00:00:00.001Z\n",
            id(1)
        )
    );
    assert_eq!(out.stderr, format!("Open: {}\n", link(&server, 1)));
}
