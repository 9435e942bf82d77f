//! The files of a built site, as the stages that make them hand them to `output`
//! (written to disk) or to `serve` (held in memory).

use std::path::PathBuf;
use std::sync::Arc;

/// Where a theme or site file comes from.
#[derive(Debug, Clone)]
pub enum FileData {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

impl FileData {
    pub fn read(&self) -> std::io::Result<std::borrow::Cow<'static, [u8]>> {
        match self {
            FileData::Embedded(bytes) => Ok((*bytes).into()),
            FileData::Disk(path) => std::fs::read(path).map(Into::into),
        }
    }
}

#[derive(Debug, Clone)]
pub enum FileContent {
    Bytes(Vec<u8>),
    /// Bytes also held by the build cache, so a rebuild does not copy them.
    Shared(Arc<[u8]>),
    Copy(FileData),
}

/// One file of the built site, at a `/`-separated path inside the output folder.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: String,
    pub content: FileContent,
}
