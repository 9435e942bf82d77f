//! The files of a built site, as the stages that make them hand them to `output`
//! (written to disk) or to `serve` (held in memory).

use std::path::PathBuf;
use std::sync::Arc;

/// Where a theme or site file comes from.
#[derive(Debug, Clone)]
pub enum FileData {
    /// Compiled into the binary (the default theme).
    Embedded(&'static [u8]),
    /// A file on disk, read when the site is written.
    Disk(PathBuf),
}

impl FileData {
    /// The bytes, borrowed when embedded.
    pub fn read(&self) -> std::io::Result<std::borrow::Cow<'static, [u8]>> {
        match self {
            FileData::Embedded(bytes) => Ok((*bytes).into()),
            FileData::Disk(path) => std::fs::read(path).map(Into::into),
        }
    }
}

/// What an output file holds.
#[derive(Debug, Clone)]
pub enum FileContent {
    /// Bytes produced by this build (a rendered page, an index shard).
    Bytes(Vec<u8>),
    /// Bytes also held by the build cache, so a rebuild does not copy them.
    Shared(Arc<[u8]>),
    /// A file copied as it is.
    Copy(FileData),
    /// Already in the output folder: a build that writes pages as they are
    /// rendered keeps only their paths (see `output::sink`).
    Written,
}

/// One file of the built site, at a `/`-separated path inside the output folder.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// `/`-separated, relative to the output folder (`account/reset/index.html`).
    pub path: String,
    /// What is written there.
    pub content: FileContent,
}
