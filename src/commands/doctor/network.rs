//! The way to the API: its URL (not the OTLP port by mistake), DNS, TCP, and for https the
//! TLS handshake with the certificate's issuer and expiry.

use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

use jiff::Timestamp;

use super::{Check, Checks};
use crate::api::inspect_tls;
use crate::commands::Context;
use crate::config::Settings;

/// How long one connection attempt may take, at most (and never longer than `--timeout`).
const CONNECT_WITHIN: Duration = Duration::from_secs(5);

/// The OTLP/HTTP and OTLP/gRPC ports: an API URL on one of them is a mix-up.
const OTLP_PORTS: [u16; 2] = [4318, 4317];

/// Runs the checks; `Some` when the server's port could be reached.
pub(super) fn check(ctx: &Context, settings: &Settings, checks: &mut Checks) -> Option<()> {
    let shown = settings.url.as_str();
    let Ok(url) = url::Url::parse(shown) else {
        checks.add(Check::fail(
            "API URL",
            shown,
            "give an http(s) URL with --url or KOPAI_URL",
        ));
        return None;
    };
    let host = url
        .host_str()
        .unwrap_or_default()
        .trim_matches(['[', ']'])
        .to_owned();
    let port = url.port_or_known_default().unwrap_or(443);
    if OTLP_PORTS.contains(&port) || host.starts_with("otlp.") {
        checks.add(Check::fail(
            "API URL",
            format!("{shown} is an OTLP (ingest) endpoint, not the API"),
            "use the API's URL (https://kopai.app, or port 8000 of a local server) with --url, \
             KOPAI_URL or the profile's url; OTLP goes in otlp_url or KOPAI_OTLP_URL",
        ));
        return None;
    }
    checks.add(Check::pass(
        "API URL",
        format!("{shown} ({})", settings.url_source.as_str()),
    ));

    let addresses: Vec<SocketAddr> = match (host.as_str(), port).to_socket_addrs() {
        Ok(found) => found.collect(),
        Err(error) => {
            checks.add(Check::fail(
                "DNS",
                format!("{host}: {error}"),
                "check the host name in the URL (`kopai whoami` says where it comes from)",
            ));
            return None;
        }
    };
    let listed: Vec<String> = addresses.iter().map(|a| a.ip().to_string()).collect();
    checks.add(Check::pass(
        "DNS",
        format!("{host} is {}", listed.join(", ")),
    ));

    let within = CONNECT_WITHIN.min(ctx.timeout());
    let mut refused = Vec::new();
    let reached =
        addresses.iter().find_map(
            |address| match TcpStream::connect_timeout(address, within) {
                Ok(_) => Some(*address),
                Err(error) => {
                    refused.push(format!("{address}: {error}"));
                    None
                }
            },
        );
    let Some(address) = reached else {
        checks.add(Check::fail(
            "TCP",
            refused.join("; "),
            "is the server running, and is the port right? (a local server's API is on port \
             8000); a proxy or firewall may be in the way",
        ));
        return None;
    };
    checks.add(Check::pass("TCP", format!("connected to {address}")));

    if url.scheme() != "https" {
        checks.add(Check::skip("TLS", "plain http"));
        return Some(());
    }
    match inspect_tls(address, &host, within) {
        Ok(cert) => {
            let expires = Timestamp::from_second(cert.not_after)
                .map(|t| t.strftime("%Y-%m-%d").to_string())
                .unwrap_or_else(|_| cert.not_after.to_string());
            let days = (cert.not_after - Timestamp::now().as_second()) / 86_400;
            checks.add(Check::pass(
                "TLS",
                format!(
                    "certificate from {}, expires {expires} (in {days} days)",
                    cert.issuer
                ),
            ));
            Some(())
        }
        Err(error) => {
            checks.add(Check::fail(
                "TLS",
                error,
                "for a private CA set SSL_CERT_FILE or NODE_EXTRA_CA_CERTS to its PEM file \
                 (README: Self-hosted servers and TLS)",
            ));
            None
        }
    }
}
