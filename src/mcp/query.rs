//! The `query` tool: one KopaiQuery (newer servers), raw rows or aggregates, sized like the
//! other tools. The server validates the query; this checks only what picks the route and
//! what sizes the answer.

use serde_json::{json, Map, Value};

use super::args::{required, Args, Field, Kind, LocalKind};
use super::errors::ToolError;
use super::results::{self, AGGREGATE_CAP, RAW_CAP, RAW_DEFAULT};
use super::signals::page;
use crate::api::{Client, QueryMode, QuerySignal};

pub const QUERY: &[Field] = &[required(
    "query",
    Kind::Local(LocalKind::Object),
    "One KopaiQuery: {signal: traces|logs|metrics, mode: raw|aggregate, timeDimension: \
     {type: relative, lookback: \"1h\"} or {type: absolute, startTime, endTime}, filters?, \
     orderBy?, limit?; raw: dimensions?, cursor?; aggregate: measures [{op, column?, as}], \
     dimensions?, havings?, output {type: summary} or {type: timeSeries, granularity: \"5m\"}}. \
     Raw limit 1-200 (default 100), aggregate 1-500 (default 500); more is refused, not cut",
)];

pub async fn query(client: &Client, args: &Args) -> Result<Value, ToolError> {
    let mut query = args.object("query")?.cloned().unwrap_or_default();
    let signal = match query.get("signal").and_then(Value::as_str) {
        Some("traces") => QuerySignal::Traces,
        Some("logs") => QuerySignal::Logs,
        Some("metrics") => QuerySignal::Metrics,
        _ => {
            return Err(ToolError::invalid(
                "`query.signal` must be traces, logs or metrics",
            ))
        }
    };
    let mode = match query.get("mode").and_then(Value::as_str) {
        Some("raw") => QueryMode::Raw,
        Some("aggregate") => QueryMode::Aggregate,
        _ => return Err(ToolError::invalid("`query.mode` must be raw or aggregate")),
    };
    let (default, cap) = match mode {
        QueryMode::Raw => (RAW_DEFAULT, RAW_CAP),
        QueryMode::Aggregate => (AGGREGATE_CAP, AGGREGATE_CAP),
    };
    let limit = match query.get("limit") {
        None => default,
        Some(value) => match value.as_u64() {
            Some(n) if (1..=cap).contains(&n) => n,
            _ => {
                return Err(ToolError::invalid(format!("`query.limit` must be an integer from 1 to {cap} for {} queries; more is refused, not cut", mode_name(mode)))
                    .with_remedies([format!("ask for at most {cap} rows")]))
            }
        },
    };
    let remedies = aggregate_remedies(&query, limit);
    let sent = if mode == QueryMode::Aggregate {
        limit + 1
    } else {
        limit
    };
    query.insert("limit".into(), json!(sent));
    let answer = client.query(signal, mode, &Value::Object(query)).await?;
    let (rows, cursor) = page(&answer)?;
    match mode {
        QueryMode::Raw => results::raw_page(rows, cursor, limit, None),
        QueryMode::Aggregate => results::aggregate_rows(rows, limit, remedies),
    }
}

fn mode_name(mode: QueryMode) -> &'static str {
    match mode {
        QueryMode::Raw => "raw",
        QueryMode::Aggregate => "aggregate",
    }
}

/// By cause: an aggregate is groups × buckets rows. When the buckets alone exceed the limit,
/// a coarser granularity or a narrower window helps first; otherwise fewer groups.
fn aggregate_remedies(query: &Map<String, Value>, limit: u64) -> Vec<String> {
    let fewer_groups = "group by fewer dimensions, or filter to fewer groups".to_owned();
    let coarser = "use a coarser `output.granularity`".to_owned();
    let narrower = "narrow the `timeDimension` window".to_owned();
    let granularity = query
        .get("output")
        .filter(|o| o.get("type").and_then(Value::as_str) == Some("timeSeries"))
        .and_then(|o| o.get("granularity")?.as_str())
        .and_then(seconds);
    let buckets = granularity
        .zip(window_seconds(query))
        .map(|(g, w)| w.div_ceil(g.max(1)));
    match buckets {
        Some(buckets) if buckets > limit => vec![
            format!(
                "{coarser}: the window holds {buckets} buckets, over the limit of {limit} rows"
            ),
            narrower,
            fewer_groups,
        ],
        Some(_) => vec![fewer_groups, coarser, narrower],
        None => vec![fewer_groups, narrower],
    }
}

fn window_seconds(query: &Map<String, Value>) -> Option<u64> {
    let time = query.get("timeDimension")?;
    match time.get("type")?.as_str()? {
        "relative" => seconds(time.get("lookback")?.as_str()?),
        "absolute" => {
            let at = |key: &str| time.get(key)?.as_str()?.parse::<jiff::Timestamp>().ok();
            let span = at("endTime")?
                .as_second()
                .checked_sub(at("startTime")?.as_second())?;
            u64::try_from(span).ok()
        }
        _ => None,
    }
}

/// `5m`, `2h`, `1d`, `1w` as seconds.
fn seconds(text: &str) -> Option<u64> {
    let unit = match text.chars().last()? {
        's' => 1,
        'm' => 60,
        'h' => 3_600,
        'd' => 86_400,
        'w' => 604_800,
        _ => return None,
    };
    text[..text.len() - 1]
        .parse::<u64>()
        .ok()?
        .checked_mul(unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remedies_put_coarser_buckets_first_when_buckets_alone_overflow() {
        let query = json!({"timeDimension": {"type": "relative", "lookback": "1d"},
                           "output": {"type": "timeSeries", "granularity": "1m"}});
        let remedies = aggregate_remedies(query.as_object().unwrap(), 500);
        assert!(remedies[0].contains("1440 buckets"), "{remedies:?}");
        let query = json!({"timeDimension": {"type": "relative", "lookback": "1h"},
                           "output": {"type": "timeSeries", "granularity": "5m"}});
        let remedies = aggregate_remedies(query.as_object().unwrap(), 500);
        assert!(remedies[0].starts_with("group by fewer"), "{remedies:?}");
    }
}
