//! `helpsite init`: a small starter help center.

use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

#[derive(Debug, thiserror::Error)]
pub(crate) enum InitError {
    #[error("refusing to create a site in {0}: the folder is not empty (use --force to add the starter files; existing files are kept)")]
    NotEmpty(PathBuf),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

static STARTER: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/starter");

/// Writes the starter site into `dir` and returns the files written.
///
/// A folder that is not empty is refused unless `force` is set; even then,
/// existing files are never overwritten.
pub(crate) fn init(dir: &Path, force: bool) -> Result<Vec<PathBuf>, InitError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| InitError::Io { path, source }
    };
    if dir.exists() {
        let non_empty = std::fs::read_dir(dir).map_err(io(dir))?.next().is_some();
        if non_empty && !force {
            return Err(InitError::NotEmpty(dir.to_path_buf()));
        }
    }
    let mut written = Vec::new();
    let mut stack = vec![&STARTER];
    while let Some(current) = stack.pop() {
        stack.extend(current.dirs());
        for file in current.files() {
            let target = dir.join(file.path());
            if target.exists() {
                continue;
            }
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(io(parent))?;
            }
            std::fs::write(&target, file.contents()).map_err(io(&target))?;
            written.push(target);
        }
    }
    written.sort();
    Ok(written)
}
