//! Writing a build to disk: into a staging folder first, swapped in only when complete,
//! so a failed or interrupted build never damages the previous output.

pub mod files;
pub(crate) mod portable;
pub(crate) mod sink;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

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

/// A staging folder beside the output, filled file by file (from any thread) and
/// swapped in by `finish` only when complete. Dropped unfinished (an error in the
/// build, a failed write, a panic), it is removed, so the previous output stays.
pub(crate) struct Staging {
    staging: PathBuf,
    output: PathBuf,
    name: String,
    /// The first folder above the output that did not exist, made for it.
    made_parent: Option<PathBuf>,
    /// The first write that failed; the writes after it are skipped.
    failed: Mutex<Option<OutputError>>,
    failing: AtomicBool,
    finished: bool,
}

impl Staging {
    /// Makes an empty staging folder for `output`.
    pub(crate) fn begin(output: &Path) -> Result<Staging, OutputError> {
        let output = absolute(output);
        let parent = output.parent().unwrap_or(Path::new("/")).to_path_buf();
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let made_parent = parent.ancestors().take_while(|p| !p.exists()).last();
        let made_parent = made_parent.map(Path::to_path_buf);
        std::fs::create_dir_all(&parent).map_err(io_err(&parent))?;
        let staging = parent.join(format!(".{name}.helpsite-staging-{}", std::process::id()));
        if staging.exists() {
            remove_tree(&staging)?;
        }
        std::fs::create_dir(&staging).map_err(io_err(&staging))?;
        Ok(Staging {
            staging,
            output,
            name,
            made_parent,
            failed: Mutex::new(None),
            failing: AtomicBool::new(false),
            finished: false,
        })
    }

    /// Writes one file (making its folders); a failure is kept for `finish`.
    pub(crate) fn write(&self, file: &OutputFile) {
        if self.failing.load(Ordering::Relaxed) {
            return;
        }
        if let Err(err) = write_file(&self.staging, file) {
            self.failing.store(true, Ordering::Relaxed);
            let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
            failed.get_or_insert(err);
        }
    }

    /// Swaps the staging folder in for the output, unless a write failed.
    pub(crate) fn finish(mut self) -> Result<(), OutputError> {
        let failed = self.failed.get_mut().unwrap_or_else(|e| e.into_inner());
        if let Some(err) = failed.take() {
            return Err(err);
        }
        let marker = self.staging.join(MARKER_FILE);
        std::fs::write(&marker, MARKER_TEXT).map_err(io_err(&marker))?;
        swap_in(&self.staging, &self.output, &self.name)?;
        self.finished = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        if self.staging.exists() {
            let _ = remove_tree(&self.staging);
        }
        // Folders made only to hold the staging folder go too (when still empty).
        if let Some(top) = &self.made_parent {
            let parent = self.staging.parent().map(Path::to_path_buf);
            for dir in parent.iter().flat_map(|p| p.ancestors()) {
                let _ = std::fs::remove_dir(dir);
                if dir == top {
                    break;
                }
            }
        }
    }
}

/// Writes one file under `root`, making its folder when it is missing.
fn write_file(root: &Path, file: &OutputFile) -> Result<(), OutputError> {
    let path = root.join(&file.path);
    let bytes = match &file.content {
        FileContent::Bytes(bytes) => bytes.as_slice().into(),
        FileContent::Shared(bytes) => bytes[..].into(),
        FileContent::Copy(data) => data.read().map_err(io_err(&path))?,
        FileContent::Written => return Ok(()),
    };
    // A page has a folder of its own (`account/reset/index.html`), which the fresh
    // staging folder does not have yet: making it first spares a failed open for
    // each page. Other files mostly go into folders that exist: try first.
    if file.path.ends_with("/index.html") {
        if let Some(dir) = path.parent() {
            match std::fs::create_dir(dir) {
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
                }
                _ => {}
            }
        }
    }
    match std::fs::write(&path, &bytes) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(io_err(dir))?;
            }
            std::fs::write(&path, &bytes).map_err(io_err(&path))
        }
        other => other.map_err(io_err(&path)),
    }
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
