//! What `--follow` remembers so that each row is printed exactly once, however the server pages
//! (repeated pages, overlapping pages, rows older than asked for), in bounded memory.
//!
//! Rows are placed by the server's `Timestamp`. The watermark (`newest`) is the newest time
//! printed, but only from rows no further ahead of this machine's clock than [`CLOCK_SKEW`]: a
//! row stamped in the far future is printed once and remembered, and never moves the watermark,
//! so it cannot hold back rows from correct clocks. Polls ask for rows from `floor`, the
//! watermark less the look-back (`lag`), and every row printed since `floor` is remembered by
//! its time and identity, so a late row is printed once when it comes and an early one is
//! never printed twice. Rows older than `floor` are dropped: they are older than the window.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use super::digest::Digest;

/// How far ahead of this machine's clock a row's time may be and still move the watermark:
/// clocks of senders, server and this machine disagree by seconds, rarely minutes.
pub const CLOCK_SKEW: Duration = Duration::from_secs(5 * 60);

/// The most rows remembered within the window (about 5 MiB). Beyond it the oldest instants are
/// forgotten and the window starts after them.
pub const MAX_REMEMBERED: usize = 100_000;

/// The most rows stamped ahead of the clock that are remembered; further ones are skipped.
pub const MAX_AHEAD: usize = 1_000;

/// What to do with one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Print,
    /// Print it; it is stamped ahead of the clock and did not move the watermark.
    PrintAhead,
    /// Printed before, or older than the window.
    Skip,
    /// Stamped ahead of the clock, with [`MAX_AHEAD`] such rows remembered already.
    SkipAhead,
}

/// A row: when (ns), who (a digest of its identity).
type Key = (u64, Digest);

pub struct Window {
    lag: u64,
    newest: Option<u64>,
    floor: u64,
    /// Whether there is a floor to ask from (a start was given, or something was printed).
    bounded: bool,
    /// Rows printed at or after `floor`, and how many copies of each.
    printed: BTreeMap<Key, u32>,
    /// Rows printed while stamped ahead of the clock.
    ahead: BTreeMap<Key, u32>,
    /// Copies of each row in the page being read. Two identical log records are two records
    /// only when they come in one page: across pages a copy is a repeat.
    this_page: HashMap<Key, u32>,
}

impl Window {
    /// A window looking back `lag` from the newest row; `start` is `--since`/`--timestamp-min`.
    pub fn new(lag: Duration, start: Option<u64>) -> Self {
        Self {
            lag: nanos(lag),
            newest: None,
            floor: start.unwrap_or(0),
            bounded: start.is_some(),
            printed: BTreeMap::new(),
            ahead: BTreeMap::new(),
            this_page: HashMap::new(),
        }
    }

    /// The `timestampMin` of the next poll.
    pub fn request_min(&self) -> Option<u64> {
        self.bounded.then_some(self.floor)
    }

    pub fn start_page(&mut self) {
        self.this_page.clear();
    }

    /// Whether to print a row of `time` whose identity is `id`; `unique` when one identity is
    /// one row however often it comes (a span), not one copy (a log record). `now` is this
    /// machine's clock in ns.
    pub fn admit(&mut self, time: u64, id: Digest, unique: bool, now: u64) -> Verdict {
        if time < self.floor {
            return Verdict::Skip;
        }
        let key = (time, id);
        let copy = self.this_page.entry(key).or_default();
        *copy = if unique { 1 } else { *copy + 1 };
        let copy = *copy;
        let ahead = time > now.saturating_add(nanos(CLOCK_SKEW));
        // Where a row was remembered depends on the clock when it was printed.
        let store = if self.printed.contains_key(&key) {
            &mut self.printed
        } else if self.ahead.contains_key(&key) || ahead {
            &mut self.ahead
        } else {
            &mut self.printed
        };
        if ahead && !store.contains_key(&key) && store.len() >= MAX_AHEAD {
            return Verdict::SkipAhead;
        }
        let remembered = store.entry(key).or_default();
        if copy <= *remembered {
            return Verdict::Skip;
        }
        *remembered = copy;
        self.bounded = true;
        if ahead {
            return Verdict::PrintAhead;
        }
        if self.newest.is_none_or(|newest| time > newest) {
            self.newest = Some(time);
        }
        Verdict::Print
    }

    /// After a page: the window moves up behind the watermark and what fell out of it is
    /// forgotten. Returns the new floor if rows inside the look-back had to be forgotten to
    /// stay within [`MAX_REMEMBERED`].
    pub fn end_page(&mut self) -> Option<u64> {
        if let Some(newest) = self.newest {
            self.floor = self.floor.max(newest.saturating_sub(self.lag));
        }
        // Whole instants are forgotten, the oldest first, so the floor can sit right after them.
        let excess = self.printed.len().saturating_sub(MAX_REMEMBERED);
        let last_forgotten = excess
            .checked_sub(1)
            .and_then(|last| self.printed.keys().nth(last));
        let shortened = last_forgotten.map(|&(time, _)| {
            self.floor = self.floor.max(time.saturating_add(1));
            self.floor
        });
        self.forget_before(self.floor);
        shortened
    }

    /// After the first rows shown (the newest, `oldest` the earliest of them) when there were
    /// more: those older ones are not new rows later either, whatever the look-back.
    pub fn after_tail(&mut self, oldest: u64) {
        let after = oldest.saturating_add(1);
        let floor = self.newest.map_or(after, |newest| after.min(newest));
        self.floor = self.floor.max(floor);
        self.bounded = true;
        self.forget_before(self.floor);
    }

    fn forget_before(&mut self, time: u64) {
        self.printed = self.printed.split_off(&(time, 0));
        self.ahead = self.ahead.split_off(&(time, 0));
    }

    #[cfg(test)]
    fn remembered(&self) -> usize {
        self.printed.len() + self.ahead.len()
    }
}

fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::Verdict::*;
    use super::*;

    const NOW: u64 = 1_000_000_000_000_000_000;

    fn page(window: &mut Window, rows: &[(u64, u128)], unique: bool) -> Vec<Verdict> {
        window.start_page();
        let verdicts = rows
            .iter()
            .map(|&(time, id)| window.admit(time, id, unique, NOW))
            .collect();
        window.end_page();
        verdicts
    }

    #[test]
    fn without_look_back_the_newest_instant_is_remembered_and_older_rows_dropped() {
        let mut window = Window::new(Duration::ZERO, None);
        assert_eq!(window.request_min(), None);
        assert_eq!(
            page(&mut window, &[(10, 1), (20, 1), (20, 2)], false),
            [Print; 3]
        );
        assert_eq!(window.request_min(), Some(20));
        let next = page(
            &mut window,
            &[(20, 1), (20, 2), (20, 3), (10, 4), (30, 2)],
            false,
        );
        assert_eq!(next, [Skip, Skip, Print, Skip, Print]);
        assert_eq!(window.remembered(), 1, "only the newest instant is kept");
    }

    #[test]
    fn a_repeated_or_overlapping_page_prints_nothing_twice() {
        let mut window = Window::new(Duration::ZERO, Some(0));
        let rows = [(1, 1), (2, 2), (2, 2), (3, 3)];
        assert_eq!(page(&mut window, &rows, false), [Print; 4]);
        // The same page again, then one overlapping it.
        assert_eq!(page(&mut window, &rows, false), [Skip; 4]);
        assert_eq!(page(&mut window, &[(3, 3), (4, 4)], false), [Skip, Print]);
        // A span is one row however often it comes, even within a page.
        assert_eq!(page(&mut window, &[(5, 9), (5, 9)], true), [Print, Skip]);
    }

    #[test]
    fn a_second_identical_record_in_a_later_page_is_printed() {
        let mut window = Window::new(Duration::ZERO, None);
        assert_eq!(page(&mut window, &[(5, 7)], false), [Print]);
        assert_eq!(page(&mut window, &[(5, 7), (5, 7)], false), [Skip, Print]);
        assert_eq!(page(&mut window, &[(5, 7), (5, 7)], false), [Skip, Skip]);
    }

    #[test]
    fn a_row_from_the_future_is_printed_once_and_holds_nothing_back() {
        let mut window = Window::new(Duration::ZERO, None);
        assert_eq!(
            page(&mut window, &[(NOW, 1), (u64::MAX, 2)], true),
            [Print, PrintAhead]
        );
        assert_eq!(window.request_min(), Some(NOW));
        let later = page(&mut window, &[(NOW + 1, 3), (u64::MAX, 2)], true);
        assert_eq!(later, [Print, Skip]);
        // Within the skew a row is ordinary.
        let near = NOW + nanos(CLOCK_SKEW);
        assert_eq!(page(&mut window, &[(near, 4)], true), [Print]);
    }

    #[test]
    fn rows_ahead_of_the_clock_are_remembered_up_to_a_bound() {
        let mut window = Window::new(Duration::ZERO, None);
        let ahead: Vec<(u64, u128)> = (0..=MAX_AHEAD as u128)
            .map(|n| (u64::MAX - n as u64, n))
            .collect();
        let verdicts = page(&mut window, &ahead, true);
        assert_eq!(verdicts.last(), Some(&SkipAhead));
        assert_eq!(
            verdicts.iter().filter(|v| **v == PrintAhead).count(),
            MAX_AHEAD
        );
    }

    #[test]
    fn a_late_row_within_the_look_back_is_printed_once() {
        let mut window = Window::new(Duration::from_nanos(100), None);
        assert_eq!(
            page(&mut window, &[(1000, 1), (1050, 2)], true),
            [Print, Print]
        );
        assert_eq!(window.request_min(), Some(950));
        // The late one (older than the newest) comes with the rows already printed.
        let next = page(&mut window, &[(960, 3), (1000, 1), (1050, 2)], true);
        assert_eq!(next, [Print, Skip, Skip]);
        // Older than the window: dropped.
        assert_eq!(
            page(&mut window, &[(900, 4), (1200, 5)], true),
            [Skip, Print]
        );
        assert_eq!(window.request_min(), Some(1100));
        assert_eq!(window.remembered(), 1);
    }

    #[test]
    fn a_crowded_window_forgets_its_oldest_rows() {
        let mut window = Window::new(Duration::from_secs(30), None);
        window.start_page();
        for n in 0..=MAX_REMEMBERED as u64 {
            assert_eq!(window.admit(n, n.into(), true, NOW), Print);
        }
        assert_eq!(window.end_page(), Some(1));
        assert_eq!(window.remembered(), MAX_REMEMBERED);
        assert_eq!(window.request_min(), Some(1));
        assert_eq!(page(&mut window, &[(0, 0), (1, 1)], true), [Skip, Skip]);
    }
}
