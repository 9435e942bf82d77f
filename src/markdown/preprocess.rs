//! Finds shortcodes and `:::` callout containers in a body before pulldown-cmark reads
//! it, and puts a marker in the place of each, so that the parser sees ordinary
//! Markdown and the render pass knows where each one was.
//!
//! Why before the parser rather than on its events: a block shortcode or a container
//! must start and end blocks of its own (`{% details(...) %}` on the line before a
//! paragraph would otherwise be part of that paragraph), and the text of a call such
//! as `id="a_b_"` must not be read as Markdown. Code spans and code blocks are found
//! first with the parser itself, and nothing inside them is touched.
//!
//! Markers keep every line where it was (diagnostics of the Markdown pass keep their
//! lines) and, padded, the length of what they replace (and so the columns after it):
//! - a line tag (`{% name(...) %}`, `{% end %}`, `:::kind`, `:::`) becomes an HTML
//!   comment `<!--hs-N -->`, which the parser takes as a block of its own;
//! - an inline call `{{ name(...) }}` becomes the text `\u{E000}N\u{E001}` padded with
//!   `\u{E002}`, so it stays inside its paragraph.
//!
//! Those private-use characters written by hand are replaced by U+FFFD (as long in
//! UTF-8) in a body that has markers, so no text can pose as a marker.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

use super::callouts::{CalloutKind, KNOWN_KINDS};
use super::shortcodes::{check_builtin, looks_like_call, parse_call, Call};

pub(crate) const TOKEN_START: char = '\u{E000}';
pub(crate) const TOKEN_END: char = '\u{E001}';
pub(crate) const TOKEN_PAD: char = '\u{E002}';
pub(crate) const COMMENT_START: &str = "<!--hs-";

/// What stood where a marker is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Marked {
    /// `{{ name(...) }}`
    Inline(Call),
    /// `{{/* name(...) */}}`: the call written out as text, as Zola does.
    Literal(String),
    /// `{% name(...) %}`
    Open(Call),
    /// `{% end %}`
    End,
    /// `:::kind optional title`
    CalloutOpen { kind: CalloutKind, title: String },
    /// `:::`
    CalloutClose,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Marker {
    /// Where the marker starts in the marked text, in bytes (lines are those of the
    /// body; a marker of another length than its tag moves what follows on its line).
    pub offset: usize,
    pub what: Marked,
}

/// A problem found while marking, at a byte offset into the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub offset: usize,
    pub message: String,
    pub hint: Option<String>,
}

#[derive(Debug, Default)]
pub(crate) struct Prepared<'b> {
    pub text: Cow<'b, str>,
    pub markers: Vec<Marker>,
    pub problems: Vec<Problem>,
}

/// Marks the shortcodes and containers of `body`; a body with none is borrowed as it is.
pub(crate) fn prepare(body: &str, options: pulldown_cmark::Options) -> Prepared<'_> {
    if !(body.contains("{{") || body.contains("{%") || body.contains(":::")) {
        return Prepared {
            text: Cow::Borrowed(body),
            ..Prepared::default()
        };
    }
    let code = code_ranges(body, options);
    let mut scan = Scan::default();
    let mut line_start = 0;
    for line in body.split_inclusive('\n') {
        let in_code_block = code
            .iter()
            .any(|r| r.contains(&line_start) && !r.is_empty());
        if !in_code_block {
            let content = line.trim_end_matches(['\n', '\r']);
            if !scan.container_line(content, line_start) {
                scan.calls_in_line(content, line_start, &code);
            }
        }
        line_start += line.len();
    }
    scan.close_unclosed();
    if scan.replacements.is_empty() {
        return Prepared {
            text: Cow::Borrowed(body),
            markers: Vec::new(),
            problems: scan.problems,
        };
    }
    let (text, shifts) = apply(body, &scan.replacements);
    for marker in &mut scan.markers {
        marker.offset = moved(&shifts, marker.offset);
    }
    for problem in &mut scan.problems {
        problem.offset = moved(&shifts, problem.offset);
    }
    Prepared {
        text: Cow::Owned(text),
        markers: scan.markers,
        problems: scan.problems,
    }
}

/// Where `offset` of the body is in the marked text, given where each replacement
/// starts in both (a marker may be longer or shorter than what it replaced).
fn moved(shifts: &[(usize, usize)], offset: usize) -> usize {
    let before = shifts.partition_point(|&(original, _)| original <= offset);
    match before.checked_sub(1).map(|i| shifts[i]) {
        Some((original, marked)) => marked + (offset - original),
        None => offset,
    }
}

/// The byte ranges of code spans and code blocks.
fn code_ranges(body: &str, options: pulldown_cmark::Options) -> Vec<Range<usize>> {
    Parser::new_ext(body, options)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => Some(range),
            _ => None,
        })
        .collect()
}

#[derive(Default)]
struct Scan {
    markers: Vec<Marker>,
    problems: Vec<Problem>,
    replacements: Vec<(Range<usize>, String)>,
    /// Open shortcodes and containers: (marker index, is a container).
    open: Vec<(usize, bool)>,
}

impl Scan {
    /// A `:::` line (up to three spaces before it); false when the line is not one.
    fn container_line(&mut self, line: &str, at: usize) -> bool {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let tag = &line[indent..];
        if indent > 3 || !tag.starts_with(":::") {
            return false;
        }
        let after_colons = tag.trim_start_matches(':');
        let words = after_colons.trim();
        let start = at + indent;
        let span = start..at + line.len();
        if words.is_empty() {
            self.close(true, start);
            self.mark(span, Marked::CalloutClose, false);
            return true;
        }
        let kind_at = start + (tag.len() - after_colons.trim_start().len());
        let (kind_word, title) = words.split_once(char::is_whitespace).unwrap_or((words, ""));
        match CalloutKind::from_name(kind_word) {
            Some(kind) => {
                self.open.push((self.markers.len(), true));
                let title = title.trim().to_string();
                self.mark(span, Marked::CalloutOpen { kind, title }, false);
            }
            None => {
                // Still opened, so that its `:::` closes it rather than being
                // reported as well.
                self.problems.push(unknown_kind(kind_word, kind_at));
                self.open.push((self.markers.len(), true));
                let what = Marked::CalloutOpen {
                    kind: CalloutKind::Note,
                    title: String::new(),
                };
                self.mark(span, what, false);
            }
        }
        true
    }

    /// Every `{{ ... }}` and `{% ... %}` of a line that is not inside code.
    fn calls_in_line(&mut self, line: &str, at: usize, code: &[Range<usize>]) {
        let mut from = 0;
        while let Some(found) = line[from..].find(['{']) {
            let i = from + found;
            from = i + 1;
            let (block, close) = match line.get(i..i + 2) {
                Some("{{") => (false, "}}"),
                Some("{%") => (true, "%}"),
                _ => continue,
            };
            let Some(j) = line[i + 2..].find(close).map(|j| i + 2 + j) else {
                continue;
            };
            if code.iter().any(|r| r.contains(&(at + i))) {
                continue;
            }
            let inner = &line[i + 2..j];
            if self.call(block, inner, at + i, at + j + 2) {
                from = j + 2;
            }
        }
    }

    /// Marks one call between braces; false when the text is not a call.
    fn call(&mut self, block: bool, inner: &str, start: usize, end: usize) -> bool {
        let trimmed = inner.trim();
        if let Some(written) = trimmed
            .strip_prefix("/*")
            .and_then(|t| t.strip_suffix("*/"))
        {
            let (open, close) = if block { ("{%", "%}") } else { ("{{", "}}") };
            let literal = format!("{open}{written}{close}");
            self.mark(start..end, Marked::Literal(literal), true);
            return true;
        }
        if block && trimmed == "end" {
            self.close(false, start);
            self.mark(start..end, Marked::End, false);
            return true;
        }
        if !looks_like_call(inner) {
            return false;
        }
        let call = match parse_call(inner) {
            Ok(call) => call,
            Err(e) => {
                self.problems.push(Problem {
                    offset: start + 2 + e.offset,
                    message: format!("bad shortcode: {}", e.message),
                    hint: Some("a shortcode is written `{{ name(key=\"value\", n=3) }}`".into()),
                });
                return true;
            }
        };
        if let Err(message) = check_builtin(&call) {
            self.problems.push(Problem {
                offset: start,
                message,
                hint: Some("see the shortcodes page of the user guide".into()),
            });
        }
        if block {
            self.open.push((self.markers.len(), false));
            self.mark(start..end, Marked::Open(call), false);
        } else {
            self.mark(start..end, Marked::Inline(call), true);
        }
        true
    }

    /// Pairs a closing tag with the innermost open one.
    fn close(&mut self, container: bool, at: usize) {
        let (what, how) = if container {
            ("`:::`", "a callout opened with `:::note`")
        } else {
            ("`{% end %}`", "a shortcode opened with `{% name(...) %}`")
        };
        match self.open.last() {
            Some(&(_, open_is_container)) if open_is_container == container => {
                self.open.pop();
            }
            Some(&(index, _)) => {
                let inner = if container { "{% end %}" } else { ":::" };
                self.problems.push(Problem {
                    offset: at,
                    message: format!(
                        "{what} closes nothing: what is open here needs `{inner}` first"
                    ),
                    hint: Some(format!(
                        "the open one starts at byte {}",
                        self.markers[index].offset
                    )),
                });
            }
            None => self.problems.push(Problem {
                offset: at,
                message: format!("{what} closes nothing"),
                hint: Some(format!("it ends {how}")),
            }),
        }
    }

    fn close_unclosed(&mut self) {
        for (index, container) in std::mem::take(&mut self.open) {
            let (message, hint) = if container {
                ("this callout is never closed", "end it with a line `:::`")
            } else {
                ("this shortcode is never closed", "end it with `{% end %}`")
            };
            self.problems.push(Problem {
                offset: self.markers[index].offset,
                message: message.into(),
                hint: Some(hint.into()),
            });
        }
    }

    fn mark(&mut self, span: Range<usize>, what: Marked, inline: bool) {
        let index = self.markers.len();
        let width = span.len();
        let replacement = if inline {
            // As long as the call when it can be: the number takes up to two leading
            // zeros so that 3-byte padding fills the rest exactly.
            let digits = index.to_string().len();
            let fixed = TOKEN_START.len_utf8() + TOKEN_END.len_utf8();
            let width_digits = (digits..digits + 3)
                .find(|d| width >= fixed + d && (width - fixed - d).is_multiple_of(3))
                .unwrap_or(digits);
            let mut token = format!("{TOKEN_START}{index:0width_digits$}{TOKEN_END}");
            while token.len() + TOKEN_PAD.len_utf8() <= width {
                token.push(TOKEN_PAD);
            }
            token
        } else {
            let core = format!("{COMMENT_START}{index}");
            let pad = width.saturating_sub(core.len() + 3);
            format!("{core}{}-->", " ".repeat(pad))
        };
        self.markers.push(Marker {
            offset: span.start,
            what,
        });
        self.replacements.push((span, replacement));
    }
}

fn unknown_kind(word: &str, offset: usize) -> Problem {
    Problem {
        offset,
        message: format!("unknown callout kind `{word}`"),
        hint: Some(format!("the kinds are {}", KNOWN_KINDS.join(", "))),
    }
}

/// `body` with each range replaced (in order), and hand-written marker characters made
/// harmless; with the start of each replacement in the body and in the new text.
fn apply(body: &str, replacements: &[(Range<usize>, String)]) -> (String, Vec<(usize, usize)>) {
    let mut out = String::with_capacity(body.len() + 16);
    let mut shifts = Vec::with_capacity(replacements.len() * 2);
    let mut at = 0;
    for (range, text) in replacements {
        push_clean(&mut out, &body[at..range.start]);
        shifts.push((range.start, out.len()));
        out.push_str(text);
        at = range.end;
        shifts.push((at, out.len()));
    }
    push_clean(&mut out, &body[at..]);
    (out, shifts)
}

fn push_clean(out: &mut String, text: &str) {
    for c in text.chars() {
        out.push(if matches!(c, TOKEN_START | TOKEN_END | TOKEN_PAD) {
            '\u{FFFD}'
        } else {
            c
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prep(body: &str) -> Prepared<'_> {
        prepare(body, pulldown_cmark::Options::empty())
    }

    #[test]
    fn bodies_without_tags_are_borrowed() {
        assert!(matches!(prep("Just text {x}.\n").text, Cow::Borrowed(_)));
    }

    #[test]
    fn markers_keep_lines_and_lengths() {
        let body = "a {{ youtube(id=\"abc\") }} b\n{% details(summary=\"More\") %}\nx\n{% end %}\n:::tip Be quick\ny\n:::\n";
        let p = prep(body);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.text.lines().count(), body.lines().count());
        assert_eq!(
            p.text.lines().nth(1).unwrap().len(),
            body.lines().nth(1).unwrap().len()
        );
        assert_eq!(
            p.text.lines().next().unwrap().len(),
            body.lines().next().unwrap().len()
        );
        let kinds: Vec<_> = p.markers.iter().map(|m| m.offset).collect();
        // `{% end %}` (9 bytes) becomes an 11-byte comment: what follows moves by 2.
        assert_eq!(kinds, [2, 28, 60, 72, 90]);
        assert!(matches!(p.markers[3].what, Marked::CalloutOpen { .. }));
    }

    #[test]
    fn code_is_never_read_for_tags() {
        let body = "`{{ youtube(id=\"a\") }}`\n\n```\n{{ youtube(id=\"b\") }}\n:::note\n```\n";
        let p = prep(body);
        assert!(p.markers.is_empty());
        assert!(p.problems.is_empty());
    }

    #[test]
    fn unpaired_and_unknown_tags_are_problems() {
        let p = prep(":::danger\n:::\n\n{% end %}\n\n{% details(summary=\"x\") %}\n");
        let messages: Vec<_> = p
            .problems
            .iter()
            .map(|p| (p.offset, p.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                (3, "unknown callout kind `danger`"),
                // `:::danger`, `:::` and `{% end %}` became 11-byte comments.
                (25, "`{% end %}` closes nothing"),
                (38, "this shortcode is never closed"),
            ]
        );
    }

    #[test]
    fn hand_written_marker_characters_are_replaced() {
        let p = prep("\u{E000}0\u{E001} {{ a() }}\n");
        assert!(p
            .text
            .starts_with("\u{FFFD}0\u{FFFD} \u{E000}000\u{E001}\n"));
    }
}
