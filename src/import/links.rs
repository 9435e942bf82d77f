//! Links in bodies: every page of the import indexed by source path, file name, slug and
//! old address; each Markdown link rewritten to an `@/` link, a copied file, or (when it
//! names nothing) its text alone, with a line in the report.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::convert::{map_lines, BodyCtx};

/// A link target written by a template-tag conversion (`{% link %}`, `{{< ref >}}`):
/// a source path or name, resolved like any other link.
pub(crate) const REF: &str = "import-ref:";

/// Stands for page `N`'s final `@/` path until bundles are known.
pub(crate) fn placeholder(id: usize) -> String {
    format!("@/\u{1}{id}\u{1}")
}

/// Replaces each placeholder by the path `path_of(id)`.
pub(crate) fn fill_placeholders(body: &str, path_of: impl Fn(usize) -> String) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some(start) = rest.find("@/\u{1}") {
        let after = &rest[start + 3..];
        let Some(end) = after.find('\u{1}') else {
            break;
        };
        out.push_str(&rest[..start]);
        match after[..end].parse::<usize>() {
            Ok(id) => out.push_str(&format!("@/{}", path_of(id))),
            Err(_) => out.push_str(&rest[start..start + 3 + end + 1]),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Every page that links may name.
#[derive(Debug, Default)]
pub(crate) struct LinkIndex {
    by_source: BTreeMap<String, usize>,
    by_name: BTreeMap<String, BTreeSet<usize>>,
    by_url: BTreeMap<String, usize>,
    headings: BTreeMap<usize, BTreeSet<String>>,
}

/// An old address or path as the index keys it: no slashes at the ends, no `.html`,
/// `index.html` or `.md` ending.
pub(crate) fn url_key(path: &str) -> String {
    let mut p = path.trim_matches('/');
    for end in [
        "/index.html",
        "index.html",
        ".html",
        "/index.md",
        "/_index.md",
        "/README.md",
        ".mdx",
        ".md",
        ".markdown",
        "/index",
    ] {
        if let Some(stripped) = p.strip_suffix(end) {
            p = stripped;
            break;
        }
    }
    p.trim_matches('/').to_string()
}

impl LinkIndex {
    /// Registers page `id`: its source path inside SOURCE, the names it goes by, its old addresses.
    pub(super) fn add(
        &mut self,
        id: usize,
        source: &str,
        names: &[String],
        urls: &[String],
        body: &str,
    ) {
        self.by_source.insert(url_key(source), id);
        for name in names {
            self.by_name.entry(name.clone()).or_default().insert(id);
        }
        for url in urls {
            self.by_url.entry(url_key(url)).or_insert(id);
        }
        self.headings.insert(id, heading_ids(body));
    }

    /// `#anchor` when page `id` has that heading, else nothing (a dead anchor would fail the build).
    pub(super) fn anchor(&self, id: usize, anchor: Option<&str>) -> String {
        match anchor {
            Some(a) if self.headings.get(&id).is_some_and(|h| h.contains(a)) => format!("#{a}"),
            _ => String::new(),
        }
    }

    /// The page at an old address; from a page in `lang`, `/LANG/x` of a page that was not
    /// translated is the default language's `x` (what the old site served there).
    fn at_url(&self, key: &str, lang: &str) -> Option<usize> {
        let untranslated = || {
            let rest = key.strip_prefix(lang)?;
            let rest = rest.strip_prefix('/').or(rest.is_empty().then_some(rest))?;
            self.by_url.get(rest).copied()
        };
        self.by_url
            .get(key)
            .copied()
            .or_else(|| untranslated().filter(|_| !lang.is_empty()))
    }

    fn by_name(&self, name: &str) -> Option<usize> {
        let ids = self.by_name.get(name)?;
        (ids.len() == 1)
            .then(|| ids.iter().next().copied())
            .flatten()
    }
}

/// Heading ids helpsite will give: `{#custom}` ids, else helpsite's own slug of the text.
fn heading_ids(body: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    map_lines(body, |_, line| {
        if let Some(text) = line.trim_start().strip_prefix('#') {
            let text = text.trim_start_matches('#').trim();
            match text.rsplit_once("{#") {
                Some((_, id)) => ids.insert(id.trim_end_matches('}').trim().to_string()),
                None => ids.insert(crate::markdown::heading_id(text)),
            };
        }
        String::new()
    });
    ids
}

/// Where a page is, for resolving its relative links.
pub(crate) struct Origin<'a> {
    /// SOURCE, canonical.
    pub root: &'a Path,
    /// Folder of the file inside SOURCE (`docs/billing`).
    pub dir: &'a str,
    /// For a translation, the same folder of the default language's content: a relative
    /// link to a page that was not translated leads there.
    pub fallback_dir: &'a str,
    /// The page's language when it is a translation, else empty.
    pub lang: &'a str,
    /// Its old address, keyed (`billing/refunds`).
    pub url: &'a str,
    /// Folders whose files are served from `/` (Hugo `static/`, Docusaurus `static/`).
    pub static_dirs: &'a [PathBuf],
    /// Address prefixes the old site served the pages under (`docs` for Docusaurus).
    pub url_prefixes: &'a [&'a str],
}

/// What a link target names.
#[derive(Debug, PartialEq)]
pub(crate) enum Resolved {
    Page(usize, Option<String>),
    File(PathBuf),
    Keep,
    Unresolved,
}

pub(crate) fn resolve(target: &str, origin: &Origin<'_>, index: &LinkIndex) -> Resolved {
    let target = target.trim();
    let lower = target.to_ascii_lowercase();
    if target.starts_with('#')
        || target.starts_with("@/\u{1}")
        || lower.starts_with("mailto:")
        || lower.starts_with("tel:")
        || (target.contains("://") && !target.starts_with(REF))
        || target.starts_with("//")
    {
        return Resolved::Keep;
    }
    let (path, anchor) = match target.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (target, None),
    };
    let path = path.split('?').next().unwrap_or("");
    let page = |id: usize| Resolved::Page(id, anchor.clone());
    if let Some(reference) = path.strip_prefix(REF).or_else(|| path.strip_prefix("@/")) {
        let key = url_key(reference);
        let name = key.rsplit('/').next().unwrap_or("").to_string();
        let found = index
            .by_source
            .get(&key)
            .copied()
            .or_else(|| by_file(index, origin, reference))
            .or_else(|| index.by_url.get(&key).copied())
            .or_else(|| index.by_name(&name));
        return found.map_or(Resolved::Unresolved, page);
    }
    if let Some(absolute) = path.strip_prefix('/') {
        let full = url_key(absolute);
        let mut key = full.clone();
        for prefix in origin.url_prefixes {
            if let Some(rest) = key
                .strip_prefix(prefix)
                .filter(|r| r.is_empty() || r.starts_with('/'))
            {
                key = rest.trim_start_matches('/').to_string();
            }
        }
        // Old addresses are indexed as they were served (`docs/sync`); source paths
        // without the prefix the site served them under (`sync`).
        let found = (index.at_url(&full, origin.lang))
            .or_else(|| index.at_url(&key, origin.lang))
            .or_else(|| index.by_source.get(&key).copied());
        if let Some(id) = found {
            return page(id);
        }
        return static_file(absolute, origin).map_or(Resolved::Unresolved, Resolved::File);
    }
    if path.is_empty() {
        return Resolved::Keep;
    }
    let by_file = by_file(index, origin, path);
    // An old address is a folder (`/billing/refunds/`) or a file (`/billing/refunds.html`).
    let parent = origin.url.rsplit_once('/').map_or("", |(d, _)| d);
    let by_url = [origin.url, parent]
        .iter()
        .find_map(|base| join(base, path).and_then(|p| index.at_url(&url_key(&p), origin.lang)));
    if let Some(id) = by_file.or(by_url) {
        return page(id);
    }
    let beside = [origin.dir, origin.fallback_dir]
        .iter()
        .find_map(|dir| join(dir, path).and_then(|p| inside(origin.root, &origin.root.join(p))));
    // Else a file served beside the old address (`../../assets/x.png` from
    // `/docs/page/`); as a browser does, `..` stops at the site's root.
    let served = || {
        [origin.url, parent]
            .iter()
            .find_map(|base| static_file(&join_clamped(base, path), origin))
    };
    beside
        .or_else(served)
        .map_or(Resolved::Unresolved, Resolved::File)
}

/// `base/path` as a browser resolves it below a site's root: `..` never climbs above it.
fn join_clamped(base: &str, path: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// The page a relative file path names, from the page's folder or else the default
/// language's same folder.
fn by_file(index: &LinkIndex, origin: &Origin<'_>, path: &str) -> Option<usize> {
    [origin.dir, origin.fallback_dir]
        .iter()
        .find_map(|dir| join(dir, path).and_then(|p| index.by_source.get(&url_key(&p)).copied()))
}

/// `dir/../x` -> `x`; `None` when the path climbs out of SOURCE.
fn join(dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// A file in one of the static folders.
fn static_file(path: &str, origin: &Origin<'_>) -> Option<PathBuf> {
    let rel = join("", path)?;
    let decoded = percent_encoding::percent_decode_str(&rel)
        .decode_utf8()
        .ok()?;
    origin
        .static_dirs
        .iter()
        .find_map(|dir| inside(origin.root, &dir.join(decoded.as_ref())))
}

/// `path` if it is a file that really lies inside `root` (links followed).
fn inside(root: &Path, path: &Path) -> Option<PathBuf> {
    let real = std::fs::canonicalize(path).ok()?;
    (real.starts_with(root) && real.is_file()).then_some(real)
}

/// One Markdown link found on a line.
pub(crate) struct Link<'a> {
    pub text: &'a str,
    pub dest: &'a str,
}

/// What becomes of a link: a new destination, or its text alone.
pub(crate) enum Rewrite {
    Dest(String),
    TextOnly,
}

/// Rewrites every `[text](dest)` and `![alt](dest)` of the body, and `[id]: dest` definitions.
pub(crate) fn rewrite_links(
    body: &str,
    ctx: &mut BodyCtx<'_>,
    mut f: impl FnMut(usize, &Link<'_>, &mut BodyCtx<'_>) -> Rewrite,
) -> String {
    map_lines(body, |i, line| {
        if let Some(def) = definition(line) {
            let link = Link {
                text: "",
                dest: def.1,
            };
            return match f(i, &link, ctx) {
                Rewrite::Dest(d) => format!("{} {d}", def.0),
                Rewrite::TextOnly => String::new(),
            };
        }
        rewrite_inline(line, &mut |link| f(i, link, ctx))
    })
}

/// `[id]: dest` -> (`[id]: `, dest).
fn definition(line: &str) -> Option<(&str, &str)> {
    let t = line.trim_start();
    if !t.starts_with('[') || t.starts_with("[^") {
        return None;
    }
    let prefix_end = line.find("]:")? + 2;
    let dest = line[prefix_end..].split_whitespace().next()?;
    Some((&line[..prefix_end], dest.trim_matches(['<', '>'])))
}

fn rewrite_inline(line: &str, f: &mut dyn FnMut(&Link<'_>) -> Rewrite) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(mid) = rest.find("](") {
        let Some(open) = matching_open(&rest[..mid]) else {
            out.push_str(&rest[..mid + 2]);
            rest = &rest[mid + 2..];
            continue;
        };
        let after = &rest[mid + 2..];
        let Some(close) = closing_paren(after) else {
            break;
        };
        let inner = after[..close].trim();
        let (dest, title) = match inner.split_once(char::is_whitespace) {
            Some((d, t)) => (d, format!(" {}", t.trim())),
            None => (inner, String::new()),
        };
        let image = open > 0 && rest.as_bytes()[open - 1] == b'!';
        let start = if image { open - 1 } else { open };
        let link = Link {
            text: &rest[open + 1..mid],
            dest: dest.trim_matches(['<', '>']),
        };
        out.push_str(&rest[..start]);
        match f(&link) {
            Rewrite::Dest(d) => out.push_str(&format!(
                "{}[{}]({d}{title})",
                if image { "!" } else { "" },
                link.text
            )),
            Rewrite::TextOnly => out.push_str(link.text),
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Index of the `[` that opens the text ending at the end of `before`.
fn matching_open(before: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (i, c) in before.char_indices().rev() {
        match c {
            ']' => depth += 1,
            '[' if depth == 0 => return Some(i),
            '[' => depth -= 1,
            _ => {}
        }
    }
    None
}

fn closing_paren(after: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (i, c) in after.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return Some(i),
            ')' => depth -= 1,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_keys() {
        assert_eq!(url_key("/billing/refunds.html"), "billing/refunds");
        assert_eq!(url_key("/billing/refunds/"), "billing/refunds");
        assert_eq!(url_key("docs/billing/index.md"), "docs/billing");
    }

    #[test]
    fn joins_cannot_climb_out() {
        assert_eq!(join("a/b", "../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(join("a", "../../etc/passwd"), None);
        assert_eq!(join_clamped("docs/page", "../../../img/x.png"), "img/x.png");
    }

    #[test]
    fn inline_links_are_rewritten() {
        let mut seen = Vec::new();
        let out = rewrite_inline(
            "See [the *fees*](fees.md \"Fees\") and ![a](img/x.png), [gone](nope.md).",
            &mut |l| {
                seen.push(l.dest.to_string());
                if l.dest == "nope.md" {
                    Rewrite::TextOnly
                } else {
                    Rewrite::Dest(format!("@/{}", l.dest))
                }
            },
        );
        assert_eq!(
            out,
            "See [the *fees*](@/fees.md \"Fees\") and ![a](@/img/x.png), gone."
        );
        assert_eq!(seen.len(), 3);
    }
}
