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
    /// A 404 from an endpoint that only newer servers have.
    #[error("this Kopai server does not support {feature} (it needs a newer version)")]
    Unsupported { feature: String },
}

impl ApiError {
    /// The HTTP status behind the error, if the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Unauthorized | Self::TokenRequired => Some(401),
            Self::Forbidden { .. } => Some(403),
            Self::Status { status, .. } => Some(*status),
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

    /// A 404 from an endpoint newer servers have means this server is older.
    pub fn unsupported_if_missing(self, feature: &str) -> Self {
        match self {
            Self::Status { status: 404, .. } => Self::Unsupported {
                feature: feature.to_owned(),
            },
            other => other,
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
