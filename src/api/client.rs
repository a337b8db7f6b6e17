//! The transport every request goes through: base URL, bearer auth, timeouts, retries of
//! idempotent requests, same-origin redirects, the `--verbose` trace, and errors typed by kind.
//! It knows no server path: those are in `endpoints/`.

use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde_json::Value;

use super::error::innermost;
use super::retry::{backoff, is_transient, retry_after, MAX_RETRIES};
use super::{tls, ApiError, BaseUrl, Body, SetupError};
use crate::secret::Token;
use crate::term::sanitize;

pub(super) const MAX_REDIRECTS: usize = 5;

/// Whether a request may be sent again after a transient failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Reads and searches: sending them twice is harmless.
    Transient,
    /// Creating something: a second send could create it twice.
    Never,
}

/// What a request carries: JSON for the Kopai API; for OTLP, gzipped protobuf or JSON.
#[derive(Clone, Copy)]
pub(super) enum Payload<'a> {
    Json(&'a Value),
    Gzipped {
        content_type: &'static str,
        bytes: &'a [u8],
    },
}

/// The largest answer kopai reads. A bigger one is an error before memory runs away; a page
/// of 1,000 spans is a few MiB.
const MAX_BODY_BYTES: usize = 256 * 1024 * 1024;

pub struct ClientOptions {
    pub timeout: Duration,
    pub verbose: bool,
    /// Whether a request that failed in passing is tried again. Not for shell completion:
    /// a TAB that waits out backoff for a server that is down feels broken.
    pub retries: bool,
}

pub struct Client {
    http: reqwest::Client,
    pub(super) base: BaseUrl,
    pub(super) token: Option<Token>,
    pub(super) options: ClientOptions,
}

pub(super) struct RawResponse {
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) body: Vec<u8>,
}

impl RawResponse {
    fn into_body(self, url: String) -> Body {
        let content_type = self
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let date = self
            .headers
            .get(http::header::DATE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Body::new(self.body, content_type, url, date)
    }
}

impl Client {
    pub fn new(
        base: BaseUrl,
        token: Option<Token>,
        options: ClientOptions,
    ) -> Result<Self, SetupError> {
        let builder = reqwest::Client::builder()
            .user_agent(concat!("kopai/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(options.timeout)
            .redirect(same_origin_redirects())
            .tls_backend_preconfigured(tls::client_config()?);
        // Unit tests talk to a fake server on 127.0.0.1, whatever proxy the machine has.
        #[cfg(test)]
        let builder = builder.no_proxy();
        let http = builder
            .build()
            .map_err(|e| SetupError::Client(innermost(&e)))?;
        Ok(Self {
            http,
            base,
            token,
            options,
        })
    }

    /// GET `path`; retried when it fails in passing.
    pub(super) async fn get(&self, path: &str) -> Result<Body, ApiError> {
        let answer = self.send(Method::GET, path, None, Retry::Transient).await?;
        Ok(answer.into_body(self.url(path)))
    }

    /// POST a JSON body to `path`; searches may be retried, creations never.
    pub(super) async fn post(
        &self,
        path: &str,
        body: &Value,
        retry: Retry,
    ) -> Result<Body, ApiError> {
        let answer = self
            .send(Method::POST, path, Some(Payload::Json(body)), retry)
            .await?;
        Ok(answer.into_body(self.url(path)))
    }

    /// POST an already gzipped body of `content_type` to `path` (OTLP/HTTP).
    pub(super) async fn post_gzipped(
        &self,
        path: &str,
        content_type: &'static str,
        gzipped: &[u8],
        retry: Retry,
    ) -> Result<Body, ApiError> {
        let payload = Some(Payload::Gzipped {
            content_type,
            bytes: gzipped,
        });
        let answer = self.send(Method::POST, path, payload, retry).await?;
        Ok(answer.into_body(self.url(path)))
    }

    pub(super) fn url(&self, path: &str) -> String {
        format!("{}{}", self.base.as_str(), path)
    }

    /// Sends with retries (idempotent requests only) within one overall `--timeout`.
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Payload<'_>>,
        retry: Retry,
    ) -> Result<RawResponse, ApiError> {
        // Checked: --timeout may be as large as a u64 of milliseconds.
        let deadline = Instant::now()
            .checked_add(self.options.timeout)
            .unwrap_or_else(far_future);
        let mut attempt = 0;
        loop {
            let result = self.send_once(&method, path, body, deadline).await;
            let (error, retry_after) = match result {
                Ok(answer) if answer.status.is_success() => return Ok(answer),
                Ok(answer) => {
                    let retry_after = retry_after(&answer.headers);
                    (self.status_error(&method, path, answer), retry_after)
                }
                Err(error) => (error, None),
            };
            if retry == Retry::Never
                || !self.options.retries
                || attempt >= MAX_RETRIES
                || !is_transient(&error)
            {
                return Err(error);
            }
            let delay = retry_after.unwrap_or_else(|| backoff(attempt));
            // Compared with what is left rather than added to now: a server's Retry-After can
            // be any number, and a wait past --timeout is not worth starting.
            if delay >= deadline.saturating_duration_since(Instant::now()) {
                return Err(error);
            }
            if self.options.verbose {
                errln!(
                    "* {}; retrying in {} ms",
                    sanitize(&error.to_string()),
                    delay.as_millis()
                );
            }
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    async fn send_once(
        &self,
        method: &Method,
        path: &str,
        body: Option<Payload<'_>>,
        deadline: Instant,
    ) -> Result<RawResponse, ApiError> {
        let url = self.url(path);
        let remaining = deadline.saturating_duration_since(Instant::now());
        let mut request = self.http.request(method.clone(), &url).timeout(remaining);
        if let Some(token) = &self.token {
            let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
                .expect("Token::parse admits only header-safe characters");
            value.set_sensitive(true);
            request = request.header(AUTHORIZATION, value);
        }
        match body {
            Some(Payload::Json(json)) => {
                request = request
                    .header(CONTENT_TYPE, "application/json")
                    .body(json.to_string());
            }
            Some(Payload::Gzipped {
                content_type,
                bytes,
            }) => {
                request = request
                    .header(CONTENT_TYPE, content_type)
                    .header(CONTENT_ENCODING, "gzip")
                    .body(bytes.to_vec());
            }
            None => {}
        }
        if self.options.verbose {
            errln!("> {method} {}", sanitize(&url));
            if let Some(token) = &self.token {
                errln!("> authorization: Bearer {}", token.prefix());
            }
            match body {
                Some(Payload::Json(json)) => errln!("> {}", sanitize(&json.to_string())),
                Some(Payload::Gzipped {
                    content_type,
                    bytes,
                }) => errln!("> {content_type}, {} bytes gzipped", bytes.len()),
                None => {}
            }
        }
        let started = Instant::now();
        let response = request
            .send()
            .await
            .map_err(|e| self.transport_error(&url, &e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = self.read_body(&url, response).await?;
        if self.options.verbose {
            errln!(
                "< {status} ({} ms, {} bytes)",
                started.elapsed().as_millis(),
                body.len()
            );
        }
        if status.is_redirection() {
            return Err(self.redirect_error(&url, status, &headers));
        }
        Ok(RawResponse {
            status,
            headers,
            body,
        })
    }

    /// The body, read chunk by chunk up to [`MAX_BODY_BYTES`] (one copy, no more).
    async fn read_body(
        &self,
        url: &str,
        mut response: reqwest::Response,
    ) -> Result<Vec<u8>, ApiError> {
        let too_large = || ApiError::InvalidResponse {
            url: url.to_owned(),
            message: format!(
                "the answer is larger than {} MiB; ask for fewer rows (--limit)",
                MAX_BODY_BYTES >> 20
            ),
        };
        let announced = response.content_length().unwrap_or(0);
        if announced > MAX_BODY_BYTES as u64 {
            return Err(too_large());
        }
        let mut body = Vec::with_capacity(announced as usize);
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.body_error(url, &e))?
        {
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

/// A deadline no run reaches (about 30 years away) when now + --timeout does not fit.
fn far_future() -> Instant {
    let now = Instant::now();
    now.checked_add(Duration::from_secs(1 << 30)).unwrap_or(now)
}

/// Follows redirects only within the same origin, so the `Authorization` header never
/// travels to a host the user did not name.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .last()
            .is_some_and(|prev| prev.origin() == attempt.url().origin());
        if same_origin && attempt.previous().len() <= MAX_REDIRECTS {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}
