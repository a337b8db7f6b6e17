//! Time series for people: one line per series with a sparkline across the free width and the
//! series' min, max and last value in the measure's units. An empty bucket is a gap, never a
//! zero.

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use super::cell::{truncate, CellKind};
use super::human::{format_duration, format_number};
use crate::term::sanitize;

const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// The most a label takes, so the sparkline keeps its room.
const LABEL_MAX: usize = 32;
/// The fewest characters a sparkline gets, however narrow the terminal.
const SPARK_MIN: usize = 10;

/// One series: its label and a value per bucket (`None` for an empty bucket or a null).
pub struct Series {
    pub label: String,
    pub values: Vec<Option<f64>>,
}

/// Writes `series` under a header (`label_header`, `spark_header`, MIN, MAX, LAST), the
/// numbers as `kind` shows them, each line within `width` when there is one.
pub fn write_sparklines(
    out: &mut impl Write,
    (label_header, spark_header): (&str, &str),
    series: &[Series],
    kind: &CellKind,
    width: Option<usize>,
) -> io::Result<()> {
    let labels: Vec<String> = series.iter().map(|s| sanitize(&s.label).into()).collect();
    let stats: Vec<[String; 3]> = series
        .iter()
        .map(|s| {
            let (lo, hi) = range(s.values.iter().flatten().copied());
            let last = s.values.iter().rev().flatten().next().copied();
            [lo, hi, last].map(|x| x.map(|x| value_text(kind, x)).unwrap_or_default())
        })
        .collect();
    let label_width = labels
        .iter()
        .map(|l| l.width())
        .chain([label_header.width()])
        .max()
        .unwrap_or(0)
        .min(LABEL_MAX);
    let names = ["MIN", "MAX", "LAST"];
    let stat_widths: Vec<usize> = (0..3)
        .map(|i| {
            stats
                .iter()
                .map(|s| s[i].width())
                .chain([names[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let buckets = series.iter().map(|s| s.values.len()).max().unwrap_or(0);
    let fixed = label_width + 2 + stat_widths.iter().map(|w| w + 2).sum::<usize>();
    let spark_width = match width {
        Some(width) => width.saturating_sub(fixed).max(SPARK_MIN),
        None => buckets.max(spark_header.width()),
    };
    let mut header = pad(&truncate(label_header, label_width), label_width);
    header.push_str("  ");
    header.push_str(&pad(&truncate(spark_header, spark_width), spark_width));
    for (name, w) in names.iter().zip(&stat_widths) {
        header.push_str(&format!("  {name:>w$}"));
    }
    writeln!(out, "{}", header.trim_end())?;
    for ((label, s), texts) in labels.iter().zip(series).zip(&stats) {
        let mut line = pad(&truncate(label, label_width), label_width);
        line.push_str("  ");
        line.push_str(&pad(&sparkline(&s.values, spark_width), spark_width));
        for (text, w) in texts.iter().zip(&stat_widths) {
            line.push_str(&format!("  {text:>w$}"));
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    out.flush()
}

fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}

/// A number in the units `kind` gives a measure's cells (`412 ms`, `3.1 %`, `12.4/s`).
pub fn value_text(kind: &CellKind, x: f64) -> String {
    match kind {
        // Beyond ±1e30 ns is no duration; the number is shown as it is.
        CellKind::Duration(_) if x.abs() < 1e30 => format_duration(x.round() as i128),
        CellKind::Ratio(_) => format!("{} %", format_number(x * 100.0)),
        CellKind::PerSecond(_) => format!("{}/s", format_number(x)),
        _ => format_number(x),
    }
}

/// The lowest and highest of `values`, `None` when there are none.
pub fn range(values: impl Iterator<Item = f64>) -> (Option<f64>, Option<f64>) {
    values.fold((None, None), |(lo, hi), x| {
        (
            Some(lo.map_or(x, |lo: f64| lo.min(x))),
            Some(hi.map_or(x, |hi: f64| hi.max(x))),
        )
    })
}

/// Where `x` sits between `lo` and `hi`, from 0 to 1. Halved first, so that the span of two
/// huge numbers of opposite sign does not overflow to infinity.
pub fn position(x: f64, lo: f64, hi: f64) -> f64 {
    let span = hi / 2.0 - lo / 2.0;
    if span <= 0.0 || !span.is_finite() {
        return 0.5;
    }
    ((x / 2.0 - lo / 2.0) / span).clamp(0.0, 1.0)
}

/// `values` as `width` characters, each the mean of the buckets it covers, scaled between the
/// series' own lowest and highest value (a flat series sits in the middle); a space where no
/// bucket has a value.
pub fn sparkline(values: &[Option<f64>], width: usize) -> String {
    let cells = resample(values, width);
    let (lo, hi) = range(cells.iter().flatten().copied());
    let (lo, hi) = (lo.unwrap_or(0.0), hi.unwrap_or(0.0));
    let top = (LEVELS.len() - 1) as f64;
    cells
        .iter()
        .map(|cell| match cell {
            None => ' ',
            Some(_) if hi <= lo => LEVELS[3],
            Some(x) => LEVELS[(position(*x, lo, hi) * top).round() as usize],
        })
        .collect()
}

/// One value per character: each bucket stretched to fill the width (some a character wider
/// than others when it does not divide evenly), else each character the mean of the buckets it covers (`None` when none
/// of them has a value).
pub fn resample(values: &[Option<f64>], width: usize) -> Vec<Option<f64>> {
    if values.is_empty() || width == 0 {
        return Vec::new();
    }
    if values.len() <= width {
        return (0..width)
            .map(|i| values[i * values.len() / width])
            .collect();
    }
    (0..width)
        .map(|i| {
            let from = i * values.len() / width;
            let to = ((i + 1) * values.len() / width).max(from + 1);
            mean(values[from..to].iter().flatten().copied())
        })
        .collect()
}

/// A running mean, each step divided first, so that huge numbers do not overflow as a sum
/// (or a difference) of them would.
fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (mean, n) = values.fold((0.0, 0u32), |(mean, n), x| {
        let n = n + 1;
        let n_f = f64::from(n);
        (mean - mean / n_f + x / n_f, n)
    });
    (n > 0).then_some(mean)
}

#[cfg(test)]
mod tests;
