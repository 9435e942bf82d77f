//! Toneless pinyin for Han terms: the index lists each Han term under its readings
//! (`tixian` -> 提现), and `search.js` turns a Latin query word that spells pinyin
//! into those readings the way [`syllables`] and [`query_keys`] do here.
//!
//! A character with several readings (行: xing, hang) is listed under each of them,
//! so a term is found by whichever reading the reader had in mind.

use pinyin::ToPinyinMulti;
use rustc_hash::FxHashSet;

/// Readings kept per character, the commonest: rarer ones (不 read `fu`) list
/// mostly chance pairs.
const READINGS_PER_CHAR: usize = 2;
/// The longest syllable (`zhuang`), in letters.
pub(crate) const LONGEST_SYLLABLE: usize = 6;

/// A character's toneless readings, `ü` written `v`, the commonest first.
pub fn char_readings(c: char) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if let Some(multi) = c.to_pinyin_multi() {
        for reading in multi {
            let plain = reading.plain().replace('ü', "v");
            if !plain.is_empty() && !out.contains(&plain) {
                out.push(plain);
            }
            if out.len() == READINGS_PER_CHAR {
                break;
            }
        }
    }
    out
}

/// Every toneless reading of a Han term, its syllables run together (`tixian`);
/// none when a character has no reading.
pub fn readings(term: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    for c in term.chars() {
        let each = char_readings(c);
        if each.is_empty() {
            return Vec::new();
        }
        out = out
            .iter()
            .flat_map(|head| each.iter().map(move |r| format!("{head}{r}")))
            .collect();
    }
    out
}

/// `word` cut into the fewest `known` syllables, or `None` when it is not pinyin.
/// At each place the longest syllable that still allows the fewest is taken, so
/// `xian` stays one syllable and `xi'an` must be typed apart.
pub fn syllables(word: &str, known: &FxHashSet<String>) -> Option<Vec<String>> {
    let letters: Vec<char> = word.chars().collect();
    let n = letters.len();
    if n == 0 || !letters.iter().all(|c| c.is_ascii_lowercase()) {
        return None;
    }
    // fewest[i]: the fewest syllables that spell letters[i..].
    let mut fewest = vec![usize::MAX; n + 1];
    fewest[n] = 0;
    for i in (0..n).rev() {
        for len in 1..=LONGEST_SYLLABLE.min(n - i) {
            let piece: String = letters[i..i + len].iter().collect();
            if fewest[i + len] != usize::MAX && known.contains(&piece) {
                fewest[i] = fewest[i].min(fewest[i + len] + 1);
            }
        }
    }
    if fewest[0] == usize::MAX {
        return None;
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        let len = (1..=LONGEST_SYLLABLE.min(n - i)).rev().find(|&len| {
            let piece: String = letters[i..i + len].iter().collect();
            fewest[i + len] != usize::MAX
                && fewest[i + len] + 1 == fewest[i]
                && known.contains(&piece)
        })?;
        out.push(letters[i..i + len].iter().collect());
        i += len;
    }
    Some(out)
}

/// The index keys a run of syllables is looked up by: overlapping pairs, as Han
/// text is cut into overlapping bigrams (one syllable stays one key).
pub fn query_keys(syllables: &[String]) -> Vec<String> {
    if syllables.len() == 1 {
        return syllables.to_vec();
    }
    syllables.windows(2).map(|w| w.concat()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_listed_under_every_reading() {
        assert_eq!(readings("提现")[0], "tixian");
        assert!(readings("银行").contains(&"yinhang".to_string()));
        assert!(readings("行").contains(&"xing".to_string()));
        assert!(readings("绿").contains(&"lv".to_string()));
    }

    #[test]
    fn words_are_cut_into_the_fewest_syllables() {
        let known: FxHashSet<String> = ["ti", "xian", "xi", "an", "wang", "ji", "mi", "ma"]
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(syllables("tixian", &known).unwrap(), ["ti", "xian"]);
        assert_eq!(
            query_keys(&syllables("wangjimima", &known).unwrap()),
            ["wangji", "jimi", "mima"]
        );
        assert_eq!(syllables("okpay", &known), None);
    }
}
