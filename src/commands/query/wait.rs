//! `--wait`: poll until at least one row matches (the CI gate "did my deploy's telemetry
//! arrive?"), then the search runs as usual; no match in time is exit 5.

use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;

use super::checked_page;
use super::follow::keeps_polling;
use super::waiting::Waiting;
use crate::api::{Client, Search};
use crate::cli::parse::Interval;
use crate::command_error::Result;
use crate::error::NoMatch;
use crate::term::{sanitize, Terminal};

/// Returns once a row matches `body`; an error when `wait` runs out first. Meanwhile a
/// terminal's stderr says what is awaited.
pub async fn until_rows(
    client: &Client,
    search: Search,
    body: &Value,
    wait: &Interval,
    interval: Duration,
    terminal: &Terminal,
) -> Result<()> {
    let mut waiting = Waiting::new(terminal, search);
    let deadline = Instant::now() + wait.duration;
    // One row answers the question; the real search follows with the user's limit.
    let mut probe = body.clone();
    probe["limit"] = Value::from(1);
    let mut warned = false;
    loop {
        let failure = match client.poll(search, &probe).await {
            Ok(answer) => {
                if !checked_page(&answer, Some("data"))?.rows.is_empty() {
                    waiting.rows_arrived();
                    return Ok(());
                }
                None
            }
            Err(err) if keeps_polling(&err) => {
                if !warned {
                    // The server's title and detail are in the message.
                    let shown = sanitize(&err.to_string()).into_owned();
                    waiting.clear();
                    noteln!("warning: {shown}; retrying until --wait runs out");
                    warned = true;
                }
                Some(err)
            }
            Err(err) => return Err(err.into()),
        };
        if failure.is_none() {
            waiting.nothing_yet(client, body).await;
        }
        let now = Instant::now();
        if now >= deadline {
            // The server failing at the end says nothing about the rows: report that instead.
            return Err(match failure {
                Some(err) => err.into(),
                None => NoMatch {
                    waited: wait.text.clone(),
                }
                .into(),
            });
        }
        // The last poll lands on the deadline.
        tokio::time::sleep_until(deadline.min(now + interval)).await;
    }
}
