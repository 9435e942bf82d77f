//! What a build keeps for the next one, so that `serve` redoes only what changed.
//!
//! Every cached result is keyed by everything it was made from, so a build that
//! uses the cache writes exactly what a clean build would:
//! - the list of sources, kept while the changes touch only files already known;
//! - each source's parse result, kept until the file appears in the changes;
//! - each body's rendered Markdown, keyed by file, line, language and text, kept
//!   while every `@/` link it names still resolves to the same URL;
//! - each rendered output file, kept while the hash of its template context (with the
//!   sources of the templates its template reaches) is the same;
//! - the theme, its strings and the compiled templates;
//! - the whole state of the last good build, for the saves `incremental` patches it
//!   for (articles edited, added or removed; templates).
//!
//! A change to templates or the theme (`Changes::Templates`) compiles the theme
//! again and renders the pages whose templates reach a changed file; a config
//! change empties the cache (`Changes::Everything`).

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use xxhash_rust::xxh3::Xxh3;

use crate::diag::Diagnostic;
use crate::markdown::Rendered;
use crate::model::parse::Parsed;
use crate::render::reuse::RenderedFile;
use crate::source::discover::{source_file, walk_files, SourceFile, SourceKind};
use crate::theme::i18n::Strings;
use crate::theme::templates::Theme;

/// What changed since the previous build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changes {
    /// Build everything again (first build; config changed).
    Everything,
    /// Templates, static files or the theme changed: the pages whose templates
    /// reach a changed file are rendered again, but the sources are as they were.
    Templates,
    /// Only these files or folders inside `content/` changed (absolute paths).
    Content(BTreeSet<PathBuf>),
}

impl Changes {
    fn touches(&self, path: &Path) -> bool {
        match self {
            Changes::Everything => true,
            Changes::Templates => false,
            Changes::Content(paths) => paths.iter().any(|p| path.starts_with(p)),
        }
    }
}

type ParseResult = Result<Parsed, Vec<Diagnostic>>;

/// Rendered Markdown and the `@/` links it resolved, with the URL each got.
#[derive(Clone)]
pub(crate) struct MarkdownEntry {
    pub(crate) resolved: Vec<(String, Option<String>)>,
    pub(crate) rendered: Arc<Rendered>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// The theme, its strings and the compiled templates: they depend only on the
/// config, templates and theme, so content changes reuse them.
pub(crate) struct CompiledTheme {
    pub(crate) theme: Theme,
    pub(crate) strings: Strings,
    pub(crate) tera: Option<tera::Tera>,
    pub(crate) diagnostics: Vec<Diagnostic>,
}

#[derive(Default)]
pub(crate) struct BuildCache {
    /// Set for a single build (`helpsite build`): nothing is kept for a next one,
    /// so the work of keeping it (hashing every page's context) is skipped.
    one_shot: bool,
    theme: Option<Arc<CompiledTheme>>,
    sources: Option<(Vec<SourceFile>, Vec<Diagnostic>)>,
    parsed: HashMap<PathBuf, ParseResult>,
    markdown: HashMap<u64, MarkdownEntry>,
    renders: HashMap<String, RenderedFile>,
    /// Each language's search index; it depends on the articles' text alone.
    search: crate::search::SearchCache,
    /// Set by a build that succeeded, cleared when the next one starts: the search
    /// indexes then hold exactly the articles the cached sources say.
    search_in_step: bool,
    /// For the next build only (`incremental::deferred`): the output files to render
    /// first; the other articles may keep their last render a moment longer.
    render_first: Option<std::collections::HashSet<String>>,
}

impl BuildCache {
    /// Forgets what the changes can have made stale.
    pub(crate) fn start(&mut self, changes: &Changes) {
        self.search_in_step = false;
        match changes {
            Changes::Everything => {
                *self = match self.one_shot {
                    true => BuildCache::one_shot(),
                    false => BuildCache::default(),
                }
            }
            // Parsed sources depend on neither; rendered Markdown only where it used
            // shortcode templates or callout labels. Rendered pages are kept: each is
            // keyed by the templates it reaches and the strings (`render::reuse`).
            Changes::Templates => {
                self.theme = None;
                self.markdown.retain(|_, entry| !entry.rendered.uses_theme);
            }
            Changes::Content(_) => {}
        }
    }

    /// The sources found last time, patched for the changed files: an edited file
    /// stays, a deleted one goes, a new one is put where the walk would find it, a
    /// new folder (below a known one) is walked, a deleted folder takes its files
    /// with it, and a path that neither exists nor was known (an editor's temporary
    /// file) is nothing. `None` (walk again) for anything else: a new file in a folder
    /// no known source is in, or a walk that had problems to report.
    pub(crate) fn known_sources(
        &self,
        changes: &Changes,
        (site_root, content_dir): (&Path, &Path),
    ) -> Option<(Vec<SourceFile>, Vec<Diagnostic>)> {
        let Changes::Content(paths) = changes else {
            return None;
        };
        let (sources, diags) = self.sources.as_ref()?;
        if !diags.is_empty() {
            return None;
        }
        if !sources.is_sorted_by(|a, b| a.abs <= b.abs) {
            return None;
        }
        let mut sources = sources.clone();
        let known_folder = |sources: &[SourceFile], folder: &Path| {
            folder == content_dir || !under(sources, folder).is_empty()
        };
        // A folder comes before the files in it, which its walk has put in already.
        for path in paths {
            let at = sources.binary_search_by(|s| s.abs.as_path().cmp(path));
            match (at, path.symlink_metadata()) {
                (Ok(_), Ok(meta)) if meta.is_file() => {}
                (Ok(at), Err(_)) => {
                    sources.remove(at);
                }
                // Gone: a deleted folder's files go with it; never a source and
                // nothing below it, it was a temporary file.
                (Err(_), Err(_)) => {
                    sources.drain(under(&sources, path));
                }
                (Err(at), Ok(meta)) if meta.is_file() => {
                    if !known_folder(&sources, path.parent()?) {
                        return None;
                    }
                    sources.insert(at, source_file(site_root, content_dir, path)?);
                }
                (Err(_), Ok(meta)) if meta.is_dir() => {
                    let parent = path.parent()?;
                    let new = under(&sources, path).is_empty();
                    if !new || !known_folder(&sources, parent) {
                        return None;
                    }
                    for file in new_folder(site_root, content_dir, path)? {
                        let at = sources.binary_search_by(|s| s.abs.cmp(&file.abs)).err()?;
                        sources.insert(at, file);
                    }
                }
                _ => return None,
            }
        }
        Some((sources, Vec::new()))
    }

    /// Whether `changes` edited only articles that existed before and exist still,
    /// none of them a section's `_index` file: the list of sources (so every page's
    /// number) is what it was.
    pub(crate) fn edits_known_articles_only(&self, changes: &Changes) -> bool {
        let (Changes::Content(paths), Some((sources, _))) = (changes, self.sources.as_ref()) else {
            return false;
        };
        paths.iter().all(|path| {
            let known = sources.binary_search_by(|s| s.abs.as_path().cmp(path));
            known.is_ok_and(|at| matches!(sources[at].kind, SourceKind::Page { .. }))
                && path.is_file()
        })
    }

    /// Whether the last build had `path` among its sources.
    /// The sources the last build found, when it found them without problems.
    pub(crate) fn found_sources(&self) -> Option<&[SourceFile]> {
        let (sources, diags) = self.sources.as_ref()?;
        diags.is_empty().then_some(sources.as_slice())
    }

    pub(crate) fn knows_source(&self, path: &Path) -> bool {
        let sources = self.sources.iter().flat_map(|(sources, _)| sources);
        sources.into_iter().any(|s| s.abs == path)
    }

    /// Keeps `sources`, found without problems, as the list the next build starts from.
    pub(crate) fn keep_found_sources(&mut self, sources: Vec<SourceFile>) {
        if self.keeps_state() {
            self.sources = Some((sources, Vec::new()));
        }
    }

    pub(crate) fn keep_sources(&mut self, sources: &[SourceFile], diags: &[Diagnostic]) {
        if self.keeps_state() {
            self.sources = Some((sources.to_vec(), diags.to_vec()));
        }
    }

    /// Parses the files that changed or are new; the others come from the cache.
    pub(crate) fn parse(
        &mut self,
        files: &[SourceFile],
        changes: &Changes,
        parse: impl Fn(&SourceFile) -> ParseResult + Sync,
    ) -> Vec<ParseResult> {
        use rayon::prelude::*;
        if !self.keeps_state() {
            return files.par_iter().map(&parse).collect();
        }
        let stale: Vec<&SourceFile> = files
            .iter()
            .filter(|f| changes.touches(&f.abs) || !self.parsed.contains_key(&f.abs))
            .collect();
        let fresh: Vec<(PathBuf, ParseResult)> = stale
            .par_iter()
            .map(|f| (f.abs.clone(), parse(f)))
            .collect();
        self.parsed.extend(fresh);
        let present: HashSet<&Path> = files.iter().map(|f| f.abs.as_path()).collect();
        self.parsed
            .retain(|path, _| present.contains(path.as_path()));
        files.iter().map(|f| self.parsed[&f.abs].clone()).collect()
    }

    /// A cache for one build that is not followed by another.
    pub(crate) fn one_shot() -> Self {
        BuildCache {
            one_shot: true,
            search: crate::search::SearchCache::one_shot(),
            ..BuildCache::default()
        }
    }

    /// Whether anything is kept for a next build.
    pub(crate) fn keeps_state(&self) -> bool {
        !self.one_shot
    }

    /// Takes the search indexes out, for a stage that runs beside the templates.
    pub(crate) fn take_search(&mut self) -> crate::search::SearchCache {
        std::mem::take(&mut self.search)
    }

    pub(crate) fn put_search(&mut self, search: crate::search::SearchCache) {
        self.search = search;
    }

    /// The pages whose search documents can differ from the cached indexes after
    /// `changes`, when that is only the articles the changes name (see
    /// `edits_known_articles_only`); `None` when every page must be compared. Call
    /// before `start`.
    pub(crate) fn search_edits(&self, changes: &Changes) -> Option<BTreeSet<PathBuf>> {
        let Changes::Content(paths) = changes else {
            return None;
        };
        (self.search_in_step && self.edits_known_articles_only(changes)).then(|| paths.clone())
    }

    /// Says that the build succeeded: its search indexes match its sources.
    pub(crate) fn finished(&mut self) {
        self.search_in_step = true;
    }

    pub(crate) fn parsed(&self, file: &Path) -> Option<&ParseResult> {
        self.parsed.get(file)
    }

    pub(crate) fn keep_parsed(&mut self, file: PathBuf, result: ParseResult) {
        self.parsed.insert(file, result);
    }

    /// Whether the compiled theme of the last build is still good.
    pub(crate) fn has_theme(&self) -> bool {
        self.theme.is_some()
    }

    pub(crate) fn theme(&mut self, compile: impl FnOnce() -> CompiledTheme) -> Arc<CompiledTheme> {
        self.theme
            .get_or_insert_with(|| Arc::new(compile()))
            .clone()
    }

    /// Puts a theme compiled after `start(&Changes::Templates)` forgot the last one.
    pub(crate) fn keep_theme(&mut self, compiled: Arc<CompiledTheme>) {
        self.theme = Some(compiled);
    }

    pub(crate) fn markdown(&self) -> &HashMap<u64, MarkdownEntry> {
        &self.markdown
    }

    pub(crate) fn keep_markdown(&mut self, entries: HashMap<u64, MarkdownEntry>) {
        if self.keeps_state() {
            self.markdown = entries;
        }
    }

    /// Lets the next build leave articles as last rendered, but those of `files`
    /// (they are listed as pending; `incremental` renders them after).
    pub(crate) fn render_first(&mut self, files: std::collections::HashSet<String>) {
        self.render_first = Some(files);
    }

    /// What `render_first` asked of this build.
    pub(crate) fn take_render_first(&mut self) -> Option<std::collections::HashSet<String>> {
        self.render_first.take()
    }

    pub(crate) fn renders(&self) -> &HashMap<String, RenderedFile> {
        &self.renders
    }

    pub(crate) fn keep_renders(&mut self, renders: HashMap<String, RenderedFile>) {
        self.renders = renders;
    }

    /// Keeps the renders of some pages beside the others', and forgets the pages in `gone`.
    pub(crate) fn update_renders(
        &mut self,
        renders: HashMap<String, RenderedFile>,
        gone: &[String],
    ) {
        for path in gone {
            self.renders.remove(path);
        }
        self.renders.extend(renders);
    }
}

/// The key of a body's rendered Markdown: where it is, what it says, and the
/// language it is shown in (a stand-in and a borrowed `_index.md` show the same body
/// in another language, with that language's callout labels).
pub(crate) fn markdown_key(file: &Path, first_line: usize, body: &str, lang: &str) -> u64 {
    let mut hasher = Xxh3::new();
    hasher.update(file.as_os_str().as_encoded_bytes());
    hasher.update(&first_line.to_le_bytes());
    hasher.update(lang.as_bytes());
    hasher.update(&[0]);
    hasher.update(body.as_bytes());
    hasher.digest()
}

/// Whether a cached rendering still holds: every link resolves as it did then.
pub(crate) fn links_unchanged(
    entry: &MarkdownEntry,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> bool {
    entry
        .resolved
        .iter()
        .all(|(target, url)| resolve(target) == *url)
}

/// Wraps a link resolver so that every lookup and its answer is recorded.
pub(crate) struct RecordingResolver<'a> {
    inner: &'a (dyn Fn(&str) -> Option<String> + Sync),
    pub(crate) seen: RefCell<Vec<(String, Option<String>)>>,
}

impl<'a> RecordingResolver<'a> {
    pub(crate) fn new(inner: &'a (dyn Fn(&str) -> Option<String> + Sync)) -> Self {
        RecordingResolver {
            inner,
            seen: RefCell::new(Vec::new()),
        }
    }

    pub(crate) fn resolve(&self, target: &str) -> Option<String> {
        let url = (self.inner)(target);
        self.seen
            .borrow_mut()
            .push((target.to_string(), url.clone()));
        url
    }
}

/// Where the sources at or below `path` are in the sorted `sources`: together, as
/// paths sort by their components.
pub(crate) fn under(sources: &[SourceFile], path: &Path) -> std::ops::Range<usize> {
    let start = sources.partition_point(|s| s.abs.as_path() < path);
    let below = sources[start..]
        .iter()
        .take_while(|s| s.abs.starts_with(path));
    start..start + below.count()
}

/// The sources in a folder that was not there before, as the walk of `content/`
/// would list them; `None` when the walk had a problem to report or a file's name
/// is not UTF-8 (the full walk says so).
fn new_folder(site_root: &Path, content_dir: &Path, folder: &Path) -> Option<Vec<SourceFile>> {
    let (entries, diags) = walk_files(site_root, folder);
    if !diags.is_empty() {
        return None;
    }
    let files = entries
        .iter()
        .map(|e| source_file(site_root, content_dir, e.path()));
    files.collect()
}
