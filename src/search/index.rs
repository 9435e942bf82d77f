//! One language's search index: terms from our elasticlunr-rs `Language` (tokenizer and
//! pipeline), written in a compact, sharded form for the browser.
//!
//! Files, under the language's `search/data/` folder, each a script calling
//! `helpsiteSearch.*` so that they load from `file://` as well as from any host:
//! - `index.js`: the manifest (document count, shard counts, chunk size);
//! - `p/N.js`: postings, by a hash of the term: `term -> [df, doc, weight, doc delta, weight, ...]`;
//! - `v/N.js`: the vocabulary, by a hash of the term's first character (Han) or first
//!   two characters, `term -> df`, for expanding the last, unfinished query word;
//! - `r/N.js`: the results table in chunks of [`RESULTS_CHUNK`] documents:
//!   `[path, title, category, snippet source]`.
//!
//! No document store, integer document numbers, and weights precomputed per term and
//! document (field boosts and length norms folded in), so a query needs no more than
//! the shards of its terms and the chunk of its top results.

use std::collections::{BTreeMap, HashMap};

use elasticlunr::Language;
use rayon::prelude::*;
use serde_json::{json, Value};

use super::extract::SearchDoc;
use super::tokenize::{is_han, HelpsiteLanguage};

/// The indexed fields and their boosts, in the order documents are added.
const FIELDS: [(&str, f64); 4] = [
    ("title", 10.0),
    ("keywords", 8.0),
    ("headings", 3.0),
    ("body", 1.0),
];
/// Weights are stored as integers: the float weight times this.
const WEIGHT_SCALE: f64 = 20.0;
/// A term found in more documents keeps only its best-weighted ones (its `df` stays
/// true): such a term says little on its own, and its list would dominate downloads.
pub const MAX_POSTINGS: usize = 1000;
/// Documents per results chunk.
pub const RESULTS_CHUNK: usize = 8;
/// Aimed-for size of a postings shard and of a vocabulary shard, in bytes.
const POSTINGS_SHARD_TARGET: usize = 4 * 1024;
const VOCAB_SHARD_TARGET: usize = 4 * 1024;

/// One file of an index, at a path relative to the language's `search/data/` folder.
#[derive(Debug, Clone)]
pub struct IndexFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A built index and its size figures.
#[derive(Debug, Clone)]
pub struct LanguageIndex {
    pub files: Vec<IndexFile>,
    pub documents: usize,
    pub total_bytes: u64,
    /// The largest postings or vocabulary shard.
    pub largest_shard_bytes: u64,
    pub largest_shard: String,
}

/// Builds the compact sharded index of one language's documents. Pure and
/// deterministic: the same documents give byte-identical files.
pub fn build_index(docs: &[SearchDoc]) -> LanguageIndex {
    let postings = weighted_postings(docs);
    let mut files = Vec::new();

    let encoded: Vec<(String, String)> = postings
        .iter()
        .map(|(term, list)| (term.clone(), encode_postings(list)))
        .collect();
    let postings_bytes: usize = encoded.iter().map(|(t, p)| t.len() + p.len() + 4).sum();
    let posting_shards = shard_count(postings_bytes, POSTINGS_SHARD_TARGET);
    let mut by_shard: Vec<BTreeMap<&str, &str>> = vec![BTreeMap::new(); posting_shards];
    for (term, list) in &encoded {
        by_shard[shard_of(term, posting_shards)].insert(term, list);
    }
    for (n, terms) in by_shard.iter().enumerate() {
        let body = terms
            .iter()
            .map(|(term, list)| format!("{}:{list}", json_string(term)))
            .collect::<Vec<_>>()
            .join(",");
        files.push(script_file(
            format!("p/{n}.js"),
            "shard",
            n,
            &format!("{{{body}}}"),
        ));
    }

    let vocab_bytes: usize = postings.keys().map(|t| t.len() + 8).sum();
    let vocab_shards = shard_count(vocab_bytes, VOCAB_SHARD_TARGET);
    let mut vocab: Vec<BTreeMap<&str, usize>> = vec![BTreeMap::new(); vocab_shards];
    for (term, list) in &postings {
        vocab[shard_of(prefix_key(term), vocab_shards)].insert(term, list.df);
    }
    for (n, terms) in vocab.iter().enumerate() {
        let value = serde_json::to_string(terms).unwrap_or_default();
        files.push(script_file(format!("v/{n}.js"), "vocab", n, &value));
    }

    for (n, chunk) in docs.chunks(RESULTS_CHUNK).enumerate() {
        let rows: Vec<Value> = chunk
            .iter()
            .map(|d| json!([d.path, d.title, d.category, d.snippet_source]))
            .collect();
        let value = serde_json::to_string(&rows).unwrap_or_default();
        files.push(script_file(format!("r/{n}.js"), "results", n, &value));
    }

    let manifest = json!({
        "version": 1,
        "docs": docs.len(),
        "postingShards": posting_shards,
        "vocabShards": vocab_shards,
        "chunk": RESULTS_CHUNK,
    });
    files.push(IndexFile {
        path: "index.js".into(),
        bytes: format!("helpsiteSearch.manifest({manifest});\n").into_bytes(),
    });

    let largest = files
        .iter()
        .filter(|f| f.path.starts_with("p/") || f.path.starts_with("v/"))
        .max_by_key(|f| (f.bytes.len(), std::cmp::Reverse(f.path.clone())));
    LanguageIndex {
        documents: docs.len(),
        total_bytes: files.iter().map(|f| f.bytes.len() as u64).sum(),
        largest_shard_bytes: largest.map_or(0, |f| f.bytes.len() as u64),
        largest_shard: largest.map(|f| f.path.clone()).unwrap_or_default(),
        files,
    }
}

/// A term's documents with their weights, sorted by document number.
struct Postings {
    df: usize,
    docs: Vec<(usize, u32)>,
}

/// Tokenizes every field of every document with our elasticlunr-rs [`Language`] and
/// its pipeline, counting terms as elasticlunr-rs's `Index::add_doc` does (tf is the
/// square root of the count, a field's length its token count), and folds the fields
/// into one weight per (term, document): sum of boost * tf / sqrt(field length).
///
/// We count here rather than read an `elasticlunr::Index` back: it exposes its
/// inverted index only through serde, and that round trip cost seconds at 10,000
/// articles.
fn weighted_postings(docs: &[SearchDoc]) -> BTreeMap<String, Postings> {
    type Merged = HashMap<String, Vec<(usize, f64)>>;
    // Each thread folds its documents straight into one term map, and the maps are
    // merged at the end: no per-document map outlives its document.
    let weights: Merged = docs
        .par_iter()
        .enumerate()
        .fold(Merged::new, |mut merged, (doc, search_doc)| {
            for (term, weight) in document_weights(search_doc) {
                merged.entry(term).or_default().push((doc, weight));
            }
            merged
        })
        .reduce(Merged::new, |a, b| {
            if a.len() < b.len() {
                return merge_into(b, a);
            }
            merge_into(a, b)
        });
    let mut weights: Vec<(String, Vec<(usize, f64)>)> = weights.into_iter().collect();
    weights.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    weights
        .into_par_iter()
        .map(|(term, by_doc)| {
            let df = by_doc.len();
            let mut docs: Vec<(usize, u32)> = by_doc
                .into_iter()
                .map(|(doc, w)| (doc, ((w * WEIGHT_SCALE).round() as u32).max(1)))
                .collect();
            if docs.len() > MAX_POSTINGS {
                docs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                docs.truncate(MAX_POSTINGS);
            }
            // Threads merged their ranges of documents in any order.
            docs.sort();
            (term, Postings { df, docs })
        })
        .collect()
}

fn merge_into(
    mut into: HashMap<String, Vec<(usize, f64)>>,
    from: HashMap<String, Vec<(usize, f64)>>,
) -> HashMap<String, Vec<(usize, f64)>> {
    for (term, mut list) in from {
        into.entry(term).or_default().append(&mut list);
    }
    into
}

fn document_weights(doc: &SearchDoc) -> HashMap<String, f64> {
    let language = HelpsiteLanguage;
    let pipeline = language.make_pipeline();
    let (keywords, headings) = (doc.keywords.join("\n"), doc.headings.join("\n"));
    let fields = [doc.title.as_str(), &keywords, &headings, &doc.body];
    let mut weights = HashMap::new();
    for ((_, boost), text) in FIELDS.iter().zip(&fields) {
        let tokens = pipeline.run(language.tokenize(text));
        let length = (tokens.len().max(1) as f64).sqrt();
        let mut counts: HashMap<String, u32> = HashMap::new();
        for token in tokens {
            *counts.entry(token).or_default() += 1;
        }
        for (term, count) in counts {
            *weights.entry(term).or_default() += boost * f64::from(count).sqrt() / length;
        }
    }
    weights
}

/// `[df, first doc, weight, doc delta, weight, ...]`.
fn encode_postings(postings: &Postings) -> String {
    let mut out = format!("[{}", postings.df);
    let mut previous = 0;
    for &(doc, weight) in &postings.docs {
        out.push_str(&format!(",{},{weight}", doc - previous));
        previous = doc;
    }
    out.push(']');
    out
}

fn shard_count(bytes: usize, target: usize) -> usize {
    bytes.div_ceil(target).clamp(1, 4096)
}

/// The shard a key goes to: FNV-1a over its code points (as `search.js` does).
pub fn shard_of(key: &str, shards: usize) -> usize {
    let mut hash: u32 = 0x811c_9dc5;
    for c in key.chars() {
        hash ^= c as u32;
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash as usize % shards
}

/// What a vocabulary shard is chosen by: the first character of a Han term, the first
/// two characters of any other, so every term sharing a typed prefix is in one shard.
pub fn prefix_key(term: &str) -> &str {
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

fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

fn script_file(path: String, call: &str, n: usize, value: &str) -> IndexFile {
    IndexFile {
        path,
        bytes: format!("helpsiteSearch.{call}({n},{value});\n").into_bytes(),
    }
}
