use std::time::Duration;

use super::self_signed::TrustedAlone;
use super::*;

#[test]
fn certificate_file_names() {
    for name in ["ca.pem", "server.crt", "5ed36f99.0", "5ed36f99.12"] {
        assert!(is_certificate_file(Path::new(name)), "{name}");
    }
    for name in [
        "5ed36f99.r0",
        "README",
        "key.key",
        "5ed36f9.0",
        "ca.pem.bak",
    ] {
        assert!(!is_certificate_file(Path::new(name)), "{name}");
    }
}

#[test]
#[cfg(unix)] // `:` separates the directories
fn an_empty_ssl_cert_dir_names_no_directory() {
    use std::ffi::OsStr;
    use std::path::PathBuf;
    assert!(cert_dirs(None).is_empty());
    // Empty: the system store stays (rustls-native-certs reads it so too).
    assert!(cert_dirs(Some(OsStr::new(""))).is_empty());
    assert!(cert_dirs(Some(OsStr::new("::"))).is_empty());
    assert_eq!(
        cert_dirs(Some(OsStr::new("/a::/b"))),
        [PathBuf::from("/a"), PathBuf::from("/b")]
    );
}

fn self_signed(
    algorithm: &'static rcgen::SignatureAlgorithm,
    name: &str,
) -> CertificateDer<'static> {
    valid_between(algorithm, name, 2020, 2030)
}

/// Valid from 1 January of one year to 1 January of another.
fn valid_between(
    algorithm: &'static rcgen::SignatureAlgorithm,
    name: &str,
    from: i32,
    until: i32,
) -> CertificateDer<'static> {
    let mut params = rcgen::CertificateParams::new(vec![name.to_owned()]).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.not_before = rcgen::date_time_ymd(from, 1, 1);
    params.not_after = rcgen::date_time_ymd(until, 1, 1);
    let key = rcgen::KeyPair::generate_for(algorithm).unwrap();
    params.self_signed(&key).unwrap().der().clone()
}

fn on(year: i32) -> UnixTime {
    let date = jiff::civil::date(i16::try_from(year).unwrap(), 6, 1);
    let secs = jiff::tz::TimeZone::UTC
        .to_timestamp(date.at(0, 0, 0, 0))
        .unwrap()
        .as_second();
    UnixTime::since_unix_epoch(Duration::from_secs(secs as u64))
}

#[test]
fn a_certificate_trusted_alone_is_checked_for_time_name_and_signature() {
    let provider = rustls::crypto::ring::default_provider();
    let ip = ServerName::try_from("127.0.0.1").unwrap();
    let dns = ServerName::try_from("localhost").unwrap();
    for algorithm in [
        &rcgen::PKCS_ECDSA_P256_SHA256,
        &rcgen::PKCS_ECDSA_P384_SHA384,
        &rcgen::PKCS_ED25519,
    ] {
        let der = self_signed(algorithm, "127.0.0.1");
        let alone = TrustedAlone::parse(&der, &provider).expect("self-signed");
        assert_eq!(alone.verify(&ip, on(2025)), Ok(()));
        let invalid = |result| match result {
            Err(rustls::Error::InvalidCertificate(e)) => e,
            other => panic!("{other:?}"),
        };
        assert!(matches!(
            invalid(alone.verify(&ip, on(2019))),
            CertificateError::NotValidYetContext { .. }
        ));
        assert!(matches!(
            invalid(alone.verify(&ip, on(2031))),
            CertificateError::ExpiredContext { .. }
        ));
        assert!(matches!(
            invalid(alone.verify(&dns, on(2025))),
            CertificateError::NotValidForNameContext { .. }
        ));

        // One bit of the signature changed: no longer signed by its own key.
        let mut tampered = der.to_vec();
        *tampered.last_mut().unwrap() ^= 1;
        let tampered = CertificateDer::from(tampered);
        assert!(TrustedAlone::parse(&tampered, &provider).is_none());
    }
    assert!(TrustedAlone::parse(&CertificateDer::from(vec![0x30, 0]), &provider).is_none());
}

/// Dates from 2050 on are GeneralizedTime (`YYYYMMDDHHMMSSZ`), earlier ones UTCTime
/// (`YYMMDDHHMMSSZ`, 50–99 meaning 19xx): both are read, at the second.
#[test]
fn validity_dates_in_both_encodings() {
    let provider = rustls::crypto::ring::default_provider();
    let ip = ServerName::try_from("127.0.0.1").unwrap();
    let der = valid_between(&rcgen::PKCS_ECDSA_P256_SHA256, "127.0.0.1", 1999, 2060);
    let alone = TrustedAlone::parse(&der, &provider).expect("self-signed");
    assert_eq!(alone.verify(&ip, on(1999)), Ok(()));
    assert_eq!(alone.verify(&ip, on(2059)), Ok(()));
    assert!(alone.verify(&ip, on(1998)).is_err());
    assert!(alone.verify(&ip, on(2060)).is_err());
    let at = |secs: u64| UnixTime::since_unix_epoch(Duration::from_secs(secs));
    // 2060-01-01T00:00:00Z is the last valid second.
    assert_eq!(alone.verify(&ip, at(2_840_140_800)), Ok(()));
    assert!(alone.verify(&ip, at(2_840_140_801)).is_err());
}
