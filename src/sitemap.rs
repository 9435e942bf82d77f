//! The files generated beside the pages: sitemap.xml, robots.txt, alias redirects.

use crate::build::{FileContent, OutputFile};
use crate::context::Urls;
use crate::html::escape;
use crate::model::{Site, SitePath};

/// sitemap.xml, robots.txt and one redirect page per alias.
pub fn generated_files(site: &Site, urls: &Urls) -> Vec<OutputFile> {
    let text_file = |path: &str, text: String| OutputFile {
        path: path.into(),
        content: FileContent::Bytes(text.into_bytes()),
    };
    let mut files = vec![
        text_file("sitemap.xml", sitemap(site, urls)),
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
    files
}

/// Every page and section, sorted by URL, with its last change when known.
pub fn sitemap(site: &Site, urls: &Urls) -> String {
    let mut entries: Vec<(String, Option<&str>)> = site
        .pages
        .iter()
        .map(|p| {
            let changed = p.updated.as_ref().or(p.date.as_ref()).map(|d| d.day());
            (urls.permalink(&p.path), changed)
        })
        .chain(
            site.sections
                .iter()
                .map(|s| (urls.permalink(&s.path), None)),
        )
        .collect();
    entries.sort();
    entries.dedup_by(|a, b| a.0 == b.0);
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (loc, changed) in entries {
        xml.push_str("  <url>\n    <loc>");
        xml.push_str(&escape(&loc));
        xml.push_str("</loc>\n");
        if let Some(day) = changed {
            xml.push_str(&format!("    <lastmod>{}</lastmod>\n", escape(day)));
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

pub fn robots(urls: &Urls) -> String {
    format!(
        "User-agent: *\nDisallow:\n\nSitemap: {}\n",
        urls.permalink(&SitePath::new("sitemap.xml"))
    )
}

/// A page that sends readers (and search engines) from an old URL to the new one.
/// Readers go to `target` on the same host (so a preview stays on the preview);
/// search engines get the `canonical` permalink.
pub fn redirect_page(target: &str, canonical: &str, lang: &str) -> String {
    let target = escape(target);
    let canonical = escape(canonical);
    let lang = escape(lang);
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>Moved</title>\n<meta name=\"robots\" content=\"noindex\">\n<link rel=\"canonical\" href=\"{canonical}\">\n<meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{target}\">{target}</a>.</p>\n</body>\n</html>\n"
    )
}
