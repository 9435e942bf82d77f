//! Images: the file an `![alt](src)` names must exist, and its `<img>` gets the
//! picture's `width` and `height` (read from the file's header with `imagesize`, or
//! from an SVG's root element), `loading="lazy"` and `decoding="async"`, so the page
//! does not jump while pictures arrive.
//!
//! A relative `src` is looked for next to the article (`frozen-account/index.md` and
//! its `review-steps.svg`: a page bundle); one starting with `/` in the site's
//! `static/`, then in `content/`. Addresses with a scheme (`https:`, `data:`) are
//! not checked.

use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;

/// What `src` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Found {
    /// An address outside the site: not checked, not sized.
    External,
    /// No file at any of these places (shown relative to the site).
    Missing(Vec<PathBuf>),
    /// A file, with its size when it is a picture whose size could be read.
    File(Option<(u32, u32)>),
}

/// Finds the files images name (a trait so that tests and the fuzzer need no disk).
pub(crate) trait ImageFiles: Sync {
    /// `page` is the article's file as diagnostics show it.
    fn find(&self, page: &Path, src: &str) -> Found;
}

/// Images in a site folder on disk.
pub(crate) struct SiteImages {
    pub root: PathBuf,
}

impl ImageFiles for SiteImages {
    fn find(&self, page: &Path, src: &str) -> Found {
        let Some(path) = local_path(src) else {
            return Found::External;
        };
        let candidates: Vec<PathBuf> = match path.strip_prefix('/') {
            Some(rooted) => vec![
                Path::new("static").join(rooted),
                Path::new("content").join(rooted),
            ],
            None => {
                let page = page.strip_prefix(&self.root).unwrap_or(page);
                vec![page.parent().unwrap_or(Path::new("")).join(&path)]
            }
        };
        for candidate in &candidates {
            let full = self.root.join(candidate);
            if full.is_file() {
                return Found::File(size_of(&full));
            }
        }
        Found::Missing(candidates)
    }
}

/// The file path `src` names, percent-decoded; `None` for an address with a scheme.
fn local_path(src: &str) -> Option<String> {
    let src = src.trim();
    let before_colon = src.split(':').next().unwrap_or("");
    let has_scheme = src.contains(':')
        && !before_colon.is_empty()
        && !before_colon.contains('/')
        && before_colon
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if src.is_empty() || has_scheme || src.starts_with("//") || src.starts_with('#') {
        return None;
    }
    let path = src.split(['?', '#']).next().unwrap_or("");
    Some(percent_decode_str(path).decode_utf8_lossy().into_owned())
}

/// The size of a picture: from its header, or an SVG's `width`/`height` or `viewBox`.
pub(crate) fn size_of(path: &Path) -> Option<(u32, u32)> {
    let is_svg = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    if is_svg {
        let text = std::fs::read_to_string(path).ok()?;
        return svg_size(&text);
    }
    let size = imagesize::size(path).ok()?;
    Some((
        u32::try_from(size.width).ok()?,
        u32::try_from(size.height).ok()?,
    ))
}

/// `width` and `height` of the `<svg>` element in pixels (or plain numbers), else the
/// last two numbers of its `viewBox`.
pub(crate) fn svg_size(text: &str) -> Option<(u32, u32)> {
    let start = text.find("<svg")?;
    let end = start + text[start..].find('>')?;
    let tag = &text[start..end];
    let number = |name: &str| -> Option<f64> {
        let value = attribute(tag, name)?;
        value.trim().trim_end_matches("px").parse().ok()
    };
    let (w, h) = match (number("width"), number("height")) {
        (Some(w), Some(h)) => (w, h),
        _ => {
            let view_box = attribute(tag, "viewBox")?;
            let numbers: Vec<f64> = view_box
                .split([' ', ','])
                .filter(|s| !s.is_empty())
                .map(str::parse)
                .collect::<Result<_, _>>()
                .ok()?;
            match numbers[..] {
                [_, _, w, h] => (w, h),
                _ => return None,
            }
        }
    };
    let whole = |v: f64| (v.is_finite() && v > 0.0 && v < 100_000.0).then(|| v.round() as u32);
    Some((whole(w)?, whole(h)?))
}

/// The value of `name="..."` (or single quotes) in a start tag.
fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let mut from = 0;
    while let Some(found) = tag[from..].find(name) {
        let at = from + found;
        from = at + name.len();
        let before_ok = tag[..at].ends_with(|c: char| c.is_whitespace());
        let rest = tag[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=').filter(|_| before_ok) else {
            continue;
        };
        let rest = rest.trim_start();
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let value = &rest[1..];
        return value.find(quote).map(|end| &value[..end]);
    }
    None
}

/// The attributes added to an `<img>`: its size when known, lazy loading.
pub(crate) fn extra_attributes(size: Option<(u32, u32)>) -> String {
    match size {
        Some((w, h)) => {
            format!(" width=\"{w}\" height=\"{h}\" loading=\"lazy\" decoding=\"async\"")
        }
        None => " loading=\"lazy\" decoding=\"async\"".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_sizes_come_from_width_and_height_or_the_view_box() {
        let a = r#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="240" height="150px">"#;
        assert_eq!(svg_size(a), Some((240, 150)));
        let b = r#"<svg stroke-width="2" viewBox="0 0 640 360.4">"#;
        assert_eq!(svg_size(b), Some((640, 360)));
        assert_eq!(svg_size(r#"<svg width="100%" height="100%">"#), None);
    }

    #[test]
    fn only_local_paths_are_looked_for() {
        assert_eq!(
            local_path("shot%20one.png?v=2").as_deref(),
            Some("shot one.png")
        );
        assert_eq!(local_path("/img/a.png").as_deref(), Some("/img/a.png"));
        assert_eq!(local_path("https://cdn.example/a.png"), None);
        assert_eq!(local_path("data:image/png;base64,xx"), None);
        assert_eq!(local_path("//cdn.example/a.png"), None);
    }
}
