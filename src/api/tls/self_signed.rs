//! A self-signed certificate the user trusts explicitly, checked on its own: in date, valid for
//! the name, signed by its own key. webpki does not expose validity dates or the signed part,
//! so those are read with x509-cert (only from certificates webpki has already parsed).

use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::CertificateError;
use std::time::Duration;

use x509_cert::der::asn1::AnyRef;
use x509_cert::der::{Decode, Encode};
use x509_cert::time::Time;
use x509_cert::Certificate;

/// A self-signed certificate, trusted as itself rather than through an issuer.
pub(super) struct TrustedAlone<'a> {
    cert: webpki::EndEntityCert<'a>,
    not_before: i64,
    not_after: i64,
}

impl<'a> TrustedAlone<'a> {
    /// The certificate, if webpki can parse it and it is signed by its own key.
    pub(super) fn parse(der: &'a CertificateDer<'a>, provider: &CryptoProvider) -> Option<Self> {
        let cert = webpki::EndEntityCert::try_from(der).ok()?;
        let outer = Outer::parse(der)?;
        let self_signed = provider
            .signature_verification_algorithms
            .all
            .iter()
            .filter(|alg| alg.signature_alg_id().as_ref() == outer.algorithm.as_slice())
            .any(|alg| {
                cert.verify_signature(*alg, outer.tbs, &outer.signature)
                    .is_ok()
            });
        self_signed.then_some(Self {
            cert,
            not_before: outer.not_before,
            not_after: outer.not_after,
        })
    }

    /// Valid now and for the server's name, with the same errors as the chain verifier.
    pub(super) fn verify(
        &self,
        server_name: &ServerName<'_>,
        now: UnixTime,
    ) -> Result<(), rustls::Error> {
        let at = |secs: i64| UnixTime::since_unix_epoch(Duration::from_secs(secs.max(0) as u64));
        let seconds = i64::try_from(now.as_secs()).unwrap_or(i64::MAX);
        if seconds < self.not_before {
            return Err(CertificateError::NotValidYetContext {
                time: now,
                not_before: at(self.not_before),
            }
            .into());
        }
        if seconds > self.not_after {
            return Err(CertificateError::ExpiredContext {
                time: now,
                not_after: at(self.not_after),
            }
            .into());
        }
        self.cert
            .verify_is_valid_for_subject_name(server_name)
            .map_err(|e| match e {
                webpki::Error::CertNotValidForName(context) => {
                    CertificateError::NotValidForNameContext {
                        expected: context.expected,
                        presented: context.presented,
                    }
                }
                _ => CertificateError::NotValidForName,
            })?;
        Ok(())
    }
}

/// What webpki checks but does not expose: the signed part of a certificate, its signature
/// and validity period, read with x509-cert. Only read from a certificate webpki has already
/// parsed.
struct Outer<'a> {
    /// The `tbsCertificate` exactly as sent: the bytes the signature covers.
    tbs: &'a [u8],
    /// The signature's AlgorithmIdentifier without its SEQUENCE header, as webpki names them.
    algorithm: Vec<u8>,
    signature: Vec<u8>,
    not_before: i64,
    not_after: i64,
}

impl<'a> Outer<'a> {
    fn parse(der: &'a [u8]) -> Option<Self> {
        let cert = Certificate::from_der(der).ok()?;
        // Sliced from the certificate rather than encoded again, so nothing the parser would
        // spell differently (a GeneralizedTime before 2050, say) can change what was signed.
        let body = AnyRef::from_der(der).ok()?.value();
        let (_, after_tbs) = AnyRef::from_der_partial(body).ok()?;
        let tbs = &body[..body.len() - after_tbs.len()];
        let alg = cert.signature_algorithm();
        let mut algorithm = alg.oid.to_der().ok()?;
        if let Some(parameters) = &alg.parameters {
            algorithm.extend(parameters.to_der().ok()?);
        }
        // A signature is a whole number of bytes.
        let signature = cert.signature().as_bytes()?.to_vec();
        let validity = cert.tbs_certificate().validity();
        let seconds = |time: Time| i64::try_from(time.to_unix_duration().as_secs()).ok();
        Some(Self {
            tbs,
            algorithm,
            signature,
            not_before: seconds(validity.not_before)?,
            not_after: seconds(validity.not_after)?,
        })
    }
}
