//! Putting what an in-place edit rendered again among the last build's files
//! (`article_edit`): pages, generated files and the search index's shards.

use std::collections::HashSet;

use crate::diag::Diagnostics;
use crate::model::rendered::RenderedSite;
use crate::model::{PageId, Site};
use crate::output::files::{FileContent, OutputFile};
use crate::pipeline::cache::BuildCache;
use crate::pipeline::{BuildOutput, BuildStats};
use crate::theme::templates::Theme;

/// Static files that may take the place of a generated or rendered file (`merge_static`).
const REPLACEABLE: [&str; 3] = ["sitemap.xml", "robots.txt", "404.html"];

/// The paths content assets and static files take (`merge_static` puts them last).
pub(super) struct Claims<'a> {
    assets: HashSet<&'a str>,
    theme: &'a Theme,
}

impl<'a> Claims<'a> {
    pub(super) fn of(site: &'a Site, theme: &'a Theme) -> Self {
        let outputs = site.assets.iter().flat_map(|a| &a.outputs);
        Claims {
            assets: outputs.map(String::as_str).collect(),
            theme,
        }
    }

    /// Puts `file` in the sorted `files` in place of the one at its path, unless an
    /// asset or static file takes that path. `None` when a static file would clash
    /// with it (the full pipeline reports that).
    pub(super) fn put(&self, files: &mut Vec<OutputFile>, file: OutputFile) -> Option<()> {
        if self.assets.contains(file.path.as_str()) {
            return Some(());
        }
        if self.theme.static_files.contains_key(&file.path) {
            return REPLACEABLE.contains(&file.path.as_str()).then_some(());
        }
        match files.binary_search_by(|f| f.path.cmp(&file.path)) {
            Ok(at) => files[at] = file,
            // A new page (a new term's) in a folder a static file is named like.
            Err(_) if self.folder_is_static_file(&file.path) => return None,
            Err(at) => files.insert(at, file),
        }
        Some(())
    }

    fn folder_is_static_file(&self, path: &str) -> bool {
        let folders = path.match_indices('/').map(|(i, _)| &path[..i]);
        folders
            .into_iter()
            .any(|folder| self.theme.static_files.contains_key(folder))
    }
}

/// Updates the search index for the edited pages and puts its files in place of the
/// old ones (the set of shards may change). Returns what the stage said.
pub(super) fn refresh_search(
    r: &RenderedSite<'_>,
    cache: &mut BuildCache,
    edited: &[PageId],
    files: &mut Vec<OutputFile>,
) -> crate::search::SearchOutput {
    let mut search = cache.take_search();
    let mut output =
        crate::search::search_stage(r.site, r.config, r.pages, &mut search, Some(edited));
    cache.put_search(search);
    let folders: Vec<String> = r
        .site
        .languages
        .iter()
        .map(|lang| format!("{}data/", crate::search::page_path(r.config, lang).as_str()))
        .collect();
    let is_search_file = |path: &str| folders.iter().any(|dir| path.starts_with(dir.as_str()));
    // Usually the same files with new bytes in some: put those in place, no sort.
    let in_place: Option<Vec<usize>> = output
        .files
        .iter()
        .map(|new| files.binary_search_by(|f| f.path.cmp(&new.path)).ok())
        .collect();
    let old_count = files.iter().filter(|f| is_search_file(&f.path)).count();
    if let Some(at) = in_place.filter(|at| at.len() == old_count) {
        for (at, new) in at.into_iter().zip(output.files.drain(..)) {
            files[at] = new;
        }
        return output;
    }
    files.retain(|f| !is_search_file(&f.path));
    files.append(&mut output.files);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    output
}

/// The output of a build that patched the last one; `kept` becomes the state's copy
/// of its files for the next save, their bytes shared with the output's.
pub(super) fn patched_output(
    files: Vec<OutputFile>,
    diagnostics: Diagnostics,
    stats: BuildStats,
    kept: &mut Vec<OutputFile>,
) -> BuildOutput {
    *kept = files.iter().map(share).collect();
    BuildOutput {
        files,
        diagnostics,
        stats,
        pending: Vec::new(),
    }
}

/// The same file, with its bytes shared rather than copied.
fn share(file: &OutputFile) -> OutputFile {
    let content = match &file.content {
        FileContent::Bytes(bytes) => FileContent::Shared(bytes.as_slice().into()),
        other => other.clone(),
    };
    OutputFile {
        path: file.path.clone(),
        content,
    }
}
