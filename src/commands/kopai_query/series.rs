//! A time series on a terminal: its rows (one per group and bucket) gathered into one line per
//! group and measure, on a grid of every bucket in the answer's span, so that a bucket the
//! server left out is a gap.

use std::collections::HashMap;

use super::columns::{measure_cell, BUCKET};
use crate::output::{
    ns_of, number, text, write_chart, write_sparklines, Canvas, Clock, Glyphs, Row, RowFields,
    Series, CHART_GROUPS,
};
use crate::query::{Output, Query};

/// The most buckets drawn; a longer grid (a tiny bucket over a long window) falls back to the
/// buckets the answer has.
const MAX_BUCKETS: i128 = 100_000;

/// How a time series is drawn: sparklines, or `--chart`'s line chart in local time (`--utc`
/// for UTC) with Unicode or ASCII glyphs.
pub enum Drawing {
    Sparklines,
    Chart { utc: bool, utf8: bool },
}

/// Writes the series of `rows` (as the server sent them, groups in its order), one block per
/// measure.
pub fn write(
    out: &mut impl std::io::Write,
    query: &Query,
    rows: &[Row],
    width: Option<usize>,
    drawing: &Drawing,
) -> std::io::Result<()> {
    if rows.is_empty() {
        return writeln!(out, "No results found.");
    }
    let rows: Vec<RowFields> = rows.iter().map(|r| RowFields::read(*r, None)).collect();
    let grid = Grid::new(&rows, granularity_ns(query));
    let groups = groups(query, &rows);
    if let Drawing::Chart { .. } = drawing {
        if groups.len() > CHART_GROUPS {
            noteln!(
                "note: --chart draws the first {CHART_GROUPS} of {} groups; narrow them with \
                 --where or --limit",
                groups.len()
            );
        }
    }
    let label_header = match query.dimensions.len() {
        0 => "ALL".to_owned(),
        _ => query
            .dimensions
            .iter()
            .map(|d| d.key().to_uppercase())
            .collect::<Vec<_>>()
            .join(" · "),
    };
    let times = grid.times();
    for (i, measure) in query.measures.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let series: Vec<Series> = groups
            .iter()
            .map(|(label, members)| {
                let mut values = vec![None; grid.len()];
                for row in members {
                    let value = row.get(&measure.alias).and_then(number);
                    if let Some(at) = grid.index(row) {
                        values[at] = value;
                    }
                }
                Series {
                    label: label.clone(),
                    values,
                }
            })
            .collect();
        let spark_header = format!("{} per {}", measure.alias, granularity(query)).to_uppercase();
        let kind = measure_cell(measure);
        match drawing {
            Drawing::Sparklines => {
                let headers = (label_header.as_str(), spark_header.as_str());
                write_sparklines(out, headers, &series, &kind, width)?;
            }
            Drawing::Chart { utc, utf8 } => {
                let canvas = Canvas {
                    times: &times,
                    width,
                    glyphs: &Glyphs::new(*utf8),
                    clock: &Clock::new(*utc),
                };
                write_chart(out, &spark_header, &series, &kind, &canvas)?;
            }
        }
    }
    Ok(())
}

/// Whether the locale says the terminal takes UTF-8 (`LC_ALL`, else `LC_CTYPE`, else `LANG`).
pub fn locale_is_utf8() -> bool {
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|key| std::env::var(key).ok().filter(|v| !v.is_empty()))
        .is_some_and(|locale| {
            let locale = locale.to_ascii_lowercase();
            locale.contains("utf-8") || locale.contains("utf8")
        })
}

/// The groups in the order the server first sent them, each with its rows.
fn groups<'a, 'r>(
    query: &Query,
    rows: &'a [RowFields<'r>],
) -> Vec<(String, Vec<&'a RowFields<'r>>)> {
    let mut order: Vec<(String, Vec<&RowFields>)> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for row in rows {
        let label = label(query, row);
        match at.get(&label) {
            Some(&i) => order[i].1.push(row),
            None => {
                at.insert(label.clone(), order.len());
                order.push((label, vec![row]));
            }
        }
    }
    order
}

/// A group's dimension values, as one label.
fn label(query: &Query, row: &RowFields) -> String {
    let values: Vec<String> = query
        .dimensions
        .iter()
        .map(|d| {
            row.get(&d.key())
                .map(|v| text(v).into_owned())
                .unwrap_or_default()
        })
        .collect();
    match values.is_empty() {
        true => "all".to_owned(),
        false => values.join(" · "),
    }
}

/// A time series' bucket width as written (`5m`).
fn granularity(query: &Query) -> &str {
    match &query.output {
        Some(Output::TimeSeries { granularity }) => granularity,
        _ => "",
    }
}

/// A time series' bucket width in nanoseconds (checked: it came from a file).
fn granularity_ns(query: &Query) -> Option<i128> {
    let text = granularity(query);
    let (number, unit) = text.split_at(text.len().checked_sub(1)?);
    let seconds: i128 = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        "w" => 604_800,
        _ => return None,
    };
    number
        .parse::<i128>()
        .ok()?
        .checked_mul(seconds * 1_000_000_000)
}

/// Where each bucket goes on the line.
enum Grid {
    /// Every bucket from the first to the last, `step` apart.
    Even { start: i128, step: i128, len: usize },
    /// The buckets the answer has, in time order.
    Listed(Vec<i128>),
}

impl Grid {
    fn new(rows: &[RowFields], step: Option<i128>) -> Self {
        let mut starts: Vec<i128> = rows.iter().filter_map(bucket_of).collect();
        starts.sort_unstable();
        starts.dedup();
        let (Some(&first), Some(&last)) = (starts.first(), starts.last()) else {
            return Grid::Listed(starts);
        };
        match step.filter(|s| *s > 0) {
            Some(step) if (last - first) / step < MAX_BUCKETS => Grid::Even {
                start: first,
                step,
                // Under MAX_BUCKETS, so it fits.
                len: ((last - first) / step + 1) as usize,
            },
            _ => Grid::Listed(starts),
        }
    }

    /// Each bucket's start, in order.
    fn times(&self) -> Vec<i128> {
        match self {
            Grid::Even { start, step, len } => {
                // Within the answer's span: no overflow.
                (0..*len).map(|i| start + step * i as i128).collect()
            }
            Grid::Listed(starts) => starts.clone(),
        }
    }

    fn len(&self) -> usize {
        match self {
            Grid::Even { len, .. } => *len,
            Grid::Listed(starts) => starts.len(),
        }
    }

    fn index(&self, row: &RowFields) -> Option<usize> {
        let at = bucket_of(row)?;
        match self {
            Grid::Even { start, step, len } => {
                let offset = at.checked_sub(*start)?;
                let i = usize::try_from(offset / step).ok()?;
                (i < *len).then_some(i)
            }
            Grid::Listed(starts) => starts.binary_search(&at).ok(),
        }
    }
}

fn bucket_of(row: &RowFields) -> Option<i128> {
    row.get(BUCKET).and_then(ns_of)
}
