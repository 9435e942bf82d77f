//! The Atom feed of each language's announcements (`atom.xml` under the language prefix).

use crate::model::announcement::SECTION_DIR;
use crate::model::rendered::RenderedSite;
use crate::model::{language_prefix, SitePath};
use crate::source::frontmatter::Date;
use html_escape::encode_quoted_attribute as escape;

/// Where the feed of `lang` is written.
pub(crate) fn feed_path(r: &RenderedSite<'_>, lang: &str) -> SitePath {
    SitePath::new(format!("{}atom.xml", language_prefix(r.config, lang)))
}

/// A front-matter date as an RFC 3339 instant in UTC, which Atom requires (and which
/// sorts as text): a day is its midnight in UTC, a time without an offset is read as UTC.
pub(crate) fn rfc3339(date: &Date) -> String {
    date.rfc3339_utc()
}

/// The feed of `lang`: its announcements, newest first.
pub(crate) fn atom(r: &RenderedSite<'_>, lang: &str) -> String {
    let site = r.site;
    let ids = site.announcements_in(lang);
    let self_url = r.urls.permalink(&feed_path(r, lang));
    let section = site
        .section_translations
        .get(SECTION_DIR)
        .and_then(|by_lang| by_lang.get(lang))
        .map(|&id| &site.sections[id]);
    let home = &site.sections[site.homes[lang]];
    let (list_title, list_url) = match section {
        Some(s) => (s.title.as_str(), r.urls.permalink(&s.path)),
        None => ("", r.urls.permalink(&home.path)),
    };
    let title = if list_title.is_empty() {
        r.config.title_in(lang).to_string()
    } else {
        format!("{list_title} · {}", r.config.title_in(lang))
    };
    let changed = |id: usize| {
        let page = &site.pages[id];
        page.updated
            .as_ref()
            .or(page.date.as_ref())
            .map(rfc3339)
            .unwrap_or_default()
    };
    // The newest change of any entry, so the same input always gives the same feed.
    let updated = ids
        .iter()
        .map(|&id| changed(id))
        .max()
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <id>{}</id>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <updated>{}</updated>\n  <generator>helpsite</generator>\n",
        escape(lang),
        escape(&title),
        escape(&self_url),
        escape(&self_url),
        escape(&list_url),
        escape(&updated),
    );
    for id in ids {
        let page = &site.pages[id];
        let Some(a) = &page.announcement else {
            continue;
        };
        let url = r.urls.permalink(&page.path);
        xml.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <published>{}</published>\n    <updated>{}</updated>\n    <category term=\"{}\"/>\n",
            escape(&page.title),
            escape(&url),
            escape(&url),
            escape(&rfc3339(&a.starts)),
            escape(&changed(id)),
            a.severity.as_str(),
        ));
        if !page.description.is_empty() {
            xml.push_str(&format!(
                "    <summary>{}</summary>\n",
                escape(&page.description)
            ));
        }
        xml.push_str(&format!(
            "    <content type=\"html\">{}</content>\n  </entry>\n",
            escape(&r.pages[id].html)
        ));
    }
    xml.push_str("</feed>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::from_value(&toml::Value::String(text.into())).unwrap()
    }

    #[test]
    fn dates_become_rfc3339() {
        assert_eq!(rfc3339(&d("2026-10-01")), "2026-10-01T00:00:00Z");
        assert_eq!(rfc3339(&d("2026-10-01T08:00:00")), "2026-10-01T08:00:00Z");
        assert_eq!(
            rfc3339(&d("2026-10-01T08:00:00+08:00")),
            "2026-10-01T00:00:00Z"
        );
        assert_eq!(rfc3339(&d("2026-10-01T08:00:00Z")), "2026-10-01T08:00:00Z");
    }
}
