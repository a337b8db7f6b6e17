//! Fixed-size fingerprints of text from the server (cursors, row identities), so what is
//! remembered stays small however large the text.
//!
//! Two SipHash-1-3 hashes with keys drawn at random for each run, side by side: 128 bits. The
//! server never sees a digest and cannot know the keys, so it cannot aim for a collision, and an
//! accidental one is out of reach (about 1 in 10^28 for a million digests). A collision would
//! stop paging with a loop error, or hide one row from `--follow`.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hash};

pub type Digest = u128;

pub struct Digester {
    low: RandomState,
    high: RandomState,
}

impl Default for Digester {
    fn default() -> Self {
        Self {
            low: RandomState::new(),
            high: RandomState::new(),
        }
    }
}

impl Digester {
    pub fn of(&self, value: impl Hash) -> Digest {
        let low = self.low.hash_one(&value);
        let high = self.high.hash_one(&value);
        (u128::from(high) << 64) | u128::from(low)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_text_digests_alike_and_different_text_does_not() {
        let digest = Digester::default();
        assert_eq!(digest.of("a cursor"), digest.of("a cursor"));
        assert_ne!(digest.of("a cursor"), digest.of("a cursor "));
        let other = Digester::default();
        assert_ne!(
            digest.of("a cursor"),
            other.of("a cursor"),
            "keys differ per run"
        );
    }
}
