//! What every query command shares: building filters, paging, and printing rows.

use std::io::{self, BufWriter, IsTerminal, StdoutLock};

use serde_json::{Map, Value};

use crate::cli::{GlobalArgs, PageArgs};
use crate::client::Client;
use crate::commands::client_options;
use crate::error::Exit;
use crate::filters::Attr;
use crate::output::{field_columns, select, Column, Format, JsonArray, OutputSpec, Style, Table};
use crate::settings;

/// A client for the query commands: the resolved URL, and the token if there is one (a local
/// development server needs none).
pub fn connect(global: &GlobalArgs) -> anyhow::Result<Client> {
    let resolved = settings::resolve(global)?;
    let token = resolved.token.map(|(token, _)| token);
    Client::new(resolved.url, token, client_options(global))
}

/// A JSON request body that leaves unset filters out, in the order they are added.
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

    pub fn page(self, page: &PageArgs) -> Self {
        self.value("limit", page.limit)
            .text("sortOrder", page.sort.clone())
    }
}

/// Stdout is line-buffered; rows go out in page-sized writes instead of one per line.
type Out = BufWriter<StdoutLock<'static>>;

/// Where rows go: a JSON array or a table, both streamed a page at a time.
enum Sink {
    Json(JsonArray<Out>, Vec<String>),
    Table(Table<Out>),
}

impl Sink {
    fn new(spec: &OutputSpec, columns: Vec<Column>) -> Self {
        let out = BufWriter::with_capacity(64 * 1024, io::stdout().lock());
        match spec.format {
            Format::Json => Sink::Json(JsonArray::new(out), spec.fields.clone()),
            Format::Table => {
                let columns = if spec.fields.is_empty() {
                    columns
                } else {
                    field_columns(&spec.fields)
                };
                Sink::Table(Table::new(out, columns, Style::detect()))
            }
        }
    }

    fn push(&mut self, rows: &[Value]) -> io::Result<()> {
        match self {
            Sink::Json(array, fields) => {
                for row in rows {
                    if fields.is_empty() {
                        array.push(row)?;
                    } else {
                        array.push(&select(row, fields))?;
                    }
                }
                array.flush()
            }
            Sink::Table(table) => table.push_batch(rows),
        }
    }

    fn finish(self) -> io::Result<()> {
        match self {
            Sink::Json(array, _) => array.finish(),
            Sink::Table(table) => table.finish(),
        }
    }
}

/// Prints rows that came in one answer.
pub fn print_rows(rows: &[Value], spec: &OutputSpec, columns: Vec<Column>) -> anyhow::Result<Exit> {
    let mut sink = Sink::new(spec, columns);
    sink.push(rows)?;
    sink.finish()?;
    Ok(Exit::Success)
}

/// Runs a paged search: one page, or with `--all` every page, printing each as it arrives.
pub async fn search(
    client: &Client,
    path: &str,
    filter: Filter,
    page: &PageArgs,
    spec: &OutputSpec,
    columns: Vec<Column>,
) -> anyhow::Result<Exit> {
    let mut body = Value::Object(filter.0);
    let mut sink = Sink::new(spec, columns);
    let progress = page.all && io::stderr().is_terminal();
    let mut fetched = 0usize;
    loop {
        let mut answer = client.post_json(path, &body, true).await?;
        let rows = take_array(&mut answer, "data")
            .ok_or_else(|| client.unexpected(path, "expected an object with a `data` array"))?;
        sink.push(&rows)?;
        fetched += rows.len();
        let cursor = match answer.get("nextCursor") {
            Some(Value::String(c)) if !c.is_empty() => Some(c.clone()),
            _ => None,
        };
        match cursor {
            Some(cursor) if page.all && body["cursor"].as_str() == Some(cursor.as_str()) => {
                return Err(client
                    .unexpected(path, "the server sent the same nextCursor twice")
                    .into());
            }
            Some(cursor) if page.all => {
                if progress {
                    errprint!("\rFetched {fetched} rows…");
                }
                body["cursor"] = Value::String(cursor);
            }
            Some(_) => {
                if spec.format == Format::Table {
                    errln!("hint: there are more results; add --all to fetch every page");
                }
                break;
            }
            None => break,
        }
    }
    if progress {
        errprint!("\r\x1b[K");
    }
    sink.finish()?;
    Ok(Exit::Success)
}

/// Moves the array at `key` out of an answer, or `None` if the answer has another shape.
pub fn take_array(answer: &mut Value, key: &str) -> Option<Vec<Value>> {
    match answer.get_mut(key)?.take() {
        Value::Array(rows) => Some(rows),
        _ => None,
    }
}
