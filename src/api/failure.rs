//! Turning what went wrong on the wire into an [`ApiError`] of the right kind: a status, a
//! redirect not followed, a connection that failed, an answer cut short.

use std::error::Error as _;

use reqwest::header::{HeaderMap, LOCATION};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use url::Url;

use super::client::{RawResponse, MAX_REDIRECTS};
use super::error::innermost;
use super::{ApiError, Client};

impl Client {
    /// A 3xx the redirect policy did not follow: another origin, too many hops within this
    /// one, or nothing to follow at all (304, no `Location`).
    pub(super) fn redirect_error(
        &self,
        url: &str,
        status: StatusCode,
        headers: &HeaderMap,
    ) -> ApiError {
        let target = headers
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|l| Url::parse(url).ok()?.join(l).ok());
        let Some(target) = target.filter(|_| status != StatusCode::NOT_MODIFIED) else {
            return ApiError::RedirectWithoutLocation {
                url: url.to_owned(),
                status: status.as_u16(),
            };
        };
        let same_origin = Url::parse(url).is_ok_and(|u| u.origin() == target.origin());
        if same_origin {
            return ApiError::RedirectLoop {
                url: url.to_owned(),
                hops: MAX_REDIRECTS,
            };
        }
        ApiError::Redirect {
            from: self.base.as_str().to_owned(),
            to: target.origin().ascii_serialization(),
        }
    }

    /// The answer started but did not arrive whole: not a connection failure.
    pub(super) fn body_error(&self, url: &str, error: &reqwest::Error) -> ApiError {
        if error.is_timeout() {
            return self.transport_error(url, error);
        }
        ApiError::Interrupted {
            url: url.to_owned(),
            message: innermost(error),
        }
    }

    pub(super) fn transport_error(&self, url: &str, error: &reqwest::Error) -> ApiError {
        if error.is_timeout() {
            return ApiError::Timeout {
                url: url.to_owned(),
                ms: self.options.timeout.as_millis(),
            };
        }
        if speaks_plain_http(error) {
            return ApiError::PlainHttp {
                url: url.to_owned(),
                http: self.base.as_str().replacen("https://", "http://", 1),
            };
        }
        let message = innermost(error);
        if is_tls_error(error) {
            ApiError::Tls {
                url: url.to_owned(),
                message,
            }
        } else {
            ApiError::Network {
                url: url.to_owned(),
                message,
                proxy: super::proxy::proxy_for(url),
            }
        }
    }

    pub(super) fn status_error(
        &self,
        method: &Method,
        path: &str,
        answer: RawResponse,
    ) -> ApiError {
        match answer.status {
            StatusCode::UNAUTHORIZED if self.token.is_none() => return ApiError::TokenRequired,
            StatusCode::UNAUTHORIZED => return ApiError::Unauthorized,
            StatusCode::FORBIDDEN => {
                return ApiError::Forbidden {
                    path: path.to_owned(),
                }
            }
            _ => {}
        }
        let status = answer.status.as_u16();
        let problem: Option<Value> = serde_json::from_slice(&answer.body).ok();
        let field = |key: &str| {
            problem
                .as_ref()
                .and_then(|p| p.get(key))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        // RFC 7807 (`title`/`detail`), or the framework's `error`/`message` for unknown routes.
        let title = field("title")
            .or_else(|| field("error"))
            .or_else(|| answer.status.canonical_reason().map(str::to_owned))
            .unwrap_or_else(|| "HTTP error".into());
        let detail = field("detail").or_else(|| field("message"));
        ApiError::Status {
            status,
            title,
            detail,
            request: format!("{method} {}", self.url(path)),
        }
    }
}

fn is_tls_error(error: &reqwest::Error) -> bool {
    let mut current: Option<&(dyn std::error::Error + 'static)> = error.source();
    while let Some(e) = current {
        if e.is::<rustls::Error>() || e.to_string().contains("certificate") {
            return true;
        }
        current = e.source();
    }
    false
}

/// An `https://` URL whose server speaks plain HTTP: its first bytes (`HTTP/1.1 400`) are no
/// TLS record, and rustls says so as an invalid content type. rustls' error sits inside
/// `io::Error`s (nested), whose `source()` skips what they hold, so each is opened too.
fn speaks_plain_http(error: &reqwest::Error) -> bool {
    let mut current: Option<&(dyn std::error::Error + 'static)> = error.source();
    while let Some(link) = current {
        let mut e = link;
        loop {
            if matches!(
                e.downcast_ref::<rustls::Error>(),
                Some(rustls::Error::InvalidMessage(
                    rustls::InvalidMessage::InvalidContentType
                ))
            ) {
                return true;
            }
            match e
                .downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
            {
                Some(inner) => e = inner,
                None => break,
            }
        }
        current = link.source();
    }
    false
}
