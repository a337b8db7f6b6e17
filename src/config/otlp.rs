//! Where `kopai send` sends telemetry and with which ingest token, and where each came from:
//! flag → `KOPAI_OTLP_*` → the OpenTelemetry SDK's `OTEL_EXPORTER_OTLP_*` → the profile →
//! derived from the API URL.

use super::file::ConfigFile;
use super::locate::env_var;
use super::model::KEY;
use super::resolve::{env_parsed, Settings};
use super::source::{FileOrigin, OtlpSource};
use super::token_store::{TokenKind, TokenStore};
use super::SettingsError;
use crate::api::BaseUrl;
use crate::error::UserError;
use crate::secret::{RawToken, Token};

/// The hosted service's OTLP endpoint, for the hosted API.
const HOSTED_OTLP: &str = "https://otlp.kopai.app";
/// The port a local or self-hosted Kopai server takes OTLP/HTTP on.
const LOCAL_OTLP_PORT: u16 = 4318;

pub use crate::api::OtlpSignal as Signal;

/// The spec's per-signal variable: a full URL, used as it is.
fn endpoint_var(signal: Signal) -> &'static str {
    match signal {
        Signal::Traces => "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
        Signal::Logs => "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
        Signal::Metrics => "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
    }
}

/// `--otlp-url` and `--ingest-token`.
#[derive(Debug, Default)]
pub struct OtlpOverrides {
    pub url: Option<String>,
    pub token: Option<RawToken>,
}

/// Where one signal goes, and the token, each with where it came from. `url` is an OTLP base
/// URL (the endpoint layer adds the signal's path) unless `url_is_signal_url`: the spec's
/// per-signal variables name the whole URL.
#[derive(Debug)]
pub struct OtlpTarget {
    pub url: BaseUrl,
    pub url_is_signal_url: bool,
    pub url_source: OtlpSource,
    pub token: Option<(Token, OtlpSource)>,
}

impl Settings {
    pub fn otlp(
        &self,
        signal: Signal,
        overrides: &OtlpOverrides,
    ) -> Result<OtlpTarget, SettingsError> {
        let (url, url_is_signal_url, url_source) = self.otlp_url(signal, overrides)?;
        Ok(OtlpTarget {
            url,
            url_is_signal_url,
            url_source,
            token: self.ingest_token(overrides)?,
        })
    }

    /// Where `signal` goes, whether that is the signal's whole URL (see [`OtlpTarget`]), and
    /// where it came from.
    pub fn otlp_url(
        &self,
        signal: Signal,
        overrides: &OtlpOverrides,
    ) -> Result<(BaseUrl, bool, OtlpSource), SettingsError> {
        let base = |url: BaseUrl, source| (url, false, source);
        if let Some(raw) = &overrides.url {
            let url =
                BaseUrl::parse(raw).map_err(|e| UserError::usage(format!("--otlp-url: {e}")))?;
            return Ok(base(url, OtlpSource::Flag("--otlp-url")));
        }
        if let Some(url) = env_parsed("KOPAI_OTLP_URL", BaseUrl::parse)? {
            return Ok(base(url, OtlpSource::Env("KOPAI_OTLP_URL")));
        }
        let var = endpoint_var(signal);
        if let Some(url) = env_parsed(var, BaseUrl::parse)? {
            return Ok((url, true, OtlpSource::Env(var)));
        }
        if let Some(url) = env_parsed("OTEL_EXPORTER_OTLP_ENDPOINT", BaseUrl::parse)? {
            return Ok(base(url, OtlpSource::Env("OTEL_EXPORTER_OTLP_ENDPOINT")));
        }
        if let Some(file) = &self.config {
            let profile = &self.profile.name;
            let value = file.profile(profile)?.otlp_url.as_deref();
            if let Some(url) = file.parsed(profile, KEY.otlp_url, value, BaseUrl::parse)? {
                return Ok(base(url, self.file_source(file, KEY.otlp_url)));
            }
        }
        Ok(base(derive_from_api(&self.url), OtlpSource::Derived))
    }

    /// The ingest token, if one is given anywhere, and where.
    pub fn ingest_token(
        &self,
        overrides: &OtlpOverrides,
    ) -> Result<Option<(Token, OtlpSource)>, SettingsError> {
        let bad = |place: &str, e: String| UserError::usage(format!("{place}: {e}"));
        if let Some(raw) = &overrides.token {
            let token = raw.parse().map_err(|e| bad("--ingest-token", e))?;
            return Ok(Some((token, OtlpSource::Flag("--ingest-token"))));
        }
        if let Some(raw) = env_var("KOPAI_INGEST_TOKEN")? {
            let token = Token::parse(&raw).map_err(|e| bad("KOPAI_INGEST_TOKEN", e))?;
            return Ok(Some((token, OtlpSource::Env("KOPAI_INGEST_TOKEN"))));
        }
        const HEADERS: &str = "OTEL_EXPORTER_OTLP_HEADERS";
        if let Some(raw) = env_var(HEADERS)? {
            if let Some(token) = bearer_from_headers(&raw).map_err(|e| bad(HEADERS, e))? {
                return Ok(Some((token, OtlpSource::Env(HEADERS))));
            }
        }
        let Some(file) = &self.config else {
            return Ok(None);
        };
        let token = TokenStore::read(file, &self.profile.name, TokenKind::Ingest)?;
        Ok(token.map(|token| (token, self.file_source(file, KEY.ingest_token))))
    }

    fn file_source(&self, file: &ConfigFile, key: &'static str) -> OtlpSource {
        let origin = FileOrigin {
            path: file.path.clone(),
            profile: self.profile.name.clone(),
        };
        OtlpSource::Config { key, origin }
    }
}

/// The hosted API sends to the hosted OTLP endpoint; any other server takes OTLP/HTTP on port
/// 4318 of its host.
fn derive_from_api(api: &BaseUrl) -> BaseUrl {
    let fallback = || BaseUrl::parse(HOSTED_OTLP).expect("a valid constant URL");
    let Ok(url) = url::Url::parse(api.as_str()) else {
        return fallback();
    };
    let host = url.host_str().unwrap_or_default();
    if host == "kopai.app" || host.ends_with(".kopai.app") {
        return fallback();
    }
    let host = match url.host() {
        Some(url::Host::Ipv6(ip)) => format!("[{ip}]"),
        _ => host.to_owned(),
    };
    BaseUrl::parse(&format!("{}://{host}:{LOCAL_OTLP_PORT}", url.scheme()))
        .unwrap_or_else(|_| fallback())
}

/// The bearer token of `OTEL_EXPORTER_OTLP_HEADERS` (`key=value,…`, values percent-encoded),
/// if it has an `Authorization: Bearer …` entry.
fn bearer_from_headers(raw: &str) -> Result<Option<Token>, String> {
    for entry in raw.split(',') {
        let Some((key, value)) = entry.split_once('=') else {
            continue;
        };
        if !key.trim().eq_ignore_ascii_case("authorization") {
            continue;
        }
        let value = percent_decode(value.trim())
            .ok_or("the Authorization value is not valid percent-encoded UTF-8")?;
        let Some(token) = value
            .strip_prefix("Bearer ")
            .or(value.strip_prefix("bearer "))
        else {
            return Err("the Authorization value must be `Bearer TOKEN`".into());
        };
        return Token::parse(token).map(Some);
    }
    Ok(None)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_otlp_endpoint_follows_the_api() {
        let derive = |api: &str| {
            derive_from_api(&BaseUrl::parse(api).unwrap())
                .as_str()
                .to_owned()
        };
        assert_eq!(derive("https://kopai.app"), "https://otlp.kopai.app");
        assert_eq!(derive("https://eu.kopai.app"), "https://otlp.kopai.app");
        assert_eq!(derive("http://localhost:8000"), "http://localhost:4318");
        assert_eq!(derive("http://[::1]:8000"), "http://[::1]:4318");
    }

    #[test]
    fn the_headers_variable_gives_the_bearer_token() {
        let token = bearer_from_headers("x-a=b,Authorization=Bearer%20kpi_abc").unwrap();
        assert_eq!(token.unwrap().expose(), "kpi_abc");
        assert!(bearer_from_headers("x-a=b").unwrap().is_none());
        assert!(bearer_from_headers("authorization=Basic%20x").is_err());
        assert!(bearer_from_headers("authorization=Bearer%2").is_err());
    }
}
