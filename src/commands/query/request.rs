//! The JSON body of a search: filters in the order they are added, unset ones left out.

use serde_json::{Map, Value};

use crate::cli::parse::Attr;
use crate::cli::PageArgs;

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

    /// `limit` and `sortOrder`; the cursor is the pager's business.
    pub fn page(self, page: &PageArgs) -> Self {
        self.value("limit", page.limit)
            .text("sortOrder", page.sort.clone())
    }

    pub fn into_body(self) -> Value {
        Value::Object(self.0)
    }
}
