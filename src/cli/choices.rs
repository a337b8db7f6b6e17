//! Flag values that shell completion offers (`--status-code <TAB>` → `ok error unset`), parsed
//! as forgivingly as the plain parsers in `parse`.

use super::parse::parse_sort;
use super::spelling::{parse_span_kind, parse_status_code, Spelling};

/// A parser that also tells shell completion its values: `--status-code <TAB>` offers
/// `ok error unset` instead of file names, while parsing stays as forgiving as `parse`
/// (any case, the long `STATUS_CODE_*` form).
pub struct Choices<T> {
    names: &'static [&'static str],
    parse: fn(&str) -> Result<T, String>,
}

// Not derived: a derive would ask `T: Clone` and `T: Copy`, which a parser does not need.
impl<T> Clone for Choices<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Choices<T> {}

impl<T> Choices<T> {
    pub const fn new(names: &'static [&'static str], parse: fn(&str) -> Result<T, String>) -> Self {
        Self { names, parse }
    }
}

impl<T: Clone + Send + Sync + 'static> clap::builder::TypedValueParser for Choices<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        self.parse.parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            self.names
                .iter()
                .map(|n| clap::builder::PossibleValue::new(*n)),
        ))
    }
}

pub const STATUS_CODES: Choices<Spelling> =
    Choices::new(&["ok", "error", "unset"], parse_status_code);
pub const SPAN_KINDS: Choices<Spelling> = Choices::new(
    &[
        "server",
        "client",
        "producer",
        "consumer",
        "internal",
        "unspecified",
    ],
    parse_span_kind,
);
pub const SORT_ORDERS: Choices<String> = Choices::new(&["asc", "desc"], parse_sort);
