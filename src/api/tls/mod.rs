//! Which HTTPS servers `kopai` trusts.
//!
//! - The system store: on macOS and Windows the OS verifier, elsewhere the CA files that
//!   OpenSSL would read (`rustls-native-certs`).
//! - `SSL_CERT_FILE` (a PEM file) and `SSL_CERT_DIR` (`:`-separated directories of `.pem`,
//!   `.crt` or hashed `xxxxxxxx.0` files). On Linux they replace the system store, as they do for
//!   OpenSSL and curl; on macOS and Windows they are added to it.
//! - `NODE_EXTRA_CA_CERTS` (a PEM file), added on top, as the Node CLI does.
//!
//! A server certificate that is itself one of these explicitly trusted certificates is accepted
//! even when webpki refuses it as an end entity: a self-signed `openssl req -x509` certificate
//! is marked as a CA. It must still be valid now, valid for the server name and signed by its
//! own key.
//!
//! A file named by one of the variables that cannot be used gives a warning and is skipped. The
//! certificates are loaded at the first TLS handshake, once per run, so plain `http` costs
//! nothing.

use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};

mod inspect;
mod self_signed;

pub use inspect::inspect;

use self_signed::TrustedAlone;

use super::SetupError;

/// The TLS configuration for the HTTP client: ring (not aws-lc-rs: the same TLS for a fraction
/// of the start-up and build cost), TLS 1.2 and 1.3, HTTP/1.1, and the trust described in the
/// module documentation. Built only when a client is, so other commands never pay for it.
pub fn client_config() -> Result<rustls::ClientConfig, SetupError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Verifier {
        provider: provider.clone(),
        trust: OnceLock::new(),
    };
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

#[derive(Debug)]
struct Verifier {
    provider: Arc<CryptoProvider>,
    trust: OnceLock<Trust>,
}

#[derive(Debug)]
struct Trust {
    /// The usual chain verifier, or why there is none (no certificate could be loaded).
    chains: Result<Arc<dyn ServerCertVerifier>, rustls::Error>,
    /// The certificates named by the variables, each accepted as a server certificate itself.
    explicit: Vec<CertificateDer<'static>>,
}

impl Verifier {
    fn trust(&self) -> &Trust {
        self.trust.get_or_init(|| {
            let (explicit, replaces_system) = explicit_certificates();
            let chains = chain_verifier(&self.provider, &explicit, replaces_system);
            Trust { chains, explicit }
        })
    }
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let trust = self.trust();
        let result = match &trust.chains {
            Ok(chains) => chains.verify_server_cert(
                end_entity,
                intermediates,
                server_name,
                ocsp_response,
                now,
            ),
            Err(error) => Err(error.clone()),
        };
        let Err(error) = result else {
            return result;
        };
        if !is_issuer_problem(&error) || !trust.explicit.iter().any(|c| c == end_entity) {
            return Err(error);
        }
        // Not self-signed: it needs its issuer, like any other certificate.
        let Some(alone) = TrustedAlone::parse(end_entity, &self.provider) else {
            return Err(error);
        };
        alone.verify(server_name, now)?;
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// What the chain verifier says of a self-signed certificate: `UnknownIssuer`, or, when it is
/// marked as a CA, webpki's `CaUsedAsEndEntity` (which rustls passes on as an "other" error).
fn is_issuer_problem(error: &rustls::Error) -> bool {
    match error {
        rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer) => true,
        rustls::Error::InvalidCertificate(CertificateError::Other(other)) => matches!(
            other.0.downcast_ref::<webpki::Error>(),
            Some(webpki::Error::CaUsedAsEndEntity)
        ),
        _ => false,
    }
}

/// The certificates of `SSL_CERT_FILE`, `SSL_CERT_DIR` and `NODE_EXTRA_CA_CERTS`, without
/// duplicates, and whether the first two are set (so replace the system store on Linux).
fn explicit_certificates() -> (Vec<CertificateDer<'static>>, bool) {
    let mut certs = Vec::new();
    let file = std::env::var_os("SSL_CERT_FILE");
    let dirs = cert_dirs(std::env::var_os("SSL_CERT_DIR").as_deref());
    let replaces_system = file.is_some() || !dirs.is_empty();
    if let Some(file) = file {
        certs.extend(named_file("SSL_CERT_FILE", Path::new(&file)));
    }
    for dir in &dirs {
        certs.extend(named_dir("SSL_CERT_DIR", dir));
    }
    if let Some(file) = std::env::var_os("NODE_EXTRA_CA_CERTS").filter(|f| !f.is_empty()) {
        certs.extend(named_file("NODE_EXTRA_CA_CERTS", Path::new(&file)));
    }
    let mut seen = HashSet::new();
    certs.retain(|c| seen.insert(c.as_ref().to_vec()));
    (certs, replaces_system)
}

/// The directories `SSL_CERT_DIR` names. Empty entries name none, so `SSL_CERT_DIR=` leaves
/// the system store in place, as rustls-native-certs reads it.
fn cert_dirs(value: Option<&std::ffi::OsStr>) -> Vec<std::path::PathBuf> {
    let dirs = value.map(std::env::split_paths);
    let dirs = dirs.into_iter().flatten();
    dirs.filter(|dir| !dir.as_os_str().is_empty()).collect()
}

fn named_file(variable: &str, path: &Path) -> Vec<CertificateDer<'static>> {
    match pem_certificates(path) {
        Ok(certs) if certs.is_empty() => {
            skip(variable, "file", path, "no PEM certificate in it");
            certs
        }
        Ok(certs) => certs,
        Err(why) => {
            skip(variable, "file", path, &why);
            Vec::new()
        }
    }
}

/// The certificates in a directory's certificate files; files that cannot be read are skipped.
fn named_dir(variable: &str, dir: &Path) -> Vec<CertificateDer<'static>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            skip(variable, "directory", dir, &e.to_string());
            return Vec::new();
        }
    };
    let mut paths: Vec<_> = entries
        .filter_map(|entry| Some(entry.ok()?.path()))
        .filter(|path| is_certificate_file(path))
        .collect();
    paths.sort();
    let certs: Vec<_> = paths
        .iter()
        .filter_map(|path| pem_certificates(path).ok())
        .flatten()
        .collect();
    if certs.is_empty() {
        skip(
            variable,
            "directory",
            dir,
            "no PEM certificate in its .pem, .crt or hashed files",
        );
    }
    certs
}

/// `*.pem`, `*.crt`, or the `openssl rehash` name of a certificate (`5ed36f99.0`; `.r0` is a CRL).
fn is_certificate_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    if name.ends_with(".pem") || name.ends_with(".crt") {
        return true;
    }
    name.split_once('.').is_some_and(|(hash, n)| {
        hash.len() == 8
            && hash.bytes().all(|b| b.is_ascii_hexdigit())
            && !n.is_empty()
            && n.bytes().all(|b| b.is_ascii_digit())
    })
}

fn pem_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    CertificateDer::pem_slice_iter(&bytes)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("not valid PEM ({e})"))
}

fn skip(variable: &str, kind: &str, path: &Path, why: &str) {
    noteln!(
        "warning: ignoring {variable} {kind} {}: {why}",
        path.display()
    );
}

/// The system store, unless `SSL_CERT_FILE`/`SSL_CERT_DIR` replace it, plus the explicit
/// certificates as roots.
#[cfg(not(any(target_vendor = "apple", windows)))]
fn chain_verifier(
    provider: &Arc<CryptoProvider>,
    explicit: &[CertificateDer<'static>],
    replaces_system: bool,
) -> Result<Arc<dyn ServerCertVerifier>, rustls::Error> {
    let mut roots = rustls::RootCertStore::empty();
    if !replaces_system {
        // Unreadable system files are the system's business, as with the platform verifier.
        roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
    }
    roots.add_parsable_certificates(explicit.iter().cloned());
    if roots.is_empty() {
        return Err(CertificateError::UnknownIssuer.into());
    }
    let verifier =
        rustls::client::WebPkiServerVerifier::builder_with_provider(roots.into(), provider.clone())
            .build()
            .map_err(|e| rustls::Error::General(e.to_string()))?;
    Ok(verifier)
}

/// The OS verifier, with the explicit certificates added to its store.
#[cfg(any(target_vendor = "apple", windows))]
fn chain_verifier(
    provider: &Arc<CryptoProvider>,
    explicit: &[CertificateDer<'static>],
    _replaces_system: bool,
) -> Result<Arc<dyn ServerCertVerifier>, rustls::Error> {
    let verifier = rustls_platform_verifier::Verifier::new_with_extra_roots(
        explicit.iter().cloned(),
        provider.clone(),
    )?;
    Ok(Arc::new(verifier))
}

#[cfg(test)]
mod tests;
