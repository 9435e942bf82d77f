//! Where the files of a build go as they are made: kept in memory (`serve`, the
//! library's `build`), written at once into a staging folder (`helpsite build`, so
//! that no more than the pages being rendered are held at a time), or dropped
//! (`helpsite check`, which writes nothing).

use std::sync::Mutex;

use crate::diag::Diagnostic;
use crate::output::files::{FileContent, OutputFile};
use crate::output::portable::Rewriter;
use crate::output::Staging;

/// What becomes of each file handed to a `Sink`.
pub(crate) enum SinkMode<'a> {
    /// Kept as it is; links are made relative over all files at the end
    /// (`portable::apply`).
    Memory,
    /// Written into the staging folder, then replaced by its path.
    Folder(&'a Staging),
    /// Replaced by its path: the build is only checked.
    Discard,
}

/// Takes the files of a build one at a time, from any thread.
pub(crate) struct Sink<'a> {
    mode: SinkMode<'a>,
    /// Makes links relative before a file is written, when the site asks for it.
    rewriter: Option<Rewriter>,
    /// Pages whose links could not be made relative.
    warnings: Mutex<Vec<Diagnostic>>,
}

impl<'a> Sink<'a> {
    /// Keeps every file in memory.
    pub(crate) fn memory() -> Self {
        Sink::new(SinkMode::Memory)
    }

    pub(crate) fn new(mode: SinkMode<'a>) -> Self {
        Sink {
            mode,
            rewriter: None,
            warnings: Mutex::new(Vec::new()),
        }
    }

    /// Whether files pass through (written or dropped) rather than being kept.
    pub(crate) fn streams(&self) -> bool {
        !matches!(self.mode, SinkMode::Memory)
    }

    /// Makes links relative on the way, with the paths of every file of the site
    /// (which must all be known before the first file is handed over).
    pub(crate) fn set_rewriter(&mut self, rewriter: Rewriter) {
        self.rewriter = Some(rewriter);
    }

    /// Hands one file over; gives back what the build keeps of it: the file itself
    /// in memory, else its path alone (`FileContent::Written`).
    pub(crate) fn put(&self, file: OutputFile) -> OutputFile {
        if matches!(file.content, FileContent::Written) {
            return file;
        }
        let file = match (&self.mode, &self.rewriter) {
            (SinkMode::Memory, _) => return file,
            (_, Some(rewriter)) => {
                let (file, warning) = rewriter.rewrite_file(file);
                if let Some(warning) = warning {
                    self.lock_warnings().push(warning);
                }
                file
            }
            _ => file,
        };
        if let SinkMode::Folder(staging) = &self.mode {
            staging.write(&file);
        }
        OutputFile {
            path: file.path,
            content: FileContent::Written,
        }
    }

    /// The warnings of the files handed over so far.
    pub(crate) fn take_warnings(&self) -> Vec<Diagnostic> {
        std::mem::take(&mut *self.lock_warnings())
    }

    fn lock_warnings(&self) -> std::sync::MutexGuard<'_, Vec<Diagnostic>> {
        self.warnings.lock().unwrap_or_else(|e| e.into_inner())
    }
}
