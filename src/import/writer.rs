//! The only part of import that touches DEST: checks every planned path first, then
//! creates each file new, so nothing lands outside DEST or over an existing file.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::ImportError;
use crate::model::parse::is_safe_segment;

/// One file of the imported site: a `/`-separated path inside DEST and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PlannedFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// DEST must not exist, or be an empty folder.
pub(crate) fn check_dest(dest: &Path) -> Result<(), ImportError> {
    match std::fs::symlink_metadata(dest) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(ImportError::io(dest)(err)),
        Ok(meta) if !meta.is_dir() => Err(ImportError::Usage(format!(
            "{} exists and is not a folder; import writes a new site into an empty or new folder",
            dest.display()
        ))),
        Ok(_) => {
            let mut entries = std::fs::read_dir(dest).map_err(ImportError::io(dest))?;
            if entries.next().is_some() {
                Err(ImportError::Usage(format!(
                    "{} is not empty; import never overwrites anything, so give it a new or empty folder",
                    dest.display()
                )))
            } else {
                Ok(())
            }
        }
    }
}

/// Whether `path` names a file strictly inside its folder: relative, no `..`, no
/// separators or drive letters hidden in a segment.
pub(crate) fn is_safe_relative(path: &str) -> bool {
    !path.is_empty() && path.split('/').all(is_safe_segment)
}

/// Checks every path, then writes every file into `dest` (created if missing).
/// A path that is unsafe, planned twice or already present stops it before anything is written.
pub(crate) fn write_all(dest: &Path, files: &[PlannedFile]) -> Result<(), ImportError> {
    check_dest(dest)?;
    let mut seen = BTreeSet::new();
    for file in files {
        if !is_safe_relative(&file.path) {
            return Err(ImportError::Usage(format!(
                "refusing to write {:?}: not a path inside {}",
                file.path,
                dest.display()
            )));
        }
        if !seen.insert(file.path.as_str()) {
            return Err(ImportError::Usage(format!(
                "refusing to write {} twice",
                file.path
            )));
        }
    }
    std::fs::create_dir_all(dest).map_err(ImportError::io(dest))?;
    for file in files {
        write_new(&target(dest, &file.path), &file.bytes)?;
    }
    Ok(())
}

fn target(dest: &Path, path: &str) -> PathBuf {
    path.split('/').fold(dest.to_path_buf(), |p, s| p.join(s))
}

/// Creates `path` (and its folders) and fails if it is already there.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), ImportError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(ImportError::io(parent))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(ImportError::io(path))?;
    file.write_all(bytes).map_err(ImportError::io(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str) -> PlannedFile {
        PlannedFile {
            path: path.into(),
            bytes: b"x".to_vec(),
        }
    }

    #[test]
    fn unsafe_paths_are_refused_before_anything_is_written() {
        for bad in [
            "../x.md",
            "a/../../x",
            "/etc/x",
            "a//b",
            "c:/x",
            "a\\..\\b",
            "",
        ] {
            let dir = tempfile::tempdir().unwrap();
            let dest = dir.path().join("site");
            let err = write_all(&dest, &[file("ok.md"), file(bad)]).unwrap_err();
            assert!(err.to_string().contains("refusing"), "{bad:?}: {err}");
            assert!(!dest.exists(), "{bad:?} wrote something");
        }
    }

    #[test]
    fn a_folder_that_is_not_empty_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("keep.md"), "mine").unwrap();
        let err = write_all(dir.path(), &[file("keep.md")]).unwrap_err();
        assert!(err.is_usage());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("keep.md")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn the_same_path_twice_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("site");
        assert!(write_all(&dest, &[file("a.md"), file("a.md")]).is_err());
        assert!(!dest.exists());
    }
}
