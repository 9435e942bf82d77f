//! What templates, the browser script and search engines receive about channels.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::contact::channel::Channel;
use crate::contact::schedule::{WeeklyRange, MINUTES_PER_DAY};
use crate::model::rendered::RenderedSite;
use crate::model::PageId;
use crate::source::channel_table::ChannelKind;
use crate::source::frontmatter::Date;

/// Channels as the templates and scripts describe them, for the site being rendered.
pub(crate) struct ChannelViews<'a> {
    r: &'a RenderedSite<'a>,
}

impl<'a> RenderedSite<'a> {
    pub(crate) fn channel_views(&'a self) -> ChannelViews<'a> {
        ChannelViews { r: self }
    }
}

/// The *Channel* of THEME.md: a channel as templates show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct ChannelView {
    pub name: String,
    pub title: String,
    pub url: String,
    pub kind: &'static str,
    pub kind_label: String,
    pub address: String,
    pub href: String,
    pub timezone: &'static str,
    pub has_hours: bool,
    pub always: bool,
    pub hours: Vec<HoursRow>,
    pub busy: Vec<HoursRow>,
    pub closures: Vec<ClosureView>,
    pub response_time: String,
    pub languages: Vec<String>,
    pub alternative: Option<ChannelLink>,
}

/// Weekdays with the same ranges: `{days: "Mon–Fri", ranges: "09:00–18:00"}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct HoursRow {
    pub days: String,
    pub ranges: String,
}

/// A closure, as templates and `channels.js` receive it. The fields are in the
/// order of the keys in `channels.js`, which has always sorted them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct ClosureView {
    pub from: String,
    pub from_text: String,
    pub note: String,
    pub to: String,
    pub to_text: String,
}

/// The channel to try instead: `{name, title, url}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct ChannelLink {
    pub name: Option<String>,
    pub title: String,
    pub url: String,
}

/// `window.helpsiteChannels` of `channels.js`. Fields in key order (sorted, as the
/// file has always been written).
#[derive(Serialize)]
struct ChannelScript<'a> {
    channels: BTreeMap<&'a str, ScheduleData<'a>>,
    #[serde(rename = "noticeDays")]
    notice_days: u32,
    strings: StatusStrings,
}

#[derive(Serialize)]
struct StatusStrings {
    anytime: String,
    busy: String,
    closed: String,
    closed_until: String,
    closure_banner: String,
    open: String,
    opens_at: String,
    try_alternative: String,
    weekdays: Value,
}

/// One channel of `channels.js`: what `contact.js` computes the status from.
#[derive(Serialize)]
struct ScheduleData<'a> {
    alternative: Option<&'a str>,
    always: bool,
    /// No hours at all (an inbox, a form): "open" reads as "write any time".
    anytime: bool,
    busy: Vec<(u8, u16, u16)>,
    closures: Vec<ClosureView>,
    hours: Vec<(u8, u16, u16)>,
    timezone: &'static str,
    title: &'a str,
    url: String,
}

fn text(strings: &Value, key: &str) -> String {
    strings
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or(key)
        .to_string()
}

impl ChannelViews<'_> {
    /// The *Channel* of THEME.md for the channel page `id` (none for other pages).
    pub(crate) fn channel(&self, id: PageId) -> Option<ChannelView> {
        let page = &self.r.site.pages[id];
        let named = page.channel.as_ref()?;
        let channel = &named.channel;
        let strings = self.r.strings.of(&page.lang);
        let alternative = channel
            .alternative
            .as_ref()
            .and_then(|alt| self.r.channels.find(&page.lang, &alt.value))
            .map(|alt| {
                let alt_page = &self.r.site.pages[alt];
                ChannelLink {
                    name: alt_page.channel.as_ref().map(|c| c.name.clone()),
                    title: alt_page.title.clone(),
                    url: self.r.urls.url(&alt_page.path),
                }
            });
        Some(ChannelView {
            name: named.name.clone(),
            title: page.title.clone(),
            url: self.r.urls.url(&page.path),
            kind: channel.kind.as_str(),
            kind_label: text(&strings, &format!("kind_{}", channel.kind.as_str())),
            address: channel.address.clone(),
            href: channel.href.clone(),
            timezone: channel.schedule.zone.name(),
            has_hours: channel.has_hours,
            always: channel.has_hours && channel.schedule.always,
            hours: rows(&channel.hours_by_day, &strings),
            busy: rows(&channel.busy_by_day, &strings),
            closures: self.closures(&page.lang, channel),
            response_time: channel.response_time.clone(),
            languages: channel
                .languages
                .iter()
                .map(|code| self.r.config.language_name(code))
                .collect(),
            alternative,
        })
    }

    /// The closures of a channel, with their days written for readers of `lang`.
    fn closures(&self, lang: &str, channel: &Channel) -> Vec<ClosureView> {
        let date_text = |d: &chrono::NaiveDate| self.r.strings.format_date(lang, &Date::from(*d));
        channel
            .schedule
            .closures
            .iter()
            .map(|c| ClosureView {
                from: c.from.to_string(),
                from_text: date_text(&c.from),
                note: c.note.clone(),
                to: c.to.to_string(),
                to_text: date_text(&c.to),
            })
            .collect()
    }

    /// `channels.js` for `lang`: the schedules and strings `contact.js` works from.
    pub(crate) fn script(&self, lang: &str) -> String {
        let strings = self.r.strings.of(lang);
        let channels = self
            .r
            .channels
            .in_language(lang)
            .filter_map(|(name, id)| Some((name, self.schedule_data(id)?)))
            .collect();
        let data = ChannelScript {
            channels,
            notice_days: self.r.config.contact.closure_notice_days,
            strings: StatusStrings {
                anytime: text(&strings, "status_anytime"),
                busy: text(&strings, "status_busy"),
                closed: text(&strings, "status_closed"),
                closed_until: text(&strings, "status_closed_until"),
                closure_banner: text(&strings, "closure_banner"),
                open: text(&strings, "status_open"),
                opens_at: text(&strings, "status_opens_at"),
                try_alternative: text(&strings, "try_alternative"),
                weekdays: strings.get("weekdays").cloned().unwrap_or(Value::Null),
            },
        };
        format!(
            "// Contact channels of this site, written by helpsite build.\nwindow.helpsiteChannels = {};\n",
            json_text(&data)
        )
    }

    fn schedule_data(&self, id: PageId) -> Option<ScheduleData<'_>> {
        let page = &self.r.site.pages[id];
        let channel = &page.channel.as_ref()?.channel;
        let ranges = |list: &[WeeklyRange]| list.iter().map(|r| (r.day, r.start, r.end)).collect();
        Some(ScheduleData {
            alternative: channel.alternative.as_ref().map(|a| a.value.as_str()),
            always: channel.schedule.always,
            anytime: !channel.has_hours,
            busy: ranges(&channel.schedule.busy),
            closures: self.closures(&page.lang, channel),
            hours: ranges(&channel.schedule.hours),
            timezone: channel.schedule.zone.name(),
            title: &page.title,
            url: self.r.urls.url(&page.path),
        })
    }

    /// schema.org `ContactPoint` of one channel (none for a page that is no channel).
    pub(crate) fn contact_point(&self, id: PageId) -> Option<ContactPoint<'_>> {
        let page = &self.r.site.pages[id];
        let channel = &page.channel.as_ref()?.channel;
        let mut point = ContactPoint {
            context: None,
            kind: "ContactPoint",
            available_language: &channel.languages,
            contact_type: "customer support",
            email: None,
            hours_available: opening_hours(channel),
            name: &page.title,
            telephone: None,
            url: self.r.urls.permalink(&page.path),
        };
        match channel.kind {
            ChannelKind::Phone => point.telephone = Some(&channel.address),
            ChannelKind::Email => point.email = Some(&channel.address),
            _ if !channel.address.is_empty() => point.url = channel.address.clone(),
            _ => {}
        }
        Some(point)
    }

    /// JSON-LD for a channel page (one `ContactPoint`) or a page listing channels
    /// (an `Organization` with all of them), escaped for a `<script>` element.
    pub(crate) fn jsonld(&self, lang: &str, channels: &[PageId]) -> String {
        let mut points: Vec<ContactPoint<'_>> = channels
            .iter()
            .filter_map(|&id| self.contact_point(id))
            .collect();
        match points.len() {
            0 => String::new(),
            1 => {
                points[0].context = Some(SCHEMA_ORG);
                script_safe_json(&points[0])
            }
            _ => script_safe_json(&Organization {
                context: SCHEMA_ORG,
                kind: "Organization",
                contact_point: points,
                name: self.r.config.title_in(lang),
                url: self
                    .r
                    .urls
                    .permalink(&self.r.site.sections[self.r.site.homes[lang]].path),
            }),
        }
    }
}

const SCHEMA_ORG: &str = "https://schema.org";

/// schema.org `ContactPoint`. JSON-LD fields are in the order the pages have always
/// printed them (sorted).
#[derive(Serialize)]
pub(crate) struct ContactPoint<'a> {
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    context: Option<&'static str>,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "availableLanguage")]
    available_language: &'a [String],
    #[serde(rename = "contactType")]
    contact_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    #[serde(rename = "hoursAvailable")]
    hours_available: Vec<OpeningHours>,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    telephone: Option<&'a str>,
    url: String,
}

/// schema.org `Organization` with the contact points of a page listing channels.
#[derive(Serialize)]
struct Organization<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "contactPoint")]
    contact_point: Vec<ContactPoint<'a>>,
    name: &'a str,
    url: String,
}

/// schema.org `OpeningHoursSpecification`: weekly hours, or a dated closure.
#[derive(Serialize)]
struct OpeningHours {
    #[serde(rename = "@type")]
    kind: &'static str,
    closes: String,
    #[serde(rename = "dayOfWeek", skip_serializing_if = "Option::is_none")]
    day_of_week: Option<DaysOfWeek>,
    opens: String,
    #[serde(rename = "validFrom", skip_serializing_if = "Option::is_none")]
    valid_from: Option<String>,
    #[serde(rename = "validThrough", skip_serializing_if = "Option::is_none")]
    valid_through: Option<String>,
}

/// One day, or all of them.
#[derive(Serialize)]
#[serde(untagged)]
enum DaysOfWeek {
    One(String),
    All(Vec<String>),
}

impl OpeningHours {
    fn weekly(days: DaysOfWeek, opens: String, closes: String) -> Self {
        OpeningHours {
            kind: "OpeningHoursSpecification",
            closes,
            day_of_week: Some(days),
            opens,
            valid_from: None,
            valid_through: None,
        }
    }
}

/// Serialized JSON text. Serializing these views cannot fail (their maps have
/// string keys); should it, the data is left empty rather than the build stopped.
fn json_text<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// JSON that cannot end the `<script>` element it is printed in.
pub(crate) fn script_safe_json<T: Serialize + ?Sized>(value: &T) -> String {
    json_text(value)
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

const SCHEMA_DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

fn clock(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The weekly hours as `OpeningHoursSpecification`s; a range past midnight is split
/// at midnight, and a closure is a dated specification with no opening time.
fn opening_hours(channel: &Channel) -> Vec<OpeningHours> {
    let day = |d: u8| format!("https://schema.org/{}", SCHEMA_DAYS[d as usize % 7]);
    let mut specs = Vec::new();
    if channel.has_hours && channel.schedule.always {
        let every_day = DaysOfWeek::All((0..7).map(day).collect());
        specs.push(OpeningHours::weekly(
            every_day,
            "00:00".into(),
            "23:59".into(),
        ));
    }
    for range in &channel.schedule.hours {
        let first_end = range.end.min(MINUTES_PER_DAY);
        let closes = match first_end == MINUTES_PER_DAY {
            true => "23:59".to_string(),
            false => clock(first_end),
        };
        specs.push(OpeningHours::weekly(
            DaysOfWeek::One(day(range.day)),
            clock(range.start),
            closes,
        ));
        if range.end > MINUTES_PER_DAY {
            let next_day = DaysOfWeek::One(day(range.day + 1));
            specs.push(OpeningHours::weekly(
                next_day,
                "00:00".into(),
                clock(range.end - MINUTES_PER_DAY),
            ));
        }
    }
    for closure in &channel.schedule.closures {
        specs.push(OpeningHours {
            kind: "OpeningHoursSpecification",
            closes: "00:00".into(),
            day_of_week: None,
            opens: "00:00".into(),
            valid_from: Some(closure.from.to_string()),
            valid_through: Some(closure.to.to_string()),
        });
    }
    specs
}

/// Weekdays with the same ranges, run together: `{days: "Mon–Fri", ranges: "09:00–18:00"}`.
fn rows(by_day: &[Vec<String>; 7], strings: &Value) -> Vec<HoursRow> {
    let short = |d: usize| {
        strings
            .get("weekdays_short")
            .and_then(|w| w.get(d))
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| SCHEMA_DAYS[d][..3].to_string())
    };
    let mut rows = Vec::new();
    let mut d = 0;
    while d < 7 {
        if by_day[d].is_empty() {
            d += 1;
            continue;
        }
        let mut last = d;
        while last + 1 < 7 && by_day[last + 1] == by_day[d] {
            last += 1;
        }
        let days = if last == d {
            short(d)
        } else {
            format!("{}–{}", short(d), short(last))
        };
        let ranges: Vec<String> = by_day[d]
            .iter()
            .map(|r| match r.strip_suffix("+1") {
                Some(body) => format!("{} (+1)", body.replacen('-', "–", 1)),
                None => r.replacen('-', "–", 1),
            })
            .collect();
        rows.push(HoursRow {
            days,
            ranges: ranges.join(", "),
        });
        d = last + 1;
    }
    rows
}
