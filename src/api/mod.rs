//! Everything that talks to the Kopai server: `client.rs` is the transport every request goes
//! through, the rest says what went wrong and whom to trust.

mod base_url;
mod client;
mod error;
mod failure;
mod retry;
mod tls;

pub use base_url::{BaseUrl, DEFAULT_URL};
pub use client::{Body, Client, ClientOptions, Retry};
pub use error::ApiError;
pub use retry::is_transient;
