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
//!   `[path, title, category, snippet source]`;
//! - `f/N.js`, `y/N.js`, `y/s.js`: folding, pinyin and syllables (`variants.rs`).
//!
//! A weight in a postings list is twice the scaled weight, plus one when the term
//! is in the document's title or keywords.
//!
//! No document store, integer document numbers, and weights precomputed per term and
//! document (field boosts and length norms folded in), so a query needs no more than
//! the shards of its terms and the chunk of its top results.
//!
//! [`IndexState`] keeps everything the files were made from, so that when a few
//! documents change (a save while previewing) only their terms are counted again and
//! only the files those terms fall in are encoded again. The files are always what a
//! fresh state gives for the same documents.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde_json::json;

use super::capped::CappedList;
use super::encode::{
    encode_each, encode_postings, posting_bytes, postings_file, prefix_key, results_file,
    shard_count, shard_of, shift_encoded_from, spread, vocab_entry_bytes, vocab_file,
};
use super::extract::SearchDoc;
use super::format::*;
use super::terms::{document_terms, IndexedDoc, Numberer, Vocabulary, TERM_TABLE};
use super::tokenize::is_han;
use super::variants::{variant_files, VariantFiles};

/// A built index and its size figures.
#[derive(Debug, Clone)]
pub(crate) struct LanguageIndex {
    pub files: Vec<IndexFile>,
    pub documents: usize,
    pub total_bytes: u64,
    /// The largest postings or vocabulary shard.
    pub largest_shard_bytes: u64,
    pub largest_shard: String,
}

/// Builds the compact sharded index of one language's documents. Pure and
/// deterministic: the same documents give byte-identical files.
#[cfg(test)]
pub(crate) fn build_index(docs: &[SearchDoc]) -> LanguageIndex {
    let mut state = IndexState::default();
    state.update(docs);
    state.index()
}

/// Everything one language's index files are made from, kept between builds.
#[derive(Default)]
pub(crate) struct IndexState {
    docs: Vec<IndexedDoc>,
    terms: Vec<DocTerms>,
    vocabulary: Vocabulary,
    /// Each term's documents and weights (by the term's number), sorted by
    /// document, before the [`MAX_POSTINGS`] cut (a later change can bring a cut
    /// document back). A term no document has any more has an empty list.
    postings: Vec<Vec<(u32, u32)>>,
    /// In place of `postings` when the state is never updated: by the term's
    /// number, only what the files need.
    capped: Vec<CappedList>,
    /// Per postings shard, each term's encoded list.
    postings_shards: Vec<BTreeMap<Term, String>>,
    /// What the shard count is computed from: the encoded size of all postings.
    postings_bytes: usize,
    /// Per vocabulary shard, each term's document frequency.
    vocab_shards: Vec<BTreeMap<Term, usize>>,
    vocab_bytes: usize,
    postings_files: Vec<IndexFile>,
    vocab_files: Vec<IndexFile>,
    results_files: Vec<IndexFile>,
    /// Folding table, pinyin and syllables, made again when the Han terms change.
    variants: VariantFiles,
    /// Set for a single build, whose index is never updated: each document's
    /// terms go straight into `capped`, and neither they nor `postings` are kept.
    forget_terms: bool,
}

impl IndexState {
    /// An empty state; `one_shot` for a build that will not update it.
    pub(crate) fn new(one_shot: bool) -> Self {
        IndexState {
            forget_terms: one_shot,
            ..IndexState::default()
        }
    }

    /// Brings the index up to `docs`. When the documents are the same articles in
    /// the same order as before, only the changed ones are counted and encoded
    /// again; otherwise the index is made anew, reusing the terms of every
    /// document whose text is unchanged.
    pub(crate) fn update(&mut self, docs: &[SearchDoc]) {
        let same_articles = !self.docs.is_empty()
            && docs.len() == self.docs.len()
            && docs.iter().zip(&self.docs).all(|(a, b)| a.path == b.path);
        if !same_articles {
            self.rebuild(docs);
            return;
        }
        self.replace(docs.iter().enumerate().collect());
    }

    /// The path of the document numbered `n`, as last indexed.
    pub(crate) fn doc_path(&self, n: usize) -> Option<&str> {
        self.docs.get(n).map(|d| d.path.as_str())
    }

    /// Puts each `(number, document)` in place of the document of that number and
    /// updates the files it touches. Numbers that are not indexed are left out.
    pub(crate) fn replace(&mut self, edits: Vec<(usize, &SearchDoc)>) {
        let edits: Vec<(usize, &SearchDoc, IndexedDoc)> = edits
            .into_par_iter()
            .filter(|(n, _)| *n < self.docs.len())
            .map(|(n, doc)| (n, doc, IndexedDoc::of(doc)))
            .filter(|(n, _, indexed)| *indexed != self.docs[*n])
            .collect();
        let mut touched_terms = BTreeSet::new();
        let mut touched_chunks = BTreeSet::new();
        for (n, doc, indexed) in edits {
            touched_chunks.insert(n / RESULTS_CHUNK);
            if indexed.text != self.docs[n].text {
                let counted = TERM_TABLE.with_borrow_mut(|table| document_terms(doc, table));
                let terms = self.vocabulary.number(&counted);
                self.move_postings(n, &terms, &mut touched_terms);
                self.terms[n] = terms;
            }
            self.docs[n] = indexed;
        }
        self.reencode_terms(&touched_terms);
        for chunk in touched_chunks {
            self.results_files[chunk] = results_file(&self.docs, chunk);
        }
    }

    /// Puts `doc` in as document `n`; the documents from `n` on number one up.
    pub(crate) fn insert(&mut self, n: usize, doc: &SearchDoc) {
        let n = n.min(self.docs.len());
        let renumbered = (n as u32, self.renumber(n as u32, |d| d + 1), 1);
        self.docs.insert(n, IndexedDoc::of(doc));
        self.terms.insert(n, DocTerms::default());
        let counted = TERM_TABLE.with_borrow_mut(|table| document_terms(doc, table));
        let terms = self.vocabulary.number(&counted);
        let mut touched = BTreeSet::new();
        self.move_postings(n, &terms, &mut touched);
        self.terms[n] = terms;
        self.after_renumbering(n, renumbered, &touched);
    }

    /// Takes document `n` out; the documents after it number one down.
    pub(crate) fn remove(&mut self, n: usize) {
        if n >= self.docs.len() {
            return;
        }
        let mut touched = BTreeSet::new();
        self.move_postings(n, &DocTerms::default(), &mut touched);
        self.terms.remove(n);
        self.docs.remove(n);
        let renumbered = (n as u32 + 1, self.renumber(n as u32 + 1, |d| d - 1), -1);
        self.after_renumbering(n, renumbered, &touched);
    }

    /// Gives every posting of a document numbered `from` or more its `new` number;
    /// the terms whose lists changed (their df did not).
    fn renumber(&mut self, from: u32, new: impl Fn(u32) -> u32 + Sync) -> Vec<u32> {
        let lists = self.postings.par_iter_mut().enumerate();
        lists
            .filter_map(|(term, list)| {
                let at = list.partition_point(|&(doc, _)| doc < from);
                list[at..]
                    .iter_mut()
                    .for_each(|entry| entry.0 = new(entry.0));
                (at < list.len()).then_some(term as u32)
            })
            .collect()
    }

    /// After a document came in or went out at `n`: patches the `renumbered` lists
    /// (their documents from the given number on, as numbered before, moved by the
    /// given step), then encodes again the `touched` ones (whose documents changed),
    /// and makes the results chunks from `n` on again.
    fn after_renumbering(
        &mut self,
        n: usize,
        renumbered: (u32, Vec<u32>, i64),
        touched: &BTreeSet<Term>,
    ) {
        let shards = self.postings_shards.len();
        let dirty = self.reencode_in_place(renumbered);
        self.reencode_terms(touched);
        // Unless the shard count changed and every shard was made again.
        if self.postings_shards.len() == shards {
            let shards = &self.postings_shards;
            let files: Vec<(usize, IndexFile)> = dirty
                .into_par_iter()
                .map(|shard| (shard, postings_file(shard, &shards[shard])))
                .collect();
            for (shard, file) in files {
                self.postings_files[shard] = file;
            }
        }
        let chunks = self.docs.len().div_ceil(RESULTS_CHUNK);
        let docs = &self.docs;
        let files: Vec<IndexFile> = (n / RESULTS_CHUNK..chunks)
            .into_par_iter()
            .map(|chunk| results_file(docs, chunk))
            .collect();
        self.results_files.truncate(n / RESULTS_CHUNK);
        self.results_files.extend(files);
    }

    /// Brings the encoded lists of `terms`, whose documents from number `from` on
    /// moved by `by`, up to date where their shards hold them (such a list keeps its
    /// shard and its df); the shards changed. A list that lost or gained a document
    /// is among the touched terms, encoded again after this.
    fn reencode_in_place(&mut self, (from, terms, by): (u32, Vec<u32>, i64)) -> Vec<usize> {
        let count = self.postings_shards.len();
        let vocabulary = &self.vocabulary;
        let mut by_shard: Vec<Vec<u32>> = vec![Vec::new(); count];
        for term in terms {
            by_shard[shard_of(vocabulary.term(term), count)].push(term);
        }
        let changes: Vec<(usize, isize)> = (self.postings_shards.par_iter_mut())
            .zip(by_shard)
            .enumerate()
            .filter(|(_, (_, terms))| !terms.is_empty())
            .map(|(n, (shard, terms))| {
                let mut grown = 0isize;
                for term in terms {
                    let Some(slot) = shard.get_mut(vocabulary.term(term)) else {
                        continue;
                    };
                    let was = slot.len() as isize;
                    shift_encoded_from(slot, from, by);
                    grown += slot.len() as isize - was;
                }
                (n, grown)
            })
            .collect();
        let grown: isize = changes.iter().map(|(_, grown)| grown).sum();
        self.postings_bytes = self.postings_bytes.saturating_add_signed(grown);
        changes.into_iter().map(|(shard, _)| shard).collect()
    }

    /// The index files and their size figures.
    pub(crate) fn index(&self) -> LanguageIndex {
        let mut files: Vec<IndexFile> = self
            .postings_files
            .iter()
            .chain(&self.vocab_files)
            .chain(&self.results_files)
            .chain(&self.variants.files)
            .cloned()
            .collect();
        files.push(self.manifest());
        let largest = self
            .postings_files
            .iter()
            .chain(&self.vocab_files)
            .max_by_key(|f| (f.bytes.len(), std::cmp::Reverse(f.path.as_str())));
        LanguageIndex {
            documents: self.docs.len(),
            total_bytes: files.iter().map(|f| f.bytes.len() as u64).sum(),
            largest_shard_bytes: largest.map_or(0, |f| f.bytes.len() as u64),
            largest_shard: largest.map(|f| f.path.clone()).unwrap_or_default(),
            files,
        }
    }

    fn rebuild(&mut self, docs: &[SearchDoc]) {
        if self.forget_terms {
            *self = IndexState::new(true);
            docs.chunks(TOKENIZE_BATCH)
                .for_each(|batch| self.add_once(batch));
            self.finish_once();
            return;
        }
        let known: HashMap<&str, usize> = self
            .docs
            .iter()
            .enumerate()
            .map(|(n, d)| (d.path.as_str(), n))
            .collect();
        // Unchanged documents keep their terms; the others are tokenized, a batch
        // at a time so that only one batch's tokens are held before numbering.
        let mut old_terms: Vec<Option<DocTerms>> = std::mem::take(&mut self.terms)
            .into_iter()
            .map(Some)
            .collect();
        let mut indexed = Vec::with_capacity(docs.len());
        let mut terms = Vec::with_capacity(docs.len());
        for batch in docs.chunks(TOKENIZE_BATCH) {
            let (batch_docs, counted): (Vec<IndexedDoc>, Vec<Result<usize, CountedTerms>>) = batch
                .par_iter()
                .map(|doc| {
                    let indexed = IndexedDoc::of(doc);
                    let terms = match known.get(doc.path) {
                        Some(&n) if self.docs[n].text == indexed.text => Ok(n),
                        _ => Err(TERM_TABLE.with_borrow_mut(|table| document_terms(doc, table))),
                    };
                    (indexed, terms)
                })
                .unzip();
            // `counted` lives on until all are numbered: the numberer goes by address.
            let mut numbers = Numberer::default();
            terms.extend(counted.iter().map(|counted| match counted {
                Ok(n) => old_terms[*n].take().unwrap_or_default(),
                Err(counted) => numbers.number(&mut self.vocabulary, counted),
            }));
            indexed.extend(batch_docs);
        }
        drop(known);
        self.terms = terms;
        self.docs = indexed;
        self.postings = postings_of(&self.terms, self.vocabulary.len());
        self.make_files();
    }

    /// For a state that is never updated (`new(true)`): indexes `batch`, numbered
    /// after the documents added before. The caller may drop the batch's text at
    /// once: nothing here borrows it.
    pub(crate) fn add_once(&mut self, batch: &[SearchDoc]) {
        debug_assert!(self.forget_terms, "only a one-shot state skips the terms");
        let (batch_docs, counted): (Vec<IndexedDoc>, Vec<CountedTerms>) = batch
            .par_iter()
            .map(|doc| {
                let counted = TERM_TABLE.with_borrow_mut(|table| document_terms(doc, table));
                (IndexedDoc::of(doc), counted)
            })
            .unzip();
        // `counted` lives on until all are numbered: the numberer goes by address.
        let mut numbers = Numberer::default();
        for (i, counted) in counted.iter().enumerate() {
            let doc_terms = numbers.number(&mut self.vocabulary, counted);
            // No copy of every document's terms, nor of every posting.
            add_capped(&mut self.capped, self.docs.len() + i, &doc_terms);
        }
        self.docs.extend(batch_docs);
        self.encode_results_once(false);
    }

    /// Makes the files of the documents given to `add_once`.
    pub(crate) fn finish_once(&mut self) {
        self.encode_results_once(true);
        self.capped
            .resize_with(self.vocabulary.len(), CappedList::default);
        self.make_files();
    }

    /// For a state that is never updated: encodes the results chunks whose
    /// documents are all added (the last one too when `last`), and forgets their
    /// rows and paths, which nothing reads again.
    fn encode_results_once(&mut self, last: bool) {
        let full_chunks = match last {
            true => self.docs.len().div_ceil(RESULTS_CHUNK),
            false => self.docs.len() / RESULTS_CHUNK,
        };
        let new_chunks = self.results_files.len()..full_chunks;
        let docs = &self.docs;
        let files: Vec<IndexFile> = (new_chunks.clone().into_par_iter())
            .map(|chunk| results_file(docs, chunk))
            .collect();
        self.results_files.extend(files);
        let encoded =
            new_chunks.start * RESULTS_CHUNK..self.docs.len().min(full_chunks * RESULTS_CHUNK);
        for doc in &mut self.docs[encoded] {
            doc.forget_texts();
        }
    }

    /// Encodes every file from the postings (or capped lists) and documents.
    fn make_files(&mut self) {
        let encoded = self.encode_all_postings();
        self.postings_bytes = encoded.iter().map(|(t, p)| posting_bytes(t, p)).sum();
        self.vocab_bytes = encoded.iter().map(|(t, _)| vocab_entry_bytes(t)).sum();
        self.postings_shards = Vec::new();
        self.vocab_shards = Vec::new();
        self.reshard_postings(encoded);
        self.reshard_vocab();
        // A one-shot state encoded its results as the documents came.
        if !self.forget_terms {
            self.results_files = (0..self.docs.len().div_ceil(RESULTS_CHUNK))
                .into_par_iter()
                .map(|chunk| results_file(&self.docs, chunk))
                .collect();
        }
        self.remake_variants();
    }

    /// Every term's encoded postings, the terms no document holds left out.
    fn encode_all_postings(&self) -> Vec<(Term, String)> {
        let vocabulary = &self.vocabulary;
        let term = |id: usize| vocabulary.term(id as u32).clone();
        if self.forget_terms {
            return (self.capped.par_iter().enumerate())
                .filter(|(_, list)| !list.is_empty())
                .map(|(id, list)| (term(id), list.encode()))
                .collect();
        }
        (self.postings.par_iter().enumerate())
            .filter(|(_, list)| !list.is_empty())
            .map(|(id, list)| (term(id), encode_postings(list)))
            .collect()
    }

    /// Every term some document holds: its number, its document count, and whether
    /// it is likely a word (see `remake_variants`).
    fn held_terms(&self) -> Box<dyn Iterator<Item = (u32, usize, bool)> + '_> {
        if self.forget_terms {
            let lists = self.capped.iter().enumerate();
            return Box::new(
                lists
                    .filter(|(_, list)| !list.is_empty())
                    .map(|(id, list)| {
                        let word = list.df() >= 2 || list.titled();
                        (id as u32, list.df(), word)
                    }),
            );
        }
        let lists = self.postings.iter().enumerate();
        Box::new(
            lists
                .filter(|(_, list)| !list.is_empty())
                .map(|(id, list)| {
                    let word = list.len() >= 2 || list.iter().any(|&(_, w)| w & 1 == 1);
                    (id as u32, list.len(), word)
                }),
        )
    }

    /// The variant files of the Han terms that documents hold now.
    fn remake_variants(&mut self) {
        let vocabulary = &self.vocabulary;
        let han_terms = || {
            self.held_terms()
                .filter(|&(id, _, _)| vocabulary.term(id).starts_with(is_han))
        };
        let mut han: Vec<&str> = han_terms()
            .map(|(id, _, _)| vocabulary.term(id).as_ref())
            .collect();
        // Pinyin lists only the terms likely to be words: in two articles or more,
        // or in a title or keywords. A bigram seen once is mostly one that straddles
        // two words.
        let mut words: Vec<&str> = han_terms()
            .filter(|&(_, _, word)| word)
            .map(|(id, _, _)| vocabulary.term(id).as_ref())
            .collect();
        han.sort_unstable();
        words.sort_unstable();
        self.variants = variant_files(&han, &words);
    }

    /// Takes document `n` out of the postings of its old terms and into those of
    /// its new ones, noting every term whose list changed.
    fn move_postings(&mut self, n: usize, new: &DocTerms, touched: &mut BTreeSet<Term>) {
        let doc = n as u32;
        self.postings.resize(self.vocabulary.len(), Vec::new());
        let now: FxHashMap<u32, u32> = new.iter().copied().collect();
        for &(term, _) in self.terms[n].iter() {
            // Terms the document keeps have their weight set in place below.
            if now.contains_key(&term) {
                continue;
            }
            let list = &mut self.postings[term as usize];
            if let Ok(at) = list.binary_search_by_key(&doc, |&(d, _)| d) {
                list.remove(at);
            }
            touched.insert(self.vocabulary.term(term).clone());
        }
        for &(term, weight) in new.iter() {
            let list = &mut self.postings[term as usize];
            match list.binary_search_by_key(&doc, |&(d, _)| d) {
                Ok(at) if list[at].1 == weight => continue,
                Ok(at) => list[at].1 = weight,
                Err(at) => list.insert(at, (doc, weight)),
            }
            touched.insert(self.vocabulary.term(term).clone());
        }
    }

    /// Encodes the touched terms again and rewrites the shards they fall in, or
    /// every shard when the shard count changes with the index's size.
    fn reencode_terms(&mut self, touched: &BTreeSet<Term>) {
        let postings_count = self.postings_shards.len();
        let vocab_count = self.vocab_shards.len();
        // Long lists make encoding the costly part: it runs on every core.
        let encoded: Vec<(&Term, Option<(String, usize)>)> = touched
            .par_iter()
            .map(|term| {
                let list = self
                    .vocabulary
                    .id(term)
                    .map(|id| &self.postings[id as usize]);
                let list = list.filter(|list| !list.is_empty());
                (term, list.map(|list| (encode_postings(list), list.len())))
            })
            .collect();
        let mut dirty_postings = BTreeSet::new();
        let mut dirty_vocab = BTreeSet::new();
        let mut han_terms_changed = false;
        for (term, now) in encoded {
            let shard = shard_of(term, postings_count);
            let old = self.postings_shards[shard].remove(term);
            if let Some(old) = &old {
                self.postings_bytes -= posting_bytes(term, old);
            }
            let vocab_shard = shard_of(prefix_key(term), vocab_count);
            // A Han term that comes or goes, or whose count crosses the pinyin cut.
            han_terms_changed |= term.starts_with(is_han)
                && (old.is_some() != now.is_some() || now.as_ref().is_some_and(|(_, df)| *df <= 2));
            match now {
                Some((encoded, df)) => {
                    self.postings_bytes += posting_bytes(term, &encoded);
                    self.postings_shards[shard].insert(term.clone(), encoded);
                    if old.is_none() {
                        self.vocab_bytes += vocab_entry_bytes(term);
                    }
                    self.vocab_shards[vocab_shard].insert(term.clone(), df);
                }
                None => {
                    if old.is_some() {
                        self.vocab_bytes -= vocab_entry_bytes(term);
                    }
                    self.vocab_shards[vocab_shard].remove(term);
                }
            }
            dirty_postings.insert(shard);
            dirty_vocab.insert(vocab_shard);
        }

        if shard_count(self.postings_bytes, POSTINGS_SHARD_TARGET) == postings_count {
            let shards = &self.postings_shards;
            let files: Vec<(usize, IndexFile)> = dirty_postings
                .into_par_iter()
                .map(|n| (n, postings_file(n, &shards[n])))
                .collect();
            for (n, file) in files {
                self.postings_files[n] = file;
            }
        } else {
            let encoded = std::mem::take(&mut self.postings_shards)
                .into_iter()
                .flatten()
                .collect();
            self.reshard_postings(encoded);
        }
        if shard_count(self.vocab_bytes, VOCAB_SHARD_TARGET) == vocab_count {
            for n in dirty_vocab {
                self.vocab_files[n] = vocab_file(n, &self.vocab_shards[n]);
            }
        } else {
            self.reshard_vocab();
        }
        if han_terms_changed {
            self.remake_variants();
        }
    }

    /// Spreads the encoded postings over as many shards as their size calls for
    /// and encodes every shard.
    fn reshard_postings(&mut self, encoded: Vec<(Term, String)>) {
        let count = shard_count(self.postings_bytes, POSTINGS_SHARD_TARGET);
        let shards = spread(encoded, count, |term| term);
        self.postings_files = encode_each(&shards, postings_file);
        self.postings_shards = shards;
    }

    fn reshard_vocab(&mut self) {
        let count = shard_count(self.vocab_bytes, VOCAB_SHARD_TARGET);
        let vocabulary = &self.vocabulary;
        let entries = (self.held_terms()).map(|(id, df, _)| (vocabulary.term(id).clone(), df));
        let shards = spread(entries, count, prefix_key);
        self.vocab_files = encode_each(&shards, vocab_file);
        self.vocab_shards = shards;
    }

    fn manifest(&self) -> IndexFile {
        let manifest = json!({
            "version": 2,
            "docs": self.docs.len(),
            "postingShards": self.postings_files.len(),
            "vocabShards": self.vocab_files.len(),
            "chunk": RESULTS_CHUNK,
            "foldShards": self.variants.fold_shards,
            "foldLongest": self.variants.longest_phrase,
            "pinyinShards": self.variants.pinyin_shards,
        });
        IndexFile {
            path: "index.js".into(),
            bytes: format!("helpsiteSearch.manifest({manifest});\n")
                .into_bytes()
                .into(),
        }
    }
}

/// Each term's documents and weights, from every document's terms. Documents in
/// order, so every list comes out sorted; sized first, so no list grows by copying.
fn postings_of(terms: &[DocTerms], vocabulary: usize) -> Vec<Vec<(u32, u32)>> {
    let mut df = vec![0usize; vocabulary];
    for &(term, _) in terms.iter().flat_map(|t| t.iter()) {
        df[term as usize] += 1;
    }
    let mut postings: Vec<Vec<(u32, u32)>> = df.into_iter().map(Vec::with_capacity).collect();
    for (doc, terms) in terms.iter().enumerate() {
        add_postings(&mut postings, doc, terms);
    }
    postings
}

/// Counts document `doc`'s terms in the capped postings.
fn add_capped(postings: &mut Vec<CappedList>, doc: usize, terms: &[(u32, u32)]) {
    for &(term, weight) in terms {
        list_of(postings, term).add(doc as u32, weight);
    }
}

/// Adds document `doc`'s terms to the postings (documents must come in order).
fn add_postings(postings: &mut Vec<Vec<(u32, u32)>>, doc: usize, terms: &[(u32, u32)]) {
    for &(term, weight) in terms {
        list_of(postings, term).push((doc as u32, weight));
    }
}

/// The list of `term`, made (with those of the terms before it) when it is new.
fn list_of<L: Default>(lists: &mut Vec<L>, term: u32) -> &mut L {
    let at = term as usize;
    if lists.len() <= at {
        lists.resize_with(at + 1, L::default);
    }
    &mut lists[at]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An owned document, to be lent out as a [`SearchDoc`].
    #[derive(Clone)]
    struct Doc {
        path: String,
        title: String,
        heading: String,
        body: String,
        snippet: String,
    }

    impl Doc {
        fn lend(&self) -> SearchDoc<'_> {
            SearchDoc {
                path: &self.path,
                title: &self.title,
                keywords: Vec::new(),
                headings: vec![&self.heading],
                body: &self.body,
                category: "Account",
                snippet_source: self.snippet.clone(),
            }
        }
    }

    fn doc(n: usize, title: &str, body: &str) -> Doc {
        Doc {
            path: format!("a/{n}/"),
            title: title.into(),
            heading: format!("heading {n}"),
            body: body.into(),
            snippet: body.chars().take(20).collect(),
        }
    }

    fn corpus(n: usize) -> Vec<Doc> {
        (0..n)
            .map(|i| {
                doc(
                    i,
                    &format!("提现 withdrawal {i}"),
                    &format!("冻结账户 frozen account number {} word{} ", i, i % 7)
                        .repeat(i % 5 + 1),
                )
            })
            .collect()
    }

    fn lend(docs: &[Doc]) -> Vec<SearchDoc<'_>> {
        docs.iter().map(Doc::lend).collect()
    }

    #[test]
    fn a_one_shot_index_has_the_files_of_a_kept_one() {
        let docs = corpus(TOKENIZE_BATCH * 2 + 17);
        let mut kept = IndexState::default();
        kept.update(&lend(&docs));
        let mut one_shot = IndexState::new(true);
        one_shot.update(&lend(&docs));
        assert!(one_shot.terms.is_empty());
        assert_eq!(files(&one_shot.index()), files(&kept.index()));
    }

    fn files(index: &LanguageIndex) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<_> = index
            .files
            .iter()
            .map(|f| (f.path.clone(), f.bytes.to_vec()))
            .collect();
        files.sort();
        files
    }

    #[test]
    fn an_updated_state_writes_what_a_fresh_one_does() {
        let mut docs = corpus(300);
        let mut state = IndexState::default();
        state.update(&lend(&docs));
        // A body edit, a title edit, a snippet-only change, and text that brings in
        // many new terms (enough to change the shard counts).
        let edits: [fn(&mut Vec<Doc>); 5] = [
            |d| d[3].body = "changed text 密码重置".into(),
            |d| d[150].title = "A brand new title".into(),
            |d| d[299].snippet = "other snippet".into(),
            |d| d[7].body = (0..3000).map(|i| format!("term{i} ")).collect(),
            |d| d[7].body = "short again".into(),
        ];
        for edit in edits {
            edit(&mut docs);
            state.update(&lend(&docs));
            assert_eq!(files(&state.index()), files(&build_index(&lend(&docs))));
        }
    }

    #[test]
    fn a_long_list_keeps_its_best_documents_and_its_true_df() {
        let list: Vec<(u32, u32)> = (0..MAX_POSTINGS as u32 + 5)
            .map(|d| (d, d % 3 + 1))
            .collect();
        let encoded = encode_postings(&list);
        let numbers: Vec<u64> = encoded
            .trim_matches(['[', ']'])
            .split(',')
            .map(|n| n.parse().unwrap())
            .collect();
        assert_eq!(numbers[0], MAX_POSTINGS as u64 + 5);
        assert_eq!((numbers.len() - 1) / 2, MAX_POSTINGS);
    }

    #[test]
    fn a_document_put_in_or_taken_out_gives_the_files_of_a_fresh_index() {
        // Lists shorter and longer than the files keep (`MAX_POSTINGS`).
        for size in [300, MAX_POSTINGS + 40] {
            put_in_and_take_out(size);
        }
    }

    fn put_in_and_take_out(size: usize) {
        let mut docs = corpus(size);
        let mut state = IndexState::default();
        state.update(&lend(&docs));
        // In the middle, first, last; one with many new terms (the shard count grows)
        // and its removal (it shrinks).
        let big: String = (0..3000).map(|i| format!("term{i} ")).collect();
        let steps: [(bool, usize, &str); 6] = [
            (true, 150, "新的文章 new words"),
            (true, 0, "first 提现"),
            (false, 7, ""),
            (true, size, &big),
            (false, size, ""),
            (false, 0, ""),
        ];
        for (insert, n, body) in steps {
            match insert {
                true => {
                    docs.insert(n, doc(1000 + n, "inserted", body));
                    state.insert(n, &docs[n].lend());
                }
                false => {
                    docs.remove(n);
                    state.remove(n);
                }
            }
            let fresh = build_index(&lend(&docs));
            assert_eq!(
                files(&state.index()),
                files(&fresh),
                "after {insert} at {n}"
            );
        }
    }

    #[test]
    fn added_and_removed_documents_rebuild_the_index() {
        let mut docs = corpus(40);
        let mut state = IndexState::default();
        state.update(&lend(&docs));
        docs.remove(5);
        state.update(&lend(&docs));
        assert_eq!(files(&state.index()), files(&build_index(&lend(&docs))));
        docs.push(doc(99, "new", "new article"));
        state.update(&lend(&docs));
        assert_eq!(files(&state.index()), files(&build_index(&lend(&docs))));
    }
}
