//! When a channel is open: weekly hours, busy periods and dated closures in the
//! channel's own time zone. The rules are the ones `contact.js` follows in the
//! browser (themes/default/THEME.md, "The schedule rules"); tests hold both to the
//! same instants.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

pub(crate) const MINUTES_PER_DAY: u16 = 1440;
const STEP_MINUTES: i64 = 15;
const SEARCH_DAYS: i64 = 14;

/// `[day, start, end]`: day 0 is Monday; minutes from midnight; an `end` past
/// 1440 runs into the next day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct WeeklyRange {
    pub(crate) day: u8,
    pub(crate) start: u16,
    pub(crate) end: u16,
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
pub(crate) struct Closure {
    pub(crate) from: NaiveDate,
    pub(crate) to: NaiveDate,
    pub(crate) note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// Whether a channel answers at a given moment.
pub enum Status {
    /// Within the opening hours.
    Open,
    /// Open, but in hours the channel marks as busy (long waits).
    Busy,
    /// Outside the opening hours, or on a closure day.
    Closed,
}

impl Status {
    /// The word the pages and scripts use: `open`, `busy` or `closed`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Busy => "busy",
            Status::Closed => "closed",
        }
    }
}

/// A channel's week of opening and busy hours in its own time zone, with closure days.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub(crate) zone: Tz,
    /// Open around the clock (`24/7`, or a channel without hours) but for closures.
    pub(crate) always: bool,
    pub(crate) hours: Vec<WeeklyRange>,
    pub(crate) busy: Vec<WeeklyRange>,
    pub(crate) closures: Vec<Closure>,
}

impl Schedule {
    /// The status at an instant, read in the schedule's time zone (daylight saving included).
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

/// Hand-built schedules, one for each channel of tests/fixtures/contact, so the unit
/// tests hold the schedule logic to the instants of tests/fixtures/contact-cases.toml
/// without going through front matter.
#[cfg(test)]
pub mod cases {
    use super::*;

    pub(crate) fn at(text: &str) -> DateTime<Utc> {
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

    fn closure(from: (i32, u32, u32), to: (i32, u32, u32)) -> Closure {
        Closure {
            from: NaiveDate::from_ymd_opt(from.0, from.1, from.2).unwrap(),
            to: NaiveDate::from_ymd_opt(to.0, to.1, to.2).unwrap(),
            note: String::new(),
        }
    }

    pub(crate) fn schedule(
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

    /// `hotline`: weekdays 09:00–18:00 in Shanghai, busy in the first and last hour.
    pub(crate) fn hotline() -> Schedule {
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

    /// `night-line`: Fridays 22:00 to Saturday 02:00 in Shanghai.
    pub(crate) fn night_line() -> Schedule {
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

    /// `new-york`: every day 09:00–17:00 in New York, which moves to summer time on
    /// 2026-03-08.
    pub(crate) fn new_york() -> Schedule {
        schedule(
            chrono_tz::America::New_York,
            false,
            every_day(9 * 60, 17 * 60),
            Vec::new(),
            Vec::new(),
        )
    }

    /// `long-weekend`: the hotline's hours, closed Friday 2026-10-02 to Monday 2026-10-05.
    pub(crate) fn long_weekend() -> Schedule {
        let mut s = hotline();
        s.closures.push(closure((2026, 10, 2), (2026, 10, 5)));
        s
    }

    /// `always`: 24/7 in Shanghai, closed on 2026-10-05.
    pub(crate) fn always() -> Schedule {
        schedule(
            chrono_tz::Asia::Shanghai,
            true,
            Vec::new(),
            Vec::new(),
            vec![closure((2026, 10, 5), (2026, 10, 5))],
        )
    }

    /// `email`: no hours at all, in UTC.
    pub(crate) fn email() -> Schedule {
        schedule(chrono_tz::UTC, true, Vec::new(), Vec::new(), Vec::new())
    }

    /// `forum`: 24/7 in UTC, closed all of June 2026.
    pub(crate) fn forum() -> Schedule {
        schedule(
            chrono_tz::UTC,
            true,
            Vec::new(),
            Vec::new(),
            vec![closure((2026, 6, 1), (2026, 6, 30))],
        )
    }

    /// The hand-built schedule of the fixture channel `name`.
    pub(crate) fn of(name: &str) -> Option<Schedule> {
        Some(match name {
            "hotline" => hotline(),
            "night-line" => night_line(),
            "new-york" => new_york(),
            "long-weekend" => long_weekend(),
            "always" => always(),
            "email" => email(),
            "forum" => forum(),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::cases::*;
    use super::*;

    #[derive(serde::Deserialize)]
    struct SharedCases {
        case: Vec<SharedCase>,
    }

    #[derive(serde::Deserialize)]
    struct SharedCase {
        channel: String,
        at: String,
        status: String,
        #[serde(default)]
        next: String,
    }

    fn shared_cases() -> Vec<SharedCase> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/contact-cases.toml"
        );
        let text = std::fs::read_to_string(path).expect("read the shared cases");
        toml::from_str::<SharedCases>(&text)
            .expect("the shared cases parse")
            .case
    }

    fn check(schedule: &Schedule, instant: &str, status: &str, next: Option<&str>) {
        let t = at(instant);
        assert_eq!(
            schedule.status_at(t).as_str(),
            status,
            "status at {instant}"
        );
        if status == "closed" {
            assert_eq!(
                schedule.next_opening(t),
                next.map(at),
                "next opening after {instant}"
            );
        }
    }

    /// Checks the shared instants of `channel` against its hand-built schedule; the
    /// case file must hold at least `at_least` of them (so none goes missing unseen).
    fn check_shared(channel: &str, at_least: usize) {
        let schedule = of(channel).expect("a hand-built schedule");
        let cases: Vec<SharedCase> = shared_cases()
            .into_iter()
            .filter(|c| c.channel == channel)
            .collect();
        assert!(
            cases.len() >= at_least,
            "{channel}: {} shared cases, expected at least {at_least}",
            cases.len()
        );
        for case in cases {
            let next = (!case.next.is_empty()).then_some(case.next.as_str());
            check(&schedule, &case.at, &case.status, next);
        }
    }

    #[test]
    fn weekday_hours_busy_and_closed() {
        // Busy at 09:30 and 17:59, open at 11:00, closed at 18:00, across a weekend,
        // and off the 15-minute grid.
        check_shared("hotline", 6);
    }

    #[test]
    fn a_range_past_midnight_runs_into_the_next_day() {
        check_shared("night-line", 3);
    }

    #[test]
    fn daylight_saving_changes_move_the_hours_in_utc() {
        check_shared("new-york", 5);
        // The change itself: Saturday 17:30 EST is 22:30Z; Sunday opens at 09:00 EDT,
        // which is 13:00Z. Without the change it would be 14:00Z.
        let ny = new_york();
        let next = ny.next_opening(at("2026-03-07T22:30:00Z"));
        assert_eq!(next, Some(at("2026-03-08T13:00:00Z")));
        assert_eq!(
            next.unwrap().with_timezone(&ny.zone).hour(),
            9,
            "09:00 local after the change"
        );
    }

    #[test]
    fn a_closure_over_a_weekend_closes_every_day_of_it() {
        check_shared("long-weekend", 4);
    }

    #[test]
    fn around_the_clock_is_open_except_closures() {
        check_shared("always", 2);
        check_shared("email", 1);
        // Without its closure, the same instant is open.
        let mut a = always();
        a.closures.clear();
        check(&a, "2026-10-05T03:00:00Z", "open", None);
    }

    #[test]
    fn no_opening_within_two_weeks_is_none() {
        check_shared("forum", 3);
    }

    #[test]
    fn every_shared_case_has_a_hand_built_schedule() {
        for case in shared_cases() {
            assert!(
                of(&case.channel).is_some(),
                "no hand-built schedule for {}",
                case.channel
            );
            assert!(
                ["open", "busy", "closed"].contains(&case.status.as_str()),
                "{} at {}: status {:?}",
                case.channel,
                case.at,
                case.status
            );
        }
    }
}
