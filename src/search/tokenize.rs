//! The search tokenizer, shared by the index (here) and the browser (`search.js`,
//! which repeats these rules exactly; a parity test holds them together).
//!
//! Rules: NFKC, then lower case; runs of Han characters become overlapping character
//! bigrams (a lone character stays one token); runs of other letters and digits stay
//! one token (`400`, `2fa`), pure a–z words are stemmed (Snowball English); stop words
//! are dropped. Anything else separates tokens.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use elasticlunr::pipeline::{FnWrapper, Pipeline};
use elasticlunr::Language;
use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

/// Words too common to help find an article; dropped from documents and queries alike.
/// `search.js` holds the same list.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how",
    "i", "if", "in", "is", "it", "me", "my", "of", "on", "or", "so", "the", "this", "that", "to",
    "was", "what", "when", "where", "which", "why", "with", "you", "your", "的", "了", "吗", "呢",
    "吧", "啊", "怎么", "如何", "什么", "为什", "请问", "一下", "我的",
];

/// Whether `c` is a Han (Chinese) character: the CJK blocks, their extensions and
/// the compatibility ideographs. `search.js` uses the same ranges.
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3005 | 0x3007 | 0x3021..=0x3029 | 0x3038..=0x303B
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x323AF)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CharClass {
    Han,
    Word,
    Separator,
}

fn class_of(c: char) -> CharClass {
    if is_han(c) {
        CharClass::Han
    } else if c.is_alphanumeric() {
        CharClass::Word
    } else {
        CharClass::Separator
    }
}

/// Splits `text` into search tokens, before stop words and stemming.
pub fn split(text: &str) -> Vec<String> {
    // Most text is already in NFKC (all of ASCII is); normalising it again costs time.
    let normalized = match unicode_normalization::is_nfkc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => text.to_lowercase(),
        _ => text.nfkc().collect::<String>().to_lowercase(),
    };
    let mut tokens = Vec::new();
    let mut run: Vec<char> = Vec::new();
    let mut run_class = CharClass::Separator;
    for c in normalized.chars().chain(std::iter::once(' ')) {
        let class = class_of(c);
        if class != run_class && !run.is_empty() {
            push_run(&run, run_class, &mut tokens);
            run.clear();
        }
        run_class = class;
        if class != CharClass::Separator {
            run.push(c);
        }
    }
    tokens
}

fn push_run(run: &[char], class: CharClass, tokens: &mut Vec<String>) {
    match class {
        CharClass::Han if run.len() == 1 => tokens.push(run[0].to_string()),
        CharClass::Han => tokens.extend(run.windows(2).map(|pair| pair.iter().collect())),
        CharClass::Word => tokens.push(run.iter().collect()),
        CharClass::Separator => {}
    }
}

/// Stems a pure a–z word; leaves everything else (digits, other scripts) as it is.
pub fn stem(token: &str) -> String {
    static ENGLISH: OnceLock<Stemmer> = OnceLock::new();
    thread_local! {
        // Words repeat across thousands of articles; stemming each once is enough.
        static STEMS: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
    }
    if !token.bytes().all(|b| b.is_ascii_lowercase()) {
        return token.to_string();
    }
    STEMS.with_borrow_mut(|stems| {
        if let Some(stemmed) = stems.get(token) {
            return stemmed.clone();
        }
        let stemmer = ENGLISH.get_or_init(|| Stemmer::create(Algorithm::English));
        let stemmed = stemmer.stem(token).into_owned();
        stems.insert(token.to_string(), stemmed.clone());
        stemmed
    })
}

fn is_stop_word(token: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect())
        .contains(token)
}

fn filter_token(token: String) -> Option<String> {
    if is_stop_word(&token) {
        None
    } else {
        Some(stem(&token))
    }
}

/// The tokens the index holds for `text`: [`split`], then stop words out, then [`stem`].
pub fn tokenize(text: &str) -> Vec<String> {
    split(text).into_iter().filter_map(filter_token).collect()
}

/// helpsite's language for elasticlunr-rs: one tokenizer for Chinese and English text.
pub struct HelpsiteLanguage;

impl Language for HelpsiteLanguage {
    fn name(&self) -> String {
        "Helpsite".into()
    }

    fn code(&self) -> String {
        "helpsite".into()
    }

    fn tokenize(&self, text: &str) -> Vec<String> {
        split(text)
    }

    fn make_pipeline(&self) -> Pipeline {
        Pipeline {
            queue: vec![Box::new(FnWrapper("helpsite-filter".into(), filter_token))],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_runs_become_bigrams() {
        assert_eq!(tokenize("忘记密码"), ["忘记", "记密", "密码"]);
        assert_eq!(tokenize("提 现"), ["提", "现"]);
    }

    #[test]
    fn words_and_numbers_survive() {
        assert_eq!(tokenize("Error 400 with 2FA"), ["error", "400", "2fa"]);
        assert_eq!(tokenize("Withdrawals delayed"), ["withdraw", "delay"]);
        assert_eq!(tokenize("ＡＢＣ１２３"), ["abc123"]);
        assert_eq!(tokenize("2fa验证"), ["2fa", "验证"]);
    }
}
