//! Tables for people: columns formatted by what their field holds, fitted to the terminal and
//! streamed a page at a time.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use super::cell::truncate;
use super::cell::{CellKind, Column, Style, View};
use super::json::RowFields;
use crate::term::sanitize;
use crate::term::Terminal;

/// A streaming table. Which columns show, and how wide, is decided from the first batch of
/// rows (the first page) and holds for later pages, so memory stays flat however many rows
/// follow and every line stays within the terminal.
pub struct Table<W: Write> {
    out: W,
    columns: Vec<Column>,
    /// (column, width) of the columns shown, once the first batch has been seen.
    layout: Option<Vec<(usize, usize)>>,
    style: Style,
    rows: usize,
    /// More batches follow whose rows may fill a column empty in the first: none is hidden.
    streamed: bool,
}

impl<W: Write> Table<W> {
    /// `streamed`: more batches may follow (`--all`, `--follow`), so a column empty in the
    /// first is kept.
    pub fn new(
        out: W,
        columns: Vec<Column>,
        terminal: &Terminal,
        view: View,
        streamed: bool,
    ) -> Self {
        Self {
            out,
            columns,
            layout: None,
            style: Style::new(terminal, view),
            rows: 0,
            streamed,
        }
    }

    /// The top-level fields the columns read, or `None` when a column shows whole rows: rows
    /// may be parsed without the rest.
    pub fn fields_read(&self) -> Option<Vec<String>> {
        let mut fields = Vec::new();
        for column in &self.columns {
            fields.extend(column.kind.fields()?.into_iter().map(str::to_owned));
        }
        fields.dedup();
        Some(fields)
    }

    /// Whether the columns shown and their widths are set (by the first batch).
    pub fn laid_out(&self) -> bool {
        self.layout.is_some()
    }

    pub fn push_batch(&mut self, rows: &[RowFields]) -> io::Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let layout = match self.layout.take() {
            Some(layout) => layout,
            None => {
                let all: Vec<usize> = (0..self.columns.len()).collect();
                let cells = self.cells(rows, &all);
                let layout = self.fit(&cells);
                let header: Vec<String> = layout.iter().map(|&(i, _)| self.header(i)).collect();
                self.write_line(&header, &layout, true)?;
                let shown: Vec<Vec<String>> = cells
                    .into_iter()
                    .map(|row| layout.iter().map(|&(i, _)| row[i].clone()).collect())
                    .collect();
                self.write_rows(&shown, &layout)?;
                self.layout = Some(layout);
                self.rows += rows.len();
                return self.out.flush();
            }
        };
        let shown: Vec<usize> = layout.iter().map(|&(i, _)| i).collect();
        let cells = self.cells(rows, &shown);
        self.write_rows(&cells, &layout)?;
        self.layout = Some(layout);
        self.rows += rows.len();
        self.out.flush()
    }

    /// Ends the table; an empty one says so.
    pub fn finish(mut self) -> io::Result<()> {
        super::end_rows(&mut self.out, self.rows)
    }

    fn cells(&self, rows: &[RowFields], columns: &[usize]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| {
                columns
                    .iter()
                    .map(|&i| sanitize(&self.columns[i].render(r, &self.style)).into_owned())
                    .collect()
            })
            .collect()
    }

    fn header(&self, i: usize) -> String {
        let column = &self.columns[i];
        let header = column.header.to_uppercase();
        let utc_clock = self.style.clock_is_utc();
        if utc_clock && matches!(column.kind, CellKind::Time(_)) {
            format!("{header} (UTC)")
        } else {
            header
        }
    }

    fn write_rows(&mut self, rows: &[Vec<String>], layout: &[(usize, usize)]) -> io::Result<()> {
        for row in rows {
            self.write_line(row, layout, false)?;
        }
        Ok(())
    }

    /// The columns worth showing: all but those that hide when empty and are empty in every
    /// row (unless that would leave none, or more batches may fill them).
    fn informative(&self, cells: &[Vec<String>]) -> Vec<usize> {
        let all: Vec<usize> = (0..self.columns.len()).collect();
        if self.streamed {
            return all;
        }
        let kept: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&i| {
                !self.columns[i].hides_when_empty || cells.iter().any(|row| !row[i].is_empty())
            })
            .collect();
        if kept.is_empty() {
            all
        } else {
            kept
        }
    }

    /// Picks the columns to show and their widths: the informative ones, every column as wide
    /// as its widest cell if that fits; else free text is cut (the columns cut first, then the
    /// widest, down to each column's floor); else columns are dropped by rank and the rest
    /// fitted again.
    fn fit(&self, cells: &[Vec<String>]) -> Vec<(usize, usize)> {
        let natural: Vec<usize> = (0..self.columns.len())
            .map(|i| {
                cells
                    .iter()
                    .map(|r| r[i].width())
                    .chain([self.header(i).width()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut shown = self.informative(cells);
        let Some(max) = self.style.width else {
            return shown.iter().map(|&i| (i, natural[i])).collect();
        };
        loop {
            let floor = |i: usize| natural[i].min(self.columns[i].floor);
            if let Some(layout) = self.shrink(&shown, &natural, max, floor) {
                return layout;
            }
            let drop = shown
                .iter()
                .enumerate()
                .filter(|(_, &i)| self.columns[i].drop_rank > 0)
                .max_by_key(|(at, &i)| (self.columns[i].drop_rank, *at))
                .map(|(at, _)| at);
            match drop {
                Some(at) => {
                    shown.remove(at);
                }
                // Nothing left to drop: cut free text to a few characters; a line that is
                // still too long is cut at the edge when written.
                None => {
                    return self
                        .shrink(&shown, &natural, max, |i| natural[i].min(3))
                        .unwrap_or_else(|| shown.iter().map(|&i| (i, natural[i])).collect())
                }
            }
        }
    }

    fn shrink(
        &self,
        shown: &[usize],
        natural: &[usize],
        max: usize,
        floor: impl Fn(usize) -> usize,
    ) -> Option<Vec<(usize, usize)>> {
        let gaps = 2 * shown.len().saturating_sub(1);
        let mut widths: Vec<(usize, usize)> = shown.iter().map(|&i| (i, natural[i])).collect();
        let mut total: usize = widths.iter().map(|w| w.1).sum::<usize>() + gaps;
        while total > max {
            let widest = widths
                .iter_mut()
                .filter(|(i, w)| self.columns[*i].flexible && *w > floor(*i))
                .max_by_key(|(i, w)| (self.columns[*i].cut_first, *w))?;
            widest.1 -= 1;
            total -= 1;
        }
        Some(widths)
    }

    fn write_line(
        &mut self,
        cells: &[String],
        layout: &[(usize, usize)],
        header: bool,
    ) -> io::Result<()> {
        let mut line = String::new();
        let mut width = 0;
        let last = cells.len().saturating_sub(1);
        let palette = self.style.palette;
        for (n, (cell, &(i, col_width))) in cells.iter().zip(layout).enumerate() {
            let mut text = cut(Cow::Borrowed(cell.as_str()), col_width);
            let mut text_width = text.width();
            if self.columns[i].right {
                let pad = col_width.saturating_sub(text_width);
                push_spaces(&mut line, pad);
                width += pad;
            }
            if let Some(max) = self.style.width {
                let room = max.saturating_sub(width);
                if text_width > room {
                    text = cut(text, room);
                    text_width = text.width();
                }
            }
            let style = if header {
                palette.header
            } else if text == "ERROR" || text == "FATAL" {
                palette.error
            } else {
                anstyle::Style::new()
            };
            // Writing into the line, not through a `format!`: one allocation fewer per cell.
            let _ = write!(line, "{style}{text}{style:#}");
            width += text_width;
            if n != last {
                let used = if self.columns[i].right {
                    col_width
                } else {
                    text_width
                };
                let pad = col_width.saturating_sub(used.max(text_width)) + 2;
                push_spaces(&mut line, pad);
                width += pad;
            }
        }
        writeln!(self.out, "{}", line.trim_end())
    }
}

/// `text` cut to `width` columns, borrowed when it fits: no character is wider than its UTF-8
/// bytes, so a cell no longer in bytes than the column is neither measured nor copied.
fn cut(text: Cow<'_, str>, width: usize) -> Cow<'_, str> {
    if text.len() <= width || text.width() <= width {
        return text;
    }
    Cow::Owned(truncate(&text, width))
}

fn push_spaces(line: &mut String, count: usize) {
    line.extend(std::iter::repeat_n(' ', count));
}
