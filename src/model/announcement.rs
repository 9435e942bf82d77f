//! Announcements as the model holds them: the `[announcement]` table of a page in the
//! `announcements` section, checked (severity, a start, an end after it).
//!
//! Whether a window is open is decided in the reader's browser, never at build time;
//! `features::announcements` writes the data file that script reads.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use toml::Spanned;

use crate::diag::Diagnostic;
use crate::source::frontmatter::{date_at, Date, PageMeta, Split};
/// The folder (directly under `content/`) whose articles are announcements.
pub(crate) const SECTION_DIR: &str = "announcements";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Severity {
    Info,
    Warning,
    Outage,
}

impl Severity {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Outage => "outage",
        }
    }

    fn parse(text: &str) -> Option<Severity> {
        match text {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "outage" => Some(Severity::Outage),
            _ => None,
        }
    }
}

/// When an announcement shows: from `starts` to `ends` (open-ended without `ends`).
/// A day without a time means that whole day in the reader's own time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Announcement {
    pub starts: Date,
    pub ends: Option<Date>,
    pub severity: Severity,
}

/// A point in time as written: a day, a time in the reader's zone, or an exact instant.
enum When {
    Day(NaiveDate),
    Local(NaiveDateTime),
    Exact(DateTime<FixedOffset>),
}

impl When {
    fn of(date: &Date) -> When {
        match (date.time(), date.instant()) {
            (None, _) => When::Day(date.day()),
            (Some(_), Some(exact)) => When::Exact(exact),
            (Some(time), None) => When::Local(date.day().and_time(time)),
        }
    }

    /// The wall-clock time this stands for; a day as an end means its last moment.
    /// Comparing an exact instant with a local one can only be approximate: the
    /// reader's zone is unknown here, so the instant's own offset stands in.
    fn wall_clock(&self, as_end: bool) -> NaiveDateTime {
        match self {
            When::Day(day) if as_end => day.and_hms_opt(23, 59, 59).unwrap_or_default(),
            When::Day(day) => day.and_hms_opt(0, 0, 0).unwrap_or_default(),
            When::Local(local) => *local,
            When::Exact(exact) => exact.naive_local(),
        }
    }

    fn instant(&self) -> Option<DateTime<FixedOffset>> {
        match self {
            When::Exact(exact) => Some(*exact),
            _ => None,
        }
    }
}

/// True when `ends` comes before `starts`.
fn ends_before_starts(starts: &Date, ends: &Date) -> bool {
    let (s, e) = (When::of(starts), When::of(ends));
    match (s.instant(), e.instant()) {
        (Some(s), Some(e)) => e < s,
        _ => e.wall_clock(true) < s.wall_clock(false),
    }
}

/// An error for each announcement key in a page outside the announcements section.
fn keys_outside_the_section(
    meta: &PageMeta,
    split: &Split<'_>,
    file: &std::path::Path,
) -> Vec<Diagnostic> {
    let keys = [
        ("starts", meta.starts.as_ref().map(|v| v.span().start)),
        ("ends", meta.ends.as_ref().map(|v| v.span().start)),
        ("severity", meta.severity.as_ref().map(|v| v.span().start)),
    ];
    keys.into_iter()
        .filter_map(|(key, offset)| {
            let (line, col) = split.locate(offset?);
            Some(
                Diagnostic::error(format!("`{key}` is only for announcements"))
                    .in_file(file)
                    .at(line, col)
                    .with_hint(format!(
                        "move the file into content/{SECTION_DIR}/, or remove `{key}`"
                    )),
            )
        })
        .collect()
}

/// Checks the announcement keys of an article's front matter. Articles of the
/// announcements section must have `starts`; other articles may not use the keys.
pub(crate) fn check(
    meta: &PageMeta,
    in_section: bool,
    split: &Split<'_>,
    file: &std::path::Path,
) -> Result<Option<Announcement>, Vec<Diagnostic>> {
    if !in_section {
        let problems = keys_outside_the_section(meta, split, file);
        return if problems.is_empty() {
            Ok(None)
        } else {
            Err(problems)
        };
    }
    let mut problems = Vec::new();
    let mut date_of = |value: &Option<Spanned<toml::Value>>, key| {
        date_at(value, key, split, file).unwrap_or_else(|d| {
            problems.push(d);
            None
        })
    };
    let starts = date_of(&meta.starts, "starts");
    let ends = date_of(&meta.ends, "ends");
    let severity = read_severity(meta.severity.as_ref(), split, file)
        .map_err(|d| problems.push(d))
        .ok();
    if meta.starts.is_none() {
        problems.push(
            Diagnostic::error("announcement has no `starts`")
                .in_file(file)
                .at(split.first_line(), 1)
                .with_hint(
                    "add `starts = 2026-10-01` (and `ends = 2026-10-03`) to the front matter",
                ),
        );
    }
    if let (Some(s), Some(e), Some(spanned)) = (&starts, &ends, &meta.ends) {
        problems.extend(check_window(s, e, spanned.span().start, split, file));
    }
    match (starts, severity) {
        (Some(starts), Some(severity)) if problems.is_empty() => Ok(Some(Announcement {
            starts,
            ends,
            severity,
        })),
        _ => Err(problems),
    }
}

/// `severity`: info when it is not given.
fn read_severity(
    severity: Option<&Spanned<String>>,
    split: &Split<'_>,
    file: &std::path::Path,
) -> Result<Severity, Diagnostic> {
    let Some(spanned) = severity else {
        return Ok(Severity::Info);
    };
    Severity::parse(spanned.get_ref()).ok_or_else(|| {
        let (line, col) = split.locate(spanned.span().start);
        Diagnostic::error(format!(
            "`severity` must be info, warning or outage, found {:?}",
            spanned.get_ref()
        ))
        .in_file(file)
        .at(line, col)
        .with_hint("write `severity = \"info\"`, \"warning\" or \"outage\"")
    })
}

/// An error at `ends` (which starts at `ends_offset`) when it comes before `starts`.
fn check_window(
    starts: &Date,
    ends: &Date,
    ends_offset: usize,
    split: &Split<'_>,
    file: &std::path::Path,
) -> Option<Diagnostic> {
    if !ends_before_starts(starts, ends) {
        return None;
    }
    let (line, col) = split.locate(ends_offset);
    Some(
        Diagnostic::error(format!(
            "announcement ends ({}) before it starts ({})",
            ends.as_str(),
            starts.as_str()
        ))
        .in_file(file)
        .at(line, col)
        .with_hint("`ends` must be the same as or later than `starts`"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::from_value(&toml::Value::String(text.into())).unwrap()
    }

    #[test]
    fn one_day_window_is_allowed() {
        assert!(!ends_before_starts(&d("2026-10-01"), &d("2026-10-01")));
        assert!(ends_before_starts(&d("2026-10-02"), &d("2026-10-01")));
    }

    #[test]
    fn instants_compare_across_offsets() {
        // 09:00 in Shanghai is 01:00 UTC: an end at 02:00 UTC is after it.
        assert!(!ends_before_starts(
            &d("2026-10-01T09:00:00+08:00"),
            &d("2026-10-01T02:00:00Z")
        ));
        assert!(ends_before_starts(
            &d("2026-10-01T09:00:00+08:00"),
            &d("2026-10-01T00:30:00Z")
        ));
    }

    #[test]
    fn an_end_day_includes_the_whole_day() {
        assert!(!ends_before_starts(
            &d("2026-10-01T18:00:00"),
            &d("2026-10-01")
        ));
    }
}
