//! A trace too big to read on a screen: instead of thousands of rows, how big it is and the
//! folds that would make it readable, each with the number of rows it would leave.

use std::io::{self, Write};

use super::order::{fold, Fold, Line};
use super::span::Span;
use super::{count, wrap_words, SCREEN_ROWS};
use crate::term::sanitize;

/// How many services `--service` is offered with, biggest first.
const SERVICES_OFFERED: usize = 5;

pub(super) fn advise(
    out: &mut impl Write,
    spans: &[Span],
    lines: &[Line],
    folded: &Fold,
    rows: usize,
    width: Option<usize>,
) -> io::Result<()> {
    let mut say = |text: &str, indent: usize| -> io::Result<()> {
        let width = width.map_or(usize::MAX, |w| w.saturating_sub(indent).max(20));
        for line in wrap_words(text, width) {
            writeln!(out, "{:indent$}{line}", "")?;
        }
        Ok(())
    };
    let total = count(spans.len());
    let limit = count(SCREEN_ROWS);
    if folded.is_set() {
        let flags = folded.flags();
        let rows = count(rows);
        say(
            &format!("{flags} leaves {rows} of the trace's {total} spans: too many to read here (over {limit} rows). Fold it further:"),
            0,
        )?;
    } else {
        say(
            &format!(
                "This trace has {total} spans: too many to read here (over {limit} rows). Fold it:"
            ),
            0,
        )?;
    }
    // Each offer adds to the folds already given.
    let with = |change: &dyn Fn(&mut Fold)| {
        let mut f = folded.clone();
        change(&mut f);
        fold(lines, spans, &f).count
    };
    let depth = deepest_readable(lines, spans, folded);
    if folded.depth.is_none_or(|d| d > depth.0) {
        let (levels, rows) = depth;
        say(
            &format!(
                "--depth {levels}: the top {levels} levels ({} spans)",
                count(rows)
            ),
            2,
        )?;
    }
    if !folded.errors {
        let errors = spans.iter().filter(|s| s.error).count();
        let rows = with(&|f| f.errors = true);
        let text = if errors == 0 {
            "--errors: none, the trace has no errors".to_owned()
        } else {
            format!(
                "--errors: {} error spans and their parents ({} spans)",
                count(errors),
                count(rows)
            )
        };
        say(&text, 2)?;
    }
    if folded.service.is_none() {
        let mut services: Vec<(&str, usize)> = Vec::new();
        for span in spans.iter().filter(|s| !s.service.is_empty()) {
            match services.iter_mut().find(|(s, _)| *s == span.service) {
                Some((_, n)) => *n += 1,
                None => services.push((&span.service, 1)),
            }
        }
        services.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
        let mut offered: Vec<String> = services
            .iter()
            .take(SERVICES_OFFERED)
            .map(|(name, n)| format!("{} ({})", sanitize(name), count(*n)))
            .collect();
        if services.len() > SERVICES_OFFERED {
            offered.push(format!("and {} more", services.len() - SERVICES_OFFERED));
        }
        if !offered.is_empty() {
            say(
                &format!(
                    "--service NAME: one service's spans and their parents: {}",
                    offered.join(", ")
                ),
                2,
            )?;
        }
    }
    say(
        "Or read every row in a pager: add -t and pipe it to less -S.",
        0,
    )
}

/// The most levels the folds given can show within a screen's rows (at least one), and how
/// many rows that is.
fn deepest_readable(lines: &[Line], spans: &[Span], folded: &Fold) -> (u32, usize) {
    let unfolded = Fold {
        depth: None,
        ..folded.clone()
    };
    let kept = fold(lines, spans, &unfolded);
    let mut per_level: Vec<usize> = Vec::new();
    for (line, _) in lines.iter().zip(&kept.shown).filter(|(_, &shown)| shown) {
        let depth = line.depth as usize;
        if per_level.len() <= depth {
            per_level.resize(depth + 1, 0);
        }
        per_level[depth] += 1;
    }
    let mut rows = per_level.first().copied().unwrap_or(0);
    let mut levels = 1;
    for &n in per_level.iter().skip(1) {
        if rows + n > SCREEN_ROWS {
            break;
        }
        rows += n;
        levels += 1;
    }
    (levels, rows)
}
