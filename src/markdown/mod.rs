//! Takes: a body of Markdown, where it sits and how to render it. Gives: HTML, with
//! heading ids, a table of contents, internal links and plain text.
//!
//! One pass of pulldown-cmark; the writing features sit around it: `preprocess` marks
//! shortcodes and `:::` containers before the parser, and `extend` turns the markers,
//! callouts, code blocks and images into HTML on the way out (`shortcodes`,
//! `callouts`, `highlight`, `images`, `sanitize` hold the details).

pub(crate) mod callouts;
mod extend;
pub(crate) mod highlight;
pub(crate) mod images;
pub(crate) mod noted;
pub(crate) mod preprocess;
pub(crate) mod sanitize;
pub(crate) mod shortcodes;

use std::collections::VecDeque;
use std::path::Path;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use rustc_hash::{FxHashMap, FxHashSet};

pub(crate) use crate::config::RawHtml;
use crate::diag::Diagnostic;
pub(crate) use crate::markdown::noted::{Noted, Place};
use html_escape::encode_quoted_attribute as escape;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
    /// Where the heading's text starts and where the text after it starts, as byte
    /// offsets into `Rendered::plain_text` (FAQ answers are cut out with them).
    pub plain_start: usize,
    pub plain_end: usize,
}

/// An `@/path.md#anchor` link, kept so anchors can be checked once every page is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InternalLink {
    /// Path inside `content/`, e.g. `account/reset-password.md`.
    pub target: String,
    pub anchor: Option<String>,
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub links: Vec<InternalLink>,
    /// The text a reader sees, without markup.
    pub plain_text: String,
    /// Plain text before a `<!-- more -->` marker, when the writer placed one.
    pub summary: Option<String>,
    /// Minutes a reader needs for `plain_text`.
    pub reading_minutes: usize,
    /// A hash of `html`, so that a rebuild can compare pages without reading it.
    pub html_hash: u64,
    /// What the checks read (headings, images, external links), found on this pass.
    pub noted: Noted,
    /// The local files its images and videos name, and what was found for each: a
    /// rebuild renders the body again when one of them changed.
    pub files_used: Vec<(String, images::Found)>,
    /// Whether the HTML depends on the theme (shortcode templates, callout labels).
    pub uses_theme: bool,
}

/// How bodies are rendered: the site's settings and what the theme provides.
#[derive(Clone, Copy, Default)]
pub(crate) struct MarkdownOptions<'e> {
    /// What raw HTML becomes: text, allow-listed HTML, or HTML as written.
    pub raw_html: RawHtml,
    /// The templates of shortcodes; without them a shortcode renders as nothing.
    pub shortcodes: Option<&'e dyn shortcodes::ShortcodeTemplates>,
    /// Where images are looked for; without it they are not checked or sized.
    pub images: Option<&'e dyn images::ImageFiles>,
    /// The labels of callouts per language (English words when missing).
    pub callout_labels: Option<&'e callouts::CalloutLabels>,
}

/// Where a body sits in its file, for diagnostics.
pub(crate) struct BodyOrigin<'a> {
    pub file: &'a Path,
    pub first_line: usize,
    /// The language of the page (callout labels, the `lang` of shortcodes).
    pub lang: &'a str,
}

/// Renders `body`. `resolve` maps a content path (`account/x.md`) to its URL.
pub(crate) fn render(
    body: &str,
    origin: &BodyOrigin<'_>,
    options: &MarkdownOptions<'_>,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> (Rendered, Vec<Diagnostic>) {
    let prepared = preprocess::prepare(body, parser_options());
    let mut state = RenderState {
        body: &prepared.text,
        origin,
        options,
        resolve,
        rendered: Rendered::default(),
        diagnostics: Vec::new(),
        used_ids: FxHashSet::default(),
        next_suffix: FxHashMap::default(),
        line_starts: std::cell::OnceCell::new(),
        ext: extend::Extensions::new(prepared.markers, options.raw_html),
    };
    for problem in &prepared.problems {
        state.error_at(problem.offset, &problem.message, problem.hint.clone());
    }
    // Events stream from the parser through `transform` into the HTML: holding
    // them all at once cost more memory than the HTML itself.
    let mut html = String::with_capacity(body.len() + body.len() / 2);
    pulldown_cmark::html::push_html(&mut html, state.transform());
    state.rendered.html = state.ext.finish_html(html);
    let plain = &mut state.rendered.plain_text;
    let trimmed_len = plain.trim_end().len();
    plain.truncate(trimmed_len);
    state.rendered.reading_minutes = reading_minutes(&state.rendered.plain_text);
    state.rendered.html_hash = xxhash_rust::xxh3::xxh3_64(state.rendered.html.as_bytes());
    // Every page's HTML and text are held until the templates and the search index
    // have read them: no spare capacity (a third of it at 100,000 articles).
    state.rendered.html = without_spare_room(std::mem::take(&mut state.rendered.html));
    state.rendered.plain_text = without_spare_room(std::mem::take(&mut state.rendered.plain_text));
    // Likewise the lists held with them, grown by doubling.
    let rendered = &mut state.rendered;
    rendered.headings = exact_vec(std::mem::take(&mut rendered.headings));
    rendered.links = exact_vec(std::mem::take(&mut rendered.links));
    let noted = &mut rendered.noted;
    noted.heading_levels = exact_vec(std::mem::take(&mut noted.heading_levels));
    (state.rendered, state.diagnostics)
}

/// `list` in a block of its own size (see `without_spare_room`).
fn exact_vec<T>(mut list: Vec<T>) -> Vec<T> {
    if list.capacity() == list.len() {
        return list;
    }
    let mut exact = Vec::with_capacity(list.len());
    exact.append(&mut list);
    exact
}

/// `text` in a block of its own size. `shrink_to_fit` is not enough: the allocator
/// (mimalloc) keeps a block that stays at least half full, and a page's HTML,
/// grown by doubling, was often a third empty.
fn without_spare_room(text: String) -> String {
    match text.capacity() - text.len() > text.len() / 16 {
        true => text.as_str().to_owned(),
        false => text,
    }
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

struct RenderState<'a, 'o> {
    body: &'a str,
    origin: &'o BodyOrigin<'o>,
    options: &'o MarkdownOptions<'o>,
    resolve: &'o dyn Fn(&str) -> Option<String>,
    rendered: Rendered,
    diagnostics: Vec<Diagnostic>,
    used_ids: FxHashSet<String>,
    /// The next suffix to try for each heading id base, so repeats stay linear.
    next_suffix: FxHashMap<String, usize>,
    /// Byte offsets where each line of `body` starts, made on first use.
    line_starts: std::cell::OnceCell<Vec<usize>>,
    /// The writing features' state: markers, open shortcodes, buffered code and images.
    ext: extend::Extensions<'a>,
}

impl<'a, 'o> RenderState<'a, 'o> {
    fn transform<'s>(&'s mut self) -> impl Iterator<Item = Event<'a>> + use<'a, 'o, 's> {
        let mut parser = Parser::new_ext(self.body, parser_options()).into_offset_iter();
        let mut heading: Option<HeadingBuffer<'a>> = None;
        let mut queue: VecDeque<extend::Step<'a>> = VecDeque::new();
        std::iter::from_fn(move || loop {
            let Some(step) = queue.pop_front() else {
                let (event, range) = parser.next()?;
                let (starts, body, origin) = (&self.line_starts, self.body, self.origin);
                (self.rendered.noted).observe(&event, || {
                    let (line, col) = locate(starts, body, origin, range.start);
                    Place { line, col }
                });
                self.map_event(event, range, &mut queue);
                continue;
            };
            let Some(event) = self.settle(step) else {
                continue;
            };
            let event = match (&mut heading, event) {
                (
                    None,
                    Event::Start(Tag::Heading {
                        level, id, classes, ..
                    }),
                ) => {
                    heading = Some(HeadingBuffer {
                        plain_start: self.rendered.plain_text.len(),
                        level,
                        custom_id: id.map(|i| i.to_string()),
                        classes: classes.iter().map(|c| c.to_string()).collect(),
                        inner: Vec::new(),
                        text: String::new(),
                    });
                    continue;
                }
                (Some(_), Event::End(TagEnd::Heading(_))) => match heading.take() {
                    Some(done) => Event::Html(CowStr::from(self.finish_heading(done))),
                    None => continue,
                },
                (Some(buffer), event) => {
                    if let Event::Text(t) | Event::Code(t) = &event {
                        buffer.text.push_str(t);
                    }
                    buffer.inner.push(event);
                    continue;
                }
                (None, event) => event,
            };
            if let Some(event) = self.ext.capture(event) {
                return Some(event);
            }
        })
    }

    /// What one event of the parser becomes, put on `queue` (shortcodes in a line of
    /// HTML or text become several steps).
    fn map_event(
        &mut self,
        event: Event<'a>,
        range: std::ops::Range<usize>,
        queue: &mut VecDeque<extend::Step<'a>>,
    ) {
        let event = match event {
            Event::Html(raw) | Event::InlineHtml(raw) if is_more_marker(&raw) => {
                if self.rendered.summary.is_none() {
                    self.rendered.summary = Some(self.rendered.plain_text.trim().to_string());
                }
                return;
            }
            Event::Html(raw) | Event::InlineHtml(raw) if self.ext.marks_html(&raw) => {
                return self.split_markers(&raw, range, queue);
            }
            Event::Text(text) if self.ext.marks_text(&text) => {
                return self.split_tokens(&text, range.start, queue);
            }
            Event::Html(raw) | Event::InlineHtml(raw) => match self.raw_html(raw) {
                Some(event) => event,
                None => return,
            },
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => Event::Start(Tag::Link {
                link_type,
                dest_url: if self.options.raw_html == RawHtml::Trusted {
                    self.link_destination(dest_url, range.start)
                } else {
                    let dest = self.refuse_script_url(dest_url, range.start);
                    self.link_destination(dest, range.start)
                },
                title,
                id,
            }),
            // A checklist box in an article is a printed mark, not a control a
            // reader can use: hidden from assistive technology, which reads the
            // item's text (an unlabelled control would be announced as such).
            Event::TaskListMarker(checked) => Event::InlineHtml(CowStr::from(if checked {
                "<input type=\"checkbox\" class=\"task\" disabled checked aria-hidden=\"true\"> "
            } else {
                "<input type=\"checkbox\" class=\"task\" disabled aria-hidden=\"true\"> "
            })),
            other => match self.map_block(other, &range) {
                Some(event) => event,
                None => return,
            },
        };
        queue.push_back(extend::Step::Event(event, range.start));
    }

    /// Raw HTML as `[markdown] raw_html` says: text, kept for the sanitizer, or as written.
    fn raw_html(&mut self, raw: CowStr<'a>) -> Option<Event<'a>> {
        match self.options.raw_html {
            RawHtml::Escape if is_comment(&raw) => None,
            RawHtml::Escape => Some(Event::Text(raw)),
            RawHtml::Safe => {
                self.ext.saw_raw_html = true;
                Some(Event::Html(raw))
            }
            RawHtml::Trusted => Some(Event::Html(raw)),
        }
    }

    fn collect_text(&mut self, event: &Event<'_>) {
        let plain = &mut self.rendered.plain_text;
        match event {
            Event::Text(t) | Event::Code(t) => plain.push_str(t),
            Event::SoftBreak | Event::HardBreak => plain.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_),
            ) if !plain.ends_with('\n') && !plain.is_empty() => plain.push('\n'),
            _ => {}
        }
    }

    fn finish_heading(&mut self, heading: HeadingBuffer<'_>) -> String {
        let title = heading.text.trim().to_string();
        let base = heading
            .custom_id
            .clone()
            .unwrap_or_else(|| heading_id(&title));
        let id = self.unique_id(if base.is_empty() {
            "section".into()
        } else {
            base
        });
        let level = heading_level(heading.level);
        let mut inner = String::new();
        pulldown_cmark::html::push_html(&mut inner, heading.inner.into_iter());
        let class = if heading.classes.is_empty() {
            String::new()
        } else {
            format!(" class=\"{}\"", escape(&heading.classes.join(" ")))
        };
        let id_attr = escape(&id).into_owned();
        self.rendered.headings.push(Heading {
            level,
            id,
            title,
            plain_start: heading.plain_start,
            plain_end: self.rendered.plain_text.len(),
        });
        format!(
            "<h{level} id=\"{id_attr}\"{class}>{inner} <a class=\"heading-anchor\" href=\"#{id_attr}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></h{level}>\n"
        )
    }

    fn unique_id(&mut self, base: String) -> String {
        let mut candidate = base.clone();
        let mut n = self.next_suffix.get(&base).copied().unwrap_or(1);
        while !self.used_ids.insert(candidate.clone()) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        self.next_suffix.insert(base, n);
        candidate
    }

    /// Resolves `@/path.md#anchor`; other destinations pass through untouched.
    fn link_destination(&mut self, dest: CowStr<'a>, offset: usize) -> CowStr<'a> {
        let Some(internal) = dest.strip_prefix("@/") else {
            return dest;
        };
        let (path, anchor) = match internal.split_once('#') {
            Some((path, anchor)) => (path, Some(anchor.to_string())),
            None => (internal, None),
        };
        let (line, col) = self.locate(offset);
        match (self.resolve)(path) {
            Some(url) => {
                self.rendered.links.push(InternalLink {
                    target: path.to_string(),
                    anchor: anchor.clone(),
                    line,
                    col,
                });
                match anchor {
                    Some(anchor) => format!("{url}#{anchor}").into(),
                    None => url.into(),
                }
            }
            None => {
                self.diagnostics.push(
                    Diagnostic::error(format!("link to a page that does not exist: @/{internal}"))
                        .in_file(self.origin.file)
                        .at(line, col)
                        .with_hint("the path after @/ is a file inside content/, e.g. @/account/reset-password.md"),
                );
                dest
            }
        }
    }

    /// `javascript:` and its kin run code when clicked: with raw HTML off, no
    /// article may carry script, so such a link is an error and goes nowhere.
    fn refuse_script_url(&mut self, dest: CowStr<'a>, offset: usize) -> CowStr<'a> {
        let scheme: String = dest
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .take_while(|c| *c != ':')
            .flat_map(char::to_lowercase)
            .collect();
        let has_scheme = dest.contains(':');
        if !(has_scheme && matches!(scheme.as_str(), "javascript" | "vbscript" | "data")) {
            return dest;
        }
        let (line, col) = self.locate(offset);
        self.diagnostics.push(
            Diagnostic::error(format!("links to `{scheme}:` URLs are not allowed"))
                .in_file(self.origin.file)
                .at(line, col)
                .with_hint("link to a page or a web address instead; `[markdown] raw_html = true` lifts this rule"),
        );
        CowStr::from("#")
    }

    fn error_at(&mut self, offset: usize, message: &str, hint: Option<String>) {
        let (line, col) = self.locate(offset);
        let mut diagnostic = Diagnostic::error(message)
            .in_file(self.origin.file)
            .at(line, col);
        if let Some(hint) = hint {
            diagnostic = diagnostic.with_hint(hint);
        }
        self.diagnostics.push(diagnostic);
    }

    fn locate(&self, offset: usize) -> (usize, usize) {
        locate(&self.line_starts, self.body, self.origin, offset)
    }
}

/// The line and column in the file of byte `offset` of `body`. `line_starts` are
/// the byte offsets where each line of `body` starts, found on first use.
fn locate(
    line_starts: &std::cell::OnceCell<Vec<usize>>,
    body: &str,
    origin: &BodyOrigin<'_>,
    offset: usize,
) -> (usize, usize) {
    let starts = line_starts.get_or_init(|| {
        std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', body.as_bytes()).map(|i| i + 1))
            .collect()
    });
    let offset = offset.min(body.len());
    let index = starts.partition_point(|&start| start <= offset) - 1;
    let (line, col) = crate::diag::line_col(&body[starts[index]..], offset - starts[index]);
    debug_assert_eq!(line, 1);
    (index + origin.first_line, col)
}

struct HeadingBuffer<'a> {
    plain_start: usize,
    level: HeadingLevel,
    custom_id: Option<String>,
    classes: Vec<String>,
    inner: Vec<Event<'a>>,
    text: String,
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn is_more_marker(raw: &str) -> bool {
    let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    compact == "<!--more-->"
}

fn is_comment(raw: &str) -> bool {
    let raw = raw.trim();
    raw.starts_with("<!--") && raw.ends_with("-->")
}

/// The id of a heading: lower case, letters and digits of every script kept,
/// spaces and hyphens joined by one `-`, other punctuation dropped.
pub(crate) fn heading_id(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    let mut push = |c: char, alphanumeric: bool, joins: bool| {
        if alphanumeric {
            id.push(c);
        } else if joins && !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    };
    for c in text.chars() {
        // ASCII, most headings, without the Unicode tables.
        if c.is_ascii() {
            let joins = c.is_ascii_whitespace() || c == '-' || c == '_' || c == '\x0B';
            push(c.to_ascii_lowercase(), c.is_ascii_alphanumeric(), joins);
            continue;
        }
        for c in c.to_lowercase() {
            push(c, c.is_alphanumeric(), c.is_whitespace());
        }
    }
    let kept = id.trim_end_matches('-').len();
    id.truncate(kept);
    id
}

/// Minutes to read: about 200 words or 400 Chinese characters a minute. A word is a
/// run of letters and digits with no space inside (`don't` is one).
pub(crate) fn reading_minutes(plain: &str) -> usize {
    let (mut words, mut cjk, mut in_word) = (0usize, 0usize, false);
    let bytes = plain.as_bytes();
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        // Byte by byte through ASCII, most of any text; a character at a time elsewhere.
        let (class, len) = match byte.is_ascii() {
            true => (ascii_reading_class(byte), 1),
            false => {
                let c = plain[at..].chars().next().unwrap_or_default();
                (reading_class(c), c.len_utf8())
            }
        };
        at += len;
        // Without branches: where words start and end is as good as random.
        let letter = class == ReadingClass::Letter;
        let ends_word = matches!(class, ReadingClass::Han | ReadingClass::Space);
        cjk += usize::from(class == ReadingClass::Han);
        words += usize::from(letter & !in_word);
        in_word = letter | (in_word & !ends_word);
    }
    (words * 2 + cjk) / 400 + 1
}

/// What a character counts as in [`reading_minutes`]. Punctuation (`Other`) neither
/// starts nor ends a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReadingClass {
    Han,
    Letter,
    Space,
    Other,
}

fn reading_class(c: char) -> ReadingClass {
    if is_cjk(c) {
        ReadingClass::Han
    } else if is_common_punctuation(c) {
        ReadingClass::Other
    } else if c.is_alphanumeric() {
        ReadingClass::Letter
    } else if c.is_whitespace() {
        ReadingClass::Space
    } else {
        ReadingClass::Other
    }
}

/// Chinese full stops, commas and brackets, full-width marks, curly quotes and
/// dashes: the punctuation of most non-ASCII text, known here without a search
/// of the Unicode tables.
fn is_common_punctuation(c: char) -> bool {
    matches!(c, '\u{2010}'..='\u{2027}' | '\u{3001}'..='\u{3003}' | '\u{3008}'..='\u{3011}'
        | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}')
}

/// [`reading_class`] of an ASCII character, without the Unicode tables.
fn ascii_reading_class(byte: u8) -> ReadingClass {
    match byte {
        b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' => ReadingClass::Letter,
        b'\t'..=b'\r' | b' ' => ReadingClass::Space,
        _ => ReadingClass::Other,
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// The first `max_chars` characters of `text`, cut at a word where possible.
pub(crate) fn excerpt(text: &str, max_chars: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max_chars {
        return flat;
    }
    let cut: String = flat.chars().take(max_chars).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > cut.len() / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!(
        "{}…",
        cut.trim_end_matches([',', '.', ';', ':', '，', '。'])
    )
}

#[cfg(test)]
mod tests;
