//! A self-signed certificate the user trusts explicitly, checked on its own: in date, valid for
//! the name, signed by its own key. webpki does not expose validity dates or the signed part,
//! so those are read from the DER here (only for certificates webpki has already parsed).

use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::CertificateError;
use std::time::Duration;

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
            .filter(|alg| alg.signature_alg_id().as_ref() == outer.algorithm)
            .any(|alg| {
                cert.verify_signature(*alg, outer.tbs, outer.signature)
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
/// and validity period. Only read from a certificate webpki has already parsed.
struct Outer<'a> {
    tbs: &'a [u8],
    algorithm: &'a [u8],
    signature: &'a [u8],
    not_before: i64,
    not_after: i64,
}

impl<'a> Outer<'a> {
    fn parse(der: &'a [u8]) -> Option<Self> {
        const SEQUENCE: u8 = 0x30;
        let (_, cert, _) = der_element(der, SEQUENCE)?;
        let (tbs, fields, rest) = der_element(cert, SEQUENCE)?;
        let (_, algorithm, rest) = der_element(rest, SEQUENCE)?;
        let (_, bits, _) = der_element(rest, 0x03)?;
        let (0, signature) = bits.split_first()? else {
            return None; // a signature is a whole number of bytes
        };
        let mut fields = fields;
        if fields.first() == Some(&0xa0) {
            fields = der_element(fields, 0xa0)?.2; // version
        }
        let (_, _, fields) = der_element(fields, 0x02)?; // serialNumber
        let (_, _, fields) = der_element(fields, SEQUENCE)?; // signature
        let (_, _, fields) = der_element(fields, SEQUENCE)?; // issuer
        let (_, validity, _) = der_element(fields, SEQUENCE)?;
        let (&tag, _) = validity.split_first()?;
        let (_, not_before, rest) = der_element(validity, tag)?;
        let not_before = der_time(tag, not_before)?;
        let (&tag, _) = rest.split_first()?;
        let (_, not_after, _) = der_element(rest, tag)?;
        let not_after = der_time(tag, not_after)?;
        Some(Self {
            tbs,
            algorithm,
            signature,
            not_before,
            not_after,
        })
    }
}

/// The first DER element of `input` if it has `tag`: (the whole element, its contents, the rest).
fn der_element(input: &[u8], tag: u8) -> Option<(&[u8], &[u8], &[u8])> {
    let (&first, rest) = input.split_first()?;
    let (&length, mut rest) = rest.split_first()?;
    if first != tag {
        return None;
    }
    let length = if length < 0x80 {
        usize::from(length)
    } else {
        let count = usize::from(length & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let (bytes, after) = rest.split_at(count);
        rest = after;
        bytes.iter().fold(0usize, |n, &b| (n << 8) | usize::from(b))
    };
    let header = input.len() - rest.len();
    if rest.len() < length {
        return None;
    }
    Some((&input[..header + length], &rest[..length], &rest[length..]))
}

/// A UTCTime (`YYMMDDHHMMSSZ`) or GeneralizedTime (`YYYYMMDDHHMMSSZ`) as Unix seconds.
pub(super) fn der_time(tag: u8, value: &[u8]) -> Option<i64> {
    let text = std::str::from_utf8(value).ok()?.strip_suffix('Z')?;
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (year, rest) = match (tag, text.len()) {
        (0x17, 12) => {
            let yy: i32 = text[..2].parse().ok()?;
            (if yy < 50 { 2000 + yy } else { 1900 + yy }, &text[2..])
        }
        (0x18, 14) => (text[..4].parse().ok()?, &text[4..]),
        _ => return None,
    };
    let two = |i: usize| rest[i..i + 2].parse::<u8>().ok();
    let month = time::Month::try_from(two(0)?).ok()?;
    let date = time::Date::from_calendar_date(year, month, two(2)?).ok()?;
    let at = date.with_hms(two(4)?, two(6)?, two(8)?).ok()?;
    Some(at.assume_utc().unix_timestamp())
}
