//! The writing features on the render pass: markers left by `preprocess` become
//! shortcode output and callout boxes, GitHub alerts become callout boxes, fenced
//! code with a language is highlighted, and images are checked and sized.
//!
//! Events go through `RenderState::settle` one at a time; a block shortcode holds the
//! events between its tags (`capture`) and hands their HTML to its template as `body`.

use std::cell::OnceCell;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};

use super::callouts::{self, CalloutKind};
use super::images::{self, Found};
use super::preprocess::{Marked, Marker, COMMENT_START, TOKEN_END, TOKEN_PAD, TOKEN_START};
use super::sanitize::{self, Trusted};
use super::{highlight, shortcodes, RawHtml, RenderState};

/// An event with the byte offset it came from, or a marker to act on.
pub(super) enum Step<'a> {
    Event(Event<'a>, usize),
    Marker(usize),
}

pub(super) struct Extensions<'a> {
    markers: Vec<Marker>,
    /// With `raw_html = "safe"`: the HTML helpsite writes, held out of the sanitizer.
    trusted: Option<Trusted>,
    pub saw_raw_html: bool,
    /// The paragraph that held only a shortcode is not written.
    drop_paragraph_end: bool,
    /// Open block shortcodes (innermost last): their marker and the events so far.
    captures: Vec<(usize, Vec<Event<'a>>)>,
    /// A fenced block with a language: (language, its events, its text).
    code: Option<(String, Vec<Event<'a>>, String)>,
    /// An image being read: (where it starts, its events).
    image: Option<(usize, Vec<Event<'a>>)>,
    shortcode_names: OnceCell<Vec<String>>,
}

impl<'a> Extensions<'a> {
    pub(super) fn new(markers: Vec<Marker>, raw_html: RawHtml) -> Self {
        Extensions {
            markers,
            trusted: (raw_html == RawHtml::Safe).then(Trusted::default),
            saw_raw_html: false,
            drop_paragraph_end: false,
            captures: Vec::new(),
            code: None,
            image: None,
            shortcode_names: OnceCell::new(),
        }
    }

    pub(super) fn marks_html(&self, raw: &str) -> bool {
        !self.markers.is_empty() && raw.contains(COMMENT_START)
    }

    pub(super) fn marks_text(&self, text: &str) -> bool {
        !self.markers.is_empty() && text.contains(TOKEN_START)
    }

    /// HTML helpsite wrote, as an event (held out of the sanitizer when there is one).
    fn generated(&mut self, html: String) -> Event<'a> {
        match &mut self.trusted {
            Some(trusted) => Event::Html(trusted.hold(html).into()),
            None => Event::Html(html.into()),
        }
    }

    /// Passes `event` on, or keeps it for the innermost open block shortcode.
    pub(super) fn capture(&mut self, event: Event<'a>) -> Option<Event<'a>> {
        match self.captures.last_mut() {
            Some((_, events)) => {
                events.push(event);
                None
            }
            None => Some(event),
        }
    }

    /// The body's HTML, sanitized when the site asks for it and raw HTML was there.
    pub(super) fn finish_html(&mut self, html: String) -> String {
        match &mut self.trusted {
            Some(trusted) if self.saw_raw_html => sanitize::clean(&html, trusted),
            Some(trusted) if !trusted.is_empty() => trusted.restore(&html),
            _ => html,
        }
    }

    /// Whether a paragraph's text is a single inline shortcode and nothing else.
    fn is_bare_token(&self, text: &str) -> bool {
        let text = text.trim();
        !self.markers.is_empty()
            && text.starts_with(TOKEN_START)
            && text.matches(TOKEN_START).count() == 1
            && text.trim_end_matches(TOKEN_PAD).ends_with(TOKEN_END)
    }
}

impl<'a> RenderState<'a, '_> {
    /// Block-level events of the writing features: callouts from quotes, and
    /// paragraphs that hold only a shortcode. `None` drops the event.
    pub(super) fn map_block(
        &mut self,
        event: Event<'a>,
        range: &Range<usize>,
    ) -> Option<Event<'a>> {
        Some(match event {
            Event::Start(Tag::Paragraph) if self.ext.is_bare_token(&self.body[range.clone()]) => {
                self.ext.drop_paragraph_end = true;
                return None;
            }
            Event::End(TagEnd::Paragraph) if self.ext.drop_paragraph_end => {
                self.ext.drop_paragraph_end = false;
                Event::Html(CowStr::Borrowed("\n"))
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                self.open_callout(CalloutKind::from_alert(kind), "")
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                self.ext.generated(callouts::CLOSE_HTML.to_string())
            }
            Event::Start(Tag::BlockQuote(None)) => {
                if let Some((word, at)) = callouts::unknown_alert(&self.body[range.clone()]) {
                    let message = format!("unknown callout kind `{word}`");
                    let hint = format!("the kinds are {}", callouts::KNOWN_KINDS.join(", "));
                    self.error_at(range.start + at, &message, Some(hint));
                }
                event
            }
            other => other,
        })
    }

    fn open_callout(&mut self, kind: CalloutKind, title: &str) -> Event<'a> {
        self.rendered.uses_theme = true;
        let label = callouts::label_of(self.options.callout_labels, self.origin.lang, kind);
        if !title.is_empty() {
            self.rendered.plain_text.push_str(title);
            self.rendered.plain_text.push('\n');
        }
        let html = callouts::open_html(kind, &label, title);
        self.ext.generated(html)
    }

    /// A line of HTML holding markers: each marker a step, the HTML around them raw HTML.
    pub(super) fn split_markers(
        &mut self,
        raw: &str,
        range: Range<usize>,
        queue: &mut std::collections::VecDeque<Step<'a>>,
    ) {
        let mut rest = raw;
        while let Some(at) = rest.find(COMMENT_START) {
            let after = &rest[at + COMMENT_START.len()..];
            let digits = after
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(after.len());
            let index = after[..digits].parse::<usize>().ok().filter(|&i| {
                self.ext.markers.get(i).is_some_and(|m| {
                    range.contains(&m.offset) && self.body[m.offset..].starts_with(COMMENT_START)
                })
            });
            let (Some(index), Some(close)) = (index, after.find("-->")) else {
                self.raw_piece(&rest[..at + COMMENT_START.len()], range.start, queue);
                rest = after;
                continue;
            };
            self.raw_piece(&rest[..at], range.start, queue);
            queue.push_back(Step::Marker(index));
            rest = &after[close + 3..];
        }
        self.raw_piece(rest, range.start, queue);
    }

    fn raw_piece(
        &mut self,
        piece: &str,
        at: usize,
        queue: &mut std::collections::VecDeque<Step<'a>>,
    ) {
        if piece.trim().is_empty() {
            return;
        }
        if let Some(event) = self.raw_html(CowStr::from(piece.to_string())) {
            queue.push_back(Step::Event(event, at));
        }
    }

    /// Text holding inline shortcode tokens: text and marker steps.
    pub(super) fn split_tokens(
        &mut self,
        text: &str,
        at: usize,
        queue: &mut std::collections::VecDeque<Step<'a>>,
    ) {
        let mut rest = text;
        while let Some(start) = rest.find(TOKEN_START) {
            let after = &rest[start + TOKEN_START.len_utf8()..];
            let digits = after
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(after.len());
            let index = after[..digits].parse::<usize>().ok();
            let closes = after[digits..].starts_with(TOKEN_END);
            let (Some(index), true) = (index.filter(|&i| i < self.ext.markers.len()), closes)
            else {
                rest = after;
                continue;
            };
            if start > 0 {
                let before = CowStr::from(rest[..start].to_string());
                queue.push_back(Step::Event(Event::Text(before), at));
            }
            queue.push_back(Step::Marker(index));
            rest = after[digits + TOKEN_END.len_utf8()..].trim_start_matches(TOKEN_PAD);
        }
        if !rest.is_empty() {
            queue.push_back(Step::Event(Event::Text(CowStr::from(rest.to_string())), at));
        }
    }

    /// One step: a marker acted on, or an event with code and images held until whole.
    pub(super) fn settle(&mut self, step: Step<'a>) -> Option<Event<'a>> {
        let (event, offset) = match step {
            Step::Marker(index) => return self.marker(index),
            Step::Event(event, offset) => (event, offset),
        };
        self.collect_text(&event);
        if let Some((_, events)) = &mut self.ext.image {
            let done = matches!(event, Event::End(TagEnd::Image)) && {
                let nested = events
                    .iter()
                    .filter(|e| matches!(e, Event::Start(Tag::Image { .. })))
                    .count();
                let closed = events
                    .iter()
                    .filter(|e| matches!(e, Event::End(TagEnd::Image)))
                    .count();
                nested == closed + 1
            };
            events.push(event);
            return if done { self.finish_image() } else { None };
        }
        if let Some((_, events, text)) = &mut self.ext.code {
            if let Event::Text(t) = &event {
                text.push_str(t);
            }
            let done = matches!(event, Event::End(TagEnd::CodeBlock));
            events.push(event);
            return if done { self.finish_code() } else { None };
        }
        let language = match &event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                highlight::language(info).map(str::to_string)
            }
            _ => None,
        };
        match (event, language) {
            (event @ Event::Start(Tag::Image { .. }), _) => {
                self.ext.image = Some((offset, vec![event]));
                None
            }
            (event, Some(lang)) => {
                self.ext.code = Some((lang, vec![event], String::new()));
                None
            }
            (other, None) => Some(other),
        }
    }

    fn finish_code(&mut self) -> Option<Event<'a>> {
        let (lang, events, text) = self.ext.code.take()?;
        let html = highlight::highlight(&lang, &text).unwrap_or_else(|| {
            let mut plain = String::new();
            pulldown_cmark::html::push_html(&mut plain, events.into_iter());
            plain
        });
        Some(self.ext.generated(html))
    }

    fn finish_image(&mut self) -> Option<Event<'a>> {
        let (offset, events) = self.ext.image.take()?;
        let src = match events.first() {
            Some(Event::Start(Tag::Image { dest_url, .. })) => dest_url.to_string(),
            _ => String::new(),
        };
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        let size = match self
            .options
            .images
            .map(|files| files.find(self.origin.file, &src))
        {
            Some(Found::Missing(looked)) => {
                self.missing_file("image", &src, &looked, offset);
                self.rendered.files_used.push((src, Found::Missing(looked)));
                None
            }
            Some(found @ Found::File(size)) => {
                self.rendered.files_used.push((src, found));
                size
            }
            _ => None,
        };
        let attributes = images::extra_attributes(size);
        let html = match html.strip_suffix(" />") {
            Some(tag) => format!("{tag}{attributes} />"),
            None => html,
        };
        Some(Event::InlineHtml(html.into()))
    }

    fn missing_file(
        &mut self,
        what: &str,
        src: &str,
        looked: &[std::path::PathBuf],
        offset: usize,
    ) {
        let places: Vec<String> = looked.iter().map(|p| p.display().to_string()).collect();
        let hint = format!(
            "looked for {}; put the file next to the article (in its folder, as a page bundle) or under static/ and write `/name`",
            places.join(" and ")
        );
        self.error_at(offset, &format!("{what} not found: {src}"), Some(hint));
    }

    /// Acts on the marker `index`: the HTML it stands for, if any now.
    fn marker(&mut self, index: usize) -> Option<Event<'a>> {
        let Marker { offset, what } = self.ext.markers.get(index)?.clone();
        match what {
            Marked::Inline(call) => {
                // Inside a line: the template's last line break would show as a space.
                let html = self.render_shortcode(&call, offset, None)?;
                Some(self.ext.generated(html.trim_end().to_string()))
            }
            Marked::Literal(text) => {
                let event = Event::Text(text.into());
                self.collect_text(&event);
                Some(event)
            }
            Marked::Open(_) => {
                self.ext.captures.push((index, Vec::new()));
                None
            }
            Marked::End => {
                let (open, events) = self.ext.captures.pop()?;
                let Marked::Open(call) = self.ext.markers[open].what.clone() else {
                    return None;
                };
                let mut body = String::new();
                pulldown_cmark::html::push_html(&mut body, events.into_iter());
                let body = self.ext.finish_html(body);
                // Without a template (none given, or it failed: an error says so)
                // the body is still shown.
                let offset = self.ext.markers[open].offset;
                let html = self
                    .render_shortcode(&call, offset, Some(&body))
                    .unwrap_or(body);
                Some(self.ext.generated(html))
            }
            Marked::CalloutOpen { kind, title } => Some(self.open_callout(kind, &title)),
            Marked::CalloutClose => Some(self.ext.generated(callouts::CLOSE_HTML.to_string())),
        }
    }

    /// A call rendered by its template; `None` (and an error) when it cannot be.
    fn render_shortcode(
        &mut self,
        call: &shortcodes::Call,
        offset: usize,
        body: Option<&str>,
    ) -> Option<String> {
        let templates = self.options.shortcodes?;
        self.rendered.uses_theme = true;
        let names = self
            .ext
            .shortcode_names
            .get_or_init(|| templates.shortcode_names());
        if !names.contains(&call.name) {
            let message = format!("unknown shortcode `{}`", call.name);
            let hint = format!(
                "the shortcodes are {}; a site adds its own as templates/shortcodes/{}.html",
                names.join(", "),
                call.name
            );
            self.error_at(offset, &message, Some(hint));
            return None;
        }
        if call.name == "video" {
            self.check_video(call, offset);
        }
        let context = shortcodes::context(call, self.origin.lang, body);
        match templates.render_shortcode(&call.name, &context) {
            Ok(html) => Some(html),
            Err(problem) => {
                let message = format!(
                    "the shortcode `{}` could not be rendered: {problem}",
                    call.name
                );
                self.error_at(offset, &message, None);
                None
            }
        }
    }

    fn check_video(&mut self, call: &shortcodes::Call, offset: usize) {
        let (Some(files), Some(shortcodes::ArgValue::Str(src))) =
            (self.options.images, call.arg("src"))
        else {
            return;
        };
        match files.find(self.origin.file, src) {
            Found::Missing(looked) => {
                self.missing_file("video", src, &looked, offset);
                self.rendered
                    .files_used
                    .push((src.clone(), Found::Missing(looked)));
            }
            found @ Found::File(_) => self.rendered.files_used.push((src.clone(), found)),
            Found::External => {}
        }
    }
}
