//! Dates as front matter writes them: a TOML date or datetime, or a string of either,
//! read once into their parts.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Offset, Utc};

/// A date from front matter: a TOML date (`2024-03-01`), a datetime, or a string of
/// either. Read once into its parts; the text is kept as written for the pages and
/// scripts that show it.
#[derive(Debug, Clone)]
pub(crate) struct Date {
    /// As written (a TOML date in TOML's own form), e.g. `2024-03-01T10:00:00+08:00`.
    text: String,
    day: NaiveDate,
    time: Option<NaiveTime>,
    offset: Option<UtcOffset>,
}

/// The offset a time is written with: `Z`, or hours and minutes east of UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UtcOffset {
    Z,
    East(FixedOffset),
}

impl UtcOffset {
    pub(crate) fn fixed(self) -> FixedOffset {
        match self {
            UtcOffset::Z => Utc.fix(),
            UtcOffset::East(offset) => offset,
        }
    }
}

impl Date {
    /// The calendar day.
    pub(crate) fn day(&self) -> NaiveDate {
        self.day
    }

    /// The time of day, when one is given.
    pub(crate) fn time(&self) -> Option<NaiveTime> {
        self.time
    }

    /// The offset from UTC, when the time is given with one.
    pub(crate) fn offset(&self) -> Option<UtcOffset> {
        self.offset
    }

    /// The value as written, normalised (`2024-03-01` or `2024-03-01T10:00:00Z`).
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// The exact instant, when a time and an offset are given.
    pub(crate) fn instant(&self) -> Option<DateTime<FixedOffset>> {
        let offset = self.offset?.fixed();
        self.day
            .and_time(self.time?)
            .and_local_timezone(offset)
            .single()
    }

    /// An RFC 3339 instant in UTC to the second, as Atom requires (and which sorts as
    /// text): a day is its midnight in UTC, a time without an offset is read as UTC.
    pub(crate) fn rfc3339_utc(&self) -> String {
        let local = self.day.and_time(self.time.unwrap_or_default());
        let utc = match self.offset {
            Some(offset) => local - offset.fixed(),
            None => local,
        };
        utc.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }

    /// Reads a date or datetime written as text (`2024-03-01`, `2024-03-01 10:00`).
    pub(crate) fn parse(text: &str) -> Result<Date, String> {
        text.parse::<toml::value::Datetime>()
            .ok()
            .and_then(|datetime| Date::from_datetime(text.to_string(), &datetime))
            .ok_or_else(|| format!("{text:?}"))
    }

    pub(crate) fn from_value(value: &toml::Value) -> Result<Date, String> {
        match value {
            toml::Value::Datetime(dt) if dt.date.is_some() => {
                Date::from_datetime(dt.to_string(), dt)
                    .ok_or_else(|| format!("{:?}", dt.to_string()))
            }
            toml::Value::Datetime(_) => Err("a time without a date".into()),
            toml::Value::String(s) => Date::parse(s),
            other => Err(format!("a {}", other.type_str())),
        }
    }

    /// The parts of a TOML datetime that has a day; `None` for a time alone.
    fn from_datetime(text: String, datetime: &toml::value::Datetime) -> Option<Date> {
        let date = datetime.date?;
        let day = NaiveDate::from_ymd_opt(date.year.into(), date.month.into(), date.day.into())?;
        let time = match datetime.time {
            Some(t) => Some(time_of_day(t)?),
            None => None,
        };
        let offset = match datetime.offset {
            Some(toml::value::Offset::Z) => Some(UtcOffset::Z),
            Some(toml::value::Offset::Custom { minutes }) => Some(UtcOffset::East(
                FixedOffset::east_opt(i32::from(minutes) * 60)?,
            )),
            None => None,
        };
        Some(Date {
            text,
            day,
            time,
            offset,
        })
    }
}

/// A TOML time of day; a leap second (`:60`) is chrono's second 59 plus one.
fn time_of_day(t: toml::value::Time) -> Option<NaiveTime> {
    let (second, nano) = match t.second {
        60 => (59, t.nanosecond.checked_add(1_000_000_000)?),
        second => (second, t.nanosecond),
    };
    NaiveTime::from_hms_nano_opt(t.hour.into(), t.minute.into(), second.into(), nano)
}

impl From<NaiveDate> for Date {
    fn from(day: NaiveDate) -> Date {
        Date {
            text: day.to_string(),
            day,
            time: None,
            offset: None,
        }
    }
}

/// Dates compare as they are written (which orders days, and times within a day).
impl PartialEq for Date {
    fn eq(&self, other: &Date) -> bool {
        self.text == other.text
    }
}

impl Eq for Date {}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Date) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Date {
    fn cmp(&self, other: &Date) -> std::cmp::Ordering {
        self.text.cmp(&other.text)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}
