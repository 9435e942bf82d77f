//! How a Markdown site is laid out (a `Profile` each kind's file fills), where each page
//! stood in it, and reading its files: what the readers of every Markdown kind share.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::convert::BodyCtx;
use super::front_matter::Front;
use super::place::{slug, strip_order_prefix};
use super::{ImportError, MAX_FILE_BYTES};

/// How one kind of Markdown site is laid out and written.
pub(crate) struct Profile {
    /// SOURCE, canonical.
    pub root: PathBuf,
    /// The folder holding the articles (in the default language).
    pub content: PathBuf,
    /// Folders that each hold the articles in one other language, laid out as `content`
    /// (Docusaurus `i18n/LANG/...`, Starlight `src/content/docs/LANG/`).
    pub translations: Vec<LangDir>,
    /// Names of the languages (`fr` -> `Français`), where the source gives them.
    pub language_names: BTreeMap<String, String>,
    /// (settings file, remark) for the report: what of the settings could not be followed.
    pub notes: Vec<(String, String)>,
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub default_lang: String,
    pub static_dirs: Vec<PathBuf>,
    /// File names (without `.md`) that hold a folder's own title and text.
    pub section_files: &'static [&'static str],
    /// `folder/index.md` is an article with its files (Hugo, Zola).
    pub page_bundles: bool,
    /// `name.LANG.md` is a translation (Hugo, Zola).
    pub lang_suffix: bool,
    pub skip_dirs: &'static [&'static str],
    pub url_prefixes: &'static [&'static str],
    /// The old address of a page from its folders (as in SOURCE), its name and front matter.
    pub old_url: fn(&[String], &str, &Front) -> String,
    /// The kind's template tags and block syntax -> helpsite Markdown.
    pub convert: fn(&str, &mut BodyCtx<'_>) -> String,
}

/// One language other than the default and the folder that mirrors the docs in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LangDir {
    /// The helpsite language code (`fr`, `pt-br`).
    pub lang: String,
    pub dir: PathBuf,
    /// The language's name as the source calls it (`Français`), if it says.
    pub label: Option<String>,
}

/// Folders and a name: where a page is in its language's content folder, or in the new site.
pub(crate) type PageKey = (Vec<String>, String);

/// Where a page or section stood in SOURCE, which its links and links to it are read against.
#[derive(Debug, Clone)]
pub(crate) struct OldPlace {
    /// Its address on the old site (a translation's under `/LANG/`).
    pub old_url: String,
    pub url_key: String,
    /// Its folder inside SOURCE, and the default language's same folder.
    pub dir: String,
    pub fallback_dir: String,
    /// Folders and name in its language's content folder: the same for a page and its translations.
    pub key: PageKey,
    pub body_line: usize,
    /// Its language when it is a translation.
    pub lang: Option<String>,
}

/// Folder names as safe slugs, without ordering prefixes. A first folder named `_name`
/// is a Jekyll collection: `_posts` becomes `posts`, others go.
pub(crate) fn new_dirs(dirs: &[String]) -> Vec<String> {
    let skip = dirs
        .first()
        .is_some_and(|d| d.starts_with('_') && d != "_posts");
    let mut out: Vec<String> = dirs
        .iter()
        .skip(usize::from(skip))
        .map(|d| slug(strip_order_prefix(d.trim_start_matches('_')).1))
        .collect();
    if let Some(first) = out.first_mut() {
        *first = super::place::top_folder(std::mem::take(first));
    }
    out
}

/// A source file as text: at most `MAX_FILE_BYTES`, UTF-8, `\n` line ends; errors name the file (and line).
pub(crate) fn read_source_text(path: &Path, shown: &Path) -> Result<String, ImportError> {
    let size = std::fs::metadata(path)
        .map_err(ImportError::io(shown))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(ImportError::at(shown, None, format!("file is {size} bytes, over import's limit of {MAX_FILE_BYTES} bytes for one source file")));
    }
    let bytes = std::fs::read(path).map_err(ImportError::io(shown))?;
    crate::source::frontmatter::read_text(bytes, shown)
        .map_err(|d| ImportError::at(shown, d.line, d.message))
}
