//! Walking `content/`: which files are sections, articles and assets.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::config::is_language_code;
use crate::diag::{Diagnostic, Diagnostics};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SourceKind {
    /// `_index.md`: the front matter and intro of the folder it sits in.
    Section,
    /// `name.md`, or `name/index.md` when `bundle` is true.
    Page { bundle: bool },
    /// Any other file: copied to the output beside the pages.
    Asset,
}

/// A file found under `content/`.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub(crate) kind: SourceKind,
    /// Path inside `content/`, with `/` separators (`account/reset-password.en.md`).
    pub rel: String,
    /// Path shown to the writer, relative to the site root (`content/account/...`).
    pub(crate) display: PathBuf,
    pub(crate) abs: PathBuf,
    /// The language suffix, if the file name has one (`en` for `x.en.md`).
    pub(crate) lang: Option<String>,
}

impl SourceFile {
    /// Folder of this file inside `content/` ("" at the top).
    pub(crate) fn dir(&self) -> &str {
        self.rel.rsplit_once('/').map_or("", |(dir, _)| dir)
    }

    pub(crate) fn file_name(&self) -> &str {
        self.rel
            .rsplit_once('/')
            .map_or(&self.rel, |(_, name)| name)
    }

    /// File name without `.md` and without the language suffix.
    pub fn stem(&self) -> &str {
        let name = self.file_name();
        let name = name.strip_suffix(".md").unwrap_or(name);
        match &self.lang {
            Some(lang) => name
                .strip_suffix(lang.as_str())
                .and_then(|n| n.strip_suffix('.'))
                .unwrap_or(name),
            None => name,
        }
    }
}

/// Files found under `content/`, sorted by path, and what went wrong finding them.
pub fn discover(site_root: &Path, content_dir: &Path) -> (Vec<SourceFile>, Diagnostics) {
    let mut files = Vec::new();
    let mut diags = Diagnostics::new();
    if !content_dir.is_dir() {
        diags.push(
            Diagnostic::error(format!(
                "no content folder at {}",
                display_path(site_root, content_dir).display()
            ))
            .with_hint("run helpsite in a site folder, or create one with `helpsite init DIR`"),
        );
        return (files, diags);
    }
    let (entries, walk_diags) = walk_files(site_root, content_dir);
    diags.extend(walk_diags);
    for entry in entries {
        let abs = entry.path().to_path_buf();
        let display = display_path(site_root, &abs);
        let Some(rel) = relative_utf8(content_dir, &abs) else {
            diags.push(
                Diagnostic::error("file name is not valid UTF-8; rename the file")
                    .in_file(&display),
            );
            continue;
        };
        files.push(classify(rel, display, abs));
    }
    (files, diags)
}

/// The source `discover` would list for the file `abs` below `content_dir`, or `None`
/// when the walk would leave it out (an ignored or non-UTF-8 name, not a file).
pub(crate) fn source_file(site_root: &Path, content_dir: &Path, abs: &Path) -> Option<SourceFile> {
    let rel = abs.strip_prefix(content_dir).ok()?;
    let ignored = rel
        .components()
        .any(|c| is_ignored_name(&c.as_os_str().to_string_lossy()));
    if ignored || !abs.is_file() {
        return None;
    }
    let rel = relative_utf8(content_dir, abs)?;
    Some(classify(
        rel,
        display_path(site_root, abs),
        abs.to_path_buf(),
    ))
}

fn classify(rel: String, display: PathBuf, abs: PathBuf) -> SourceFile {
    let name = rel.rsplit_once('/').map_or(rel.as_str(), |(_, n)| n);
    let Some(base) = name.strip_suffix(".md") else {
        return SourceFile {
            kind: SourceKind::Asset,
            rel,
            display,
            abs,
            lang: None,
        };
    };
    let (stem, lang) = match base.rsplit_once('.') {
        Some((stem, suffix)) if is_language_code(suffix) && !stem.is_empty() => {
            (stem, Some(suffix.to_string()))
        }
        _ => (base, None),
    };
    let kind = match stem {
        "_index" => SourceKind::Section,
        "index" => SourceKind::Page { bundle: true },
        _ => SourceKind::Page { bundle: false },
    };
    SourceFile {
        kind,
        rel,
        display,
        abs,
        lang,
    }
}

/// Every file below `dir`, sorted by name, links followed, editors' temporary files
/// left out; what cannot be read (a link loop, a permission) becomes a diagnostic
/// instead of being skipped in silence. Shared by `content/` and the theme folders.
pub(crate) fn walk_files(
    site_root: &Path,
    dir: &Path,
) -> (Vec<walkdir::DirEntry>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    let files = walker
        .filter_map(|entry| {
            entry
                .map_err(|err| diags.push(walk_error(site_root, &err)))
                .ok()
        })
        .filter(|entry| entry.file_type().is_file())
        .collect();
    (files, diags)
}

fn walk_error(site_root: &Path, err: &walkdir::Error) -> Diagnostic {
    let path = err.path().map(|p| display_path(site_root, p));
    let mut diag = if let Some(ancestor) = err.loop_ancestor() {
        Diagnostic::error(format!(
            "symbolic link loop: this folder leads back to {}",
            display_path(site_root, ancestor).display()
        ))
        .with_hint("remove or fix the symbolic link")
    } else {
        let reason = err
            .io_error()
            .map_or_else(|| err.to_string(), ToString::to_string);
        Diagnostic::error(format!("cannot read this path: {reason}"))
    };
    if let Some(path) = path {
        diag = diag.in_file(path);
    }
    diag
}

fn relative_utf8(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

/// `path` as the writer can open it from where helpsite was started: without a
/// leading `./` when the site is the current folder, with the site folder otherwise.
pub(crate) fn display_path(site_root: &Path, path: &Path) -> PathBuf {
    let in_current_folder = site_root.as_os_str().is_empty() || site_root == Path::new(".");
    match path.strip_prefix(site_root) {
        Ok(rel) if in_current_folder => rel.to_path_buf(),
        _ => path.to_path_buf(),
    }
}

/// Hidden files and the temporary files editors write while saving are never content.
pub(crate) fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name.contains("___jb_")
        || name == "4913"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(rel: &str) -> SourceFile {
        classify(rel.into(), PathBuf::from(rel), PathBuf::from(rel))
    }

    #[test]
    fn language_suffix_is_recognised() {
        let f = file("account/reset-password.en.md");
        assert_eq!(f.lang.as_deref(), Some("en"));
        assert_eq!(f.stem(), "reset-password");
        assert_eq!(f.kind, SourceKind::Page { bundle: false });
        assert_eq!(f.dir(), "account");
    }

    #[test]
    fn dotted_names_that_are_not_languages_stay_whole() {
        let f = file("guide.v2.md");
        assert_eq!(f.lang, None);
        assert_eq!(f.stem(), "guide.v2");
    }

    #[test]
    fn sections_bundles_and_assets() {
        assert_eq!(file("a/_index.zh.md").kind, SourceKind::Section);
        assert_eq!(file("a/b/index.md").kind, SourceKind::Page { bundle: true });
        assert_eq!(file("a/b/pic.png").kind, SourceKind::Asset);
    }

    #[test]
    fn editor_temp_files_are_ignored() {
        for name in [
            ".x.md.swp",
            "x.md~",
            "#x.md#",
            "x.md___jb_tmp___",
            "4913",
            ".#x.md",
        ] {
            assert!(is_ignored_name(name), "{name}");
        }
        assert!(!is_ignored_name("x.md"));
    }
}
