//! The search tokenizer, shared by the index (here) and the browser (`search.js`,
//! which repeats these rules exactly; a parity test holds them together).
//!
//! Rules: NFKC, then lower case; runs of Han characters are folded to one script
//! (traditional and simplified, [`super::fold`]) and become overlapping character
//! bigrams (a lone character stays one token); runs of other letters and digits stay
//! one token (`400`, `2fa`), pure a–z words are stemmed (Snowball English); stop words
//! are dropped. Anything else separates tokens.

use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::RefCell;
use std::sync::OnceLock;

use elasticlunr::pipeline::{FnWrapper, Pipeline};
use elasticlunr::Language;
use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

/// Words too common to help find an article; dropped from documents and queries alike.
/// `search.js` holds the same list.
pub(crate) const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how",
    "i", "if", "in", "is", "it", "me", "my", "of", "on", "or", "so", "the", "this", "that", "to",
    "was", "what", "when", "where", "which", "why", "with", "you", "your", "的", "了", "吗", "呢",
    "吧", "啊", "怎么", "如何", "什么", "为什", "请问", "一下", "我的",
];

/// Whether `c` is a Han (Chinese) character: the CJK blocks, their extensions and
/// the compatibility ideographs. `search.js` uses the same ranges.
pub(crate) fn is_han(c: char) -> bool {
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
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() {
            CharClass::Word
        } else {
            CharClass::Separator
        };
    }
    if is_han(c) {
        CharClass::Han
    } else if c.is_alphanumeric() {
        CharClass::Word
    } else {
        CharClass::Separator
    }
}

/// Splits `text` into search tokens, before stop words and stemming.
pub(crate) fn split(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    for_each_split(text, |token| tokens.push(token.to_string()));
    tokens
}

/// Calls `each` with every token of `text` in order, as `split` returns them.
///
/// ASCII punctuation and spaces separate tokens whatever is around them, so the
/// text is cut at them into words; a word of ASCII letters and digits (most words)
/// needs only lower case, a stretch of Chinese needs no normalising either
/// ([`split_plain_han`]), and the rest go the whole way, [`split_normalized`]. A
/// capital sigma's lower case depends on the letters beyond such a cut: text with
/// one goes the whole way at once.
pub(crate) fn for_each_split(text: &str, mut each: impl FnMut(&str)) {
    if text.contains('Σ') {
        return split_normalized(&normalize(text), &mut each);
    }
    let bytes = text.as_bytes();
    let is_cut = |byte: u8| byte.is_ascii() && !byte.is_ascii_alphanumeric();
    let mut lower = String::new();
    let mut at = 0;
    while at < bytes.len() {
        if is_cut(bytes[at]) {
            at += 1;
            continue;
        }
        let start = at;
        let mut ascii = true;
        while at < bytes.len() && !is_cut(bytes[at]) {
            ascii &= bytes[at].is_ascii();
            at += 1;
        }
        let word = &text[start..at];
        match ascii {
            true if !word.bytes().any(|b| b.is_ascii_uppercase()) => each(word),
            true => {
                lower.clear();
                lower.push_str(word);
                lower.make_ascii_lowercase();
                each(&lower);
            }
            false if split_plain_han(word, &mut each) => {}
            false => split_normalized(&normalize(word), &mut each),
        }
    }
}

/// Splits `text` as [`split_normalized`] would split it normalised, when it holds
/// only Han characters that NFKC leaves alone and punctuation that separates
/// whatever it becomes ([`is_plain_han_mark`]); says `false`, having done
/// nothing, when it holds anything else.
fn split_plain_han(text: &str, each: &mut impl FnMut(&str)) -> bool {
    let is_plain_han = |c: char| matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}');
    if !text
        .chars()
        .all(|c| is_plain_han(c) || is_plain_han_mark(c))
    {
        return false;
    }
    for run in text.split(is_plain_han_mark).filter(|run| !run.is_empty()) {
        each_run_token(run, CharClass::Han, each);
    }
    true
}

/// Chinese punctuation that separates tokens as written and in its normal form
/// (full-width `，` is `,`; `…` is `...`), and composes with nothing beside it.
fn is_plain_han_mark(c: char) -> bool {
    matches!(c, '\u{2013}' | '\u{2014}' | '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}'
        | '\u{2026}' | '\u{3000}'..='\u{3003}' | '\u{3008}'..='\u{3011}'
        | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}')
}

/// Calls `each` with every token of `normalized` text (see [`normalize`]).
fn split_normalized(normalized: &str, each: &mut impl FnMut(&str)) {
    // The start (byte offset) and class of the run being read.
    let mut run: Option<(usize, CharClass)> = None;
    for (at, c) in normalized
        .char_indices()
        .chain(std::iter::once((normalized.len(), ' ')))
    {
        let class = class_of(c);
        if let Some((start, run_class)) = run {
            if run_class == class {
                continue;
            }
            each_run_token(&normalized[start..at], run_class, each);
        }
        run = (class != CharClass::Separator).then_some((at, class));
    }
}

/// NFKC, then lower case, in one pass. Most text is already in NFKC, and
/// normalising it again costs time, so the text is cut before each inert character
/// (ASCII and the common Han blocks: no decomposition, no case, and nothing before
/// them composes with them) and only the pieces between them are normalised;
/// piece by piece equals the whole text (a test holds this).
fn normalize(text: &str) -> String {
    use unicode_normalization::{is_nfkc_quick, IsNormalized};
    let mut out = String::with_capacity(text.len());
    // Lower case is per character except for a capital sigma, which looks at
    // its neighbours: text that has one takes the slow, whole-text way.
    let mut sigma = false;
    let mut rest = text;
    while !rest.is_empty() {
        let Some(stretch) = rest.find(|c: char| !is_inert(c)) else {
            push_inert(&mut out, rest);
            break;
        };
        // The last inert character goes with the piece after it: combining
        // marks there may compose with it.
        let keep = rest[..stretch]
            .char_indices()
            .next_back()
            .map_or(0, |(last, _)| last);
        push_inert(&mut out, &rest[..keep]);
        rest = &rest[keep..];
        let first = rest.chars().next().map_or(0, char::len_utf8);
        let end = rest[first..]
            .find(is_inert)
            .map_or(rest.len(), |at| first + at);
        let piece = &rest[..end];
        if let Some(simple) = simple_piece(piece) {
            out.extend(simple);
            rest = &rest[end..];
            continue;
        }
        let mut push_lower = |c: char| {
            sigma |= c == 'Σ';
            out.extend(c.to_lowercase());
        };
        if is_nfkc_quick(piece.chars()) == IsNormalized::Yes {
            piece.chars().for_each(&mut push_lower);
        } else {
            piece.nfkc().for_each(&mut push_lower);
        }
        rest = &rest[end..];
    }
    if sigma {
        return text.nfkc().collect::<String>().to_lowercase();
    }
    out
}

/// The normal form of the commonest piece of Chinese text, an inert character and
/// one punctuation mark: a full-width form (`，` is `,`) or a CJK mark that is its
/// own normal form (`。`). Neither composes with its neighbours.
fn simple_piece(piece: &str) -> Option<[char; 2]> {
    let mut chars = piece.chars();
    let (held, mark) = (chars.next()?, chars.next()?);
    // At the start of a text the first character may be any (`ｉ。` is `i。`).
    if chars.next().is_some() || !is_inert(held) {
        return None;
    }
    let mark = match mark {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(mark as u32 - 0xFEE0)?.to_ascii_lowercase(),
        '\u{3001}'..='\u{3003}' | '\u{3008}'..='\u{3011}' => mark,
        _ => return None,
    };
    Some([held.to_ascii_lowercase(), mark])
}

/// Inert text needs no normalising, and only its ASCII letters have a case.
fn push_inert(out: &mut String, inert: &str) {
    let start = out.len();
    out.push_str(inert);
    out[start..].make_ascii_lowercase();
}

/// Characters that NFKC leaves as they are and that compose with nothing before them.
fn is_inert(c: char) -> bool {
    c.is_ascii() || matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}')
}

fn each_run_token(run: &str, class: CharClass, each: &mut impl FnMut(&str)) {
    match class {
        CharClass::Han => {
            let folded = super::fold::table().fold(run);
            let run = folded.as_ref();
            let mut chars = run.char_indices().peekable();
            if run.chars().nth(1).is_none() {
                each(run);
                return;
            }
            while let Some((start, _)) = chars.next() {
                let Some(&(second, c)) = chars.peek() else {
                    break;
                };
                each(&run[start..second + c.len_utf8()]);
            }
        }
        CharClass::Word => each(run),
        CharClass::Separator => {}
    }
}

/// Stems a pure a–z word; leaves everything else (digits, other scripts) as it is.
pub(crate) fn stem(token: &str) -> String {
    static ENGLISH: OnceLock<Stemmer> = OnceLock::new();
    thread_local! {
        // Words repeat across thousands of articles; stemming each once is enough.
        static STEMS: RefCell<FxHashMap<String, String>> = RefCell::new(FxHashMap::default());
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
    static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect())
        .contains(token)
}

/// The pipeline's one step: drops stop words and stems the rest.
pub(crate) fn filter_token(token: String) -> Option<String> {
    if is_stop_word(&token) {
        None
    } else {
        Some(stem(&token))
    }
}

/// The tokens the index holds for `text`: `split`, then stop words out, then `stem`.
pub fn tokenize(text: &str) -> Vec<String> {
    split(text).into_iter().filter_map(filter_token).collect()
}

/// helpsite's language for elasticlunr-rs: one tokenizer for Chinese and English text.
pub(crate) struct HelpsiteLanguage;

impl HelpsiteLanguage {
    /// What [`Language::tokenize`] returns, token by token, without a `String` each.
    pub(crate) fn for_each_token(text: &str, each: impl FnMut(&str)) {
        for_each_split(text, each);
    }
}

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
        assert_eq!(tokenize("忘記密碼"), ["忘记", "记密", "密码"]);
    }

    #[test]
    fn words_and_numbers_survive() {
        assert_eq!(tokenize("Error 400 with 2FA"), ["error", "400", "2fa"]);
        assert_eq!(tokenize("Withdrawals delayed"), ["withdraw", "delay"]);
        assert_eq!(tokenize("ＡＢＣ１２３"), ["abc123"]);
        assert_eq!(tokenize("2fa验证"), ["2fa", "验证"]);
    }

    /// Random mixes of ASCII, Han, combining marks, compatibility forms and cased
    /// letters, cut into words or not: the tokens are those of the whole text
    /// normalised at once.
    #[test]
    fn cutting_at_ascii_punctuation_changes_no_token() {
        let pieces = [
            "a", "Z", "é", "e\u{301}", "\u{301}", "<", "\u{338}", "=", ">", " ", "-", ".", "'",
            "Σ", "σ", "Α", "提", "現", "，", "。", "Ｆ", "ｉ", "ﬁ", "①", "㈱", "ǅ", "İ", "ß", "9",
            "\n", "\u{212A}", "\u{212B}", "ｶ", "ﾞ", "가", "ᄀ", "\u{1161}", "\u{345}", "2fa",
            "Error", "_", "😀", "\u{3000}", "账户", "“", "”", "…", "—", "（", "）", "：", "、",
            "《", "》", "\u{2F00}", "\u{F900}", "\u{FF10}",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |below: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % below as u64) as usize
        };
        for _ in 0..100_000 {
            let len = next(12);
            let text: String = (0..len).map(|_| pieces[next(pieces.len())]).collect();
            let mut whole = Vec::new();
            split_normalized(&normalize(&text), &mut |t: &str| whole.push(t.to_string()));
            assert_eq!(split(&text), whole, "{text:?}");
        }
    }

    #[test]
    fn plain_han_marks_normalise_to_separators_alone() {
        let marks = ('\u{2000}'..='\u{3100}').chain('\u{FF00}'..='\u{FF30}');
        for mark in marks.filter(|&c| is_plain_han_mark(c)) {
            let normal: String = mark.nfkc().collect();
            assert!(
                normal.chars().all(|c| class_of(c) == CharClass::Separator),
                "{mark:?}"
            );
            // Nothing composes with a Han character on either side.
            let between: String = format!("提{mark}现").nfkc().collect();
            assert_eq!(between, format!("提{normal}现"), "{mark:?}");
        }
    }

    #[test]
    fn normalising_stretches_equals_normalising_the_whole() {
        let samples = [
            "提现，到账了吗？ＡＢＣ e\u{301}te\u{301} ①② ﬁle",
            "ΑΣ ΑΣa Straße ＫＫ ｶﾞ 가각 ᄀ\u{1161}",
            "e\u{301}\u{327}x 𠀀𠀁 😀 ㈱",
            "提\u{301}现\u{327}\u{301}，冻结（账户）",
            "\u{301}开头 ﹖ 全角ａｂｃ１２３ 兀⼀",
            "提现，到账了吗？（是的）：好。、「引」《书》【注】Ａ，Ｂ～ａ\u{301}，\u{301}",
            "A，。B！ｚ\u{FF5E}\u{FF5F}\u{3000}\u{3004}\u{3012}",
            "ｉ。現",
        ];
        // Each sample also ending in an inert character and in a piece.
        for sample in samples {
            for text in [
                sample.to_string(),
                format!("{sample}a"),
                format!("{sample}é"),
            ] {
                let whole = text.nfkc().collect::<String>().to_lowercase();
                assert_eq!(normalize(&text), whole, "{text}");
            }
        }
    }
}
