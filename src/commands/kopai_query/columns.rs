//! The table of an aggregate answer: the groups' dimensions, the bucket's start in a time
//! series, then each measure right-aligned in units a person reads (`412 ms`, `3.1 %`,
//! `12.4/s`).

use crate::output::{CellKind, Column};
use crate::query::{Column as QueryColumn, Measure, MeasureOp, Query};

/// The key aggregate rows give a time series' bucket.
pub const BUCKET: &str = "bucket_start";

pub fn aggregate(query: &Query) -> Vec<Column> {
    let mut columns: Vec<Column> = query
        .dimensions
        .iter()
        .map(|d| {
            let key = d.key();
            Column::flex(&key, CellKind::for_field(&key)).floor(12)
        })
        .collect();
    if query.is_time_series() {
        columns.push(Column::new("Bucket", CellKind::Time(BUCKET.into())));
    }
    columns.extend(
        query
            .measures
            .iter()
            .map(|m| Column::new(&m.alias, measure_cell(m)).right()),
    );
    columns
}

/// How a measure's values read: a Duration's as times, an error rate as a percentage, rates
/// per second, the rest as numbers.
pub fn measure_cell(measure: &Measure) -> CellKind {
    let key = measure.alias.clone();
    let of_duration = measure.column == Some(QueryColumn::Name("Duration".into()));
    match measure.op {
        MeasureOp::ErrorRate => CellKind::Ratio(key),
        MeasureOp::Throughput => CellKind::PerSecond(key),
        MeasureOp::RateAvg | MeasureOp::RateSum | MeasureOp::RateMax => CellKind::PerSecond(key),
        MeasureOp::Count | MeasureOp::CountDistinct => CellKind::Number(key),
        _ if of_duration => CellKind::Duration(key),
        _ => CellKind::Number(key),
    }
}
