//! Writing a build to disk: into a staging folder first, swapped in only when complete,
//! so a failed or interrupted build never damages the previous output.

pub mod files;
pub(crate) mod portable;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::output::files::{FileContent, OutputFile};

/// The file that marks a folder as helpsite's own output, safe to replace.
pub(crate) const MARKER_FILE: &str = ".helpsite-output";
const MARKER_TEXT: &str =
    "This folder is written by `helpsite build` and replaced on every build.\n";

#[derive(Debug, thiserror::Error)]
pub(crate) enum OutputError {
    #[error("refusing to write the site to {path}: {reason}")]
    Refused { path: PathBuf, reason: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl OutputError {
    /// Refusals are usage errors (exit 2); I/O failures are not.
    pub(crate) fn is_refusal(&self) -> bool {
        matches!(self, OutputError::Refused { .. })
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Checks that `output` may be (re)placed by a build of the site at `site_root`.
///
/// Folders that hold the site's sources or the user's files are always refused;
/// a non-empty folder helpsite did not write is refused unless `force` is set.
pub(crate) fn check_target(
    output: &Path,
    site_root: &Path,
    force: bool,
) -> Result<(), OutputError> {
    let refuse = |reason: &str| {
        Err(OutputError::Refused {
            path: output.to_path_buf(),
            reason: reason.to_string(),
        })
    };
    let out = absolute(output);
    let root = absolute(site_root);
    if out.parent().is_none() {
        return refuse("it is the root of the file system");
    }
    if std::env::var_os("HOME").is_some_and(|home| absolute(Path::new(&home)) == out) {
        return refuse("it is your home folder");
    }
    if root.starts_with(&out) {
        return refuse("it holds the site itself");
    }
    for source_dir in ["content", "templates", "static", "themes"] {
        if out.starts_with(root.join(source_dir)) {
            return refuse(&format!("it is inside the site's {source_dir}/ folder"));
        }
    }
    if out.exists() {
        if !out.is_dir() {
            return refuse("it is a file, not a folder");
        }
        let empty = std::fs::read_dir(&out)
            .map_err(io_err(&out))?
            .next()
            .is_none();
        if !empty && !out.join(MARKER_FILE).is_file() && !force {
            return refuse("the folder is not empty and was not written by helpsite (use --force to replace it)");
        }
    }
    Ok(())
}

/// `path` made absolute and cleaned of `.` and `..` without touching the disk,
/// then with its existing part resolved through symbolic links.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut clean = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::ParentDir => {
                clean.pop();
            }
            std::path::Component::CurDir => {}
            other => clean.push(other),
        }
    }
    let mut existing = clean.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut resolved = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        resolved.push(name);
    }
    resolved
}

/// Writes `files` into a staging folder beside `output`, then swaps it in.
pub(crate) fn write_site(files: &[OutputFile], output: &Path) -> Result<(), OutputError> {
    let output = absolute(output);
    let parent = output.parent().unwrap_or(Path::new("/")).to_path_buf();
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    std::fs::create_dir_all(&parent).map_err(io_err(&parent))?;
    let staging = parent.join(format!(".{name}.helpsite-staging-{}", std::process::id()));
    if staging.exists() {
        remove_tree(&staging)?;
    }
    let result = write_tree(files, &staging).and_then(|()| swap_in(&staging, &output, &name));
    if result.is_err() && staging.exists() {
        let _ = remove_tree(&staging);
    }
    result
}

fn write_tree(files: &[OutputFile], root: &Path) -> Result<(), OutputError> {
    std::fs::create_dir_all(root).map_err(io_err(root))?;
    let dirs: BTreeSet<&str> = files
        .iter()
        .filter_map(|f| f.path.rsplit_once('/').map(|(dir, _)| dir))
        .collect();
    // Deepest folders only: create_dir_all makes their parents.
    let leaves: Vec<&str> = dirs
        .iter()
        .filter(|d| {
            dirs.range::<str, _>((std::ops::Bound::Excluded(**d), std::ops::Bound::Unbounded))
                .next()
                .is_none_or(|next| !next.starts_with(&format!("{d}/")))
        })
        .copied()
        .collect();
    leaves.par_iter().try_for_each(|dir| {
        let path = root.join(dir);
        std::fs::create_dir_all(&path).map_err(io_err(&path))
    })?;
    files.par_iter().try_for_each(|file| {
        let path = root.join(&file.path);
        match &file.content {
            FileContent::Bytes(bytes) => std::fs::write(&path, bytes).map_err(io_err(&path)),
            FileContent::Shared(bytes) => std::fs::write(&path, bytes).map_err(io_err(&path)),
            FileContent::Copy(data) => {
                let bytes = data.read().map_err(io_err(&path))?;
                std::fs::write(&path, bytes).map_err(io_err(&path))
            }
        }
    })?;
    let marker = root.join(MARKER_FILE);
    std::fs::write(&marker, MARKER_TEXT).map_err(io_err(&marker))
}

fn swap_in(staging: &Path, output: &Path, name: &str) -> Result<(), OutputError> {
    if !output.exists() {
        return std::fs::rename(staging, output).map_err(io_err(output));
    }
    let parent = output.parent().unwrap_or(Path::new("/"));
    let old = parent.join(format!(".{name}.helpsite-old-{}", std::process::id()));
    std::fs::rename(output, &old).map_err(io_err(output))?;
    if let Err(source) = std::fs::rename(staging, output) {
        let _ = std::fs::rename(&old, output);
        return Err(OutputError::Io {
            path: output.to_path_buf(),
            source,
        });
    }
    remove_tree(&old)
}

/// Removes a folder, its top-level entries in parallel.
fn remove_tree(path: &Path) -> Result<(), OutputError> {
    let entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(io_err(path))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.par_iter().try_for_each(|entry| {
        let result = if entry.is_dir() && !entry.is_symlink() {
            std::fs::remove_dir_all(entry)
        } else {
            std::fs::remove_file(entry)
        };
        result.map_err(io_err(entry))
    })?;
    std::fs::remove_dir(path).map_err(io_err(path))
}
