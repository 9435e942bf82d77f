//! The files generated beside the pages: sitemap.xml, robots.txt, alias redirects and
//! the redirects of sections with `redirect_to`.

use crate::features::tags::Taxonomy;
use crate::model::urls::Urls;
use crate::model::{PageId, Site, SitePath};
use crate::output::files::{FileContent, OutputFile};
use html_escape::encode_quoted_attribute as escape;

/// sitemap.xml, robots.txt and one redirect page per alias.
pub(crate) fn generated_files(
    site: &Site,
    urls: &Urls,
    taxonomies: &[Taxonomy],
) -> Vec<OutputFile> {
    let text_file = |path: &str, text: String| OutputFile {
        path: path.into(),
        content: FileContent::Bytes(text.into_bytes()),
    };
    let mut files = vec![
        text_file("sitemap.xml", sitemap(site, urls, taxonomies)),
        text_file("robots.txt", robots(urls)),
    ];
    let redirects = site
        .pages
        .iter()
        .map(|p| (&p.aliases, &p.path, &p.lang))
        .chain(site.sections.iter().map(|s| (&s.aliases, &s.path, &s.lang)));
    for (aliases, target, lang) in redirects {
        for alias in aliases {
            let page = redirect_page(&urls.url(target), &urls.permalink(target), lang);
            files.push(text_file(&SitePath::new(alias.clone()).output_file(), page));
        }
    }
    for section in &site.sections {
        if let Some(target) = &section.redirect_to {
            let (url, canonical) = redirect_target(target, urls);
            let page = redirect_page(&url, &canonical, &section.lang);
            files.push(text_file(&section.path.output_file(), page));
        }
    }
    files
}

/// A section's `redirect_to` as the address readers go to and its permalink: a web
/// address as it is, a path inside the site under the base path.
pub(crate) fn redirect_target(target: &str, urls: &Urls) -> (String, String) {
    if target.contains("://") {
        return (target.to_string(), target.to_string());
    }
    let path = SitePath::new(target.trim_start_matches('/'));
    (urls.url(&path), urls.permalink(&path))
}

/// One `<url>` of the sitemap.
struct Entry<'a> {
    loc: String,
    changed: Option<chrono::NaiveDate>,
    alternates: Vec<(&'a str, String)>,
}

/// Every page, section and taxonomy page, sorted by URL, with its last change when
/// known and its translations as `xhtml:link` alternates. Stand-ins for missing
/// translations are left out: their content is the original's.
pub(crate) fn sitemap(site: &Site, urls: &Urls, taxonomies: &[Taxonomy]) -> String {
    let mut entries = content_entries(site, urls);
    entries.extend(taxonomy_entries(site, urls, taxonomies));
    entries.sort_by(|a, b| a.loc.cmp(&b.loc));
    entries.dedup_by(|a, b| a.loc == b.loc);
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for entry in entries {
        xml.push_str(&format!("  <url>\n    <loc>{}</loc>\n", escape(&entry.loc)));
        if let Some(day) = entry.changed {
            xml.push_str(&format!("    <lastmod>{day}</lastmod>\n"));
        }
        if entry.alternates.len() > 1 {
            for (lang, href) in &entry.alternates {
                xml.push_str(&format!(
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                    escape(lang),
                    escape(href)
                ));
            }
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// The articles (without stand-ins) and the sections that are pages of their own.
fn content_entries<'a>(site: &'a Site, urls: &Urls) -> Vec<Entry<'a>> {
    let real_versions = |key: &str| -> Vec<(&'a str, String)> {
        site.translations[key]
            .iter()
            .filter(|(_, &p)| site.pages[p].stand_in_for.is_none())
            .map(|(lang, &p)| (lang.as_str(), urls.permalink(&site.pages[p].path)))
            .collect()
    };
    let pages = site
        .pages
        .iter()
        .filter(|p| p.stand_in_for.is_none())
        .map(|p| Entry {
            loc: urls.permalink(&p.path),
            changed: p.updated.as_ref().or(p.date.as_ref()).map(|d| d.day()),
            alternates: real_versions(&p.translation_key),
        });
    // A section that redirects elsewhere is not a page of its own.
    let sections = site
        .sections
        .iter()
        .filter(|s| s.redirect_to.is_none())
        .map(|s| Entry {
            loc: urls.permalink(&s.path),
            changed: None,
            alternates: site.section_translations[&s.dir]
                .iter()
                .map(|(lang, &id)| (lang.as_str(), urls.permalink(&site.sections[id].path)))
                .collect(),
        });
    pages.chain(sections).collect()
}

/// Each taxonomy's index of terms and each term's page; a term's page changes when
/// one of its articles does.
fn taxonomy_entries<'a>(site: &Site, urls: &Urls, taxonomies: &[Taxonomy]) -> Vec<Entry<'a>> {
    let mut entries = Vec::new();
    for taxonomy in taxonomies {
        entries.push(Entry {
            loc: urls.permalink(&taxonomy.path),
            changed: None,
            alternates: Vec::new(),
        });
        entries.extend(taxonomy.terms.iter().map(|term| Entry {
            loc: urls.permalink(&term.path),
            changed: last_change(site, &term.pages),
            alternates: Vec::new(),
        }));
    }
    entries
}

/// The latest day on which one of the pages was written or updated.
fn last_change(site: &Site, pages: &[PageId]) -> Option<chrono::NaiveDate> {
    pages
        .iter()
        .filter_map(|&p| {
            site.pages[p]
                .updated
                .as_ref()
                .or(site.pages[p].date.as_ref())
        })
        .map(|d| d.day())
        .max()
}

pub(crate) fn robots(urls: &Urls) -> String {
    format!(
        "User-agent: *\nDisallow:\n\nSitemap: {}\n",
        urls.permalink(&SitePath::new("sitemap.xml"))
    )
}

/// A page that sends readers (and search engines) from an old URL to the new one.
/// Readers go to `target` on the same host (so a preview stays on the preview);
/// search engines get the `canonical` permalink.
pub(crate) fn redirect_page(target: &str, canonical: &str, lang: &str) -> String {
    let target = escape(target);
    let canonical = escape(canonical);
    let lang = escape(lang);
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>Moved</title>\n<meta name=\"robots\" content=\"noindex\">\n<link rel=\"canonical\" href=\"{canonical}\">\n<meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{target}\">{target}</a>.</p>\n</body>\n</html>\n"
    )
}
