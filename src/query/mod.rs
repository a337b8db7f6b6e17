//! KopaiQuery, Kopai's one query model for traces, logs and metrics (upstream's `@kopai/core`
//! `kopai-query.ts` is the authority on its shapes): the types, the flag language that builds
//! one (`--measure 'p95(Duration)' --by service.name --where 'Duration>1s'`), and the checks a
//! query passes before it is sent.

mod build;
mod check;
mod columns;
mod flags;
mod model;

pub use build::{from_json, FlagQuery};
pub use flags::group_key;
pub use model::{
    Attribute, Column, Filter, FilterOp, Leaf, Measure, MeasureOp, Mode, Output, Query, Signal,
    TimeDimension,
};

#[cfg(test)]
mod tests;
