//! The `[channel]` table of a contact channel's front matter, checked.

use std::path::Path;
use std::str::FromStr;

use chrono_tz::Tz;
use toml::Spanned;

use super::schedule::{Closure, Schedule, WeeklyRange, MINUTES_PER_DAY};
use crate::diag::toml::closest;
use crate::diag::Diagnostic;
use crate::source::channel_table::{ChannelKind, ChannelMeta, ClosureMeta};
use crate::source::frontmatter::{Date, Split};

/// A value with the place in the source file it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Located<T> {
    pub(crate) value: T,
    pub(crate) line: usize,
    pub(crate) col: usize,
}

/// A checked contact channel.
#[derive(Debug, Clone)]
pub struct Channel {
    pub(crate) kind: ChannelKind,
    pub(crate) address: String,
    /// `tel:`, `mailto:` or the URL itself.
    pub(crate) href: String,
    /// Opening and busy hours, and closures.
    pub schedule: Schedule,
    /// False for a channel without opening hours (an email address, a forum).
    pub(crate) has_hours: bool,
    /// Each weekday's ranges as the writer wrote them, Monday first.
    pub(crate) hours_by_day: [Vec<String>; 7],
    pub(crate) busy_by_day: [Vec<String>; 7],
    pub(crate) response_time: String,
    pub(crate) languages: Vec<String>,
    pub(crate) alternative: Option<Located<String>>,
    /// Line and column of the `[channel]` table, for problems with the channel as a whole.
    pub(crate) at: (usize, usize),
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The zone the channel's hours are written in; UTC when it has no hours. A problem
/// comes back as (offset in the front matter, message, hint).
fn read_zone(meta: &ChannelMeta, table_start: usize) -> Result<Tz, (usize, String, String)> {
    match &meta.timezone {
        Some(name) => Tz::from_str(name.get_ref()).map_err(|_| {
            let names: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
            let hint = closest(name.get_ref(), &names)
                .map(|best| format!("did you mean `{best}`?"))
                .unwrap_or_else(|| {
                    "use an IANA zone name such as \"Asia/Shanghai\" or \"America/New_York\"".into()
                });
            let message = format!("unknown time zone {:?}", name.get_ref());
            (name.span().start, message, hint)
        }),
        None if meta.hours.is_some() || meta.busy.is_some() => Err((
            table_start,
            "a channel with hours needs a `timezone`".into(),
            "add `timezone = \"Asia/Shanghai\"` (the zone the hours are written in)".into(),
        )),
        None => Ok(Tz::UTC),
    }
}

/// A front-matter value with its line and column in the file.
fn located(value: &Spanned<String>, split: &Split<'_>) -> Located<String> {
    let (line, col) = split.locate(value.span().start);
    Located {
        value: value.get_ref().clone(),
        line,
        col,
    }
}

/// Checks a `[channel]` table; every problem found is reported at its place.
pub(crate) fn check_channel(
    meta: &Spanned<ChannelMeta>,
    split: &Split<'_>,
    file: &Path,
) -> Result<Channel, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let error =
        |offset: usize, message: String, hint: &str| error_at(split, file, offset, message, hint);
    let table_start = meta.span().start;
    let meta = meta.get_ref();

    let (address, href) = check_address(meta).unwrap_or_else(|(message, hint)| {
        let offset = meta
            .address
            .as_ref()
            .map_or(table_start, |a| a.span().start);
        problems.push(error(offset, message, hint));
        (String::new(), String::new())
    });

    let zone = read_zone(meta, table_start).unwrap_or_else(|(offset, message, hint)| {
        problems.push(error(offset, message, &hint));
        Tz::UTC
    });

    let weeks = read_weeks(meta, split, file, &mut problems);
    let closures = read_closures(&meta.closures, split, file, &mut problems);
    let alternative = meta.alternative.as_ref().map(|alt| located(alt, split));

    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Channel {
        at: split.origin.locate(&split.front_matter, table_start),
        kind: meta.kind,
        address,
        href,
        has_hours: meta.hours.is_some(),
        schedule: Schedule {
            zone,
            always: weeks.always,
            hours: weeks.hours,
            busy: weeks.busy,
            closures,
        },
        hours_by_day: weeks.hours_by_day,
        busy_by_day: weeks.busy_by_day,
        response_time: meta.response_time.clone(),
        languages: meta.languages.clone(),
        alternative,
    })
}

fn error_at(
    split: &Split<'_>,
    file: &Path,
    offset: usize,
    message: String,
    hint: &str,
) -> Diagnostic {
    let (line, col) = split.locate(offset);
    Diagnostic::error(message)
        .in_file(file)
        .at(line, col)
        .with_hint(hint)
}

/// A channel's opening hours (`hours`: always open without them) and busy hours.
struct Weeks {
    always: bool,
    hours: Vec<WeeklyRange>,
    hours_by_day: [Vec<String>; 7],
    busy: Vec<WeeklyRange>,
    busy_by_day: [Vec<String>; 7],
}

fn read_weeks(
    meta: &ChannelMeta,
    split: &Split<'_>,
    file: &Path,
    problems: &mut Vec<Diagnostic>,
) -> Weeks {
    let mut week = WeekReader::new(split, file);
    let (always, hours, hours_by_day) = match &meta.hours {
        None => (true, Vec::new(), Default::default()),
        Some(value) => week.read(value, "hours", true),
    };
    let (_, busy, busy_by_day) = match &meta.busy {
        None => (false, Vec::new(), Default::default()),
        Some(value) => week.read(value, "busy", false),
    };
    problems.extend(week.problems);
    Weeks {
        always,
        hours,
        hours_by_day,
        busy,
        busy_by_day,
    }
}

/// The closures that read well; an error at each one that does not.
fn read_closures(
    closures: &[Spanned<ClosureMeta>],
    split: &Split<'_>,
    file: &Path,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Closure> {
    closures
        .iter()
        .filter_map(|closure| {
            read_closure(closure.get_ref())
                .map_err(|(message, hint)| {
                    problems.push(error_at(split, file, closure.span().start, message, hint))
                })
                .ok()
        })
        .collect()
}

fn check_address(meta: &ChannelMeta) -> Result<(String, String), (String, &'static str)> {
    let Some(address) = meta
        .address
        .as_ref()
        .map(|a| a.get_ref().trim().to_string())
    else {
        return match meta.kind {
            ChannelKind::Phone | ChannelKind::Email => Err((
                format!("a {} channel needs an `address`", meta.kind.as_str()),
                "add `address = \"...\"`: the number or the email address readers use",
            )),
            _ => Ok((String::new(), String::new())),
        };
    };
    match meta.kind {
        ChannelKind::Phone => {
            let dialable: String = address
                .chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect();
            let plausible = dialable.chars().filter(char::is_ascii_digit).count() >= 3
                && address
                    .chars()
                    .all(|c| c.is_ascii_digit() || " +-().".contains(c));
            if plausible {
                Ok((address, format!("tel:{dialable}")))
            } else {
                Err((
                    format!("{address:?} is not a phone number"),
                    "write digits, spaces, +, - and ( ) only, e.g. \"+1 555-0142\"",
                ))
            }
        }
        ChannelKind::Email => {
            let plausible = address
                .split_once('@')
                .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'))
                && !address.contains(char::is_whitespace);
            if plausible {
                Ok((address.clone(), format!("mailto:{address}")))
            } else {
                Err((
                    format!("{address:?} is not an email address"),
                    "write it as \"support@example.com\"",
                ))
            }
        }
        _ => {
            if address.starts_with("https://") || address.starts_with("http://") {
                Ok((address.clone(), address))
            } else {
                Err((
                    format!("{address:?} is not a web address"),
                    "write the full address, starting with https://",
                ))
            }
        }
    }
}

fn read_closure(meta: &ClosureMeta) -> Result<Closure, (String, &'static str)> {
    let day = |value: &toml::Value, key: &str| {
        Date::from_value(value).map(|d| d.day()).map_err(|_| {
            (
                format!("closure `{key}` must be a date"),
                "write dates as 2026-10-01",
            )
        })
    };
    let (from, to) = match (&meta.date, &meta.from, &meta.to) {
        (Some(date), None, None) => {
            let d = day(date, "date")?;
            (d, d)
        }
        (None, Some(from), Some(to)) => (day(from, "from")?, day(to, "to")?),
        _ => {
            return Err((
                "a closure needs either `date`, or both `from` and `to`".into(),
                "write { date = 2026-12-25, note = \"...\" } or { from = 2026-10-01, to = 2026-10-07, note = \"...\" }",
            ))
        }
    };
    if to < from {
        return Err((
            format!("closure ends ({to}) before it starts ({from})"),
            "swap `from` and `to`",
        ));
    }
    Ok(Closure {
        from,
        to,
        note: meta.note.clone(),
    })
}

/// Reads `hours` or `busy`: "24/7", or a table of weekdays (or weekday ranges) to lists
/// of "HH:MM-HH:MM" (a range past midnight ends with "+1").
struct WeekReader<'s, 'f> {
    split: &'s Split<'s>,
    file: &'f Path,
    problems: Vec<Diagnostic>,
}

impl<'s, 'f> WeekReader<'s, 'f> {
    fn new(split: &'s Split<'s>, file: &'f Path) -> Self {
        WeekReader {
            split,
            file,
            problems: Vec::new(),
        }
    }
}

type Week = (bool, Vec<WeeklyRange>, [Vec<String>; 7]);

impl WeekReader<'_, '_> {
    /// Reports at the first place the quoted text appears after the value starts.
    fn error_at_text(&mut self, value_start: usize, needle: &str, message: String, hint: &str) {
        let text = &self.split.front_matter;
        let offset = text[value_start.min(text.len())..]
            .find(needle)
            .map_or(value_start, |i| value_start + i);
        let (line, col) = self.split.locate(offset);
        self.problems.push(
            Diagnostic::error(message)
                .in_file(self.file)
                .at(line, col)
                .with_hint(hint),
        );
    }

    fn read(&mut self, value: &Spanned<toml::Value>, key: &str, allow_always: bool) -> Week {
        let start = value.span().start;
        let mut by_day: [Vec<String>; 7] = Default::default();
        let table = match value.get_ref() {
            toml::Value::String(s) if s == "24/7" && allow_always => {
                return (true, Vec::new(), by_day)
            }
            toml::Value::Table(table) => table,
            _ => {
                self.error_at_text(
                    start,
                    "",
                    format!("`{key}` must be a table of weekdays to time ranges"),
                    "write { \"mon-fri\" = [\"09:00-18:00\"] }, or \"24/7\"",
                );
                return (false, Vec::new(), by_day);
            }
        };
        let mut ranges = Vec::new();
        for (days_key, list) in table {
            let Some(days) = parse_days(days_key) else {
                let hint = closest(days_key, &DAYS).map_or_else(
                    || {
                        "use mon, tue, wed, thu, fri, sat, sun, or a range such as \"mon-fri\""
                            .to_string()
                    },
                    |best| format!("did you mean `{best}`?"),
                );
                self.error_at_text(
                    start,
                    days_key,
                    format!("{days_key:?} is not a weekday or a range of weekdays"),
                    &hint,
                );
                continue;
            };
            let Some(items) = list.as_array() else {
                self.error_at_text(
                    start,
                    days_key,
                    format!("the hours of {days_key:?} must be a list"),
                    "write [\"09:00-18:00\"]",
                );
                continue;
            };
            for item in items {
                let Some(text) = item.as_str() else { continue };
                match parse_range(text) {
                    Ok((from, to)) => {
                        for &day in &days {
                            ranges.push((
                                WeeklyRange {
                                    day,
                                    start: from,
                                    end: to,
                                },
                                text.to_string(),
                            ));
                            by_day[day as usize].push(text.to_string());
                        }
                    }
                    Err((message, hint)) => {
                        self.error_at_text(start, &format!("\"{text}\""), message, hint)
                    }
                }
            }
        }
        self.report_overlaps(start, &ranges);
        (false, ranges.into_iter().map(|(r, _)| r).collect(), by_day)
    }

    /// Two ranges that share a minute of the week (spill past midnight included).
    fn report_overlaps(&mut self, start: usize, ranges: &[(WeeklyRange, String)]) {
        let week = u32::from(MINUTES_PER_DAY) * 7;
        let span = |r: &WeeklyRange| {
            let s = u32::from(r.day) * u32::from(MINUTES_PER_DAY) + u32::from(r.start);
            (s, s + u32::from(r.end - r.start))
        };
        let overlaps = |a: (u32, u32), b: (u32, u32)| {
            // Compare on the circle of the week: Sunday night runs into Monday.
            [0, week]
                .iter()
                .any(|shift| a.0 + shift < b.1 && b.0 < a.1 + shift)
                || [0, week]
                    .iter()
                    .any(|shift| b.0 + shift < a.1 && a.0 < b.1 + shift)
        };
        for (i, (a, a_text)) in ranges.iter().enumerate() {
            if let Some((_, b_text)) = ranges[..i].iter().find(|(b, _)| overlaps(span(a), span(b)))
            {
                let day = DAYS[a.day as usize];
                self.error_at_text(
                    start,
                    &format!("\"{a_text}\""),
                    format!("opening ranges overlap on {day}: {a_text} and {b_text}"),
                    "each minute of the week may be listed once; merge or shorten the ranges",
                );
                return;
            }
        }
    }
}

fn parse_days(key: &str) -> Option<Vec<u8>> {
    let index = |name: &str| {
        DAYS.iter()
            .position(|d| *d == name.trim().to_lowercase())
            .map(|i| i as u8)
    };
    match key.split_once('-') {
        None => Some(vec![index(key)?]),
        Some((from, to)) => {
            let (from, to) = (index(from)?, index(to)?);
            let mut days = vec![from];
            let mut day = from;
            while day != to {
                day = (day + 1) % 7;
                days.push(day);
            }
            Some(days)
        }
    }
}

/// "09:00-18:00" -> (540, 1080); "22:00-02:00+1" -> (1320, 1560).
fn parse_range(text: &str) -> Result<(u16, u16), (String, &'static str)> {
    let shape_hint = "write \"09:00-18:00\", or \"22:00-02:00+1\" for a range past midnight";
    let (body, next_day) = match text.trim().strip_suffix("+1") {
        Some(body) => (body, true),
        None => (text.trim(), false),
    };
    let (from, to) = body
        .split_once('-')
        .ok_or_else(|| (format!("{text:?} is not a time range"), shape_hint))?;
    let from = parse_time(from).map_err(|m| (m, shape_hint))?;
    let to = parse_time(to).map_err(|m| (m, shape_hint))?;
    if next_day {
        if to > from || to == MINUTES_PER_DAY {
            return Err((
                format!("{text:?} lasts more than a day"),
                "a range past midnight ends on the next day before it started",
            ));
        }
        Ok((from, to + MINUTES_PER_DAY))
    } else if to <= from {
        Err((
            format!("{text:?} ends before it starts"),
            "for a range past midnight, end it with +1: \"22:00-02:00+1\"",
        ))
    } else {
        Ok((from, to))
    }
}

fn parse_time(text: &str) -> Result<u16, String> {
    let text = text.trim();
    let parsed = text.split_once(':').and_then(|(h, m)| {
        let valid = h.len() == 2 && m.len() == 2;
        Some((h.parse::<u16>().ok()?, m.parse::<u16>().ok()?)).filter(|_| valid)
    });
    match parsed {
        Some((h, m)) if m < 60 && (h < 24 || (h == 24 && m == 0)) => Ok(h * 60 + m),
        _ => Err(format!("{text:?} is not a time of day (00:00 to 24:00)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("09:00-18:00"), Ok((540, 1080)));
        assert_eq!(parse_range("22:00-02:00+1"), Ok((1320, 1560)));
        assert_eq!(parse_range("00:00-24:00"), Ok((0, 1440)));
        assert!(parse_range("09:00-25:00").is_err());
        assert!(parse_range("18:00-09:00")
            .unwrap_err()
            .0
            .contains("ends before it starts"));
        assert!(parse_range("9:00-18:00").is_err());
    }

    #[test]
    fn day_ranges_wrap_around_the_week() {
        assert_eq!(parse_days("mon-fri"), Some(vec![0, 1, 2, 3, 4]));
        assert_eq!(parse_days("sat-mon"), Some(vec![5, 6, 0]));
        assert_eq!(parse_days("mon-sun").map(|d| d.len()), Some(7));
        assert_eq!(parse_days("mo"), None);
    }
}
