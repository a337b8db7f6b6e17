//! The server's URL, checked and normalised once.

use url::Url;

use crate::secret::redact;

pub const DEFAULT_URL: &str = "https://kopai.app";

/// The server root, normalised: `http(s)` only, no trailing `/` or `/signals`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let trimmed = raw.trim();
        // Only for messages: a password in the URL (or a token typed by mistake) is never echoed.
        let shown = redact(trimmed, &[]);
        let url = Url::parse(trimmed)
            .map_err(|e| format!("`{shown}` is not a valid URL ({e}){}", suggestion(&shown)))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!(
                "`{shown}` must start with http:// or https://{}",
                suggestion(&shown)
            ));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(format!("`{shown}` has no host"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(format!(
                "`{}` must not contain credentials; use a token instead",
                url.host_str().unwrap_or_default()
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(format!("`{shown}` must not have a query or fragment"));
        }
        let mut text = url.as_str().trim_end_matches('/').to_owned();
        if let Some(stripped) = text.strip_suffix("/signals") {
            text = stripped.trim_end_matches('/').to_owned();
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The port written in the URL (none for the scheme's default).
    pub fn port(&self) -> Option<u16> {
        Url::parse(&self.0).ok()?.port()
    }

    /// Plain http to anything but this machine exposes the token on the network.
    pub fn is_insecure(&self) -> bool {
        let Ok(url) = Url::parse(&self.0) else {
            return false;
        };
        if url.scheme() != "http" {
            return false;
        }
        match url.host() {
            Some(url::Host::Domain(d)) => !d.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => !ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => !ip.is_loopback(),
            None => true,
        }
    }
}

/// `localhost:8000` → `; did you mean http://localhost:8000?` (https for other hosts): the
/// scheme is what people leave out. Empty when adding one would not help.
fn suggestion(raw: &str) -> String {
    if raw.contains("://") || raw.is_empty() {
        return String::new();
    }
    let host = raw.split(['/', ':']).next().unwrap_or_default();
    let local = host.eq_ignore_ascii_case("localhost")
        || host.starts_with("127.")
        || host == "0.0.0.0"
        || raw.starts_with("[::1]");
    let candidate = format!("{}://{raw}", if local { "http" } else { "https" });
    match Url::parse(&candidate) {
        Ok(url) if url.host_str().is_some_and(|h| h.contains('.') || local) => {
            format!("; did you mean `{candidate}`?")
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_is_normalised() {
        let url = |s| BaseUrl::parse(s).map(|u| u.0);
        assert_eq!(url("https://kopai.app/").unwrap(), "https://kopai.app");
        assert_eq!(url("http://h:8000/signals/").unwrap(), "http://h:8000");
        assert_eq!(url("https://h/base/signals").unwrap(), "https://h/base");
        assert!(url("ftp://h").is_err());
        assert!(url("kopai.app").is_err());
        assert!(url("https://user:pw@h").is_err());
    }

    #[test]
    fn a_url_without_its_scheme_gets_a_suggestion() {
        let err = |s| BaseUrl::parse(s).unwrap_err();
        assert!(err("localhost:8000").ends_with("did you mean `http://localhost:8000`?"));
        assert!(err("127.0.0.1:8000").ends_with("did you mean `http://127.0.0.1:8000`?"));
        assert!(err("kopai.example.com").ends_with("did you mean `https://kopai.example.com`?"));
        assert!(!err("ftp://h").contains("did you mean"));
        assert!(!err("not a url").contains("did you mean"));
    }

    #[test]
    fn plain_http_is_insecure_off_loopback() {
        let insecure = |s| BaseUrl::parse(s).unwrap().is_insecure();
        assert!(insecure("http://kopai.example.com"));
        assert!(!insecure("http://127.0.0.1:8000"));
        assert!(!insecure("http://localhost:8000"));
        assert!(!insecure("http://[::1]:8000"));
        assert!(!insecure("https://kopai.app"));
    }
}
