//! The MCP server: what it says at `initialize`, the tool list (with `query` only where the
//! server has KopaiQuery), and each call run on its own, so calls overlap.

use std::time::Duration;

use rmcp::handler::server::ServerHandler;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, ErrorData, Implementation, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig,
};
use rmcp::service::{RequestContext, RoleServer};
use tokio::sync::Mutex;

use super::results::{failure, success};
use super::tools::{self, QUERY, TOOLS};
use crate::api::Client;

/// How long the first `tools/list` waits to learn whether the server has KopaiQuery.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

const INSTRUCTIONS: &str = "Read-only access to a Kopai OpenTelemetry backend (traces, logs, \
metrics, dashboards). Start with services or trace_summaries, open one trace with get_trace \
(its waterfall shows where time went and what failed), correlate logs with search_logs by \
traceId. Times take ages like 1h or RFC 3339. Results are capped: a limit over the cap is \
refused, and a page that stops at its limit returns nextCursor.";

pub struct Server {
    client: Client,
    /// The same server with [`PROBE_TIMEOUT`], for the KopaiQuery probe.
    probe: Client,
    /// Whether the server has KopaiQuery, once an answer said so.
    has_query: Mutex<Option<bool>>,
}

impl Server {
    pub fn new(client: Client, probe: Client) -> Self {
        Self {
            client,
            probe,
            has_query: Mutex::new(None),
        }
    }

    /// Asked once; a probe that failed (timeout, network) is asked again next time.
    async fn has_query(&self) -> bool {
        let mut known = self.has_query.lock().await;
        if let Some(known) = *known {
            return known;
        }
        match self.probe.supports_query().await {
            Ok(answer) => *known.insert(answer),
            Err(error) => {
                errln!(
                    "warning: could not tell whether the server has KopaiQuery: {}",
                    crate::term::sanitize(&error.to_string())
                );
                false
            }
        }
    }
}

impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        let capabilities = ServerCapabilities::builder().enable_tools().build();
        ServerConfig::new(capabilities)
            .with_server_info(Implementation::new("kopai", env!("CARGO_PKG_VERSION")))
            .with_instructions(INSTRUCTIONS)
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let mut list: Vec<_> = TOOLS.iter().map(tools::Spec::definition).collect();
        if self.has_query().await {
            list.push(QUERY.definition());
        }
        Ok(ListToolsResult::with_all_items(list))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let Some(spec) = tools::find(&request.name) else {
            let names: Vec<&str> = TOOLS.iter().map(|t| t.name).collect();
            let message = format!(
                "no tool named `{}`; the tools are {}",
                crate::term::sanitize(&request.name),
                names.join(", ")
            );
            return Err(ErrorData::invalid_params(message, None));
        };
        let result = match tools::call(&self.client, spec, request.arguments).await {
            Ok(payload) => success(payload),
            Err(error) => failure(&error),
        };
        Ok(result.into())
    }
}
