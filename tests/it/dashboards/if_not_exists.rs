//! `import --if-not-exists`: the exact name is looked for across pages.

use super::*;

#[tokio::test]
async fn if_not_exists_finds_the_exact_name_across_pages_and_creates_nothing() {
    // The search matches substrings: "Checkout health (old)" and friends come back too, and
    // the exact name is on the second page of 1000.
    let mut names: Vec<String> = vec!["Checkout health".into()];
    names.extend((0..1001).map(|i| format!("Checkout health {i}")));
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let (server, store) = server_with(&names).await;
    let sb = Sandbox::new();
    write(&sb.cwd.join("d.json"), EXPORTED);
    let out = kopai(
        &sb,
        &server,
        &[
            "dashboards",
            "import",
            "d.json",
            "--if-not-exists",
            "--json",
        ],
    );
    assert_ok(&out);
    assert_eq!(store.all().len(), 1002, "nothing created");
    let printed = parse(&out.stdout);
    assert_eq!(printed["id"], id(1));
    assert_eq!(printed["url"], link(&server, 1));
    assert_eq!(
        out.stderr,
        format!(
            "A dashboard named \"Checkout health\" already exists ({}); nothing was created.\n",
            id(1)
        )
    );
    let sent = requests(&server).await;
    assert_eq!(posts_to_create(&sent), 0);
    assert_eq!(sent.len(), 2, "two pages searched");
    assert_eq!(
        parse(std::str::from_utf8(&sent[0].body).unwrap())["name"],
        "Checkout health"
    );
}

#[tokio::test]
async fn if_not_exists_creates_when_only_longer_names_match() {
    let (server, store) = server_with(&["Checkout health (old)", "My Checkout health"]).await;
    let sb = Sandbox::new();
    write(&sb.cwd.join("d.json"), EXPORTED);
    let out = kopai(
        &sb,
        &server,
        &[
            "dashboards",
            "import",
            "d.json",
            "--if-not-exists",
            "--json",
        ],
    );
    assert_ok(&out);
    assert_eq!(store.all().len(), 3);
    assert_eq!(parse(&out.stdout)["id"], id(3));
    assert_eq!(out.stderr, "");
}
