//! The shapes and sizes every part of the index agrees on: fields and their boosts,
//! list and shard sizes, the files written, and how terms are held.

use std::sync::Arc;

/// The indexed fields and their boosts, in the order documents are added.
pub(super) const FIELDS: [(&str, f64); 4] = [
    ("title", 10.0),
    ("keywords", 8.0),
    ("headings", 3.0),
    ("body", 1.0),
];
/// Weights are stored as integers: the float weight times this.
pub(super) const WEIGHT_SCALE: f64 = 20.0;
/// A term found in more documents keeps only its best-weighted ones (its `df` stays
/// true): such a term says little on its own, and its list would dominate downloads.
pub(super) const MAX_POSTINGS: usize = 1000;
/// Documents tokenized together before their terms are numbered.
pub(super) const TOKENIZE_BATCH: usize = 256;
/// Documents per results chunk: a first result downloads its whole chunk, so
/// small chunks keep that small (4 rows of Chinese text are about 2.5 KiB).
pub(super) const RESULTS_CHUNK: usize = 4;
/// Aimed-for size of a postings shard and of a vocabulary shard, in bytes.
pub(super) const POSTINGS_SHARD_TARGET: usize = 4 * 1024;
pub(super) const VOCAB_SHARD_TARGET: usize = 4 * 1024;

/// One file of an index, at a path relative to the language's `search/data/` folder.
#[derive(Debug, Clone)]
pub(crate) struct IndexFile {
    pub path: String,
    /// Shared with the `IndexState` that made it, so handing files out copies nothing.
    pub bytes: Arc<[u8]>,
}

/// A document's terms with their weights (boosts and length norms folded in,
/// scaled to integers), as tokenizing gives them.
pub(super) type CountedTerms = Vec<(Term, u32)>;

/// A document's terms as numbers in the state's [`Vocabulary`], with their weights.
pub(super) type DocTerms = Box<[(u32, u32)]>;

/// A term, shared by every document and list that holds it.
pub(super) type Term = Arc<str>;
