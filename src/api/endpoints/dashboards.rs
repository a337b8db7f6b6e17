//! The dashboard routes besides the search: the UI tree's schema, one dashboard, creating one.
//! There is no update and no delete.

use serde_json::Value;

use super::encode_component;
use crate::api::{ApiError, Body, Client, Retry};

impl Client {
    /// The UI tree's schema: markdown, not JSON ([`Body::text`]). A server without the route
    /// may answer 200 with its UI's HTML page.
    pub async fn dashboard_schema(&self) -> Result<Body, ApiError> {
        self.get("/dashboards/schema").await
    }

    /// One dashboard object, the ID kept one path segment.
    pub async fn dashboard(&self, id: &str) -> Result<Body, ApiError> {
        self.get(&format!("/dashboards/{}", encode_component(id)))
            .await
    }

    /// Creates a dashboard; answers the created dashboard. Never retried: a second send could
    /// create it twice.
    pub async fn create_dashboard(&self, body: &Value) -> Result<Body, ApiError> {
        self.post("/dashboards", body, Retry::Never).await
    }
}
