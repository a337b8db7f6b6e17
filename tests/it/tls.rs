//! Trusting HTTPS servers: self-signed certificates named by SSL_CERT_FILE, SSL_CERT_DIR or
//! NODE_EXTRA_CA_CERTS, and the checks that still apply to them.

use std::path::Path;

use crate::common::*;
use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};

/// A server with a self-signed certificate marked as a CA, as `openssl req -x509` makes.
/// Returns its port and the certificate (PEM).
pub(crate) async fn self_signed_server(names: &[&str], expired: bool) -> (u16, String) {
    let mut params =
        CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "kopai.test");
    if expired {
        params.not_before = rcgen::date_time_ymd(2020, 1, 1);
        params.not_after = rcgen::date_time_ymd(2021, 1, 1);
    }
    let key = KeyPair::generate().unwrap();
    let cert = params.self_signed(&key).unwrap();
    let port = https_server(vec![cert.der().clone()], &key).await;
    (port, cert.pem())
}

fn whoami(sb: &Sandbox, url: &str, var: &str, value: &Path) -> Output {
    run(sb
        .kopai()
        .args(["whoami", "--url", url, "--token", TOKEN])
        .env(var, value))
}

fn assert_valid(out: &Output) {
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.ends_with("Token is valid.\n"), "{}", out.stdout);
}

fn assert_tls_refused(out: &Output, reason: &str) {
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout
            .ends_with("Could not reach server to validate token.\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains("error: TLS error talking to https://"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains(reason), "{}", out.stderr);
    assert!(out.stderr.contains("NODE_EXTRA_CA_CERTS"), "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_self_signed_ca_certificate_is_trusted_through_ssl_cert_file() {
    let (port, pem) = self_signed_server(&["127.0.0.1", "localhost"], false).await;
    let sb = Sandbox::new();
    let file = sb.home.join("server.pem");
    write(&file, &pem);
    for host in ["127.0.0.1", "localhost"] {
        let url = format!("https://{host}:{port}");
        assert_valid(&whoami(&sb, &url, "SSL_CERT_FILE", &file));
    }
    let out = run(sb
        .kopai()
        .args(["traces", "search", "--json", "--token", TOKEN])
        .args(["--url", &format!("https://127.0.0.1:{port}")])
        .env("SSL_CERT_FILE", &file));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "[]\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_self_signed_certificate_is_trusted_through_node_extra_ca_certs() {
    let (port, pem) = self_signed_server(&["127.0.0.1"], false).await;
    let sb = Sandbox::new();
    let file = sb.home.join("server.pem");
    write(&file, &pem);
    let url = format!("https://127.0.0.1:{port}");
    let out = whoami(&sb, &url, "NODE_EXTRA_CA_CERTS", &file);
    assert_valid(&out);
    assert_eq!(out.stderr, "");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_self_signed_certificate_is_trusted_through_ssl_cert_dir() {
    let (port, pem) = self_signed_server(&["127.0.0.1"], false).await;
    let sb = Sandbox::new();
    let dir = sb.home.join("certs");
    write(&dir.join("kopai.crt"), &pem);
    // Other files are skipped: not certificates, or not named like certificate files.
    write(
        &dir.join("broken.pem"),
        "-----BEGIN CERTIFICATE-----\nnot base64\n",
    );
    write(&dir.join("README"), "certificates for the lab");
    std::fs::create_dir(dir.join("old.pem")).unwrap();
    let url = format!("https://127.0.0.1:{port}");
    let dirs = std::env::join_paths([sb.home.join("missing"), dir]).unwrap();
    let out = run(sb
        .kopai()
        .args(["whoami", "--url", &url, "--token", TOKEN])
        .env("SSL_CERT_DIR", &dirs));
    assert_valid(&out);
    // The missing directory is named; the unreadable files in the other one are skipped quietly.
    assert!(
        sb.scrub(&out.stderr)
            .starts_with("warning: ignoring SSL_CERT_DIR directory [HOME]/missing: "),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trusted_self_signed_certificate_is_still_checked_for_the_name() {
    let sb = Sandbox::new();
    let (port, pem) = self_signed_server(&["127.0.0.1"], false).await;
    let file = sb.home.join("ip.pem");
    write(&file, &pem);
    let url = format!("https://localhost:{port}");
    let out = whoami(&sb, &url, "SSL_CERT_FILE", &file);
    assert_tls_refused(
        &out,
        "certificate not valid for name \"localhost\"; certificate is only valid for",
    );

    let (port, pem) = self_signed_server(&["localhost"], false).await;
    let file = sb.home.join("dns.pem");
    write(&file, &pem);
    let url = format!("https://127.0.0.1:{port}");
    let out = whoami(&sb, &url, "NODE_EXTRA_CA_CERTS", &file);
    assert_tls_refused(&out, "certificate not valid for name \"127.0.0.1\"");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_trusted_self_signed_certificate_is_refused() {
    let (port, pem) = self_signed_server(&["127.0.0.1"], true).await;
    let sb = Sandbox::new();
    let file = sb.home.join("server.pem");
    write(&file, &pem);
    let url = format!("https://127.0.0.1:{port}");
    let out = whoami(&sb, &url, "SSL_CERT_FILE", &file);
    assert_tls_refused(&out, "certificate expired");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_self_signed_certificate_that_is_not_trusted_is_refused() {
    let (port, _) = self_signed_server(&["127.0.0.1"], false).await;
    let (_, other_pem) = self_signed_server(&["127.0.0.1"], false).await;
    let sb = Sandbox::new();
    let url = format!("https://127.0.0.1:{port}");
    let out = run(sb.kopai().args(["whoami", "--url", &url, "--token", TOKEN]));
    assert_tls_refused(&out, "invalid peer certificate");

    // Another certificate for the same name does not vouch for this one.
    let file = sb.home.join("other.pem");
    write(&file, &other_pem);
    let out = whoami(&sb, &url, "SSL_CERT_FILE", &file);
    assert_tls_refused(&out, "invalid peer certificate");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trusted_leaf_is_not_enough_without_its_issuer() {
    let server = private_ca_server().await;
    let sb = Sandbox::new();
    let file = sb.home.join("leaf.pem");
    write(&file, &server.leaf_pem);
    let url = format!("https://127.0.0.1:{}", server.port);
    let out = whoami(&sb, &url, "SSL_CERT_FILE", &file);
    assert_tls_refused(&out, "UnknownIssuer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unusable_node_extra_ca_certs_file_is_a_warning() {
    let (port, pem) = self_signed_server(&["127.0.0.1"], false).await;
    let sb = Sandbox::new();
    let file = sb.home.join("server.pem");
    write(&file, &pem);
    let missing = sb.home.join("missing.pem");
    let url = format!("https://127.0.0.1:{port}");
    let out = run(sb
        .kopai()
        .args(["whoami", "--url", &url, "--token", TOKEN])
        .env("SSL_CERT_FILE", &file)
        .env("NODE_EXTRA_CA_CERTS", &missing));
    assert_valid(&out);
    assert!(
        sb.scrub(&out.stderr)
            .starts_with("warning: ignoring NODE_EXTRA_CA_CERTS file [HOME]/missing.pem: "),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);

    // A file without a certificate in it is no better.
    let key = sb.home.join("key.pem");
    write(
        &key,
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    );
    let out = run(sb
        .kopai()
        .args(["whoami", "--url", &url, "--token", TOKEN])
        .env("SSL_CERT_FILE", &file)
        .env("NODE_EXTRA_CA_CERTS", &key));
    assert_valid(&out);
    assert_eq!(
        sb.scrub(&out.stderr),
        "warning: ignoring NODE_EXTRA_CA_CERTS file [HOME]/key.pem: no PEM certificate in it\n"
    );
}

#[tokio::test]
async fn plain_http_reads_no_certificate_file() {
    let server = accepting_server().await;
    let sb = Sandbox::new();
    let out = whoami(
        &sb,
        &server.uri(),
        "NODE_EXTRA_CA_CERTS",
        &sb.home.join("missing.pem"),
    );
    assert_valid(&out);
    assert_eq!(out.stderr, "");
}
