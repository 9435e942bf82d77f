//! The variables each template receives (documented in themes/default/THEME.md).

use serde_json::{json, Map, Value};

use std::collections::BTreeMap;

pub use super::languages::Subject;
use super::languages::{alternates, language_links};
use super::views::{
    breadcrumbs, channel_jsonld, channels_below, page_summary, section_summary, toc, untranslated,
};
use crate::model::channels::routed_channels;
use crate::model::rendered::RenderedSite;
use crate::model::{language_prefix, PageId, SectionId, SitePath};

/// How many articles a category card lists, and how many related articles a page shows.
pub(super) const CARD_ARTICLES: usize = 5;
const RELATED_ARTICLES: usize = 5;

/// Values computed once and shared by every page of the site.
pub struct SharedContext {
    pub(super) page_summaries: Vec<Value>,
    /// Index of each page in its section's order.
    positions: Vec<usize>,
    section_summaries: Vec<Value>,
    /// The same without their `articles`, for the navigation of every page.
    section_titles: Vec<Value>,
    config: Value,
    /// Theme strings by language.
    strings: BTreeMap<String, Value>,
    /// The *Channel* of each channel page (null for other pages).
    channel_views: Vec<Value>,
}

impl SharedContext {
    pub fn new(r: &RenderedSite<'_>) -> Self {
        let page_summaries = (0..r.site.pages.len())
            .map(|id| page_summary(r, id))
            .collect();
        let mut positions = vec![0; r.site.pages.len()];
        for section in &r.site.sections {
            for (i, &page) in section.pages.iter().enumerate() {
                positions[page] = i;
            }
        }
        let mut shared = SharedContext {
            page_summaries,
            positions,
            section_summaries: Vec::new(),
            section_titles: Vec::new(),
            config: serde_json::to_value(r.config).unwrap_or(Value::Null),
            strings: r
                .site
                .languages
                .iter()
                .map(|lang| (lang.clone(), r.strings.of(lang)))
                .collect(),
            channel_views: (0..r.site.pages.len())
                .map(|id| r.channel_views().channel(id))
                .collect(),
        };
        shared.section_summaries = (0..r.site.sections.len())
            .map(|id| section_summary(r, &shared, id))
            .collect();
        shared.section_titles = shared
            .section_summaries
            .iter()
            .map(|summary| {
                let mut summary = summary.clone();
                if let Value::Object(map) = &mut summary {
                    map.remove("articles");
                }
                summary
            })
            .collect();
        shared
    }

    /// Variables every template gets: config, language, site title, strings,
    /// navigation and the links between languages. Categories carry their first
    /// articles only on the home page, which shows them; elsewhere the navigation
    /// needs no more than titles and URLs.
    pub fn globals(
        &self,
        r: &RenderedSite<'_>,
        lang: &str,
        subject: Option<Subject>,
    ) -> Map<String, Value> {
        let mut globals = self.globals_per_page(r, lang, subject);
        globals.extend(self.constants(lang));
        globals
    }

    /// The globals that are the same on every page of a language (config and
    /// strings): they change only with config.toml or the theme.
    pub fn constants(&self, lang: &str) -> [(String, Value); 2] {
        [
            ("config".into(), self.config.clone()),
            ("strings".into(), self.strings[lang].clone()),
        ]
    }

    /// `globals` without the `constants`.
    pub fn globals_per_page(
        &self,
        r: &RenderedSite<'_>,
        lang: &str,
        subject: Option<Subject>,
    ) -> Map<String, Value> {
        let home = r.site.homes[lang];
        let current = subject.map(|s| s.path(r.site));
        let on_home = current == Some(&r.site.sections[home].path);
        let categories: Vec<Value> = r.site.sections[home]
            .subsections
            .iter()
            .map(|&id| match on_home {
                true => self.section_summaries[id].clone(),
                false => self.section_titles[id].clone(),
            })
            .collect();
        // A stand-in's canonical address is its original's.
        let canonical = match subject {
            Some(Subject::Page(id)) => {
                let original = r.site.pages[id].stand_in_for.unwrap_or(id);
                Some(&r.site.pages[original].path)
            }
            _ => current,
        };
        let mut globals = Map::new();
        globals.insert("lang".into(), json!(lang));
        globals.insert(
            "site".into(),
            json!({ "title": r.config.title_in(lang), "description": r.config.description_in(lang) }),
        );
        globals.insert(
            "home_url".into(),
            json!(r.urls.url(&r.site.sections[home].path)),
        );
        globals.insert(
            "current_url".into(),
            json!(canonical.map(|p| r.urls.permalink(p)).unwrap_or_default()),
        );
        globals.insert(
            "current_path".into(),
            json!(current.map(|p| r.urls.url(p)).unwrap_or_default()),
        );
        globals.insert("categories".into(), Value::Array(categories));
        let contact_script = if r.channels.is_empty() {
            String::new()
        } else {
            r.urls.url(&SitePath::new(format!(
                "{}channels.js",
                language_prefix(r.config, lang)
            )))
        };
        globals.insert("contact_script".into(), json!(contact_script));
        globals.insert(
            "channel_jsonld".into(),
            json!(channel_jsonld(r, lang, subject)),
        );
        globals.insert(
            "search".into(),
            crate::search::template_vars(r.config, r.urls, lang, current),
        );
        globals.insert("language_links".into(), language_links(r, lang, subject));
        globals.insert("alternates".into(), alternates(r, subject));
        self.feature_globals(r, lang, subject, &mut globals);
        globals
    }

    /// Announcements, the feed, FAQ JSON-LD and social metadata.
    fn feature_globals(
        &self,
        r: &RenderedSite<'_>,
        lang: &str,
        subject: Option<Subject>,
        globals: &mut Map<String, Value>,
    ) {
        let has_announcements = r.site.has_announcements();
        let url_if = |on: bool, path: SitePath| {
            if on {
                r.urls.url(&path)
            } else {
                String::new()
            }
        };
        globals.insert(
            "announcements_script".into(),
            json!(url_if(
                has_announcements,
                crate::features::announcements::script_path(r.config, lang)
            )),
        );
        globals.insert(
            "feed_url".into(),
            json!(url_if(
                has_announcements,
                crate::features::feed::feed_path(r, lang)
            )),
        );
        let faq_jsonld = match subject {
            Some(Subject::Page(id)) if crate::features::faq::is_faq(r.site, id) => {
                let page = &r.site.pages[id];
                crate::features::faq::jsonld(
                    &page.title,
                    &r.site.pages[page.stand_in_for.unwrap_or(id)].lang,
                    &r.urls.permalink(&page.path),
                    &r.pages[id],
                )
            }
            _ => String::new(),
        };
        globals.insert("faq_jsonld".into(), json!(faq_jsonld));
        globals.insert("social".into(), self.social(r, lang, subject));
    }

    /// Open Graph values: what a link preview shows.
    fn social(&self, r: &RenderedSite<'_>, lang: &str, subject: Option<Subject>) -> Value {
        let (title, description, kind) = match subject {
            Some(Subject::Page(id)) => {
                let summary = &self.page_summaries[id];
                let description = summary["description"]
                    .as_str()
                    .filter(|d| !d.is_empty())
                    .or(summary["summary"].as_str())
                    .unwrap_or("")
                    .to_string();
                (r.site.pages[id].title.clone(), description, "article")
            }
            Some(Subject::Section(id)) if id != r.site.homes[lang] => {
                let section = &r.site.sections[id];
                (
                    section.title.clone(),
                    section.description.clone(),
                    "website",
                )
            }
            _ => (String::new(), String::new(), "website"),
        };
        let description = if description.is_empty() {
            r.config.description_in(lang).to_string()
        } else {
            description
        };
        let title = if title.is_empty() {
            r.config.title_in(lang).to_string()
        } else {
            title
        };
        let locale = |code: &str| code.replace('-', "_");
        let alternates: Vec<String> = alternates(r, subject)
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a["hreflang"].as_str())
            .filter(|code| *code != lang && *code != "x-default")
            .map(locale)
            .collect();
        json!({
            "title": title,
            "description": description,
            "type": kind,
            "site_name": r.config.title_in(lang),
            "locale": locale(lang),
            "locale_alternates": alternates,
        })
    }

    pub fn page(&self, r: &RenderedSite<'_>, id: PageId) -> Value {
        let mut value = self.page_without_content(r, id);
        value["content"] = json!(r.pages[id].html);
        value
    }

    /// `page` without its (large) `content`, which is `r.pages[id].html`.
    pub fn page_without_content(&self, r: &RenderedSite<'_>, id: PageId) -> Value {
        let page = &r.site.pages[id];
        let rendered = &r.pages[id];
        let siblings = &r.site.sections[page.section].pages;
        let position = self.positions[id];
        let neighbour = |offset: isize| {
            position
                .checked_add_signed(offset)
                .and_then(|i| siblings.get(i))
                .map_or(Value::Null, |&p| self.page_summaries[p].clone())
        };
        let related: Vec<Value> = siblings[position + 1..]
            .iter()
            .chain(&siblings[..position])
            .take(RELATED_ARTICLES)
            .map(|&p| self.page_summaries[p].clone())
            .collect();
        let mut value = self.page_summaries[id].clone();
        if let Value::Object(map) = &mut value {
            map.insert("permalink".into(), json!(r.urls.permalink(&page.path)));
            map.insert("lang".into(), json!(page.lang));
            map.insert(
                "breadcrumbs".into(),
                breadcrumbs(r, &r.site.ancestry(page.section)),
            );
            map.insert("toc".into(), toc(&rendered.headings));
            map.insert("previous".into(), neighbour(-1));
            map.insert("next".into(), neighbour(1));
            map.insert("related".into(), Value::Array(related));
            map.insert("reading_minutes".into(), json!(rendered.reading_minutes));
            map.insert("extra".into(), json!(page.extra));
            map.insert("untranslated".into(), untranslated(r, id));
            map.insert("channel".into(), self.channel_views[id].clone());
            map.insert("feedback".into(), crate::features::feedback::view(r, id));
            map.insert(
                "faq".into(),
                json!(crate::features::faq::is_faq(r.site, id)),
            );
            let routed = routed_channels(r.site, r.channels, id);
            map.insert(
                "contact".into(),
                Value::Array(
                    routed
                        .iter()
                        .map(|&c| self.channel_views[c].clone())
                        .collect(),
                ),
            );
        }
        value
    }

    pub fn section(&self, r: &RenderedSite<'_>, id: SectionId) -> Value {
        let mut value = self.section_without_content(r, id);
        value["content"] = json!(r.sections[id].html);
        value
    }

    /// `section` without its `content`, which is `r.sections[id].html`.
    pub fn section_without_content(&self, r: &RenderedSite<'_>, id: SectionId) -> Value {
        let section = &r.site.sections[id];
        let mut chain = r.site.ancestry(id);
        chain.pop();
        let mut value = self.section_summaries[id].clone();
        if let Value::Object(map) = &mut value {
            map.insert("permalink".into(), json!(r.urls.permalink(&section.path)));
            map.insert("breadcrumbs".into(), breadcrumbs(r, &chain));
            map.insert(
                "subsections".into(),
                Value::Array(
                    section
                        .subsections
                        .iter()
                        .map(|&s| self.section_summaries[s].clone())
                        .collect(),
                ),
            );
            map.insert(
                "pages".into(),
                Value::Array(
                    section
                        .pages
                        .iter()
                        .map(|&p| self.page_summaries[p].clone())
                        .collect(),
                ),
            );
            map.insert("extra".into(), json!(section.extra));
            let channels = channels_below(r.site, id);
            map.insert(
                "channels".into(),
                Value::Array(
                    channels
                        .iter()
                        .map(|&c| self.channel_views[c].clone())
                        .collect(),
                ),
            );
            map.insert("channel_groups".into(), self.channel_groups(&channels));
        }
        value
    }
}

impl SharedContext {
    /// Whether page `id` still shows other pages the summary this context holds
    /// for it (after its Markdown was rendered again).
    pub fn summary_unchanged(&self, r: &RenderedSite<'_>, id: PageId) -> bool {
        page_summary(r, id) == self.page_summaries[id]
    }

    /// Channels grouped by kind, in the order of `ChannelKind`.
    fn channel_groups(&self, channels: &[PageId]) -> Value {
        let mut groups: BTreeMap<String, (String, Vec<Value>)> = BTreeMap::new();
        let order = ["phone", "chat", "email", "social", "forum", "form"];
        for &id in channels {
            let view = &self.channel_views[id];
            let kind = view["kind"].as_str().unwrap_or("").to_string();
            let rank = order.iter().position(|k| *k == kind).unwrap_or(order.len());
            groups
                .entry(format!("{rank}{kind}"))
                .or_insert_with(|| (kind.clone(), Vec::new()))
                .1
                .push(view.clone());
        }
        Value::Array(
            groups
                .into_values()
                .map(|(kind, channels)| {
                    let label = channels[0]["kind_label"].clone();
                    json!({ "kind": kind, "label": label, "channels": channels })
                })
                .collect(),
        )
    }
}
