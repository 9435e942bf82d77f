//! When a channel is open: weekly hours, busy periods and dated closures in the
//! channel's own time zone. The rules are the ones `contact.js` follows in the
//! browser (themes/default/THEME.md, "The schedule rules"); tests hold both to the
//! same instants.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

pub const MINUTES_PER_DAY: u16 = 1440;
const STEP_MINUTES: i64 = 15;
const SEARCH_DAYS: i64 = 14;

/// `[day, start, end]`: day 0 is Monday; minutes from midnight; an `end` past
/// 1440 runs into the next day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct WeeklyRange {
    pub day: u8,
    pub start: u16,
    pub end: u16,
}

impl WeeklyRange {
    /// Whether the range covers `minute` of local weekday `day`, spill-over included.
    fn covers(&self, day: u8, minute: u16) -> bool {
        let own_day =
            self.day == day && self.start <= minute && minute < self.end.min(MINUTES_PER_DAY);
        let spill = self.end > MINUTES_PER_DAY
            && (self.day + 1) % 7 == day
            && minute < self.end - MINUTES_PER_DAY;
        own_day || spill
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Open,
    Busy,
    Closed,
}

impl Status {
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Busy => "busy",
            Status::Closed => "closed",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Schedule {
    pub zone: Tz,
    /// Open around the clock (`24/7`, or a channel without hours) but for closures.
    pub always: bool,
    pub hours: Vec<WeeklyRange>,
    pub busy: Vec<WeeklyRange>,
    pub closures: Vec<Closure>,
}

impl Schedule {
    pub fn status_at(&self, instant: DateTime<Utc>) -> Status {
        let local = instant.with_timezone(&self.zone);
        let date = local.date_naive();
        if self.closures.iter().any(|c| c.from <= date && date <= c.to) {
            return Status::Closed;
        }
        let day = local.weekday().num_days_from_monday() as u8;
        let minute = (local.hour() * 60 + local.minute()) as u16;
        let open = self.always || self.hours.iter().any(|r| r.covers(day, minute));
        match (open, self.busy.iter().any(|r| r.covers(day, minute))) {
            (false, _) => Status::Closed,
            (true, true) => Status::Busy,
            (true, false) => Status::Open,
        }
    }

    /// The first minute at or after `instant` when the channel is open, within 14 days:
    /// found on a 15-minute grid (UTC), then refined back to the exact minute.
    pub fn next_opening(&self, instant: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let first_minute = ceil_to_minute(instant);
        let step = Duration::minutes(STEP_MINUTES);
        let grid_start = {
            let minutes = first_minute.timestamp().div_euclid(60);
            let rounded = (minutes + STEP_MINUTES - 1).div_euclid(STEP_MINUTES) * STEP_MINUTES;
            Utc.timestamp_opt(rounded * 60, 0).single()?
        };
        let steps = SEARCH_DAYS * 24 * 60 / STEP_MINUTES;
        let is_open = |t| self.status_at(t) != Status::Closed;
        let mut candidate = grid_start;
        for _ in 0..=steps {
            if is_open(candidate) {
                let mut earliest = candidate;
                let minute = Duration::minutes(1);
                while earliest - minute >= first_minute && is_open(earliest - minute) {
                    earliest -= minute;
                }
                return Some(earliest);
            }
            candidate += step;
        }
        None
    }
}

fn ceil_to_minute(instant: DateTime<Utc>) -> DateTime<Utc> {
    let seconds = instant.timestamp();
    let whole = instant.timestamp_subsec_nanos() == 0 && seconds % 60 == 0;
    let minutes = seconds.div_euclid(60) + i64::from(!whole);
    Utc.timestamp_opt(minutes * 60, 0)
        .single()
        .unwrap_or(instant)
}

/// Shared with the browser test: instants and what each schedule says then.
#[cfg(test)]
pub mod cases {
    use super::*;

    pub fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("instant")
            .with_timezone(&Utc)
    }

    fn weekdays(start: u16, end: u16) -> Vec<WeeklyRange> {
        (0..5).map(|day| WeeklyRange { day, start, end }).collect()
    }

    fn every_day(start: u16, end: u16) -> Vec<WeeklyRange> {
        (0..7).map(|day| WeeklyRange { day, start, end }).collect()
    }

    pub fn schedule(
        zone: Tz,
        always: bool,
        hours: Vec<WeeklyRange>,
        busy: Vec<WeeklyRange>,
        closures: Vec<Closure>,
    ) -> Schedule {
        Schedule {
            zone,
            always,
            hours,
            busy,
            closures,
        }
    }

    /// Weekdays 09:00–18:00 in Shanghai, busy in the first and last hour.
    pub fn hotline() -> Schedule {
        let mut busy = weekdays(9 * 60, 10 * 60);
        busy.extend(weekdays(17 * 60, 18 * 60));
        schedule(
            chrono_tz::Asia::Shanghai,
            false,
            weekdays(9 * 60, 18 * 60),
            busy,
            Vec::new(),
        )
    }

    /// Fridays 22:00 to Saturday 02:00 in Shanghai.
    pub fn night_line() -> Schedule {
        schedule(
            chrono_tz::Asia::Shanghai,
            false,
            vec![WeeklyRange {
                day: 4,
                start: 22 * 60,
                end: 26 * 60,
            }],
            Vec::new(),
            Vec::new(),
        )
    }

    /// Every day 09:00–17:00 in New York, across the 2026-03-08 change to summer time.
    pub fn new_york() -> Schedule {
        schedule(
            chrono_tz::America::New_York,
            false,
            every_day(9 * 60, 17 * 60),
            Vec::new(),
            Vec::new(),
        )
    }

    /// The hotline, closed Friday 2026-10-02 to Monday 2026-10-05.
    pub fn hotline_with_long_weekend() -> Schedule {
        let mut s = hotline();
        s.closures.push(Closure {
            from: NaiveDate::from_ymd_opt(2026, 10, 2).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 10, 5).unwrap(),
            note: "holiday".into(),
        });
        s
    }

    pub fn around_the_clock() -> Schedule {
        schedule(
            chrono_tz::Asia::Shanghai,
            true,
            Vec::new(),
            Vec::new(),
            Vec::new(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::cases::*;
    use super::*;

    fn check(schedule: &Schedule, instant: &str, status: Status, next: Option<&str>) {
        let t = at(instant);
        assert_eq!(schedule.status_at(t), status, "status at {instant}");
        if status == Status::Closed {
            assert_eq!(
                schedule.next_opening(t),
                next.map(at),
                "next opening after {instant}"
            );
        }
    }

    #[test]
    fn weekday_hours_busy_and_closed() {
        let h = hotline();
        // 2026-10-06 is a Tuesday; Shanghai is UTC+8.
        check(&h, "2026-10-06T01:30:00Z", Status::Busy, None); // 09:30
        check(&h, "2026-10-06T03:00:00Z", Status::Open, None); // 11:00
        check(&h, "2026-10-06T09:59:00Z", Status::Busy, None); // 17:59
        check(
            &h,
            "2026-10-06T10:00:00Z",
            Status::Closed,
            Some("2026-10-07T01:00:00Z"),
        ); // 18:00
           // Friday evening: next opening on Monday 09:00.
        check(
            &h,
            "2026-10-09T12:00:00Z",
            Status::Closed,
            Some("2026-10-12T01:00:00Z"),
        );
        // Just before opening, at a minute off the 15-minute grid.
        check(
            &h,
            "2026-10-06T00:52:30Z",
            Status::Closed,
            Some("2026-10-06T01:00:00Z"),
        );
    }

    #[test]
    fn a_range_past_midnight_runs_into_the_next_day() {
        let n = night_line();
        // 2026-10-09 is a Friday.
        check(&n, "2026-10-09T14:30:00Z", Status::Open, None); // Fri 22:30
        check(&n, "2026-10-09T17:59:00Z", Status::Open, None); // Sat 01:59
        check(
            &n,
            "2026-10-09T18:00:00Z",
            Status::Closed,
            Some("2026-10-16T14:00:00Z"),
        ); // Sat 02:00
    }

    #[test]
    fn daylight_saving_changes_move_the_hours_in_utc() {
        let ny = new_york();
        // Saturday 2026-03-07 is still EST (UTC-5): 09:00 local is 14:00Z.
        check(
            &ny,
            "2026-03-07T13:30:00Z",
            Status::Closed,
            Some("2026-03-07T14:00:00Z"),
        );
        // Sunday 2026-03-08 is EDT (UTC-4): 09:00 local is 13:00Z.
        check(&ny, "2026-03-08T13:30:00Z", Status::Open, None);
        check(
            &ny,
            "2026-03-08T12:30:00Z",
            Status::Closed,
            Some("2026-03-08T13:00:00Z"),
        );
        // Closing at 17:00 EDT is 21:00Z.
        check(
            &ny,
            "2026-03-08T21:00:00Z",
            Status::Closed,
            Some("2026-03-09T13:00:00Z"),
        );
    }

    #[test]
    fn a_closure_over_a_weekend_closes_every_day_of_it() {
        let h = hotline_with_long_weekend();
        check(
            &h,
            "2026-10-02T03:00:00Z",
            Status::Closed,
            Some("2026-10-06T01:00:00Z"),
        ); // Fri 11:00
        check(
            &h,
            "2026-10-05T03:00:00Z",
            Status::Closed,
            Some("2026-10-06T01:00:00Z"),
        ); // Mon 11:00
        check(&h, "2026-10-06T03:00:00Z", Status::Open, None); // Tue 11:00
    }

    #[test]
    fn around_the_clock_is_open_except_closures() {
        let mut a = around_the_clock();
        check(&a, "2026-10-04T19:00:00Z", Status::Open, None);
        a.closures.push(Closure {
            from: NaiveDate::from_ymd_opt(2026, 10, 5).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 10, 5).unwrap(),
            note: String::new(),
        });
        // Closed all of 5 October in Shanghai; open again at local midnight.
        check(
            &a,
            "2026-10-05T03:00:00Z",
            Status::Closed,
            Some("2026-10-05T16:00:00Z"),
        );
    }

    #[test]
    fn no_opening_within_two_weeks_is_none() {
        let mut h = hotline();
        h.closures.push(Closure {
            from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            note: String::new(),
        });
        check(&h, "2026-06-01T03:00:00Z", Status::Closed, None);
    }
}
