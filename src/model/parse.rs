//! One source file -> its validated front matter and Markdown body.

use std::path::Path;

use toml::Spanned;

use crate::contact::channel::{check_channel, Channel, Located};
use crate::diag::Diagnostic;
use crate::model::announcement::{self as announcements, Announcement};
use crate::source::discover::{SourceFile, SourceKind};
use crate::source::frontmatter::{self, date_at, Date, PageMeta, SectionMeta, SortBy, Split};

/// An article's source, checked.
#[derive(Debug, Clone)]
pub struct PageSource {
    pub(crate) file: SourceFile,
    /// What the model's page keeps of the front matter, as it is.
    pub(crate) front: PageFront,
    pub(crate) draft: bool,
    pub(crate) slug: Option<String>,
    /// The `[channel]` table of a contact page, checked.
    pub channel: Option<Channel>,
    pub(crate) body: std::sync::Arc<str>,
    pub(crate) body_line: usize,
    /// What the front matter holds that helpsite reads but does not use (Zola keys).
    pub(crate) warnings: Vec<Diagnostic>,
}

/// An article's front matter, checked, as its page in the model keeps it (a `Page`
/// reads through to it: `page.title`). The keys that only place the page (`slug`,
/// `draft`) or that the model names (`channel`) stay in the `PageSource`.
#[derive(Debug, Clone)]
pub(crate) struct PageFront {
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) date: Option<Date>,
    pub(crate) updated: Option<Date>,
    pub(crate) weight: Option<i64>,
    /// Search synonyms.
    pub(crate) keywords: Vec<String>,
    /// Shown first in the home page's lists (`promoted = true`).
    pub(crate) promoted: bool,
    /// Alias paths, normalised without a leading `/`.
    pub(crate) aliases: Vec<String>,
    pub(crate) template: Option<String>,
    /// The contact channels named by this article (`contact = [...]`).
    pub(crate) contact: Vec<Located<String>>,
    /// Set on the articles of the announcements section.
    pub(crate) announcement: Option<Announcement>,
    /// `faq` of the front matter (the section's applies when this is unset).
    pub(crate) faq: Option<bool>,
    /// The terms of each taxonomy the article is filed under (`tags` first).
    pub(crate) taxonomies: Vec<Terms>,
    pub(crate) extra: toml::Table,
}

/// The terms an article is filed under in one taxonomy, as written, with their places.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Terms {
    pub(crate) taxonomy: Located<String>,
    pub(crate) terms: Vec<Located<String>>,
}

/// A section's `_index.md`, checked.
#[derive(Debug, Clone)]
pub struct SectionSource {
    pub(crate) file: SourceFile,
    pub(crate) title: Option<String>,
    pub(crate) description: String,
    pub(crate) weight: Option<i64>,
    pub(crate) icon: String,
    pub(crate) sort_by: SortBy,
    pub(crate) draft: bool,
    pub(crate) template: Option<String>,
    pub(crate) page_template: Option<String>,
    pub(crate) aliases: Vec<String>,
    pub(crate) contact: Vec<Located<String>>,
    pub(crate) faq: Option<bool>,
    pub(crate) extra: toml::Table,
    /// Zola's `redirect_to`: where the section's address sends readers.
    pub(crate) redirect_to: Option<String>,
    pub(crate) body: std::sync::Arc<str>,
    pub(crate) body_line: usize,
    /// What the front matter holds that helpsite reads but does not use (Zola keys).
    pub(crate) warnings: Vec<Diagnostic>,
}

/// One source file read and checked: an article or contact page, or a section's `_index.md`.
#[derive(Debug, Clone)]
pub enum Parsed {
    /// An article or a contact page.
    Page(Box<PageSource>),
    /// A section (`_index.md`).
    Section(Box<SectionSource>),
}

impl Parsed {
    /// What was read but is not used (Zola keys), to report on every build.
    pub(crate) fn warnings(&self) -> &[Diagnostic] {
        match self {
            Parsed::Page(page) => &page.warnings,
            Parsed::Section(section) => &section.warnings,
        }
    }
}

/// Reads and checks one Markdown source; every problem found is returned.
pub fn parse_source(file: &SourceFile, max_bytes: u64) -> Result<Parsed, Vec<Diagnostic>> {
    let display = file.display.as_path();
    let bytes = read_limited(&file.abs, display, max_bytes).map_err(|d| vec![d])?;
    let text = frontmatter::read_text(bytes, display).map_err(|d| vec![d])?;
    let split = frontmatter::split(&text, display).map_err(|d| vec![d])?;
    match file.kind {
        SourceKind::Section => parse_section(file, &split).map(|s| Parsed::Section(Box::new(s))),
        _ => parse_page(file, &split).map(|p| Parsed::Page(Box::new(p))),
    }
}

/// What a build that keeps nothing holds of an article's body between parsing and
/// rendering it: its length and hash, not the text. Reading the file again is
/// cheap, and every body held at once was half a gigabyte at 100,000 articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BodyPrint {
    len: usize,
    hash: u64,
}

impl BodyPrint {
    fn of(body: &str) -> Self {
        BodyPrint {
            len: body.len(),
            hash: xxhash_rust::xxh3::xxh3_64(body.as_bytes()),
        }
    }
}

/// Leaves an article's body out of its parse, to be read again when rendered;
/// `None` for a section, whose body stays.
pub(crate) fn set_body_aside(parsed: &mut Parsed) -> Option<BodyPrint> {
    let Parsed::Page(page) = parsed else {
        return None;
    };
    let print = BodyPrint::of(&page.body);
    page.body = "".into();
    Some(print)
}

/// The body of an article read again from its file, when it is still the one
/// parsed (`print`); an error when the file changed during the build.
pub(crate) fn read_body_again(file: &SourceFile, print: BodyPrint) -> Result<String, Diagnostic> {
    let display = file.display.as_path();
    let bytes = read_limited(&file.abs, display, u64::MAX)?;
    let text = frontmatter::read_text(bytes, display)?;
    let split = frontmatter::split(&text, display)?;
    if BodyPrint::of(split.body) != print {
        return Err(
            Diagnostic::error("the file changed while the site was being built")
                .in_file(display)
                .with_hint("build the site again"),
        );
    }
    Ok(split.body.to_string())
}

fn read_limited(abs: &Path, display: &Path, max_bytes: u64) -> Result<Vec<u8>, Diagnostic> {
    use std::io::Read;
    let io_error = |e: std::io::Error| {
        Diagnostic::error(format!("cannot read this file: {e}")).in_file(display)
    };
    let too_large = |size: u64| {
        let mib = |bytes: u64| bytes as f64 / (1024.0 * 1024.0);
        Diagnostic::error(format!(
            "file is {:.1} MiB, over the limit of {:.1} MiB for one source file",
            mib(size),
            mib(max_bytes)
        ))
        .in_file(display)
        .with_hint("split the article into smaller ones, or raise `[limits] max_source_mib` in config.toml")
    };
    // The size from the open file, not the path: one lookup less per source, which
    // shows at 10,000 of them.
    let file = std::fs::File::open(abs).map_err(io_error)?;
    let size = file.metadata().map_err(io_error)?.len();
    if size > max_bytes {
        return Err(too_large(size));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // A byte past the limit tells a file that grew since it was measured.
    let limit = max_bytes.saturating_add(1);
    file.take(limit).read_to_end(&mut bytes).map_err(io_error)?;
    match bytes.len() as u64 > max_bytes {
        true => Err(too_large(bytes.len() as u64)),
        false => Ok(bytes),
    }
}

fn parse_page(file: &SourceFile, split: &Split<'_>) -> Result<PageSource, Vec<Diagnostic>> {
    let display = file.display.as_path();
    let meta: PageMeta = frontmatter::parse_meta(split, display).map_err(|d| vec![d])?;
    let mut problems = Vec::new();
    let title = match meta.title.clone() {
        Some(title) if !title.trim().is_empty() => title,
        _ => {
            problems.push(
                Diagnostic::error("article has no `title`")
                    .in_file(display)
                    .at(split.first_line(), 1)
                    .with_hint("add `title = \"...\"` to the front matter"),
            );
            String::new()
        }
    };
    let mut date_of = |value, key| {
        date_at(value, key, split, display).unwrap_or_else(|d| {
            problems.push(d);
            None
        })
    };
    let date = date_of(&meta.date, "date");
    let updated = date_of(&meta.updated, "updated");
    let slug = meta.slug.as_ref().and_then(|slug| {
        check_slug(slug, split, display)
            .map_err(|d| problems.push(d))
            .ok()
    });
    let aliases = check_aliases(&meta.aliases, split, display, &mut problems);
    let template = check_template(meta.template.as_ref(), split, display, &mut problems);
    let channel = meta.channel.as_ref().and_then(|channel| {
        check_channel(channel, split, display)
            .map_err(|found| problems.extend(found))
            .ok()
    });
    let taxonomies = check_taxonomies(&meta, split, display, &mut problems);
    let warnings = zola_key_warnings(&meta.unused_zola_keys(), split, display);
    let in_announcements = crate::model::page_section_dir(file) == announcements::SECTION_DIR;
    let announcement = announcements::check(&meta, in_announcements, split, display)
        .unwrap_or_else(|found| {
            problems.extend(found);
            None
        });
    if !problems.is_empty() {
        return Err(problems);
    }
    let front = PageFront {
        contact: located_names(&meta.contact, split),
        announcement,
        faq: meta.faq,
        title,
        description: meta.description,
        date,
        updated,
        weight: meta.weight,
        keywords: meta.keywords,
        promoted: meta.promoted,
        aliases,
        template,
        taxonomies,
        extra: meta.extra,
    };
    Ok(PageSource {
        file: file.clone(),
        front,
        draft: meta.draft,
        slug,
        channel,
        body: split.body.into(),
        body_line: split.body_line,
        warnings,
    })
}

fn parse_section(file: &SourceFile, split: &Split<'_>) -> Result<SectionSource, Vec<Diagnostic>> {
    let display = file.display.as_path();
    let meta: SectionMeta = frontmatter::parse_meta(split, display).map_err(|d| vec![d])?;
    let mut problems = Vec::new();
    let aliases = check_aliases(&meta.aliases, split, display, &mut problems);
    let template = check_template(meta.template.as_ref(), split, display, &mut problems);
    let page_template = check_template(meta.page_template.as_ref(), split, display, &mut problems);
    let redirect_to = meta.redirect_to.as_ref().and_then(|target| {
        check_redirect(target, split, display)
            .map_err(|d| problems.push(d))
            .ok()
    });
    let warnings = zola_key_warnings(&meta.unused_zola_keys(), split, display);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(SectionSource {
        contact: located_names(&meta.contact, split),
        faq: meta.faq,
        file: file.clone(),
        title: meta.title.filter(|t| !t.trim().is_empty()),
        description: meta.description,
        weight: meta.weight,
        icon: meta.icon,
        sort_by: meta.sort_by,
        draft: meta.draft,
        template,
        page_template,
        aliases,
        extra: meta.extra,
        redirect_to,
        body: split.body.into(),
        body_line: split.body_line,
        warnings,
    })
}

/// The taxonomies of an article: `[taxonomies]`, with the top-level `tags` joined to
/// its `tags`. An empty term is an error; the taxonomy names are checked against the
/// config when the site is assembled.
fn check_taxonomies(
    meta: &PageMeta,
    split: &Split<'_>,
    file: &Path,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Terms> {
    let mut all: Vec<Terms> = Vec::new();
    let top_tags = (!meta.tags.is_empty()).then_some((None, &meta.tags));
    let tables = meta
        .taxonomies
        .iter()
        .map(|(name, terms)| (Some(name), terms));
    for (name, terms) in top_tags.into_iter().chain(tables) {
        for term in terms.iter().filter(|t| t.get_ref().trim().is_empty()) {
            problems.push(error_at(
                term.span().start,
                split,
                file,
                "a taxonomy term cannot be empty".into(),
                "write the tag's name, e.g. `tags = [\"billing\"]`",
            ));
        }
        let taxonomy = match name {
            Some(name) => located_names(std::slice::from_ref(name), split).remove(0),
            None => {
                let start = meta.tags[0].span().start;
                let key_at = split.front_matter[..start].rfind("tags").unwrap_or(start);
                let (line, col) = split.locate(key_at);
                Located {
                    value: "tags".into(),
                    line,
                    col,
                }
            }
        };
        let terms: Vec<Located<String>> = located_names(terms, split)
            .into_iter()
            .filter(|t| !t.value.trim().is_empty())
            .map(|t| Located {
                value: t.value.trim().to_string(),
                ..t
            })
            .collect();
        match all.iter_mut().find(|t| t.taxonomy.value == taxonomy.value) {
            Some(known) => known.terms.extend(terms),
            None => all.push(Terms { taxonomy, terms }),
        }
    }
    all.sort_by_key(|t| t.taxonomy.value != "tags");
    all
}

/// A warning for each Zola key that helpsite reads but does not use, at the key.
fn zola_key_warnings(
    keys: &[(&'static str, &Spanned<toml::Value>)],
    split: &Split<'_>,
    file: &Path,
) -> Vec<Diagnostic> {
    keys.iter()
        .map(|(key, value)| {
            let start = value.span().start;
            let key_at = split.front_matter[..start].rfind(key).unwrap_or(start);
            let (line, col) = split.locate(key_at);
            Diagnostic::warning(format!(
                "`{key}` is a Zola key helpsite does not use: {}",
                frontmatter::instead_of_zola_key(key)
            ))
            .in_file(file)
            .at(line, col)
            .with_hint("remove it to silence this warning")
        })
        .collect()
}

/// A section's `redirect_to`: a web address, or a path inside the site.
fn check_redirect(
    target: &Spanned<String>,
    split: &Split<'_>,
    file: &Path,
) -> Result<String, Diagnostic> {
    let value = target.get_ref().trim();
    let web = value.starts_with("https://") || value.starts_with("http://");
    let path = value.trim_start_matches('/');
    let path_ok = !value.contains("://")
        && !value.starts_with("//")
        && !path.is_empty()
        && path.trim_end_matches('/').split('/').all(is_safe_segment);
    if (web && !value.contains(char::is_whitespace)) || path_ok {
        Ok(value.to_string())
    } else {
        Err(error_at(
            target.span().start,
            split,
            file,
            format!("`redirect_to` {value:?} is neither a web address nor a path inside the site"),
            "write a path such as \"guides/getting-started/\" or an address starting with https://",
        ))
    }
}

fn located_names(names: &[Spanned<String>], split: &Split<'_>) -> Vec<Located<String>> {
    names
        .iter()
        .map(|name| {
            let (line, col) = split.locate(name.span().start);
            Located {
                value: name.get_ref().clone(),
                line,
                col,
            }
        })
        .collect()
}

fn error_at(
    spanned_start: usize,
    split: &Split<'_>,
    file: &Path,
    message: String,
    hint: &str,
) -> Diagnostic {
    let (line, col) = split.locate(spanned_start);
    Diagnostic::error(message)
        .in_file(file)
        .at(line, col)
        .with_hint(hint)
}

fn check_slug(
    slug: &Spanned<String>,
    split: &Split<'_>,
    file: &Path,
) -> Result<String, Diagnostic> {
    let value = slug.get_ref();
    if is_safe_segment(value) {
        Ok(value.clone())
    } else {
        Err(error_at(
            slug.span().start,
            split,
            file,
            format!("`slug` {value:?} is not a single safe path segment"),
            "use letters, digits and hyphens, e.g. `slug = \"reset-password\"`",
        ))
    }
}

fn check_aliases(
    aliases: &[Spanned<String>],
    split: &Split<'_>,
    file: &Path,
    problems: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut out = Vec::new();
    for alias in aliases {
        let value = alias.get_ref();
        let trimmed = value.trim_start_matches('/');
        let segments_ok = !trimmed.is_empty()
            && trimmed
                .trim_end_matches('/')
                .split('/')
                .all(is_safe_segment);
        if segments_ok && !value.contains("://") {
            // An alias names a page: a folder unless it names an .html file.
            let is_file = trimmed.ends_with(".html") || trimmed.ends_with(".htm");
            if is_file || trimmed.ends_with('/') {
                out.push(trimmed.to_string());
            } else {
                out.push(format!("{trimmed}/"));
            }
        } else {
            problems.push(error_at(
                alias.span().start,
                split,
                file,
                format!("alias {value:?} is not a safe path inside the site"),
                "write an old URL path such as \"/old/reset-password/\"",
            ));
        }
    }
    out
}

fn check_template(
    template: Option<&Spanned<String>>,
    split: &Split<'_>,
    file: &Path,
    problems: &mut Vec<Diagnostic>,
) -> Option<String> {
    let template = template?;
    let value = template.get_ref();
    if value.split('/').all(is_safe_segment) {
        Some(value.clone())
    } else {
        problems.push(error_at(
            template.span().start,
            split,
            file,
            format!("template name {value:?} is not a file name inside templates/"),
            "write a name such as \"page.html\"",
        ));
        None
    }
}

/// One URL or file-name segment that cannot climb out of its folder or hide a separator.
pub(crate) fn is_safe_segment(segment: &str) -> bool {
    !segment.is_empty()
        && segment != "."
        && segment != ".."
        && segment.trim() == segment
        && !segment.contains(['/', '\\', '\0', '?', '#', ':'])
        && !segment.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_segments() {
        assert!(is_safe_segment("reset-password"));
        assert!(is_safe_segment("提现"));
        for bad in ["", "..", ".", "a/b", "a\\b", "a\0", " a", "c:"] {
            assert!(!is_safe_segment(bad), "{bad:?}");
        }
    }
}
