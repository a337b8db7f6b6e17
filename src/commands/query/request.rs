//! The JSON body of a search: filters in the order they are added, unset ones left out.

use serde_json::{Map, Value};

use crate::cli::parse::Attr;
use crate::cli::{Bound, PageArgs};
use crate::error::UserError;

#[derive(Default)]
pub struct Filter(Map<String, Value>);

impl Filter {
    pub fn text(mut self, key: &str, value: Option<String>) -> Self {
        if let Some(v) = value {
            self.0.insert(key.to_owned(), Value::String(v));
        }
        self
    }

    pub fn value(mut self, key: &str, value: Option<impl Into<Value>>) -> Self {
        if let Some(v) = value {
            self.0.insert(key.to_owned(), v.into());
        }
        self
    }

    pub fn attrs(mut self, key: &str, attrs: Vec<Attr>) -> Self {
        if !attrs.is_empty() {
            let map: Map<String, Value> = attrs
                .into_iter()
                .map(|a| (a.key, Value::String(a.value)))
                .collect();
            self.0.insert(key.to_owned(), Value::Object(map));
        }
        self
    }

    /// The time window's bounds under `keys`, once it is known to hold anything: a start after
    /// the end (`--since 15m --until 20m`) would find nothing, which is a mistake to name
    /// rather than an empty answer.
    pub fn window(self, keys: [&str; 2], min: Bound, max: Bound) -> Result<Self, UserError> {
        check_window(&min, &max)?;
        let [min_key, max_key] = keys;
        Ok(self
            .text(min_key, min.map(|(_, ns)| ns))
            .text(max_key, max.map(|(_, ns)| ns)))
    }

    /// `limit` and `sortOrder`; the cursor is the pager's business.
    pub fn page(self, page: &PageArgs) -> Self {
        self.value("limit", page.limit)
            .text("sortOrder", page.sort.clone())
    }

    /// Whether the filter sets `key`.
    pub fn has(&self, key: &str) -> bool {
        self.0.contains_key(key)
    }

    pub fn into_body(self) -> Value {
        Value::Object(self.0)
    }
}

/// A start after the end finds nothing: said before anything is sent.
pub fn check_window(min: &Bound, max: &Bound) -> Result<(), UserError> {
    if let (Some((from, start)), Some((to, end))) = (min, max) {
        if let (Ok(start), Ok(end)) = (start.parse::<u128>(), end.parse::<u128>()) {
            if start > end {
                let ages = if *from == "--since" || *to == "--until" {
                    " (an age counts back from now: `--since 20m --until 15m` is the 5 \
                     minutes from 20 to 15 minutes ago)"
                } else {
                    ""
                };
                return Err(UserError::usage(format!(
                    "{from} is later than {to}, so the time window is empty{ages}"
                )));
            }
        }
    }
    Ok(())
}
