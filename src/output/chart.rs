//! `--chart`: a time series as a line chart across the terminal, one marker per group on a
//! shared y scale in the measure's units, a time axis in local time and a legend. An empty
//! bucket is a gap. Markers and axes are Unicode shapes, or ASCII when the locale is not
//! UTF-8.

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use super::cell::{truncate, CellKind};
use super::human::Clock;
use super::spark::{position, range, resample, value_text, Series};
use crate::term::sanitize;

/// The most groups one chart tells apart.
pub const CHART_GROUPS: usize = 8;
/// Rows of plot, however tall the terminal: a chart per measure stays on one screen.
const HEIGHT: usize = 10;
/// The plot's width in a pipe (`--table`), where there is no terminal to fill.
const PIPE_WIDTH: usize = 100;

/// How a chart is drawn: the markers and axis pieces, Unicode or ASCII.
pub struct Glyphs {
    markers: [char; CHART_GROUPS],
    tick: char,
    bar: char,
    corner: char,
    line: char,
}

impl Glyphs {
    pub fn new(utf8: bool) -> Self {
        match utf8 {
            true => Self {
                markers: ['●', '○', '◆', '◇', '■', '□', '▲', '△'],
                tick: '┤',
                bar: '│',
                corner: '└',
                line: '─',
            },
            false => Self {
                markers: ['*', 'o', '+', 'x', '#', '@', '%', '&'],
                tick: '+',
                bar: '|',
                corner: '+',
                line: '-',
            },
        }
    }
}

/// What a chart is drawn on: the series' bucket times, the width, the glyphs and the clock.
pub struct Canvas<'a> {
    /// The start of each bucket, in nanoseconds, one per value of every series.
    pub times: &'a [i128],
    pub width: Option<usize>,
    pub glyphs: &'a Glyphs,
    pub clock: &'a Clock,
}

/// Writes a chart of (at most [`CHART_GROUPS`] of) `series` under `title`, values shown as
/// `kind` shows them.
pub fn write_chart(
    out: &mut impl Write,
    title: &str,
    series: &[Series],
    kind: &CellKind,
    canvas: &Canvas,
) -> io::Result<()> {
    let series = &series[..series.len().min(CHART_GROUPS)];
    writeln!(out, "{title}")?;
    let (lo, hi) = range(
        series
            .iter()
            .flat_map(|s| s.values.iter().flatten().copied()),
    );
    let (Some(lo), Some(hi)) = (lo, hi) else {
        return writeln!(out, "(no values in this window)");
    };
    let labels = [hi, lo / 2.0 + hi / 2.0, lo].map(|y| value_text(kind, y));
    let label_width = labels.iter().map(|l| l.width()).max().unwrap_or(0);
    let buckets = canvas.times.len();
    let plot_width = match canvas.width {
        Some(width) => width.saturating_sub(label_width + 2).max(10),
        None => buckets.clamp(10, PIPE_WIDTH),
    };
    let mut plot = vec![vec![' '; plot_width]; HEIGHT];
    let top = (HEIGHT - 1) as f64;
    for (s, marker) in series.iter().zip(canvas.glyphs.markers) {
        for (x, cell) in resample(&s.values, plot_width).iter().enumerate() {
            if let Some(y) = cell {
                let row = (position(*y, lo, hi) * top).round() as usize;
                plot[HEIGHT - 1 - row.min(HEIGHT - 1)][x] = marker;
            }
        }
    }
    let g = canvas.glyphs;
    for (i, row) in plot.iter().enumerate() {
        let (label, axis) = match i {
            0 => (labels[0].as_str(), g.tick),
            _ if i == HEIGHT / 2 => (labels[1].as_str(), g.tick),
            _ if i == HEIGHT - 1 => (labels[2].as_str(), g.tick),
            _ => ("", g.bar),
        };
        let line: String = row.iter().collect();
        writeln!(out, "{label:>label_width$} {axis}{}", line.trim_end())?;
    }
    let rule: String = std::iter::repeat_n(g.line, plot_width).collect();
    writeln!(out, "{:label_width$} {}{rule}", "", g.corner)?;
    writeln!(
        out,
        "{:label_width$}  {}",
        "",
        time_axis(canvas, plot_width)
    )?;
    legend(out, series, g, canvas.width)
}

/// The first, middle and last bucket's time under the plot, where each one's column is.
fn time_axis(canvas: &Canvas, plot_width: usize) -> String {
    let at = |x: usize| {
        let i = x * canvas.times.len() / plot_width;
        let ns = canvas.times.get(i)?;
        canvas.clock.minute(*ns)
    };
    let mut axis = String::new();
    for x in [0, plot_width / 2, plot_width.saturating_sub(1)] {
        let Some(text) = at(x) else { continue };
        // Right-aligned to the end for the last, centred on the middle, from the start first.
        let start = match x {
            0 => 0,
            _ if x == plot_width / 2 => x.saturating_sub(text.width() / 2),
            _ => plot_width.saturating_sub(text.width()),
        };
        let used = axis.width();
        if start >= used + 2 || used == 0 {
            axis.push_str(&" ".repeat(start.saturating_sub(used)));
            axis.push_str(&text);
        }
    }
    axis
}

/// Each group's marker and label: on one line when they fit, else one a line.
fn legend(
    out: &mut impl Write,
    series: &[Series],
    g: &Glyphs,
    width: Option<usize>,
) -> io::Result<()> {
    let entries: Vec<String> = series
        .iter()
        .zip(g.markers)
        .map(|(s, marker)| format!("{marker} {}", sanitize(&s.label)))
        .collect();
    let joined = entries.join("   ");
    match width {
        Some(width) if joined.width() > width => {
            for entry in entries {
                writeln!(out, "{}", truncate(&entry, width))?;
            }
            Ok(())
        }
        _ => writeln!(out, "{joined}"),
    }
}
