//! The site's own request form (a `form` channel without an address): what its
//! channel page needs from `[requests]`, the site's categories and its email channel.

use serde::Serialize;

use crate::config::requests::LocalText;
use crate::model::channels::{email_channel, is_request_form};
use crate::model::rendered::RenderedSite;
use crate::model::PageId;
use crate::source::channel_table::ChannelKind;

/// The *RequestForm* of THEME.md.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct RequestFormView {
    /// Where the form posts, or empty: sending then opens the reader's mail app.
    pub endpoint: String,
    /// The email channel's address (the mail fallback, and "send by email" after a
    /// failed post), or empty.
    pub email: String,
    /// `mailto:` and that address, or empty.
    pub mailto: String,
    /// How soon the email channel answers ("48 hours"), or empty.
    pub reply_time: String,
    pub topics: Vec<TopicView>,
    pub fields: Vec<FieldView>,
}

/// One choice of "Topic": `{id, label}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct TopicView {
    pub id: String,
    pub label: String,
}

/// One of the site's own fields, in the page's language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct FieldView {
    pub name: String,
    pub label: String,
    pub required: bool,
    pub pattern: String,
    pub hint: String,
}

/// The request form of channel page `id`; none for any other page.
pub(crate) fn view(r: &RenderedSite<'_>, id: PageId) -> Option<RequestFormView> {
    if !is_request_form(r.site, id) {
        return None;
    }
    let lang = r.site.pages[id].lang.as_str();
    let default_lang = r.config.default_language.as_str();
    let text = |t: &LocalText| t.in_lang(lang, default_lang);
    let email = email_channel(r.site, r.channels, lang)
        .and_then(|e| r.site.pages[e].channel.as_ref())
        .map(|c| &c.channel)
        .filter(|c| c.kind == ChannelKind::Email);
    let requests = &r.config.requests;
    let topics = match requests.topics.is_empty() {
        true => category_topics(r, lang),
        false => requests
            .topics
            .iter()
            .map(|t| TopicView {
                id: t.id.get_ref().clone(),
                label: text(&t.label),
            })
            .collect(),
    };
    let fields = requests
        .fields
        .iter()
        .map(|f| FieldView {
            name: f.name.get_ref().clone(),
            label: text(&f.label),
            required: f.required,
            pattern: f
                .pattern
                .as_ref()
                .map(|p| p.get_ref().clone())
                .unwrap_or_default(),
            hint: f.hint.as_ref().map(text).unwrap_or_default(),
        })
        .collect();
    Some(RequestFormView {
        endpoint: requests.endpoint().to_string(),
        email: email.map(|c| c.address.clone()).unwrap_or_default(),
        mailto: email.map(|c| c.href.clone()).unwrap_or_default(),
        reply_time: email.map(|c| c.response_time.clone()).unwrap_or_default(),
        topics,
        fields,
    })
}

/// The categories of `lang` that hold articles (not the contact channels nor the
/// announcements), by their folder: the same id in every language.
fn category_topics(r: &RenderedSite<'_>, lang: &str) -> Vec<TopicView> {
    let home = &r.site.sections[r.site.homes[lang]];
    home.subsections
        .iter()
        .map(|&s| &r.site.sections[s])
        .filter(|s| s.dir != crate::model::announcement::SECTION_DIR)
        .filter(|s| !s.pages.iter().any(|&p| r.site.pages[p].channel.is_some()))
        .map(|s| TopicView {
            id: s.dir.rsplit('/').next().unwrap_or(&s.dir).to_string(),
            label: s.title.clone(),
        })
        .collect()
}
