//! Takes another tool's help center (a Markdown folder of Jekyll, Hugo, Docusaurus, Starlight,
//! MkDocs or Zola, or a Zendesk Guide JSON export); gives a helpsite site written into DEST and a report.
//!
//! Reading and converting plan every file first (`plan`); only `writer` touches DEST, and
//! only once the whole plan is known, so a bad input writes nothing.

mod categories;
mod convert;
pub(crate) mod detect;
mod docusaurus;
mod front_matter;
mod hugo;
mod jekyll;
mod links;
mod locales;
mod markdown_site;
mod mkdocs;
mod place;
mod profile;
mod relink;
pub(crate) mod report;
mod settings;
mod site;
mod starlight;
pub(crate) mod writer;
mod zendesk;
mod zendesk_html;
mod zola;

use std::path::{Path, PathBuf};

pub(crate) use detect::Kind;
pub(crate) use report::Report;
pub(crate) use writer::PlannedFile;

/// The largest source file import reads (a help article is far smaller).
pub(crate) const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// What went wrong, with the file (and line) it concerns.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ImportError {
    /// A problem with the arguments: DEST not empty, an unknown source kind.
    #[error("{0}")]
    Usage(String),
    /// A source file that cannot be read as its kind says.
    #[error("{}{}{}: {message}", file.display(), line.map(|l| format!(":{l}")).unwrap_or_default(), col.map(|c| format!(":{c}")).unwrap_or_default())]
    Source {
        file: PathBuf,
        line: Option<usize>,
        /// Given only with a line.
        col: Option<usize>,
        message: String,
    },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl ImportError {
    pub(crate) fn at(file: &Path, line: Option<usize>, message: impl Into<String>) -> Self {
        ImportError::Source {
            file: file.to_path_buf(),
            line,
            col: None,
            message: message.into(),
        }
    }

    /// An error at a line and column (1-based) of `file`.
    pub(crate) fn at_col(file: &Path, line: usize, col: usize, message: impl Into<String>) -> Self {
        ImportError::Source {
            file: file.to_path_buf(),
            line: Some(line),
            col: Some(col),
            message: message.into(),
        }
    }

    pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ImportError {
        let path = path.to_path_buf();
        move |source| ImportError::Io { path, source }
    }

    /// Usage errors exit with 2, the others with 1.
    pub(crate) fn is_usage(&self) -> bool {
        matches!(self, ImportError::Usage(_))
    }
}

/// The files to write and what the report says about them.
#[derive(Debug)]
pub(crate) struct Plan {
    pub files: Vec<PlannedFile>,
    pub report: Report,
}

/// Reads SOURCE as `from` (or as detected) and plans the site, writing nothing.
pub(crate) fn plan(source: &Path, from: Option<Kind>) -> Result<Plan, ImportError> {
    let (kind, how) = match from {
        Some(kind) => (kind, "as asked with --from".to_string()),
        None => detect::detect(source)?,
    };
    let mut report = Report::new(kind, how);
    let site = match kind {
        Kind::Zendesk => zendesk::read(source, &mut report)?,
        _ => markdown_site::read(&profile(kind, source)?, &mut report)?,
    };
    let files = site.into_files(&mut report);
    Ok(Plan { files, report })
}

/// `helpsite import`: plans the site, then (unless `dry_run`) writes it into `dest`,
/// which must not exist or be empty. Returns the report.
pub(crate) fn import(
    source: &Path,
    dest: &Path,
    from: Option<Kind>,
    dry_run: bool,
) -> Result<Report, ImportError> {
    writer::check_dest(dest)?;
    let plan = plan(source, from)?;
    if !dry_run {
        writer::write_all(dest, &plan.files)?;
    }
    Ok(plan.report)
}

/// How a Markdown folder of `kind` is read (each kind's file says).
pub(crate) fn profile(kind: Kind, source: &Path) -> Result<profile::Profile, ImportError> {
    let root = std::fs::canonicalize(source).map_err(ImportError::io(source))?;
    match kind {
        Kind::Jekyll => jekyll::profile(root),
        Kind::Hugo => hugo::profile(root),
        Kind::Docusaurus => docusaurus::profile(root),
        Kind::Starlight => starlight::profile(root),
        Kind::Mkdocs => mkdocs::profile(root),
        Kind::Zola => zola::profile(root),
        Kind::Zendesk => Err(ImportError::Usage(
            "a Zendesk export is not a Markdown folder".into(),
        )),
    }
}
