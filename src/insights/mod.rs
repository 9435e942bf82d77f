//! Takes: files of insights events (JSON lines from the site's collector, `-` for stdin).
//! Gives: a report per language (failed searches, deflection, least helpful articles) as text, HTML or JSON.
//!
//! The events are read as a stream and only their counts are kept, so the memory used
//! grows with the number of different queries and articles, not with the events.

pub(crate) mod html;
pub(crate) mod json;
pub(crate) mod read;
pub(crate) mod summary;
pub(crate) mod text;

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

pub(crate) use read::Problems;
pub(crate) use summary::Report;

/// Rows in each list of the report unless `--top` says otherwise.
pub(crate) const DEFAULT_TOP: usize = 20;

/// A file that could not be read; the report is not made.
#[derive(Debug, thiserror::Error)]
pub(crate) enum InsightsError {
    #[error("cannot open {}: {source}", .path.display())]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read {}: {source}", .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Where events come from: a file, or standard input for `-`.
fn open(path: &Path) -> Result<Box<dyn Read>, InsightsError> {
    if path == Path::new("-") {
        return Ok(Box::new(std::io::stdin()));
    }
    match File::open(path) {
        Ok(file) if file.metadata().is_ok_and(|m| m.is_dir()) => Err(InsightsError::Open {
            path: path.to_path_buf(),
            source: std::io::Error::other("it is a folder"),
        }),
        Ok(file) => Ok(Box::new(file)),
        Err(source) => Err(InsightsError::Open {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// Reads every file in turn and summarises the events. Every file is opened first, so
/// a missing one fails at once; malformed lines never fail, they are in the report.
pub(crate) fn summarise(paths: &[PathBuf], top: usize) -> Result<Report, Vec<InsightsError>> {
    let (readers, errors): (Vec<_>, Vec<_>) = paths
        .iter()
        .map(|path| open(path).map(|reader| (path, reader)))
        .partition(Result::is_ok);
    if !errors.is_empty() {
        return Err(errors.into_iter().filter_map(Result::err).collect());
    }
    let mut summary = summary::Summary::default();
    let mut problems = Problems::default();
    for (path, reader) in readers.into_iter().filter_map(Result::ok) {
        let name = if path == Path::new("-") {
            "<stdin>".to_string()
        } else {
            path.display().to_string()
        };
        let reader = BufReader::with_capacity(256 * 1024, reader);
        read::read_events(&name, reader, &mut problems, |event| summary.add(event)).map_err(
            |source| {
                vec![InsightsError::Read {
                    path: path.clone(),
                    source,
                }]
            },
        )?;
    }
    Ok(summary.report(top, problems))
}
