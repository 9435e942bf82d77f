//! Announcements: dated notices in the `announcements` section, shown as a banner
//! on every page while their window is open.
//!
//! Whether a window is open is decided in the reader's browser (announcements.js),
//! never at build time: a site built last week must still show and hide its notices
//! on the right days. This module writes the data file the script reads and the feeds;
//! the `[announcement]` table itself is checked in `model::announcement`.

use serde::Serialize;
use serde_json::Value;

use crate::config::Config;
use crate::model::rendered::RenderedSite;
use crate::model::urls::Urls;
use crate::model::{language_prefix, PageId, Site, SitePath};
use crate::output::files::{FileContent, OutputFile};
use crate::source::frontmatter::Date;

/// The key under which a reader's dismissal is remembered: the announcement (the
/// same in every language) and its last change, so an updated notice shows again.
pub(crate) fn dismiss_key(site: &Site, id: PageId) -> String {
    let page = &site.pages[id];
    let changed = page
        .updated
        .as_ref()
        .or(page.date.as_ref())
        .or(page.announcement.as_ref().map(|a| &a.starts))
        .map(|d| d.as_str().to_string())
        .unwrap_or_default();
    format!("{}@{changed}", page.translation_key)
}

/// `window.helpsiteAnnouncements` of `announcements.js`. Fields in key order
/// (sorted, as the file has always been written).
#[derive(Serialize)]
struct BannerData<'a> {
    items: Vec<BannerItem<'a>>,
    strings: BannerStrings,
}

#[derive(Serialize)]
struct BannerStrings {
    dismiss: String,
    info: String,
    outage: String,
    warning: String,
}

/// One announcement as the banner script sees it.
#[derive(Serialize)]
struct BannerItem<'a> {
    ends: Option<&'a str>,
    id: String,
    severity: &'static str,
    starts: &'a str,
    summary: &'a str,
    title: &'a str,
    url: String,
}

/// `announcements.js` of `lang`: what the banner script works from.
pub(crate) fn script(site: &Site, urls: &Urls, lang: &str, strings: &Value) -> String {
    let items = site
        .announcements_in(lang)
        .into_iter()
        .filter_map(|id| {
            let page = &site.pages[id];
            let a = page.announcement.as_ref()?;
            Some(BannerItem {
                ends: a.ends.as_ref().map(Date::as_str),
                id: dismiss_key(site, id),
                severity: a.severity.as_str(),
                starts: a.starts.as_str(),
                summary: &page.description,
                title: &page.title,
                url: urls.url(&page.path),
            })
        })
        .collect();
    let text = |key: &str| {
        strings
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or(key)
            .to_string()
    };
    let data = BannerData {
        items,
        strings: BannerStrings {
            dismiss: text("dismiss"),
            info: text("severity_info"),
            outage: text("severity_outage"),
            warning: text("severity_warning"),
        },
    };
    format!(
        "// Announcements of this site, written by helpsite build.\nwindow.helpsiteAnnouncements = {};\n",
        crate::features::channels::script_safe_json(&data)
    )
}

/// `announcements.js` and `atom.xml` of every language, when the site has an
/// announcements section.
pub(crate) fn generated_files(r: &RenderedSite<'_>) -> Vec<OutputFile> {
    if !r.site.has_announcements() {
        return Vec::new();
    }
    let mut files = Vec::new();
    for lang in &r.site.languages {
        let strings = r.strings.of(lang);
        files.push(OutputFile {
            path: script_path(r.config, lang).output_file(),
            content: FileContent::Bytes(script(r.site, r.urls, lang, &strings).into_bytes()),
        });
        files.push(OutputFile {
            path: crate::features::feed::feed_path(r, lang).output_file(),
            content: FileContent::Bytes(crate::features::feed::atom(r, lang).into_bytes()),
        });
    }
    files
}

/// Where `script` is written for `lang`.
pub(crate) fn script_path(config: &Config, lang: &str) -> SitePath {
    SitePath::new(format!("{}announcements.js", language_prefix(config, lang)))
}
