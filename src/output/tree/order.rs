//! The waterfall's rows: spans in tree order, and which of them a fold (`--depth`, `--service`,
//! `--errors`) keeps. Indexes are `u32` and children are laid out in one array, so the order of
//! a 50,000-span trace costs a few bytes a span.

use super::span::Span;

const NONE: u32 = u32::MAX;

/// One row of the waterfall: a span, how deep it sits, and the row of its parent.
pub(super) struct Line {
    pub span: u32,
    pub depth: u32,
    /// The row of the span's parent; `NONE` at the top level.
    parent: u32,
    /// The span names a parent the answer does not have (or sits in a parent cycle).
    pub orphan: bool,
}

impl Line {
    pub fn parent(&self) -> Option<usize> {
        (self.parent != NONE).then_some(self.parent as usize)
    }
}

/// Parents before children, siblings by start time. A span whose parent is not in the answer
/// (or that sits in a parent cycle) is shown at the top level, marked.
pub(super) fn tree_order(spans: &[Span]) -> Vec<Line> {
    let parent_of = parents(spans);

    // Each span's children, in one array: `first[p]..first[p + 1]` are the children of `p`.
    let mut first = vec![0u32; spans.len() + 1];
    for &p in parent_of.iter().filter(|&&p| p != NONE) {
        first[p as usize + 1] += 1;
    }
    for i in 0..spans.len() {
        first[i + 1] += first[i];
    }
    let mut children = vec![0u32; first[spans.len()] as usize];
    let mut next = first.clone();
    let mut roots = Vec::new();
    for (i, &p) in parent_of.iter().enumerate() {
        if p == NONE {
            roots.push(i as u32);
        } else {
            children[next[p as usize] as usize] = i as u32;
            next[p as usize] += 1;
        }
    }
    drop(next);
    let by_start = |list: &mut [u32]| list.sort_by_key(|&i| (spans[i as usize].start, i));
    by_start(&mut roots);
    for p in 0..spans.len() {
        by_start(&mut children[first[p] as usize..first[p + 1] as usize]);
    }

    let mut lines: Vec<Line> = Vec::with_capacity(spans.len());
    let mut seen = vec![false; spans.len()];
    let visit = |top: u32, lines: &mut Vec<Line>, seen: &mut [bool]| {
        let orphan = !spans[top as usize].parent.is_empty();
        let mut stack = vec![(top, 0u32, orphan, NONE)];
        while let Some((i, depth, orphan, parent)) = stack.pop() {
            if std::mem::replace(&mut seen[i as usize], true) {
                continue;
            }
            let row = lines.len() as u32;
            lines.push(Line {
                span: i,
                depth,
                parent,
                orphan,
            });
            let kids = &children[first[i as usize] as usize..first[i as usize + 1] as usize];
            for &kid in kids.iter().rev() {
                stack.push((kid, depth + 1, false, row));
            }
        }
    };
    for &root in &roots {
        visit(root, &mut lines, &mut seen);
    }
    // Spans caught in a parent cycle never hang from a root: show them at the top.
    let mut rest: Vec<u32> = (0..spans.len() as u32)
        .filter(|&i| !seen[i as usize])
        .collect();
    by_start(&mut rest);
    for i in rest {
        visit(i, &mut lines, &mut seen);
    }
    lines
}

/// Each span's parent, by index: IDs sorted once and found by binary search, so no hash a
/// server could make collide. An ID given twice names the last span with it.
fn parents(spans: &[Span]) -> Vec<u32> {
    let mut ids: Vec<(&str, u32)> = spans
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.id.is_empty())
        .map(|(i, s)| (s.id.as_ref(), i as u32))
        .collect();
    ids.sort_unstable();
    let parent = |(i, span): (usize, &Span)| {
        let wanted = span.parent.as_ref();
        if wanted.is_empty() {
            return NONE;
        }
        let after = ids.partition_point(|&(id, _)| id <= wanted);
        match after.checked_sub(1).map(|last| ids[last]) {
            Some((id, p)) if id == wanted && p as usize != i => p,
            _ => NONE,
        }
    };
    spans.iter().enumerate().map(parent).collect()
}

/// What to keep of a big trace; all of it when nothing is set.
#[derive(Debug, Default, Clone)]
pub struct Fold {
    /// `--depth N`: only the top N levels.
    pub depth: Option<u32>,
    /// `--service S`: spans of that service, and their ancestors.
    pub service: Option<String>,
    /// `--errors`: spans with an error status, and their ancestors.
    pub errors: bool,
}

impl Fold {
    pub fn is_set(&self) -> bool {
        self.depth.is_some() || self.service.is_some() || self.errors
    }

    /// The flags that folded the trace, as typed.
    pub fn flags(&self) -> String {
        let mut flags = Vec::new();
        if let Some(depth) = self.depth {
            flags.push(format!("--depth {depth}"));
        }
        if let Some(service) = &self.service {
            flags.push(format!("--service {service}"));
        }
        if self.errors {
            flags.push("--errors".to_owned());
        }
        flags.join(" ")
    }
}

/// Which rows a fold keeps, and for each kept row how many kept spans `--depth` hid below it.
pub(super) struct Kept {
    pub shown: Vec<bool>,
    pub below: Vec<u32>,
    pub count: usize,
}

pub(super) fn fold(lines: &[Line], spans: &[Span], fold: &Fold) -> Kept {
    let picked = |line: &Line| {
        let span = &spans[line.span as usize];
        fold.service.as_ref().is_none_or(|s| span.service == *s) && (!fold.errors || span.error)
    };
    let mut shown: Vec<bool> = if fold.service.is_some() || fold.errors {
        let mut shown: Vec<bool> = lines.iter().map(picked).collect();
        // A parent's row comes before its children's: going backwards, each kept row keeps its
        // parent, and so every ancestor.
        for i in (0..lines.len()).rev() {
            if let (true, Some(p)) = (shown[i], lines[i].parent()) {
                shown[p] = true;
            }
        }
        shown
    } else {
        vec![true; lines.len()]
    };
    let mut below = vec![0u32; lines.len()];
    if let Some(depth) = fold.depth {
        for i in (0..lines.len()).rev() {
            if lines[i].depth < depth || !shown[i] {
                continue;
            }
            shown[i] = false;
            if let Some(p) = lines[i].parent() {
                below[p] = below[p].saturating_add(below[i].saturating_add(1));
            }
        }
    }
    let count = shown.iter().filter(|&&s| s).count();
    Kept {
        shown,
        below,
        count,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(id: &'static str, parent: &'static str, start: u64, error: bool) -> Span<'static> {
        Span {
            id: id.into(),
            parent: parent.into(),
            name: id.into(),
            service: if id.starts_with('g') { "g" } else { "s" }.into(),
            message: "".into(),
            start,
            duration: 1,
            error,
        }
    }

    #[test]
    fn parents_come_before_children_and_siblings_by_start() {
        let spans = vec![
            span("c2", "root", 30, false),
            span("root", "", 0, false),
            span("c1", "root", 10, false),
            span("g1", "c1", 20, false),
            span("lost", "gone", 5, false),
            span("x", "y", 40, false),
            span("y", "x", 41, false),
            span("self", "self", 50, false),
            span("twice", "", 60, false),
            span("twice", "", 70, false),
            span("child", "twice", 80, false),
        ];
        let order: Vec<(&str, u32, bool)> = tree_order(&spans)
            .iter()
            .map(|l| (spans[l.span as usize].id.as_ref(), l.depth, l.orphan))
            .collect();
        assert_eq!(
            order,
            [
                ("root", 0, false),
                ("c1", 1, false),
                ("g1", 2, false),
                ("c2", 1, false),
                ("lost", 0, true),
                ("self", 0, true),
                ("twice", 0, false),
                ("twice", 0, false),
                ("child", 1, false),
                // A cycle hangs from no root: after them.
                ("x", 0, true),
                ("y", 1, false),
            ]
        );
    }

    #[test]
    fn folds_keep_ancestors_and_count_what_depth_hides() {
        let spans = vec![
            span("root", "", 0, false),
            span("c1", "root", 10, false),
            span("g1", "c1", 20, true),
            span("g2", "g1", 25, false),
            span("c2", "root", 30, false),
        ];
        let lines = tree_order(&spans);
        let kept = |f: Fold| {
            let kept = fold(&lines, &spans, &f);
            let names: Vec<(&str, u32)> = lines
                .iter()
                .enumerate()
                .filter(|(i, _)| kept.shown[*i])
                .map(|(i, l)| (spans[l.span as usize].id.as_ref(), kept.below[i]))
                .collect();
            assert_eq!(names.len(), kept.count);
            names
        };
        let errors = Fold {
            errors: true,
            ..Fold::default()
        };
        assert_eq!(kept(errors), [("root", 0), ("c1", 0), ("g1", 0)]);
        let service = Fold {
            service: Some("g".into()),
            depth: Some(3),
            ..Fold::default()
        };
        assert_eq!(kept(service), [("root", 0), ("c1", 0), ("g1", 1)]);
        let depth = Fold {
            depth: Some(1),
            ..Fold::default()
        };
        assert_eq!(kept(depth), [("root", 4)]);
    }
}
