//! For `kopai doctor`: one TLS handshake on its own, with the same trust as every request, to
//! say what the server's certificate is (issuer, expiry) or why it is refused.

use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::ServerName;
use x509_cert::der::Decode;
use x509_cert::Certificate;

/// The server's certificate, as far as a person needs it.
pub struct CertificateSummary {
    /// The issuer's distinguished name (`CN=R11,O=Let's Encrypt,C=US`).
    pub issuer: String,
    /// When it expires, in seconds since 1970.
    pub not_after: i64,
}

/// Connects to `address`, shakes hands as `host` and reads the certificate it was given.
pub fn inspect(
    address: SocketAddr,
    host: &str,
    timeout: Duration,
) -> Result<CertificateSummary, String> {
    let config = super::client_config().map_err(|e| e.to_string())?;
    let name = ServerName::try_from(host.to_owned()).map_err(|e| format!("{host}: {e}"))?;
    let mut connection =
        rustls::ClientConnection::new(Arc::new(config), name).map_err(|e| e.to_string())?;
    let mut socket =
        TcpStream::connect_timeout(&address, timeout).map_err(|e| format!("{address}: {e}"))?;
    // Both bounds: a server that accepts and then says nothing must not hang the check.
    let _ = socket.set_read_timeout(Some(timeout));
    let _ = socket.set_write_timeout(Some(timeout));
    while connection.is_handshaking() {
        connection
            .complete_io(&mut socket)
            .map_err(|e| describe_io(&e))?;
    }
    let der = connection
        .peer_certificates()
        .and_then(|chain| chain.first())
        .ok_or("the server sent no certificate")?;
    let cert = Certificate::from_der(der).map_err(|e| format!("unreadable certificate: {e}"))?;
    let tbs = cert.tbs_certificate();
    let not_after = i64::try_from(tbs.validity().not_after.to_unix_duration().as_secs())
        .map_err(|_| "the certificate's expiry is out of range".to_owned())?;
    Ok(CertificateSummary {
        issuer: tbs.issuer().to_string(),
        not_after,
    })
}

/// rustls' verdict on the certificate, rather than the I/O error that carries it.
fn describe_io(error: &std::io::Error) -> String {
    match error.get_ref() {
        Some(inner) => inner.to_string(),
        None => error.to_string(),
    }
}
