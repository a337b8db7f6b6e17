//! The one HTTP client every command uses: base URL, bearer auth, timeouts, retries of
//! idempotent requests, and errors typed by what the user can do about them.

use std::error::Error as _;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use url::Url;

use crate::error::{Exit, LOGIN_HINT};
use crate::secret::Token;
use crate::settings::BaseUrl;

const MAX_RETRIES: u32 = 2;
const MAX_REDIRECTS: usize = 5;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("Token is invalid or expired.")]
    Unauthorized,
    #[error("Not logged in: the server wants a token (HTTP 401).")]
    TokenRequired,
    #[error("Token does not have permission for {path} (HTTP 403).")]
    Forbidden { path: String },
    #[error("{title} (HTTP {status}){}", .detail.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    Status {
        status: u16,
        title: String,
        detail: Option<String>,
    },
    #[error("no answer from {url} within {ms} ms")]
    Timeout { url: String, ms: u128 },
    #[error("TLS error talking to {url}: {message}")]
    Tls { url: String, message: String },
    #[error("could not connect to {url}: {message}")]
    Network { url: String, message: String },
    #[error("unexpected response from {url}: {message}")]
    InvalidResponse { url: String, message: String },
    #[error("{from} redirected to another origin ({to}); not sending the token there")]
    Redirect { from: String, to: String },
}

impl ApiError {
    pub fn exit(&self) -> Exit {
        match self {
            Self::Unauthorized | Self::TokenRequired | Self::Forbidden { .. } => Exit::Auth,
            _ => Exit::Failure,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Self::Unauthorized | Self::TokenRequired | Self::Forbidden { .. } => "AuthError",
            Self::Status { .. } => "ApiError",
            Self::Timeout { .. } => "TimeoutError",
            Self::Tls { .. } => "TlsError",
            Self::Network { .. } => "NetworkError",
            Self::InvalidResponse { .. } => "InvalidResponseError",
            Self::Redirect { .. } => "RedirectError",
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Unauthorized | Self::TokenRequired => Some(401),
            Self::Forbidden { .. } => Some(403),
            Self::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn detail(&self) -> Option<&str> {
        match self {
            Self::Status { detail, .. } => detail.as_deref(),
            _ => None,
        }
    }

    /// The message without the detail, for the `message` field of JSON errors.
    pub fn headline(&self) -> String {
        match self {
            Self::Status { title, .. } => title.clone(),
            other => other.to_string(),
        }
    }

    pub fn hint(&self) -> Option<String> {
        match self {
            Self::Unauthorized => Some(format!(
                "create a new CLI token in the dashboard (Settings → Access Tokens), then {LOGIN_HINT}"
            )),
            Self::TokenRequired => Some(LOGIN_HINT.into()),
            Self::Forbidden { .. } => Some(format!(
                "use a token with access to this data: {LOGIN_HINT}"
            )),
            Self::Timeout { .. } => Some("raise --timeout (milliseconds) or check the server".into()),
            Self::Tls { .. } => Some(
                "if the server uses a private CA, set SSL_CERT_FILE to its certificate (PEM)".into(),
            ),
            Self::Network { .. } => Some("check --url, KOPAI_URL or the url in .kopairc".into()),
            Self::Redirect { to, .. } => {
                Some(format!("if the server has moved, log in again with --url {to}"))
            }
            _ => None,
        }
    }

    /// Worth another try for an idempotent request.
    fn is_transient(&self) -> bool {
        match self {
            Self::Network { .. } => true,
            Self::Status { status, .. } => matches!(status, 429 | 502 | 503 | 504),
            _ => false,
        }
    }
}

pub struct ClientOptions {
    pub timeout: Duration,
    pub verbose: bool,
}

pub struct Client {
    http: reqwest::Client,
    base: BaseUrl,
    token: Option<Token>,
    options: ClientOptions,
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Client {
    pub fn new(
        base: BaseUrl,
        token: Option<Token>,
        options: ClientOptions,
    ) -> anyhow::Result<Self> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("kopai/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(options.timeout)
            .redirect(same_origin_redirects())
            .build()
            .map_err(|e| anyhow::anyhow!("could not set up HTTPS: {}", innermost(&e)))?;
        Ok(Self {
            http,
            base,
            token,
            options,
        })
    }

    pub async fn get_json(&self, path: &str) -> Result<Value, ApiError> {
        let answer = self.send(Method::GET, path, None, true).await?;
        self.parse_json(path, answer)
    }

    /// POST a JSON body. `idempotent` requests (searches) may be retried.
    pub async fn post_json(
        &self,
        path: &str,
        body: &Value,
        idempotent: bool,
    ) -> Result<Value, ApiError> {
        let answer = self
            .send(Method::POST, path, Some(body), idempotent)
            .await?;
        self.parse_json(path, answer)
    }

    pub async fn get_text(&self, path: &str) -> Result<String, ApiError> {
        let answer = self.send(Method::GET, path, None, true).await?;
        String::from_utf8(answer.body).map_err(|_| ApiError::InvalidResponse {
            url: self.url(path),
            message: "the body is not UTF-8 text".into(),
        })
    }

    /// What `whoami` and `login` ask to check a token: the cheapest authenticated search.
    pub async fn validate_token(&self) -> Result<(), ApiError> {
        self.post_json(
            "/signals/traces/search",
            &serde_json::json!({"limit": 1}),
            true,
        )
        .await
        .map(drop)
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base.as_str(), path)
    }

    fn parse_json(&self, path: &str, answer: Answer) -> Result<Value, ApiError> {
        serde_json::from_slice(&answer.body).map_err(|_| {
            let kind = answer
                .headers
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("no content type");
            ApiError::InvalidResponse {
                url: self.url(path),
                message: format!("expected JSON, got {kind}"),
            }
        })
    }

    /// Sends with retries (idempotent requests only) within one overall `--timeout`.
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        idempotent: bool,
    ) -> Result<Answer, ApiError> {
        let deadline = Instant::now() + self.options.timeout;
        let mut attempt = 0;
        loop {
            let result = self.send_once(&method, path, body, deadline).await;
            let (error, retry_after) = match result {
                Ok(answer) if answer.status.is_success() => return Ok(answer),
                Ok(answer) => {
                    let retry_after = retry_after(&answer.headers);
                    (self.status_error(path, answer), retry_after)
                }
                Err(error) => (error, None),
            };
            if !idempotent || attempt >= MAX_RETRIES || !error.is_transient() {
                return Err(error);
            }
            let delay = retry_after.unwrap_or(Duration::from_millis(250 << attempt));
            if Instant::now() + delay >= deadline {
                return Err(error);
            }
            if self.options.verbose {
                errln!("* {error}; retrying in {} ms", delay.as_millis());
            }
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    async fn send_once(
        &self,
        method: &Method,
        path: &str,
        body: Option<&Value>,
        deadline: Instant,
    ) -> Result<Answer, ApiError> {
        let url = self.url(path);
        let remaining = deadline.saturating_duration_since(Instant::now());
        let mut request = self.http.request(method.clone(), &url).timeout(remaining);
        if let Some(token) = &self.token {
            let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
                .expect("Token::parse admits only header-safe characters");
            value.set_sensitive(true);
            request = request.header(AUTHORIZATION, value);
        }
        if let Some(body) = body {
            request = request
                .header(CONTENT_TYPE, "application/json")
                .body(body.to_string());
        }
        if self.options.verbose {
            errln!("> {method} {url}");
            if let Some(token) = &self.token {
                errln!("> authorization: Bearer {}", token.prefix());
            }
            if let Some(body) = body {
                errln!("> {body}");
            }
        }
        let started = Instant::now();
        let response = request
            .send()
            .await
            .map_err(|e| self.transport_error(&url, &e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|e| self.transport_error(&url, &e))?
            .to_vec();
        if self.options.verbose {
            errln!(
                "< {status} ({} ms, {} bytes)",
                started.elapsed().as_millis(),
                body.len()
            );
        }
        if status.is_redirection() {
            let to = headers
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|l| Url::parse(&url).ok()?.join(l).ok())
                .map(|u| u.origin().ascii_serialization())
                .unwrap_or_else(|| "an unknown location".into());
            return Err(ApiError::Redirect {
                from: self.base.as_str().to_owned(),
                to,
            });
        }
        Ok(Answer {
            status,
            headers,
            body,
        })
    }

    fn transport_error(&self, url: &str, error: &reqwest::Error) -> ApiError {
        if error.is_timeout() {
            return ApiError::Timeout {
                url: url.to_owned(),
                ms: self.options.timeout.as_millis(),
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
            }
        }
    }

    fn status_error(&self, path: &str, answer: Answer) -> ApiError {
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
        }
    }
}

/// `Retry-After` as seconds or as an HTTP date (a date already past means now).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let format = time::format_description::parse_borrowed::<1>(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT",
    )
    .ok()?;
    let at = time::PrimitiveDateTime::parse(value, &format)
        .ok()?
        .assume_utc();
    Some(
        (at - time::OffsetDateTime::now_utc())
            .try_into()
            .unwrap_or(Duration::ZERO),
    )
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

/// The most specific message in an error's source chain ("Connection refused", "invalid peer
/// certificate: UnknownIssuer") rather than reqwest's generic outer one.
fn innermost(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
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

impl Client {
    /// An "unexpected response" error for an answer of the wrong shape.
    pub fn unexpected(&self, path: &str, message: &str) -> ApiError {
        ApiError::InvalidResponse {
            url: self.url(path),
            message: message.to_owned(),
        }
    }
}
