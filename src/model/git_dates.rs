//! Last-updated dates from git (`[dates] from_git = true`).
//!
//! One `git log` over the whole content folder gives every file's last commit:
//! the log runs newest first, so a file's first appearance is its latest change.
//! Running git once per file would cost a process per article.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::diag::Diagnostic;
use crate::model::Site;
use crate::source::frontmatter::Date;

/// Marks the line that carries a commit's date in the log output.
const DATE_MARK: char = '\u{1}';

/// Content-relative path (`account/x.md`) -> date of its last commit.
pub(crate) fn last_commit_dates(content_dir: &Path) -> Result<BTreeMap<String, Date>, String> {
    let output = Command::new("git")
        .current_dir(content_dir)
        .args([
            "-c",
            "core.quotepath=off",
            "log",
            "--format=%x01%cI",
            "--name-only",
            "--relative",
            "--no-renames",
            "--",
            ".",
        ])
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(stderr
            .lines()
            .next()
            .unwrap_or("git log failed")
            .to_string());
    }
    Ok(parse_log(&String::from_utf8_lossy(&output.stdout)))
}

fn parse_log(log: &str) -> BTreeMap<String, Date> {
    let mut dates = BTreeMap::new();
    let mut current: Option<Date> = None;
    for line in log.lines() {
        if let Some(date) = line.strip_prefix(DATE_MARK) {
            current = Date::parse(date.trim()).ok();
        } else if let (false, Some(date)) = (line.is_empty(), &current) {
            dates
                .entry(line.to_string())
                .or_insert_with(|| date.clone());
        }
    }
    dates
}

/// Gives every article without an `updated` date its file's last commit date.
/// Outside a git repository the build goes on with a warning.
pub(crate) fn fill_updated_dates(site: &mut Site, content_dir: &Path) -> Vec<Diagnostic> {
    let dates = match last_commit_dates(content_dir) {
        Ok(dates) => dates,
        Err(reason) => {
            return vec![Diagnostic::warning(format!(
                "`[dates] from_git` is on, but the dates of the last commits could not be read: {reason}"
            ))
            .in_file("config.toml")
            .with_hint("build inside a git repository with its history (not a shallow clone), or set `from_git = false`")];
        }
    };
    for page in &mut site.pages {
        if page.updated.is_none() {
            page.front.updated = dates.get(&page.source.rel).cloned();
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_commit_of_a_file_wins() {
        let log =
            "\u{1}2026-03-02T10:00:00+08:00\n\na.md\n\n\u{1}2026-01-01T09:00:00Z\n\na.md\nb/c.md\n";
        let dates = parse_log(log);
        assert_eq!(dates["a.md"].as_str(), "2026-03-02T10:00:00+08:00");
        assert_eq!(dates["b/c.md"].day().to_string(), "2026-01-01");
    }
}
