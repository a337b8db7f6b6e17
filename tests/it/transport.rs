//! What travels over the wire: TLS trust, redirects, and what `--verbose` shows.

use crate::common::*;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn redirects_to_another_origin_never_carry_the_token() {
    let elsewhere = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json_response(EMPTY_PAGE))
        .expect(0)
        .mount(&elsewhere)
        .await;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(307).insert_header(
            "location",
            format!("{}/signals/traces/search", elsewhere.uri()).as_str(),
        ))
        .mount(&server)
        .await;

    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args(["whoami", "--url", &server.uri(), "--token", TOKEN]));
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stderr,
        format!(
            "error: {} redirected to another origin ({}); not sending the token there\n\
             hint: if the server has moved, log in again with --url {}\n",
            server.uri(),
            elsewhere.uri(),
            elsewhere.uri()
        )
    );
    let out = run(sb
        .kopai()
        .args(["traces", "search", "--url", &server.uri(), "--token", TOKEN]));
    assert_eq!(out.code, 1);
    assert_eq!(out.stdout, "");
    // `elsewhere` verifies on drop that it received nothing.
}

#[tokio::test]
async fn redirects_within_the_server_are_followed_with_the_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/signals/traces/search"))
        .respond_with(
            ResponseTemplate::new(308).insert_header("location", "/v2/signals/traces/search"),
        )
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/signals/traces/search"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(json_response(EMPTY_PAGE))
        .expect(1)
        .mount(&server)
        .await;
    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args(["whoami", "--url", &server.uri(), "--token", TOKEN]));
    assert_ok(&out);
    assert!(out.stdout.ends_with("Token is valid.\n"));
}

#[tokio::test]
async fn verbose_shows_requests_but_only_the_token_prefix() {
    let server = accepting_server().await;
    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args(["whoami", "-v", "--url", &server.uri(), "--token", TOKEN]));
    assert_ok(&out);
    let uri = server.uri();
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines[0], format!("> POST {uri}/signals/traces/search"));
    assert_eq!(lines[1], format!("> authorization: Bearer {PREFIX}"));
    assert_eq!(lines[2], "> {\"limit\":1}");
    assert!(lines[3].starts_with("< 200 OK ("), "{}", out.stderr);
    assert_no_secret(&out, TOKEN);
}

#[tokio::test]
async fn user_agent_names_kopai() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header(
            "user-agent",
            concat!("kopai/", env!("CARGO_PKG_VERSION")),
        ))
        .respond_with(json_response(EMPTY_PAGE))
        .expect(1)
        .mount(&server)
        .await;
    let out =
        run(Sandbox::new()
            .kopai()
            .args(["whoami", "--url", &server.uri(), "--token", TOKEN]));
    assert_ok(&out);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_ca_is_trusted_through_ssl_cert_file() {
    let server = private_ca_server().await;
    let sb = Sandbox::new();
    let url = format!("https://127.0.0.1:{}", server.port);

    let out = run(sb.kopai().args(["whoami", "--url", &url, "--token", TOKEN]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out
        .stdout
        .ends_with("Could not reach server to validate token.\n"));
    assert!(out.stderr.contains("certificate"), "{}", out.stderr);
    assert!(out.stderr.contains("SSL_CERT_FILE"), "{}", out.stderr);

    let ca_file = sb.home.join("ca.pem");
    write(&ca_file, &server.ca_pem);
    let out = run(sb
        .kopai()
        .args(["whoami", "--url", &url, "--token", TOKEN])
        .env("SSL_CERT_FILE", &ca_file));
    assert_ok(&out);
    assert!(out.stdout.ends_with("Token is valid.\n"), "{}", out.stdout);
}

#[tokio::test]
async fn http_proxy_and_no_proxy_are_honoured() {
    // The proxy is a fake server too: it sees the absolute-form request for the named host.
    let proxy = accepting_server().await;
    let sb = Sandbox::new();
    let out = run(sb
        .kopai()
        .args(["whoami", "--url", "http://kopai.invalid", "--token", TOKEN])
        .env("HTTP_PROXY", proxy.uri()));
    assert_ok(&out);
    assert_eq!(proxy.received_requests().await.unwrap().len(), 1);

    // NO_PROXY (set by the sandbox for 127.0.0.1) sends loopback requests directly.
    let direct = accepting_server().await;
    let out = run(sb
        .kopai()
        .args(["whoami", "--url", &direct.uri(), "--token", TOKEN])
        .env("HTTP_PROXY", proxy.uri()));
    assert_ok(&out);
    assert_eq!(direct.received_requests().await.unwrap().len(), 1);
    assert_eq!(proxy.received_requests().await.unwrap().len(), 1);
}

const CLEARTEXT: &str =
    "warning: http://kopai.invalid uses plain http: the token is sent unencrypted; use https\n";

#[tokio::test]
async fn a_token_sent_over_plain_http_is_warned_about_once() {
    // `http://kopai.invalid` through a proxy that is a fake server: plain http to a host that
    // is not this machine, without leaving it.
    let proxy = serve("POST", "/signals/traces/search", json_response(EMPTY_PAGE)).await;
    let sb = Sandbox::new();
    // The token comes from KOPAI_TOKEN; the URL from --url or, without one, from KOPAI_URL.
    let cases = [
        "whoami --url http://kopai.invalid",
        "traces search --json",
        // The span spelling probe and the search: two requests, one warning.
        "traces search --json --status-code error --url http://kopai.invalid",
        // login (the token piped in) warns before it verifies, and verifying does not warn
        // again.
        "login --url http://kopai.invalid",
    ];
    for line in cases {
        let out = run(sb
            .kopai()
            .args(words(line))
            .env("KOPAI_URL", "http://kopai.invalid")
            .env("KOPAI_TOKEN", TOKEN)
            .env("HTTP_PROXY", proxy.uri())
            .write_stdin(TOKEN));
        assert_ok(&out);
        let warnings = out.stderr.matches(CLEARTEXT).count();
        assert_eq!(warnings, 1, "{line}: {}", out.stderr);
    }
    assert_eq!(
        requests(&proxy).await.len(),
        5,
        "everything went through the proxy"
    );
}

#[tokio::test]
async fn no_warning_without_a_token_on_the_wire_or_in_completion() {
    let services = json_response(r#"{"services":["checkout-api"]}"#);
    let proxy = serve("GET", "/signals/services", services).await;
    let sb = Sandbox::new();
    let cases = [
        // No token: nothing to expose.
        "services --json --url http://kopai.invalid",
        // Not verified: nothing sent.
        "whoami --no-verify --url http://kopai.invalid --token kpi_abcdefghijklmnop",
        // Completion: stderr is thrown away, and the warning belongs to the command run.
        "services --for-completion --url http://kopai.invalid --token kpi_abcdefghijklmnop",
    ];
    for line in cases {
        let out = run(sb.kopai().args(words(line)).env("HTTP_PROXY", proxy.uri()));
        assert_ok(&out);
        assert!(!out.stderr.contains("plain http"), "{line}: {}", out.stderr);
    }
    assert_eq!(requests(&proxy).await.len(), 2);
}

/// A proxy that refuses the connection is named, not taken for the server; its password is not
/// shown. The variables are read as reqwest reads them (either case, ALL_PROXY as a fallback).
#[test]
fn a_refused_proxy_is_named_in_the_error() {
    // Port 1 on this machine: nothing listens, the connection is refused at once.
    let proxy = "http://127.0.0.1:1";
    let cases = [
        ("HTTP_PROXY", "http://kopai.invalid"),
        ("http_proxy", "http://kopai.invalid"),
        ("HTTPS_PROXY", "https://kopai.invalid"),
        ("ALL_PROXY", "https://kopai.invalid"),
    ];
    let sb = Sandbox::new();
    for (variable, url) in cases {
        let out = run(sb
            .kopai()
            .args(["services", "--table", "--url", url])
            .env(variable, "http://someone:SECRETPW@127.0.0.1:1"));
        assert_failed(&out, 1);
        let (error, hint) = out.stderr.split_once('\n').unwrap();
        let blamed = format!(
            "error: could not connect to {url}/signals/services through the proxy {proxy}: "
        );
        assert!(error.starts_with(&blamed), "{variable}: {error}");
        assert_eq!(
            hint,
            "hint: check the proxy (HTTPS_PROXY, HTTP_PROXY or ALL_PROXY), or name the server \
             in NO_PROXY to reach it directly\n",
            "{variable}"
        );
        assert!(!out.stderr.contains("SECRETPW"), "{}", out.stderr);
    }
}

#[test]
fn without_a_proxy_a_refused_server_is_the_servers_fault() {
    let sb = Sandbox::new();
    // NO_PROXY (the sandbox's) names 127.0.0.1, so HTTP_PROXY is not used for it.
    let out = run(sb
        .kopai()
        .args(["services", "--json", "--url", "http://127.0.0.1:1"])
        .env("HTTP_PROXY", "http://127.0.0.1:2"));
    assert_failed(&out, 1);
    let error = json_error(&out);
    let message = error["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("could not connect to http://127.0.0.1:1/signals/services: "),
        "{message}"
    );
    assert_eq!(
        error["error"]["hint"],
        "check --url, KOPAI_URL or the url in .kopairc"
    );
}
