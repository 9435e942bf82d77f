//! Counting a document's terms and numbering them: the per-document half of the index.

use std::cell::RefCell;
use std::sync::Arc;

use elasticlunr::Language;
use rustc_hash::FxHashMap;
use serde_json::json;
use xxhash_rust::xxh3::Xxh3;

use super::extract::SearchDoc;
use super::format::*;
use super::tokenize::HelpsiteLanguage;

/// What the state keeps of a document: enough to tell what changed in it.
#[derive(Clone, PartialEq, Eq)]
pub(super) struct IndexedDoc {
    pub(super) path: String,
    /// A hash of the indexed text (title, keywords, headings, body): the terms
    /// are the same while it is.
    pub(super) text: u128,
    /// Its row of the results table, as JSON.
    pub(super) row: String,
}

impl IndexedDoc {
    pub(super) fn of(doc: &SearchDoc) -> Self {
        let mut hasher = Xxh3::new();
        let mut add = |text: &str| {
            hasher.update(&text.len().to_le_bytes());
            hasher.update(text.as_bytes());
        };
        add(doc.title);
        // The counts keep keywords and headings apart.
        add(&format!("{} {}", doc.keywords.len(), doc.headings.len()));
        doc.keywords.iter().for_each(|k| add(k));
        doc.headings.iter().for_each(|h| add(h));
        add(doc.body);
        let row = json!([doc.path, doc.title, doc.category, doc.snippet_source]);
        IndexedDoc {
            path: doc.path.to_string(),
            text: hasher.digest128(),
            row: row.to_string(),
        }
    }

    /// Drops the path and row, once its results file is made, in a state that is
    /// never updated.
    pub(super) fn forget_texts(&mut self) {
        self.path = String::new();
        self.row = String::new();
    }
}

/// Every term a state has seen, numbered in the order first seen. Numbers stay
/// as long as the state, so kept documents keep their numbered terms.
#[derive(Default)]
pub(super) struct Vocabulary {
    pub(super) terms: Vec<Term>,
    pub(super) ids: FxHashMap<Term, u32>,
}

impl Vocabulary {
    pub(super) fn len(&self) -> usize {
        self.terms.len()
    }

    pub(super) fn term(&self, id: u32) -> &Term {
        &self.terms[id as usize]
    }

    pub(super) fn id(&self, term: &str) -> Option<u32> {
        self.ids.get(term).copied()
    }

    pub(super) fn id_or_insert(&mut self, term: &Term) -> u32 {
        if let Some(&id) = self.ids.get(term) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.terms.push(term.clone());
        self.ids.insert(term.clone(), id);
        id
    }

    pub(super) fn number(&mut self, counted: &CountedTerms) -> DocTerms {
        Numberer::default().number(self, counted)
    }
}

/// Numbers terms by the address of their shared text: a thread's [`TermTable`]
/// hands out one `Arc` per term, so most lookups need no hashing of the text.
/// Addresses identify terms only while every `Arc` numbered is alive, so one
/// numberer serves one batch of terms that outlives it.
#[derive(Default)]
pub(super) struct Numberer {
    pub(super) by_address: FxHashMap<usize, u32>,
}

impl Numberer {
    pub(super) fn number(
        &mut self,
        vocabulary: &mut Vocabulary,
        counted: &CountedTerms,
    ) -> DocTerms {
        counted
            .iter()
            .map(|(term, weight)| {
                let address = Arc::as_ptr(term) as *const u8 as usize;
                let id = *self
                    .by_address
                    .entry(address)
                    .or_insert_with(|| vocabulary.id_or_insert(term));
                (id, *weight)
            })
            .collect()
    }
}

/// Tokenizes every field of a document with our elasticlunr-rs [`Language`]'s
/// tokenizer and pipeline (through a [`TermTable`]), counting terms as
/// elasticlunr-rs's `Index::add_doc` does (tf is the square root of the count, a
/// field's length its token count), and folds the fields into one weight per term:
/// sum of boost * tf / sqrt(field length).
///
/// We count here rather than read an `elasticlunr::Index` back: it exposes its
/// inverted index only through serde, and that round trip cost seconds at 10,000
/// articles.
pub(super) fn document_terms(doc: &SearchDoc, table: &mut TermTable) -> CountedTerms {
    thread_local! {
        // Reused from document to document: grown once, not made again for each.
        static COUNTS: RefCell<FieldCounts> = RefCell::new(FieldCounts::default());
    }
    COUNTS.with_borrow_mut(|counts| count_terms(doc, table, counts))
}

/// Each term's count in each field of the document being counted, by the number
/// the thread's [`TermTable`] gives it (one index per token, no second hash), and
/// the terms counted, in the order first seen (read and reset: only those).
#[derive(Default)]
struct FieldCounts {
    by_term: Vec<[u32; 4]>,
    seen: Vec<u32>,
}

impl FieldCounts {
    fn add(&mut self, term: u32, field: usize) {
        let at = term as usize;
        if at >= self.by_term.len() {
            self.by_term.resize(at + 1, [0; 4]);
        }
        let counts = &mut self.by_term[at];
        if *counts == [0; 4] {
            self.seen.push(term);
        }
        counts[field] += 1;
    }

    /// Every term counted with its counts, leaving all counts at zero.
    fn drain(&mut self) -> impl Iterator<Item = (u32, [u32; 4])> + '_ {
        let by_term = &mut self.by_term;
        (self.seen.drain(..)).map(move |term| (term, std::mem::take(&mut by_term[term as usize])))
    }
}

fn count_terms(doc: &SearchDoc, table: &mut TermTable, counts: &mut FieldCounts) -> CountedTerms {
    let (keywords, headings) = (doc.keywords.join("\n"), doc.headings.join("\n"));
    let fields = [doc.title, &keywords, &headings, doc.body];
    // Each term's count in each field, and each field's length.
    let mut lengths = [0.0; 4];
    for (field, text) in fields.iter().enumerate() {
        let mut length = 0;
        HelpsiteLanguage::for_each_token(text, |token| {
            if let Some(term) = table.term_of(token) {
                length += 1;
                counts.add(term, field);
            }
        });
        lengths[field] = (length.max(1) as f64).sqrt();
    }
    counts
        .drain()
        .map(|(term, counts)| {
            let weight: f64 = FIELDS
                .iter()
                .zip(counts.iter().zip(&lengths))
                .map(|((_, boost), (&count, length))| boost * f64::from(count).sqrt() / length)
                .sum();
            let weight = ((weight * WEIGHT_SCALE).round() as u32).max(1);
            // The lowest bit says the title or the keywords hold the term: search.js
            // ranks those articles first, and lists such terms under their pinyin.
            let in_title = u32::from(counts[0] > 0 || counts[1] > 0);
            (table.terms[term as usize].clone(), weight << 1 | in_title)
        })
        .collect()
}

thread_local! {
    pub(super) static TERM_TABLE: RefCell<TermTable> = RefCell::new(TermTable::default());
}

/// The pipeline's answer for every distinct token seen on this thread: the same
/// words recur across thousands of articles, so each is filtered and stemmed
/// once, and every later sighting costs one lookup and no allocation.
#[derive(Default)]
pub(super) struct TermTable {
    /// Token -> its term's number, or `None` for a stop word: tokens of up to
    /// eight bytes (most words, every Han bigram) by their bytes as one number,
    /// longer ones by their text.
    pub(super) by_short_token: FxHashMap<u64, Option<u32>>,
    pub(super) by_token: FxHashMap<Box<str>, Option<u32>>,
    pub(super) by_term: FxHashMap<Term, u32>,
    pub(super) terms: Vec<Term>,
}

/// A token of up to eight bytes as one number. No token holds a NUL byte (NUL
/// separates tokens, and UTF-8 uses it for nothing else), so the zero padding
/// cannot make two tokens one.
pub(super) fn short_key(token: &str) -> Option<u64> {
    let bytes = token.as_bytes();
    // Byte by byte: a copy of a slice this short was a call into libc per token.
    (bytes.len() <= 8).then(|| {
        (bytes.iter().enumerate()).fold(0, |key, (i, &byte)| key | u64::from(byte) << (8 * i))
    })
}

impl TermTable {
    pub(super) fn term_of(&mut self, token: &str) -> Option<u32> {
        let short = short_key(token);
        let known = match short {
            Some(key) => self.by_short_token.get(&key),
            None => self.by_token.get(token),
        };
        if let Some(&term) = known {
            return term;
        }
        let pipeline = HelpsiteLanguage.make_pipeline();
        let term = pipeline.run(vec![token.to_string()]).pop().map(|term| {
            let next = self.terms.len() as u32;
            *self
                .by_term
                .entry(term.as_str().into())
                .or_insert_with_key(|term| {
                    self.terms.push(term.clone());
                    next
                })
        });
        match short {
            Some(key) => self.by_short_token.insert(key, term),
            None => self.by_token.insert(token.into(), term),
        };
        term
    }
}
