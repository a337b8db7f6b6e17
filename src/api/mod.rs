//! Everything that talks to the Kopai server. `client.rs` is the transport every request goes
//! through; `endpoints/` is the one place that knows the server's routes; `support.rs` what
//! this server supports, found out once per process; the rest says what went wrong and whom
//! to trust.

mod base_url;
mod body;
mod client;
mod endpoints;
mod error;
mod failure;
mod proxy;
mod retry;
mod support;
mod tls;

pub use base_url::{BaseUrl, DEFAULT_URL};
pub use body::Body;
pub use client::{Client, ClientOptions, Retry};
pub use endpoints::{
    encode_component, ExportRequest, OtlpSignal, QueryMode, QuerySignal, Rejected, Search,
};
pub use error::{ApiError, Newer, SetupError};
pub use retry::is_transient;
pub use support::BackendStyle;
pub use tls::inspect as inspect_tls;
