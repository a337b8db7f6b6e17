//! The table of an aggregate answer: the groups' dimensions, the bucket's start in a time
//! series, then each measure right-aligned in units a person reads (`412 ms`, `3.1 %`,
//! `12.4/s`).

use crate::output::{Cell, Column};
use crate::query::{Column as QueryColumn, Measure, MeasureOp, Query};

/// The key aggregate rows give a time series' bucket.
pub const BUCKET: &str = "bucket_start";

pub fn aggregate(query: &Query) -> Vec<Column> {
    let mut columns: Vec<Column> = query
        .dimensions
        .iter()
        .map(|d| {
            let key = d.key();
            Column::flex(&key, Cell::for_field(&key)).floor(12)
        })
        .collect();
    if query.is_time_series() {
        columns.push(Column::new("Bucket", Cell::Time(BUCKET.into())));
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
pub fn measure_cell(measure: &Measure) -> Cell {
    let key = measure.alias.clone();
    let of_duration = measure.column == Some(QueryColumn::Name("Duration".into()));
    match measure.op {
        MeasureOp::ErrorRate => Cell::Ratio(key),
        MeasureOp::Throughput => Cell::PerSecond(key),
        MeasureOp::RateAvg | MeasureOp::RateSum | MeasureOp::RateMax => Cell::PerSecond(key),
        MeasureOp::Count | MeasureOp::CountDistinct => Cell::Number(key),
        _ if of_duration => Cell::Duration(key),
        _ => Cell::Number(key),
    }
}
