//! `kopai mcp`: a Model Context Protocol server over stdio, for coding agents. It uses the
//! config, token and TLS every command uses; its tools are read-only views of the same API.
//!
//! `server` answers the protocol, `transport` guards stdio, `tools` lists the tools and
//! dispatches calls to `signals`, `catalog` and `query`, whose arguments `args` checks and
//! whose answers `results` sizes; `errors` are what the model is told when a call fails.

mod args;
mod catalog;
mod errors;
mod query;
mod results;
mod server;
mod signals;
mod tools;
mod transport;

use rmcp::service::serve_server;

use crate::api::Client;
use crate::error::Exit;

pub use server::PROBE_TIMEOUT;

/// Serves until stdin closes (exit 0). `probe` is the same server with a short timeout.
pub async fn run(client: Client, probe: Client) -> Exit {
    let pipes = transport::stdio();
    let server = server::Server::new(client, probe);
    let mut exit = Exit::Success;
    match serve_server(server, (pipes.from_client, pipes.to_client)).await {
        Ok(running) => {
            if let Err(error) = running.waiting().await {
                errln!("kopai mcp: the server stopped: {error}");
                exit = Exit::Failure;
            }
        }
        // Stdin closed (or the client went away) before `initialize`: nothing to serve.
        Err(error) => errln!("kopai mcp: no session: {error}"),
    }
    let _ = pipes.written.await;
    exit
}
