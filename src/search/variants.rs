//! The files that find Han terms written another way: the folding table the browser
//! needs for this index (`f/N.js`, by the first character of an entry), the index's
//! Han terms by their toneless pinyin (`y/N.js`, by the reading), and the syllables
//! those readings are made of (`y/s.js`), which the browser cuts typed pinyin into.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::encode::{json_string, script_file, shard_count, shard_of};
use super::fold;
use super::format::IndexFile;
use super::pinyin::char_readings;

/// Aimed-for size of a folding shard: a query whose Han pairs are not all found
/// as typed loads one per character of those pairs.
const FOLD_SHARD_TARGET: usize = 512;
/// Aimed-for size of a pinyin shard: a query loads one per syllable pair.
const PINYIN_SHARD_TARGET: usize = 4 * 1024;

/// The files and the counts the manifest gives for them.
#[derive(Default, Clone)]
pub(super) struct VariantFiles {
    pub(super) files: Vec<IndexFile>,
    pub(super) fold_shards: usize,
    pub(super) longest_phrase: usize,
    pub(super) pinyin_shards: usize,
}

/// The variant files of an index whose Han terms are `terms`, `words` of them
/// listed under their pinyin (both folded, sorted).
pub(super) fn variant_files(terms: &[&str], words: &[&str]) -> VariantFiles {
    let chars: BTreeSet<char> = terms.iter().flat_map(|t| t.chars()).collect();
    let table = fold::table();
    let (fold_files, fold_shards) = fold_files(&table.browser_entries(&chars));
    let readings: FxHashMap<char, Vec<String>> =
        chars.par_iter().map(|&c| (c, char_readings(c))).collect();
    let (mut pinyin, pinyin_shards) = pinyin_files(words, &readings);
    let syllables: BTreeSet<&str> = readings.values().flatten().map(String::as_str).collect();
    let syllables: Vec<&str> = syllables.into_iter().collect();
    pinyin.push(script_file(
        "y/s.js".into(),
        "syllables",
        0,
        &json_string(&syllables.join(" ")),
    ));
    let mut files = fold_files;
    files.extend(pinyin);
    VariantFiles {
        files,
        fold_shards,
        longest_phrase: table.longest_phrase(),
        pinyin_shards,
    }
}

fn fold_files(entries: &[(String, String)]) -> (Vec<IndexFile>, usize) {
    let bytes: usize = entries.iter().map(|(f, t)| f.len() + t.len() + 6).sum();
    let count = shard_count(bytes, FOLD_SHARD_TARGET);
    let mut shards: Vec<BTreeMap<&str, &str>> = vec![BTreeMap::new(); count];
    for (from, to) in entries {
        let first = from.chars().next().map(String::from).unwrap_or_default();
        shards[shard_of(&first, count)].insert(from, to);
    }
    let files = (shards.iter().enumerate())
        .map(|(n, shard)| {
            let value = serde_json::to_string(shard).unwrap_or_default();
            script_file(format!("f/{n}.js"), "fold", n, &value)
        })
        .collect();
    (files, count)
}

fn pinyin_files(
    terms: &[&str],
    readings: &FxHashMap<char, Vec<String>>,
) -> (Vec<IndexFile>, usize) {
    // Every (reading, term) pair, made on every core, then sorted into lists.
    let mut pairs: Vec<(String, &str)> = terms
        .par_iter()
        .flat_map_iter(|&term| {
            let mut keys = vec![String::new()];
            for c in term.chars() {
                let each = readings.get(&c).map_or(&[][..], Vec::as_slice);
                keys = (keys.iter())
                    .flat_map(|head| {
                        each.iter().map(move |r| {
                            let mut key = String::with_capacity(head.len() + r.len());
                            key.push_str(head);
                            key.push_str(r);
                            key
                        })
                    })
                    .collect();
            }
            keys.into_iter()
                .filter(|k| !k.is_empty())
                .map(move |k| (k, term))
        })
        .collect();
    pairs.par_sort_unstable();
    let mut by_reading: Vec<(String, Vec<&str>)> = Vec::new();
    for (key, term) in pairs {
        match by_reading.last_mut() {
            Some((last, terms)) if *last == key => terms.push(term),
            _ => by_reading.push((key, vec![term])),
        }
    }
    let bytes: usize = (by_reading.iter())
        .map(|(k, terms)| k.len() + 6 + terms.iter().map(|t| t.len() + 1).sum::<usize>())
        .sum();
    let count = shard_count(bytes, PINYIN_SHARD_TARGET);
    // A key's terms as one string, space-separated: `{"tixian":"提现 体现"}`.
    let mut shards: Vec<BTreeMap<&str, String>> = vec![BTreeMap::new(); count];
    for (key, terms) in &by_reading {
        shards[shard_of(key, count)].insert(key.as_str(), terms.join(" "));
    }
    let files = shards
        .par_iter()
        .enumerate()
        .map(|(n, shard)| {
            let value = serde_json::to_string(shard).unwrap_or_default();
            script_file(format!("y/{n}.js"), "pinyin", n, &value)
        })
        .collect();
    (files, count)
}
