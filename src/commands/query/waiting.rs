//! The status line of `--follow` and `--wait` on a terminal, until the first row: what they
//! wait for, with the hints an empty search would give ("waiting for logs from x… — no such
//! service yet; known: …"). It goes as soon as rows arrive, or before anything else is said
//! on stderr, and never shows in a pipe or with `-q` ([`StatusLine`]).

use serde_json::Value;

use super::empty;
use crate::api::{Client, Search};
use crate::term::{StatusLine, Terminal};

pub struct Waiting {
    status: StatusLine,
    what: &'static str,
    /// Worked out at the first empty poll (it may ask the server for its services), then kept.
    text: Option<String>,
    /// Rows have arrived: nothing more to wait for.
    over: bool,
}

impl Waiting {
    pub fn new(terminal: &Terminal, search: Search) -> Self {
        let what = match search {
            Search::Spans => "spans",
            Search::TraceSummaries => "traces",
            Search::Metrics => "metric points",
            Search::Logs | Search::LogCounts => "logs",
            Search::Dashboards => "dashboards",
            Search::RawQuery(_) => "rows",
        };
        Self {
            status: StatusLine::new(terminal),
            what,
            text: None,
            over: false,
        }
    }

    /// After a poll that found nothing: the line, shown (again, if a message cleared it).
    /// `body` is the search's filter.
    pub async fn nothing_yet(&mut self, client: &Client, body: &Value) {
        if self.over || !self.status.is_enabled() {
            return;
        }
        if self.text.is_none() {
            self.text = Some(empty::waiting(client, body, self.what).await);
        }
        if let Some(text) = &self.text {
            self.status.show(text);
        }
    }

    /// Rows have arrived: the line goes for good.
    pub fn rows_arrived(&mut self) {
        self.over = true;
        self.status.clear();
    }

    /// Something else is about to be said on stderr: the line goes until the next empty poll.
    pub fn clear(&mut self) {
        self.status.clear();
    }
}
