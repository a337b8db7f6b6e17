//! What there is to ask about: services, their operations, the metrics, and dashboards.

use serde_json::{json, Value};

use super::args::{field, required, Args, Field, Kind, LocalKind};
use super::errors::{Kind as ErrorKind, ToolError};
use super::results::{self, RAW_CAP, RAW_DEFAULT};
use super::signals::page;
use crate::api::{Body, Client, Search};

pub const SERVICES: &[Field] = &[];

pub const OPERATIONS: &[Field] = &[required(
    "serviceName",
    Kind::Local(LocalKind::Id),
    "Service name, exact (see the services tool)",
)];

pub const DISCOVER_METRICS: &[Field] = &[field(
    "metricName",
    Kind::Local(LocalKind::Id),
    "Only metrics whose name contains this text (any case)",
)];

pub const DASHBOARDS_LIST: &[Field] = &[
    field(
        "name",
        Kind::Text,
        "Dashboards whose name contains this text",
    ),
    field(
        "uiTreeVersion",
        Kind::Text,
        "Exact UI tree version (semver, like 0.14.0)",
    ),
    field("metadata", Kind::Attrs, "Metadata that must match exactly"),
    field(
        "limit",
        Kind::Local(LocalKind::Limit {
            default: RAW_DEFAULT,
            cap: RAW_CAP,
        }),
        "Dashboards to return, 1-200; more is refused, not cut",
    ),
    field(
        "cursor",
        Kind::Text,
        "nextCursor of the previous call, with the same other arguments",
    ),
    field(
        "sortOrder",
        Kind::Choice(&["ASC", "DESC"]),
        "By creation time: DESC (newest first, the default) or ASC",
    ),
    field(
        "fields",
        Kind::Local(LocalKind::Names),
        "Top-level keys to return (like [\"id\", \"name\"]); all when omitted",
    ),
];

pub const DASHBOARD_GET: &[Field] = &[required(
    "id",
    Kind::Local(LocalKind::Id),
    "Dashboard ID (see dashboards_list)",
)];

pub async fn services(client: &Client, _args: &Args) -> Result<Value, ToolError> {
    let answer = client.services().await?;
    let names = array(&answer, "services")?;
    let payload = json!({"services": names, "count": names.len()});
    results::within_ceiling(payload, vec![])
}

pub async fn operations(client: &Client, args: &Args) -> Result<Value, ToolError> {
    let service = args.id("serviceName")?.unwrap_or_default();
    let answer = client.operations(&service).await?;
    let names = array(&answer, "operations")?;
    let payload = json!({"serviceName": service, "operations": names, "count": names.len()});
    results::within_ceiling(
        payload,
        vec!["search_traces with serviceName and a limit shows the span names in use".into()],
    )
}

pub async fn discover_metrics(client: &Client, args: &Args) -> Result<Value, ToolError> {
    let wanted = args.id("metricName")?.map(|n| n.to_lowercase());
    let answer = client.discover_metrics().await?;
    let mut metrics = array(&answer, "metrics")?;
    if let Some(wanted) = wanted {
        metrics.retain(|m| {
            m.get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| n.to_lowercase().contains(&wanted))
        });
    }
    let payload = json!({"metrics": metrics, "count": metrics.len()});
    results::within_ceiling(
        payload,
        vec!["name part of the metric name with `metricName`".into()],
    )
}

pub async fn dashboards_list(client: &Client, args: &Args) -> Result<Value, ToolError> {
    let mut filter = args.filter(DASHBOARDS_LIST)?;
    let limit = args.limit(RAW_DEFAULT, RAW_CAP)?;
    filter.insert("limit".into(), json!(limit));
    let fields = args.names("fields")?;
    let answer = client
        .search(Search::Dashboards, &Value::Object(filter))
        .await?;
    let (rows, cursor) = page(&answer)?;
    results::raw_page(rows, cursor, limit, fields.as_deref())
}

pub async fn dashboard_get(client: &Client, args: &Args) -> Result<Value, ToolError> {
    let id = args.id("id")?.unwrap_or_default();
    let dashboard = match client.dashboard(&id).await {
        Ok(answer) => answer.json()?,
        Err(error) if error.status() == Some(404) => {
            return Err(ToolError::new(
                ErrorKind::NotFound,
                format!("no dashboard with ID {}", crate::term::sanitize(&id)),
            )
            .with_remedies(["dashboards_list shows the IDs there are".to_owned()]));
        }
        Err(error) => return Err(error.into()),
    };
    if !dashboard.is_object() {
        return Err(ToolError::new(
            ErrorKind::UpstreamError,
            "the server's answer is not a dashboard object",
        ));
    }
    results::within_ceiling(json!({"dashboard": dashboard}), vec![])
}

/// The array at `key` of an answer like `{"services": […]}`.
fn array(answer: &Body, key: &str) -> Result<Vec<Value>, ToolError> {
    match answer.json()?.get_mut(key).map(Value::take) {
        Some(Value::Array(items)) => Ok(items),
        _ => Err(answer
            .unexpected(&format!("expected an object with a `{key}` array"))
            .into()),
    }
}
