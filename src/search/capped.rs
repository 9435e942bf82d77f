//! A term's postings as a one-shot build keeps them: only what its files need.
//!
//! The files hold at most [`MAX_POSTINGS`] documents of a term, so a build that
//! never updates its index need not hold more: a common word keeps its best
//! documents as they come, and the rest only as a count. At 100,000 articles the
//! full lists were most of the index's memory.

use std::cmp::Reverse;

use super::encode::encode_kept;
use super::format::MAX_POSTINGS;

/// One term's document count, whether a title or keywords hold it, and its best
/// documents (all of them while there are no more than [`MAX_POSTINGS`]).
#[derive(Default)]
pub(super) struct CappedList {
    df: u32,
    titled: bool,
    /// `(Reverse(weight), doc)` in no order; the best documents are the smallest
    /// entries (highest weight, then lowest document: the order of
    /// `encode::best_first`). Up to [`HELD`] are held before they are cut back to
    /// the best: each document costs a push, where a heap cost a sift each time.
    kept: Vec<(Reverse<u32>, u32)>,
}

/// How many entries a list holds before it is cut back to [`MAX_POSTINGS`]: half
/// again as many, grown to exactly that (doubling would hold twice).
const HELD: usize = MAX_POSTINGS * 3 / 2;

impl CappedList {
    /// Counts document `doc` with `weight`; documents may come in any order.
    pub(super) fn add(&mut self, doc: u32, weight: u32) {
        self.df += 1;
        // The lowest bit of a weight says the title or the keywords hold the term.
        self.titled |= weight & 1 == 1;
        if self.kept.len() == MAX_POSTINGS {
            self.kept.reserve_exact(HELD - MAX_POSTINGS);
        }
        self.kept.push((Reverse(weight), doc));
        if self.kept.len() == HELD {
            keep_best(&mut self.kept);
        }
    }

    /// How many documents hold the term.
    pub(super) fn df(&self) -> usize {
        self.df as usize
    }

    pub(super) fn is_empty(&self) -> bool {
        self.df == 0
    }

    /// Whether a title or keywords hold the term in any document.
    pub(super) fn titled(&self) -> bool {
        self.titled
    }

    /// What `encode::encode_postings` gives for the term's full list.
    pub(super) fn encode(&self) -> String {
        let mut best = self.kept.clone();
        keep_best(&mut best);
        let mut docs: Vec<(u32, u32)> = best
            .into_iter()
            .map(|(Reverse(weight), doc)| (doc, weight))
            .collect();
        docs.sort_unstable();
        encode_kept(self.df(), &docs)
    }
}

/// Cuts `kept` to its [`MAX_POSTINGS`] smallest entries.
fn keep_best(kept: &mut Vec<(Reverse<u32>, u32)>) {
    if kept.len() > MAX_POSTINGS {
        kept.select_nth_unstable(MAX_POSTINGS - 1);
        kept.truncate(MAX_POSTINGS);
    }
}

#[cfg(test)]
mod tests {
    use super::super::encode::encode_postings;
    use super::*;

    /// A list of `len` documents in order, with weights that tie often.
    fn list(len: u32) -> Vec<(u32, u32)> {
        (0..len).map(|d| (d * 3, (d * 7919) % 13 + 1)).collect()
    }

    #[test]
    fn a_capped_list_encodes_as_the_full_list_does() {
        let (cap, held) = (MAX_POSTINGS as u32, HELD as u32);
        // Around the cap, and around the cuts back to it (at `HELD`).
        let lengths = [
            0,
            1,
            5,
            cap,
            cap + 1,
            held - 1,
            held,
            held + 1,
            2 * cap,
            5 * cap + 7,
        ];
        for len in lengths {
            let full = list(len);
            let mut capped = CappedList::default();
            full.iter()
                .for_each(|&(doc, weight)| capped.add(doc, weight));
            assert_eq!(capped.df(), full.len());
            assert_eq!(capped.encode(), encode_postings(&full), "{len} documents");
        }
    }

    #[test]
    fn documents_out_of_order_keep_the_same_best() {
        let full = list(2 * MAX_POSTINGS as u32);
        let mut capped = CappedList::default();
        full.iter()
            .rev()
            .for_each(|&(doc, weight)| capped.add(doc, weight));
        assert_eq!(capped.encode(), encode_postings(&full));
        // Scattered: every 7th document of 7,001, wrapping around.
        let full = list(7001);
        let mut capped = CappedList::default();
        (0..full.len()).for_each(|i| {
            let (doc, weight) = full[i * 7 % full.len()];
            capped.add(doc, weight);
        });
        assert_eq!(capped.encode(), encode_postings(&full));
    }

    #[test]
    fn a_title_anywhere_in_the_list_is_remembered() {
        let mut capped = CappedList::default();
        capped.add(1, 1 << 1 | 1);
        (2..MAX_POSTINGS as u32 + 10).for_each(|doc| capped.add(doc, 100 << 1));
        assert!(capped.titled());
    }
}
