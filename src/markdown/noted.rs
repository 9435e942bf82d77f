//! What the checks read from a body, noted on the same pass that renders it: heading
//! levels, images with their alt text, and external addresses, each with its place.
//! `checks::lint` and `checks::external_links` read these instead of parsing again.

use pulldown_cmark::{Event, Tag, TagEnd};

/// A line and column in the article's file (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Place {
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ImageUse {
    pub src: String,
    /// The text between the brackets (what a screen reader says).
    pub alt: String,
    pub place: Place,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Noted {
    /// Each heading's level (1-6), in the order written.
    pub heading_levels: Vec<(u8, Place)>,
    pub images: Vec<ImageUse>,
    /// `http://` and `https://` destinations of links and images.
    pub external_links: Vec<(String, Place)>,
    /// The image whose alt text is being read, as an index into `images`.
    open_image: Option<usize>,
}

impl Noted {
    /// Notes what `event` shows; `place` finds where it starts (asked only when needed).
    pub(crate) fn observe(&mut self, event: &Event<'_>, place: impl FnOnce() -> Place) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.heading_levels.push((*level as u8, place()));
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let place = place();
                self.note_external(dest_url, place);
                self.open_image = Some(self.images.len());
                self.images.push(ImageUse {
                    src: dest_url.to_string(),
                    alt: String::new(),
                    place,
                });
            }
            Event::Start(Tag::Link { dest_url, .. }) => self.note_external(dest_url, place()),
            Event::Text(text) | Event::Code(text) => {
                if let Some(image) = self.open_image {
                    self.images[image].alt.push_str(text);
                }
            }
            Event::End(TagEnd::Image) => self.open_image = None,
            _ => {}
        }
    }

    fn note_external(&mut self, url: &str, place: Place) {
        if url.starts_with("http://") || url.starts_with("https://") {
            self.external_links.push((url.to_string(), place));
        }
    }
}
