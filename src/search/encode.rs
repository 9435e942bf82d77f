//! Encoding postings, vocabulary and results into the sharded script files the
//! browser loads.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::format::*;
use super::terms::IndexedDoc;
use super::tokenize::is_han;

/// `[df, first doc, weight, doc delta, weight, ...]`, keeping the best-weighted
/// [`MAX_POSTINGS`] documents of a longer list.
pub(super) fn encode_postings(list: &[(u32, u32)]) -> String {
    let kept: Vec<(u32, u32)>;
    let docs = if list.len() > MAX_POSTINGS {
        // A total order, so the documents kept are those not after the
        // MAX_POSTINGS-th in it; filtering keeps them in document order.
        let mut order = list.to_vec();
        let (_, &mut last, _) = order.select_nth_unstable_by(MAX_POSTINGS - 1, best_first);
        kept = list
            .iter()
            .filter(|entry| best_first(entry, &last) != std::cmp::Ordering::Greater)
            .copied()
            .collect();
        &kept[..]
    } else {
        list
    };
    encode_kept(list.len(), docs)
}

/// In an encoded list, adds `by` to the number of the first document numbered
/// `from` or more (as the text numbers them): when every document from `from` on is
/// renumbered by `by`, that is the one number of the list that changes (the first
/// document itself, or its delta from the one before), and the documents a long
/// list keeps stay the same ones. Done on the text, since the list kept is not.
pub(super) fn shift_encoded_from(encoded: &mut String, from: u32, by: i64) {
    let bytes = encoded.as_bytes();
    let number_end = |start: usize| {
        let rest = &bytes[start..];
        start + memchr::memchr2(b',', b']', rest).unwrap_or(rest.len())
    };
    let mut doc = 0u64;
    // The commas before each document's number: the 1st, 3rd, 5th...
    let mut commas = memchr::memchr_iter(b',', bytes).step_by(2);
    let Some((start, end, value)) = commas.find_map(|comma| {
        let (start, end) = (comma + 1, number_end(comma + 1));
        let value: u64 = encoded[start..end].parse().ok()?;
        doc += value;
        (doc >= u64::from(from)).then_some((start, end, value))
    }) else {
        return;
    };
    let shifted = value as i64 + by;
    encoded.replace_range(start..end, itoa::Buffer::new().format(shifted));
}

/// Best-weighted first, ties to the lower document: which documents a list longer
/// than [`MAX_POSTINGS`] keeps.
pub(super) fn best_first(a: &(u32, u32), b: &(u32, u32)) -> std::cmp::Ordering {
    b.1.cmp(&a.1).then(a.0.cmp(&b.0))
}

/// `[df, first doc, weight, doc delta, weight, ...]` of the documents kept (in
/// document order) of a term found in `df` documents.
pub(super) fn encode_kept(df: usize, docs: &[(u32, u32)]) -> String {
    let mut numbers = itoa::Buffer::new();
    let mut out = String::with_capacity(8 + docs.len() * 6);
    out.push('[');
    out.push_str(numbers.format(df));
    let mut previous = 0;
    for &(doc, weight) in docs {
        out.push(',');
        out.push_str(numbers.format(doc - previous));
        out.push(',');
        out.push_str(numbers.format(weight));
        previous = doc;
    }
    out.push(']');
    out
}

/// Puts each entry in the shard its term's `key` falls in, of `count` shards.
pub(super) fn spread<V>(
    entries: impl IntoIterator<Item = (Term, V)>,
    count: usize,
    key: impl Fn(&str) -> &str,
) -> Vec<BTreeMap<Term, V>> {
    let mut shards: Vec<BTreeMap<Term, V>> = (0..count).map(|_| BTreeMap::new()).collect();
    for (term, value) in entries {
        shards[shard_of(key(&term), count)].insert(term, value);
    }
    shards
}

/// The file of every shard, encoded on every core.
pub(super) fn encode_each<V: Sync>(
    shards: &[BTreeMap<Term, V>],
    file: fn(usize, &BTreeMap<Term, V>) -> IndexFile,
) -> Vec<IndexFile> {
    shards
        .par_iter()
        .enumerate()
        .map(|(n, terms)| file(n, terms))
        .collect()
}

/// What one term adds to the size the postings shard count is computed from.
pub(super) fn posting_bytes(term: &str, encoded: &str) -> usize {
    term.len() + encoded.len() + 4
}

pub(super) fn vocab_entry_bytes(term: &str) -> usize {
    term.len() + 8
}

pub(super) fn shard_count(bytes: usize, target: usize) -> usize {
    bytes.div_ceil(target).clamp(1, 4096)
}

pub(super) fn postings_file(n: usize, terms: &BTreeMap<Term, String>) -> IndexFile {
    let mut body = String::with_capacity(POSTINGS_SHARD_TARGET * 2);
    for (i, (term, list)) in terms.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&json_string(term));
        body.push(':');
        body.push_str(list);
    }
    script_file(format!("p/{n}.js"), "shard", n, &format!("{{{body}}}"))
}

pub(super) fn vocab_file(n: usize, terms: &BTreeMap<Term, usize>) -> IndexFile {
    let value = serde_json::to_string(terms).unwrap_or_default();
    script_file(format!("v/{n}.js"), "vocab", n, &value)
}

pub(super) fn results_file(docs: &[IndexedDoc], chunk: usize) -> IndexFile {
    let start = chunk * RESULTS_CHUNK;
    let rows: Vec<&str> = docs[start..docs.len().min(start + RESULTS_CHUNK)]
        .iter()
        .map(|d| d.row.as_str())
        .collect();
    let value = format!("[{}]", rows.join(","));
    script_file(format!("r/{chunk}.js"), "results", chunk, &value)
}

/// The shard a key goes to: FNV-1a over its code points (as `search.js` does).
pub(crate) fn shard_of(key: &str, shards: usize) -> usize {
    let mut hash: u32 = 0x811c_9dc5;
    for c in key.chars() {
        hash ^= c as u32;
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash as usize % shards
}

/// What a vocabulary shard is chosen by: the first character of a Han term, the first
/// two characters of any other, so every term sharing a typed prefix is in one shard.
pub(crate) fn prefix_key(term: &str) -> &str {
    let mut chars = term.char_indices();
    match chars.next() {
        Some((_, c)) if is_han(c) => &term[..c.len_utf8()],
        Some(_) => match chars.nth(1) {
            Some((end, _)) => &term[..end],
            None => term,
        },
        None => term,
    }
}

pub(super) fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

pub(super) fn script_file(path: String, call: &str, n: usize, value: &str) -> IndexFile {
    IndexFile {
        path,
        bytes: format!("helpsiteSearch.{call}({n},{value});\n")
            .into_bytes()
            .into(),
    }
}
