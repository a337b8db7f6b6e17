//! The signal routes besides the searches: one trace, the services, a service's operations,
//! the metrics there are, and the token check.

use serde_json::json;
use url::form_urlencoded;

use super::{encode_component, Search};
use crate::api::{ApiError, Body, Client};

impl Client {
    /// Every span of one trace: `[span…]`, empty for an unknown trace.
    pub async fn get_trace(&self, trace_id: &str) -> Result<Body, ApiError> {
        let path = format!("/signals/traces/{}", encode_component(trace_id));
        self.get(&path).await
    }

    /// `{"services": [name…]}`
    pub async fn services(&self) -> Result<Body, ApiError> {
        self.get("/signals/services").await
    }

    /// `{"operations": [name…]}`: the span names of `service`.
    pub async fn operations(&self, service: &str) -> Result<Body, ApiError> {
        let service: String = form_urlencoded::byte_serialize(service.as_bytes()).collect();
        self.get(&format!("/signals/traces/operations?serviceName={service}"))
            .await
    }

    /// `{"metrics": [{name, type, unit, description, attributes, resourceAttributes}…]}`
    pub async fn discover_metrics(&self) -> Result<Body, ApiError> {
        self.get("/signals/metrics/discover").await
    }

    /// What `whoami` and `login` ask to check a token: the cheapest authenticated search,
    /// answering JSON.
    pub async fn validate_token(&self) -> Result<(), ApiError> {
        self.search(Search::Spans, &json!({"limit": 1}))
            .await?
            .json()
            .map(drop)
    }
}
