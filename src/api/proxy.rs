//! Which proxy a request to a URL goes through, found by the same rules reqwest follows
//! (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY`, upper or lower case, and the
//! system's settings on macOS and Windows), so that a failed connection blames the proxy it
//! really reached instead of the server.

use hyper_util::client::proxy::matcher::Matcher;

/// The proxy for `url` as `scheme://host:port` (a proxy's user and password are left out),
/// or `None` when the request goes straight to the server.
pub(super) fn proxy_for(url: &str) -> Option<String> {
    // Unit tests' clients are built without proxies (see `Client::new`).
    if cfg!(test) {
        return None;
    }
    let uri: http::Uri = url.parse().ok()?;
    let intercept = Matcher::from_system().intercept(&uri)?;
    let proxy = intercept.uri();
    let scheme = proxy.scheme_str().unwrap_or("http");
    let host = proxy.host()?;
    Some(match proxy.port_u16() {
        Some(port) => format!("{scheme}://{host}:{port}"),
        None => format!("{scheme}://{host}"),
    })
}
