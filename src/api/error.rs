//! What went wrong talking to the server, as kinds. How each is shown to the user (exit code,
//! hint, JSON name) is decided in `report`, not here.

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("Token is invalid or expired.")]
    Unauthorized,
    #[error("Not logged in: the server wants a token (HTTP 401).")]
    TokenRequired,
    #[error("Token does not have permission for {path} (HTTP 403).")]
    Forbidden { path: String },
    #[error("{}", status_message(*.status, .title, .detail.as_deref(), .request))]
    Status {
        status: u16,
        title: String,
        detail: Option<String>,
        /// What was asked, `POST http://host:port/signals/traces/summaries`: named when the
        /// answer names nothing itself.
        request: String,
    },
    #[error("no answer from {url} within {ms} ms")]
    Timeout { url: String, ms: u128 },
    #[error("{url} answered in plain HTTP, not HTTPS")]
    PlainHttp {
        url: String,
        /// The server's URL with `http://`, to suggest.
        http: String,
    },
    #[error("TLS error talking to {url}: {message}")]
    Tls { url: String, message: String },
    #[error("could not connect to {url}{}: {message}", .proxy.as_deref().map(|p| format!(" through the proxy {p}")).unwrap_or_default())]
    Network {
        url: String,
        message: String,
        /// The proxy the connection went to (from `HTTPS_PROXY` and the like), if any.
        proxy: Option<String>,
    },
    #[error("unexpected response from {url}: {message}")]
    InvalidResponse { url: String, message: String },
    #[error("{from} redirected to another origin ({to}); not sending the token there")]
    Redirect { from: String, to: String },
    #[error(
        "{url} kept redirecting within the server (more than {hops} times); is it misconfigured?"
    )]
    RedirectLoop { url: String, hops: usize },
    #[error("{url} answered HTTP {status} without a Location to follow")]
    RedirectWithoutLocation { url: String, status: u16 },
    #[error("the answer from {url} was cut short: {message}")]
    Interrupted { url: String, message: String },
    /// A 404 from an endpoint that only newer servers have.
    #[error("this Kopai server does not support {feature}")]
    Unsupported { feature: Newer },
}

/// A status as said to a person (JSON errors keep the title and detail apart, as the Node CLI
/// does). A 404 naming nothing missing of its own (no detail, or the web framework's `Route …
/// not found`) names the request, server URL and route: "Not Found" alone says nothing of
/// what was asked.
fn status_message(status: u16, title: &str, detail: Option<&str>, request: &str) -> String {
    let mut message = format!("{title} (HTTP {status})");
    if status == 404 && detail.is_none_or(|d| d.starts_with("Route ")) {
        message.push_str(" for ");
        message.push_str(request);
    }
    if let Some(detail) = detail {
        message.push_str(": ");
        message.push_str(detail);
    }
    message
}

/// What a server answering 404 on a route only newer servers have lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Newer {
    /// The KopaiQuery routes, whichever command sent to them.
    Queries,
    /// The route behind one flag, named as the user typed it (`` `logs search --aggregate` ``).
    Flag(&'static str),
}

impl std::fmt::Display for Newer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Queries => f.write_str("queries (KopaiQuery needs a newer server)"),
            Self::Flag(flag) => write!(f, "{flag} (it needs a newer version)"),
        }
    }
}

/// The HTTP client could not be put together (not a problem with any server).
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("could not set up HTTPS: {0}")]
    Tls(#[from] rustls::Error),
    #[error("could not set up HTTPS: {0}")]
    Client(String),
}

impl ApiError {
    /// An answer from `url` that is not the shape it should be.
    pub fn unexpected(url: &str, message: &str) -> Self {
        Self::InvalidResponse {
            url: url.to_owned(),
            message: message.to_owned(),
        }
    }

    /// The HTTP status behind the error, if the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Unauthorized | Self::TokenRequired => Some(401),
            Self::Forbidden { .. } => Some(403),
            Self::Status { status, .. } | Self::RedirectWithoutLocation { status, .. } => {
                Some(*status)
            }
            Self::Unsupported { .. } => Some(404),
            _ => None,
        }
    }

    /// The server's own explanation (RFC 7807 `detail`).
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

    /// The token was refused: 401 or 403.
    pub fn is_auth(&self) -> bool {
        matches!(
            self,
            Self::Unauthorized | Self::TokenRequired | Self::Forbidden { .. }
        )
    }
}

/// The most specific message in an error's source chain ("Connection refused", "invalid peer
/// certificate: UnknownIssuer") rather than reqwest's generic outer one.
pub(super) fn innermost(error: &(dyn std::error::Error + 'static)) -> String {
    let mut current = error;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}
