//! Portable output (`relative_links = true`, `build --relative`): every link inside the
//! site is written relative to its page, so the built folder also works when opened
//! from disk (`file://`), copied to a USB stick, or served under any path.
//!
//! A last pass over the built HTML files, with a streaming HTML rewriter. The attributes
//! that hold addresses (`href`, `src`, `srcset`, `action`, `formaction`, `poster`, and
//! the target of `<meta http-equiv="refresh">`) are rewritten when they lead to a file
//! of the built site, whether they are written from the top of the site (`/help/x/`), as
//! an absolute address under `base_url`, or already relative. A folder's address gets
//! `index.html`, because a folder on disk does not open its index; the query and the
//! fragment stay. Anything else is left exactly as it was: other sites, `mailto:`,
//! `tel:`, `#anchor`, an address on the site's host that is no file of the site (a form
//! backend, say).
//!
//! Addresses meant for search engines stay absolute: `<link rel="canonical">` and the
//! language versions (`<link rel="alternate" hreflang>`); `<meta>` content such as
//! `og:url` is not touched, nor are `sitemap.xml` and the Atom feeds, which are not HTML. `404.html` keeps its addresses too: a web server shows it in
//! place of any missing address, at any depth, where only addresses from the top of
//! the site work.
//!
//! Scripts that make links from data holding addresses from the top of the site (the
//! announcements banner) find the way from the page to the top in two attributes added
//! to `<html>`: `data-helpsite-root` (e.g. `../../`) and `data-helpsite-base` (the path
//! of `base_url`, e.g. `/help/`).

use std::borrow::Cow;
use std::collections::HashSet;

use lol_html::html_content::Element;
use lol_html::{element, HandlerResult, HtmlRewriter, Settings};
use percent_encoding::percent_decode_str;
use rayon::prelude::*;
use url::Url;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::output::files::{FileContent, OutputFile};

/// `files` with the links of every HTML page made relative, when the site asks for it;
/// `files` unchanged otherwise. A page that cannot be rewritten is kept as it was,
/// with a warning.
pub(crate) fn apply(
    files: Vec<OutputFile>,
    config: &Config,
    diags: &mut Diagnostics,
) -> Vec<OutputFile> {
    if !config.relative_links {
        return files;
    }
    let site = Rewriter::new(config, files.iter().map(|f| f.path.clone()));
    let results: Vec<(OutputFile, Option<Diagnostic>)> = files
        .into_par_iter()
        .map(|file| site.rewrite_file(file))
        .collect();
    let mut files = Vec::with_capacity(results.len());
    for (file, warning) in results {
        diags.extend(warning);
        files.push(file);
    }
    files
}

/// Makes the links of one file at a time relative, knowing every path of the site
/// beforehand: `apply` for a build held in memory, the streaming writer for one
/// written as it is rendered.
pub(crate) struct Rewriter(SiteFiles);

impl Rewriter {
    /// A rewriter for the site of `config` whose files are at `paths`.
    pub(crate) fn new(config: &Config, paths: impl IntoIterator<Item = String>) -> Self {
        Rewriter(SiteFiles {
            root: config.base_url.root().clone(),
            files: paths.into_iter().collect(),
        })
    }

    /// `file` with its links made relative when it is an HTML page; a page that
    /// cannot be rewritten stays as it was, with a warning.
    pub(crate) fn rewrite_file(&self, file: OutputFile) -> (OutputFile, Option<Diagnostic>) {
        if !is_page(&file.path) {
            return (file, None);
        }
        let bytes = match &file.content {
            FileContent::Bytes(bytes) => Cow::Borrowed(bytes.as_slice()),
            FileContent::Shared(bytes) => Cow::Borrowed(&bytes[..]),
            // Unreadable: writing the site reports it.
            FileContent::Copy(data) => match data.read() {
                Ok(bytes) => bytes,
                Err(_) => return (file, None),
            },
            // Already rewritten on its way to the folder.
            FileContent::Written => return (file, None),
        };
        match self.0.rewrite(&file.path, &bytes) {
            Ok(Some(rewritten)) => (
                OutputFile {
                    path: file.path,
                    content: FileContent::Bytes(rewritten),
                },
                None,
            ),
            Ok(None) => (file, None),
            Err(message) => {
                let warning = Diagnostic::warning(format!(
                    "the links of /{} could not be made relative: {message}",
                    file.path
                ))
                .with_hint("the page keeps its links from the top of the site; check its HTML");
                (file, Some(warning))
            }
        }
    }
}

/// An HTML page whose links are rewritten (not a `404.html`, see the module comment).
fn is_page(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    (name.ends_with(".html") || name.ends_with(".htm")) && name != "404.html"
}

/// The site's root address and every file of the output, by `/`-separated path.
struct SiteFiles {
    root: Url,
    files: HashSet<String>,
}

impl SiteFiles {
    /// The page at `path` with its links made relative; `None` when nothing changed.
    fn rewrite(&self, path: &str, html: &[u8]) -> Result<Option<Vec<u8>>, String> {
        let mut page = self.root.clone();
        page.path_segments_mut()
            .map_err(|()| "the site's address has no path".to_string())?
            .pop_if_empty()
            .extend(path.split('/'));
        let page = Page {
            site: self,
            url: page,
            depth: path.matches('/').count(),
        };
        let changed = std::cell::Cell::new(false);
        let mut output = Vec::with_capacity(html.len() + html.len() / 16);
        let link_attrs = ["href", "src", "action", "formaction", "poster"];
        let mut handlers = Vec::new();
        for attr in link_attrs {
            let (page, changed) = (&page, &changed);
            handlers.push(element!(format!("[{attr}]"), move |el: &mut Element| {
                if attr == "href" && keeps_absolute_href(el) {
                    return Ok(());
                }
                page.rewrite_attr(el, attr, changed, |value| page.link(value))
            }));
        }
        handlers.push(element!("[srcset]", |el: &mut Element| {
            page.rewrite_attr(el, "srcset", &changed, |value| page.srcset(value))
        }));
        handlers.push(element!("meta[http-equiv][content]", |el: &mut Element| {
            let refresh = el
                .get_attribute("http-equiv")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("refresh"));
            if !refresh {
                return Ok(());
            }
            page.rewrite_attr(el, "content", &changed, |value| page.refresh(value))
        }));
        handlers.push(element!("html", |el: &mut Element| {
            el.set_attribute("data-helpsite-root", &page.to_root())?;
            el.set_attribute("data-helpsite-base", page.site.root.path())?;
            changed.set(true);
            Ok(())
        }));
        // A page the rewriter cannot parse without doubt is still rewritten, as
        // browsers would most likely read it, rather than failing the build.
        let settings = handlers
            .into_iter()
            .fold(Settings::new().with_strict(false), |settings, handler| {
                settings.append_element_content_handler(handler)
            });
        let mut rewriter = HtmlRewriter::new(settings, |chunk: &[u8]| {
            output.extend_from_slice(chunk);
        });
        rewriter.write(html).map_err(|e| e.to_string())?;
        rewriter.end().map_err(|e| e.to_string())?;
        Ok(changed.get().then_some(output))
    }
}

/// `<link rel="canonical">`, `<link rel="alternate" hreflang>` (the page in other
/// languages) and `<base>`: addresses for search engines, left as they are.
fn keeps_absolute_href(el: &Element) -> bool {
    let has_rel = |name: &str| {
        el.get_attribute("rel").is_some_and(|rel| {
            rel.split_ascii_whitespace()
                .any(|token| token.eq_ignore_ascii_case(name))
        })
    };
    match el.tag_name().as_str() {
        "base" => true,
        "link" => has_rel("canonical") || (has_rel("alternate") && el.has_attribute("hreflang")),
        _ => false,
    }
}

/// One page being rewritten.
struct Page<'a> {
    site: &'a SiteFiles,
    /// Its address, as if published at `base_url`.
    url: Url,
    /// How many folders below the top of the site it is.
    depth: usize,
}

impl Page<'_> {
    /// Rewrites the attribute `name` with `rewrite` (which sees and gives the value
    /// with entities decoded); notes in `changed` when it did.
    fn rewrite_attr(
        &self,
        el: &mut Element,
        name: &str,
        changed: &std::cell::Cell<bool>,
        rewrite: impl Fn(&str) -> Option<String>,
    ) -> HandlerResult {
        let Some(raw) = el.get_attribute(name) else {
            return Ok(());
        };
        let value = html_escape::decode_html_entities(&raw);
        if let Some(new) = rewrite(&value).filter(|new| *new != value) {
            el.set_attribute(name, &html_escape::encode_double_quoted_attribute(&new))?;
            changed.set(true);
        }
        Ok(())
    }

    /// `../../` from this page to the top of the site; `./` at the top.
    fn to_root(&self) -> String {
        if self.depth == 0 {
            "./".to_string()
        } else {
            "../".repeat(self.depth)
        }
    }

    /// `value` as a relative link to a file of the site, when it leads to one.
    fn link(&self, value: &str) -> Option<String> {
        let value = value.trim_matches(|c: char| c.is_ascii_whitespace());
        // Same page, or only another query: nothing to find on disk.
        if value.is_empty() || value.starts_with(['#', '?']) {
            return None;
        }
        let mut target = self.url.join(value).ok()?;
        let root = &self.site.root;
        if target.origin() != root.origin() {
            return None;
        }
        let inside = target.path().strip_prefix(root.path())?;
        let decoded = percent_decode_str(inside).decode_utf8().ok()?;
        let file = if decoded.is_empty() || decoded.ends_with('/') {
            format!("{decoded}index.html")
        } else if self.site.files.contains(decoded.as_ref()) {
            decoded.to_string()
        } else {
            format!("{decoded}/index.html")
        };
        if !self.site.files.contains(&file) {
            return None;
        }
        if file.len() > decoded.len() {
            let suffix = &file[decoded.len()..];
            target.set_path(&format!("{}{suffix}", target.path()));
        }
        let relative = self.url.make_relative(&target)?;
        // The page itself: name it, so that a link to it is never empty.
        if relative.is_empty() || relative.starts_with(['#', '?']) {
            let name = self.url.path_segments()?.next_back()?;
            return Some(format!("{name}{relative}"));
        }
        Some(relative)
    }

    /// A `srcset` with each candidate's address rewritten, descriptors kept.
    fn srcset(&self, value: &str) -> Option<String> {
        let candidates = split_srcset(value);
        if candidates.is_empty() {
            return None;
        }
        let rewritten: Vec<String> = candidates
            .iter()
            .map(|(url, descriptor)| {
                let url = self.link(url).unwrap_or_else(|| url.to_string());
                if descriptor.is_empty() {
                    url
                } else {
                    format!("{url} {descriptor}")
                }
            })
            .collect();
        Some(rewritten.join(", "))
    }

    /// A refresh's `content` (`0; url=/help/new/`) with its address rewritten.
    fn refresh(&self, value: &str) -> Option<String> {
        let (start, end) = refresh_target(value)?;
        let new = self.link(&value[start..end])?;
        Some(format!("{}{new}{}", &value[..start], &value[end..]))
    }
}

/// The candidates of a `srcset`: each address with its descriptor (`2x`, `480w`), if any.
/// Addresses may hold commas; a candidate ends at whitespace after its address, or at a
/// comma that ends the address.
fn split_srcset(value: &str) -> Vec<(&str, &str)> {
    let mut candidates = Vec::new();
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == ',');
        if rest.is_empty() {
            return candidates;
        }
        let url_end = rest
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let url = &rest[..url_end];
        if let Some(url) = url.strip_suffix(',') {
            candidates.push((url.trim_end_matches(','), ""));
            rest = &rest[url_end..];
            continue;
        }
        let after = &rest[url_end..];
        let descriptor_end = after.find(',').unwrap_or(after.len());
        candidates.push((url, after[..descriptor_end].trim()));
        rest = &after[descriptor_end..];
    }
}

/// Where the address in a refresh's `content` starts and ends (`0; url='x'` -> `x`).
fn refresh_target(content: &str) -> Option<(usize, usize)> {
    let after_delay = content.find([';', ','])? + 1;
    let mut start = after_delay + leading_space(&content[after_delay..]);
    let rest = &content[start..];
    if rest.len() >= 3 && rest[..3].eq_ignore_ascii_case("url") {
        let after_name = &rest[3..];
        let spaces = leading_space(after_name);
        if after_name[spaces..].starts_with('=') {
            start += 3 + spaces + 1;
            start += leading_space(&content[start..]);
        }
    }
    let mut end = content.len();
    if let Some(quote) = content[start..]
        .chars()
        .next()
        .filter(|c| *c == '"' || *c == '\'')
    {
        start += 1;
        end = content[start..].find(quote).map_or(end, |i| start + i);
    }
    let end = start + content[start..end].trim_end().len();
    (start < end).then_some((start, end))
}

fn leading_space(text: &str) -> usize {
    text.len()
        - text
            .trim_start_matches(|c: char| c.is_ascii_whitespace())
            .len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn config(base_url: &str) -> Config {
        let text = format!("base_url = \"{base_url}\"\ntitle = \"x\"\nrelative_links = true\n");
        Config::parse(&text, Path::new("config.toml")).unwrap()
    }

    fn site(base_url: &str, files: &[&str]) -> SiteFiles {
        let paths = files.iter().map(|path| path.to_string());
        Rewriter::new(&config(base_url), paths).0
    }

    fn rewrite(site: &SiteFiles, path: &str, html: &str) -> String {
        match site.rewrite(path, html.as_bytes()).unwrap() {
            Some(bytes) => String::from_utf8(bytes).unwrap(),
            None => html.to_string(),
        }
    }

    const FILES: &[&str] = &[
        "index.html",
        "style.css",
        "guides/index.html",
        "guides/withdraw/index.html",
        "guides/withdraw/photo.png",
        "guides/withdraw/photo 2x.png",
        "提现/index.html",
        "search/index.html",
    ];

    #[test]
    fn links_from_the_top_become_relative_with_index_html() {
        let site = site("https://example.com/help/", FILES);
        let out = rewrite(
            &site,
            "guides/withdraw/index.html",
            r#"<a href="/help/">home</a><a href="/help/guides/?x=1#top">g</a><link rel="stylesheet" href="/help/style.css?h=1"><a href="https://example.com/help/%E6%8F%90%E7%8E%B0/">zh</a><a href="/help/guides/withdraw/#steps">self</a>"#,
        );
        assert!(out.contains(r#"href="../../index.html""#), "{out}");
        assert!(out.contains(r#"href="../index.html?x=1#top""#), "{out}");
        assert!(out.contains(r#"href="../../style.css?h=1""#), "{out}");
        assert!(
            out.contains(r#"href="../../%E6%8F%90%E7%8E%B0/index.html""#),
            "{out}"
        );
        assert!(out.contains(r##"href="index.html#steps""##), "{out}");
    }

    #[test]
    fn outside_links_stay() {
        let site = site("https://example.com/help/", FILES);
        let html = r##"<a href="https://other.example.com/help/">o</a><a href="mailto:a@example.com">m</a><a href="tel:+1555">t</a><a href="#x">x</a><a href="/elsewhere/">e</a><form action="/help/feedback"></form><a href="/help/missing/">gone</a><link rel="canonical" href="https://example.com/help/guides/"><link rel="alternate" hreflang="en" href="https://example.com/help/guides/"><meta property="og:url" content="https://example.com/help/guides/">"##;
        assert_eq!(rewrite(&site, "guides/index.html", html), html);
    }

    #[test]
    fn relative_folders_get_index_html_and_others_stay_byte_for_byte() {
        let site = site("/help/", FILES);
        let out = rewrite(
            &site,
            "guides/index.html",
            "<html lang=\"en\"><p class=x>Text &amp; more</p><form action=\"../search/\"></form><img src=withdraw/photo.png alt=''></html>",
        );
        assert_eq!(
            out,
            "<html lang=\"en\" data-helpsite-root=\"../\" data-helpsite-base=\"/help/\"><p class=x>Text &amp; more</p><form action=\"../search/index.html\"></form><img src=withdraw/photo.png alt=''></html>"
        );
    }

    #[test]
    fn srcset_refresh_and_entities() {
        let site = site("https://example.com/help/", FILES);
        let out = rewrite(
            &site,
            "index.html",
            r#"<img srcset="/help/guides/withdraw/photo.png 1x, /help/guides/withdraw/photo%202x.png 2x"><meta http-equiv="refresh" content="0; url=/help/guides/"><a href="/help/search/?q=a&amp;lang=en">s</a>"#,
        );
        assert!(
            out.contains(
                r#"srcset="guides/withdraw/photo.png 1x, guides/withdraw/photo%202x.png 2x""#
            ),
            "{out}"
        );
        assert!(
            out.contains(r#"content="0; url=guides/index.html""#),
            "{out}"
        );
        assert!(
            out.contains(r#"href="search/index.html?q=a&amp;lang=en""#),
            "{out}"
        );
        assert!(out.contains(r#"data-helpsite-root="./""#) || !out.contains("<html"));
    }

    #[test]
    fn already_relative_pages_are_left_alone() {
        let site = site("https://example.com/help/", FILES);
        let once = rewrite(
            &site,
            "guides/withdraw/index.html",
            r#"<a href="/help/guides/">g</a>"#,
        );
        let twice = rewrite(&site, "guides/withdraw/index.html", &once);
        assert_eq!(once, twice);
    }

    #[test]
    fn srcset_candidates() {
        assert_eq!(
            split_srcset(" a.png 1x,b, c.png 2x , d.png"),
            vec![("a.png", "1x"), ("b", ""), ("c.png", "2x"), ("d.png", "")]
        );
        assert_eq!(split_srcset("a.png,"), vec![("a.png", "")]);
        // A comma inside an address belongs to it.
        assert_eq!(split_srcset("a,b.png 2x"), vec![("a,b.png", "2x")]);
    }

    #[test]
    fn refresh_targets() {
        fn at(c: &str) -> Option<&str> {
            refresh_target(c).map(|(s, e)| &c[s..e])
        }
        assert_eq!(at("0; url=/x/"), Some("/x/"));
        assert_eq!(at("5;URL = '/x/' "), Some("/x/"));
        assert_eq!(at("0, /x/"), Some("/x/"));
        assert_eq!(at("0"), None);
    }

    #[test]
    fn not_found_pages_keep_their_links() {
        assert!(!is_page("404.html"));
        assert!(!is_page("en/404.html"));
        assert!(is_page("en/index.html"));
        assert!(!is_page("style.css"));
    }
}
