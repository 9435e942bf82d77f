//! Folding traditional and simplified Chinese into one form, in the index and in the
//! query, so that 帳戶 finds 账户 and 账户 finds 帳戶.
//!
//! The table comes from OpenCC's conversion tables at compile time (`build.rs`
//! writes it): every character folds to one simplified member of its class, then
//! regional words (軟體, 软件) fold to one form. Folding never changes the number
//! of characters, so tokens and highlights keep their places.
//!
//! The browser folds queries with the part of this table that can matter for one
//! site (entries whose result occurs in its index), written with the index
//! ([`FoldTable::browser_entries`]) and applied by `search.js` the same way.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};

const TABLE_TEXT: &str = include_str!(concat!(env!("OUT_DIR"), "/fold_table.txt"));

/// The folding table: characters, then phrases written in folded characters.
pub struct FoldTable {
    /// One bit per character of the Basic Multilingual Plane, set for each
    /// character that folds to another, and for each first character of a
    /// phrase. A bit is cheaper to test than a hash, and most characters of most
    /// text have neither.
    folds: Vec<u64>,
    starts_phrase: Vec<u64>,
    chars: FxHashMap<char, char>,
    phrases: FxHashMap<Box<str>, Box<str>>,
    phrase_starts: FxHashSet<char>,
    /// The first two characters of every phrase, with the length of the longest
    /// phrase that starts with them: a place whose pair is not here starts no
    /// phrase, which spares building keys of every length at most places.
    phrase_pairs: FxHashMap<(char, char), usize>,
    /// The longest phrase, in characters.
    longest: usize,
}

/// The compiled-in table.
pub fn table() -> &'static FoldTable {
    static TABLE: OnceLock<FoldTable> = OnceLock::new();
    TABLE.get_or_init(|| FoldTable::parse(TABLE_TEXT))
}

impl FoldTable {
    fn parse(text: &str) -> Self {
        let mut table = FoldTable {
            folds: vec![0; 0x10000 / 64],
            starts_phrase: vec![0; 0x10000 / 64],
            chars: FxHashMap::default(),
            phrases: FxHashMap::default(),
            phrase_starts: FxHashSet::default(),
            phrase_pairs: FxHashMap::default(),
            longest: 0,
        };
        for line in text.lines() {
            let Some((from, to)) = line.split_once('\t') else {
                continue;
            };
            let mut chars = from.chars();
            match (chars.next(), chars.next(), to.chars().next()) {
                (Some(f), None, Some(t)) => {
                    table.chars.insert(f, t);
                }
                (Some(first), Some(second), Some(_)) => {
                    let length = from.chars().count();
                    table.phrase_starts.insert(first);
                    let longest = table.phrase_pairs.entry((first, second)).or_default();
                    *longest = (*longest).max(length);
                    table.longest = table.longest.max(length);
                    table.phrases.insert(from.into(), to.into());
                }
                _ => {}
            }
        }
        table
            .chars
            .keys()
            .for_each(|&c| set_bit(&mut table.folds, c));
        (table.phrase_starts.iter()).for_each(|&c| set_bit(&mut table.starts_phrase, c));
        table
    }

    /// A run of Han characters in its folded form: each character folded, then
    /// the leftmost, longest phrase at each place replaced.
    pub fn fold<'a>(&self, run: &'a str) -> Cow<'a, str> {
        if !self.may_fold(run) {
            return Cow::Borrowed(run);
        }
        let mut chars: Vec<char> = run.chars().map(|c| self.fold_char(c)).collect();
        let mut changed = !chars.iter().copied().eq(run.chars());
        let mut at = 0;
        let mut key = String::new();
        'places: while at + 1 < chars.len() {
            if let Some(&longest) = self.phrase_pairs.get(&(chars[at], chars[at + 1])) {
                for len in (2..=longest.min(chars.len() - at)).rev() {
                    key.clear();
                    key.extend(&chars[at..at + len]);
                    if let Some(to) = self.phrases.get(key.as_str()) {
                        for (slot, c) in chars[at..at + len].iter_mut().zip(to.chars()) {
                            changed |= *slot != c;
                            *slot = c;
                        }
                        at += len;
                        continue 'places;
                    }
                }
            }
            at += 1;
        }
        match changed {
            true => Cow::Owned(chars.into_iter().collect()),
            false => Cow::Borrowed(run),
        }
    }

    /// Whether folding may change `run`: a character folds, or two characters
    /// start a phrase. When no character folds, the phrases are looked up on the
    /// characters as written, so this reads the run once and builds nothing; most
    /// runs are simplified text that holds no phrase.
    fn may_fold(&self, run: &str) -> bool {
        let mut previous: Option<char> = None;
        for c in run.chars() {
            if bit_or_outside(&self.folds, c) && self.chars.contains_key(&c) {
                return true;
            }
            // Most pairs stop at the bit of their first character.
            let starts_phrase = |p: char| {
                bit_or_outside(&self.starts_phrase, p) && self.phrase_pairs.contains_key(&(p, c))
            };
            if previous.is_some_and(starts_phrase) {
                return true;
            }
            previous = Some(c);
        }
        false
    }

    pub(crate) fn fold_char(&self, c: char) -> char {
        *self.chars.get(&c).unwrap_or(&c)
    }

    /// The entries the browser needs for an index holding the characters `han`:
    /// those whose result is made of them (folding towards anything else finds
    /// nothing there), and the characters that fold into the words of the phrases
    /// kept. Characters first, then phrases, each sorted.
    pub fn browser_entries(&self, han: &BTreeSet<char>) -> Vec<(String, String)> {
        let mut phrases: Vec<(String, String)> = (self.phrases.iter())
            .filter(|(_, to)| to.chars().all(|c| han.contains(&c)))
            .map(|(from, to)| (from.to_string(), to.to_string()))
            .collect();
        phrases.sort();
        let mut needed = han.clone();
        needed.extend(phrases.iter().flat_map(|(from, _)| from.chars()));
        let mut chars: Vec<(String, String)> = (self.chars.iter())
            .filter(|(_, to)| needed.contains(to))
            .map(|(from, to)| (from.to_string(), to.to_string()))
            .collect();
        chars.sort();
        chars.extend(phrases);
        chars
    }

    /// The longest phrase, in characters (the browser tries no longer ones).
    pub(crate) fn longest_phrase(&self) -> usize {
        self.longest
    }
}

/// Sets the bit of `c` in a set of the Basic Multilingual Plane.
fn set_bit(bits: &mut [u64], c: char) {
    if let Some(slot) = bits.get_mut(c as usize / 64) {
        *slot |= 1 << (c as usize % 64);
    }
}

/// Whether the bit of `c` is set; true outside the BMP, where the bits stop and
/// the maps decide.
fn bit_or_outside(bits: &[u64], c: char) -> bool {
    match bits.get(c as usize / 64) {
        Some(slot) => slot & (1 << (c as usize % 64)) != 0,
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_and_simplified_fold_to_one_form() {
        let t = table();
        for (a, b) in [
            ("帳戶", "账户"),
            ("驗證", "验证"),
            ("兩步驗證", "两步验证"),
            ("忘記密碼", "忘记密码"),
            ("提現", "提现"),
            ("電子郵件", "电子邮件"),
            ("凍結", "冻结"),
        ] {
            assert_eq!(t.fold(a), t.fold(b), "{a} / {b}");
        }
        assert_eq!(t.fold("提现"), "提现");
    }

    #[test]
    fn regional_words_fold_as_words_and_keep_their_length() {
        let t = table();
        assert_eq!(t.fold("軟體"), t.fold("软件"));
        for text in ["軟體更新", "資訊安全", "帳號設定"] {
            assert_eq!(t.fold(text).chars().count(), text.chars().count());
        }
    }

    /// Folding as first written: at every place that starts a phrase, every length
    /// from the longest down is looked up. The pairs only skip places; the result
    /// must be the same.
    fn fold_every_length(t: &FoldTable, run: &str) -> String {
        let mut chars: Vec<char> = run.chars().map(|c| t.fold_char(c)).collect();
        let mut at = 0;
        'places: while at < chars.len() {
            if t.phrase_starts.contains(&chars[at]) {
                for len in (2..=t.longest.min(chars.len() - at)).rev() {
                    let key: String = chars[at..at + len].iter().collect();
                    if let Some(to) = t.phrases.get(key.as_str()) {
                        chars.splice(at..at + len, to.chars());
                        at += len;
                        continue 'places;
                    }
                }
            }
            at += 1;
        }
        chars.into_iter().collect()
    }

    #[test]
    fn looking_up_phrases_by_their_first_pair_finds_what_every_length_finds() {
        let t = table();
        let mut phrases: Vec<&str> = t.phrases.keys().map(|k| &**k).collect();
        phrases.sort_unstable();
        assert!(phrases.len() > 100, "the table has its phrases");
        // Each phrase alone, inside text, overlapping the next, and cut short.
        for pair in phrases.windows(2) {
            let (one, two) = (pair[0], pair[1]);
            let cut: String = one.chars().take(one.chars().count() - 1).collect();
            for run in [
                one.to_string(),
                format!("帳戶{one}驗證"),
                format!("{one}{two}"),
                format!("{cut}{two}"),
            ] {
                assert_eq!(t.fold(&run), fold_every_length(t, &run), "{run}");
            }
        }
    }
}
