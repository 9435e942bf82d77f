//! Typo tolerance: which index terms a mistyped Latin-script word may have meant.
//!
//! `search.js` does this in the browser, over the vocabulary shards it loads for the
//! word; this is the same rule in Rust, the reference its parity test compares with
//! (`tests/js/search.test.mjs`).
//!
//! A word of 5 or more letters matches terms one edit away (an insertion, deletion,
//! substitution or swap of neighbours), of 9 or more two. The index holds stems, so
//! the word and its stem are both compared (`encrypton` is two edits from `encrypt`).

use super::encode::prefix_key;
use super::tokenize::{is_han, stem};

/// Candidates kept per word.
pub(crate) const MAX_CANDIDATES: usize = 3;

/// Whether `c` is a Latin letter (the ranges `search.js` uses too).
pub(crate) fn is_latin_letter(c: char) -> bool {
    c.is_ascii_lowercase() || matches!(c, '\u{00DF}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}')
}

/// How many edits a word may be from a term: 0 for short words and for anything
/// that is not a Latin-script word.
pub(crate) fn max_edits(word: &str) -> usize {
    if !word.chars().all(is_latin_letter) {
        return 0;
    }
    match word.chars().count() {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// Edits between `a` and `b`: insertions, deletions, substitutions and swaps of
/// neighbouring letters (optimal string alignment).
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

/// The vocabulary shard keys to look in for a word's near misses: its own first two
/// letters, and those it would have without a slip in them (a letter too many, or
/// the first two swapped).
pub fn shard_keys(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut keys = vec![prefix_key(word).to_string()];
    if chars.len() >= 3 {
        keys.push([chars[0], chars[2]].iter().collect());
        keys.push([chars[1], chars[0]].iter().collect());
    }
    let mut unique = Vec::new();
    for key in keys {
        if !unique.contains(&key) {
            unique.push(key);
        }
    }
    unique
}

/// The terms of `vocabulary` (term and document frequency) that `word` may have
/// meant: at most `MAX_CANDIDATES`, the nearest first, then the commonest, then
/// in alphabetical order.
pub fn candidates(word: &str, vocabulary: &[(String, usize)]) -> Vec<(String, usize)> {
    let limit = max_edits(word);
    if limit == 0 {
        return Vec::new();
    }
    let stemmed = stem(word);
    let length = word.chars().count();
    let mut found: Vec<(usize, usize, &str)> = vocabulary
        .iter()
        .filter(|(term, _)| *term != stemmed && !term.chars().any(is_han))
        .filter(|(term, _)| term.chars().count() + limit + 2 >= length)
        .filter_map(|(term, df)| {
            let edits = distance(word, term).min(distance(&stemmed, term));
            (edits <= limit).then_some((edits, *df, term.as_str()))
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2)));
    found
        .into_iter()
        .take(MAX_CANDIDATES)
        .map(|(edits, _, term)| (term.to_string(), edits))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary(terms: &[&str]) -> Vec<(String, usize)> {
        terms.iter().map(|t| (t.to_string(), 1)).collect()
    }

    #[test]
    fn near_misses_of_long_enough_words_are_found() {
        let vocabulary = vocabulary(&["encrypt", "yubikei", "withdraw", "card"]);
        assert_eq!(candidates("encrypton", &vocabulary)[0].0, "encrypt");
        assert_eq!(candidates("yubikee", &vocabulary)[0].0, "yubikei");
        assert_eq!(candidates("withdarw", &vocabulary)[0].0, "withdraw");
        assert!(candidates("cadr", &vocabulary).is_empty(), "too short");
    }

    #[test]
    fn swaps_count_as_one_edit() {
        assert_eq!(distance("withdarw", "withdraw"), 1);
        assert_eq!(distance("", "abc"), 3);
    }
}
