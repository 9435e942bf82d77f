//! What templates, the browser script and search engines receive about channels.

use serde_json::{json, Value};

use crate::config::Config;
use crate::contact::channel::Channel;
use crate::contact::schedule::{WeeklyRange, MINUTES_PER_DAY};
use crate::model::channels::ChannelIndex;
use crate::model::urls::Urls;
use crate::model::{PageId, Site};
use crate::source::frontmatter::Date;
use crate::theme::i18n::Strings;

/// Everything a request for `lang` needs to describe channels.
pub struct ChannelViews<'a> {
    pub site: &'a Site,
    pub config: &'a Config,
    pub urls: &'a Urls,
    pub strings: &'a Strings,
    pub index: &'a ChannelIndex,
}

fn text(strings: &Value, key: &str) -> String {
    strings
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or(key)
        .to_string()
}

impl ChannelViews<'_> {
    /// The *Channel* of THEME.md for the channel page `id`.
    pub fn channel(&self, id: PageId) -> Value {
        let page = &self.site.pages[id];
        let Some(named) = &page.channel else {
            return Value::Null;
        };
        let channel = &named.channel;
        let strings = self.strings.of(&page.lang);
        let alternative = channel
            .alternative
            .as_ref()
            .and_then(|alt| self.index.find(&page.lang, &alt.value))
            .map(|alt| {
                let alt_page = &self.site.pages[alt];
                json!({ "name": alt_page.channel.as_ref().map(|c| c.name.clone()), "title": alt_page.title, "url": self.urls.url(&alt_page.path) })
            })
            .unwrap_or(Value::Null);
        let date_text = |d: &chrono::NaiveDate| {
            Date::from_value(&toml::Value::String(d.to_string()))
                .map(|date| self.strings.format_date(&page.lang, &date))
                .unwrap_or_else(|_| d.to_string())
        };
        json!({
            "name": named.name,
            "title": page.title,
            "url": self.urls.url(&page.path),
            "kind": channel.kind.as_str(),
            "kind_label": text(&strings, &format!("kind_{}", channel.kind.as_str())),
            "address": channel.address,
            "href": channel.href,
            "timezone": channel.schedule.zone.name(),
            "has_hours": channel.has_hours,
            "always": channel.has_hours && channel.schedule.always,
            "hours": rows(&channel.hours_by_day, &strings),
            "busy": rows(&channel.busy_by_day, &strings),
            "closures": channel.schedule.closures.iter().map(|c| json!({
                "from": c.from.to_string(),
                "to": c.to.to_string(),
                "from_text": date_text(&c.from),
                "to_text": date_text(&c.to),
                "note": c.note,
            })).collect::<Vec<_>>(),
            "response_time": channel.response_time,
            "languages": channel.languages.iter().map(|code| self.config.language_name(code)).collect::<Vec<_>>(),
            "alternative": alternative,
        })
    }

    /// `channels.js` for `lang`: the schedules and strings `contact.js` works from.
    pub fn script(&self, lang: &str) -> String {
        let strings = self.strings.of(lang);
        let channels: serde_json::Map<String, Value> = self
            .index
            .in_language(lang)
            .filter_map(|(name, id)| {
                let page = &self.site.pages[id];
                let channel = &page.channel.as_ref()?.channel;
                Some((name.to_string(), self.schedule_data(id, channel)))
            })
            .collect();
        let data = json!({
            "noticeDays": self.config.contact.closure_notice_days,
            "strings": {
                "open": text(&strings, "status_open"),
                "anytime": text(&strings, "status_anytime"),
                "busy": text(&strings, "status_busy"),
                "closed": text(&strings, "status_closed"),
                "opens_at": text(&strings, "status_opens_at"),
                "closed_until": text(&strings, "status_closed_until"),
                "closure_banner": text(&strings, "closure_banner"),
                "try_alternative": text(&strings, "try_alternative"),
                "weekdays": strings.get("weekdays").cloned().unwrap_or(Value::Null),
            },
            "channels": channels,
        });
        format!(
            "// Contact channels of this site, written by helpsite build.\nwindow.helpsiteChannels = {};\n",
            data
        )
    }

    fn schedule_data(&self, id: PageId, channel: &Channel) -> Value {
        let page = &self.site.pages[id];
        let ranges = |list: &[WeeklyRange]| {
            list.iter()
                .map(|r| json!([r.day, r.start, r.end]))
                .collect::<Vec<_>>()
        };
        let channel_json = self.channel(id);
        json!({
            "title": page.title,
            "url": self.urls.url(&page.path),
            "timezone": channel.schedule.zone.name(),
            "always": channel.schedule.always,
            // No hours at all (an inbox, a form): "open" reads as "write any time".
            "anytime": !channel.has_hours,
            "hours": ranges(&channel.schedule.hours),
            "busy": ranges(&channel.schedule.busy),
            "closures": channel_json["closures"],
            "alternative": channel.alternative.as_ref().map(|a| a.value.clone()),
        })
    }

    /// schema.org `ContactPoint` of one channel.
    pub fn contact_point(&self, id: PageId) -> Value {
        let page = &self.site.pages[id];
        let Some(named) = &page.channel else {
            return Value::Null;
        };
        let channel = &named.channel;
        let mut point = json!({
            "@type": "ContactPoint",
            "name": page.title,
            "contactType": "customer support",
            "url": self.urls.permalink(&page.path),
            "availableLanguage": channel.languages,
            "hoursAvailable": opening_hours(channel),
        });
        match channel.kind {
            crate::source::channel_table::ChannelKind::Phone => {
                point["telephone"] = json!(channel.address)
            }
            crate::source::channel_table::ChannelKind::Email => {
                point["email"] = json!(channel.address)
            }
            _ if !channel.address.is_empty() => point["url"] = json!(channel.address),
            _ => {}
        }
        point
    }

    /// JSON-LD for a channel page (one `ContactPoint`) or a page listing channels
    /// (an `Organization` with all of them), escaped for a `<script>` element.
    pub fn jsonld(&self, lang: &str, channels: &[PageId]) -> String {
        let value = match channels {
            [] => return String::new(),
            [one] => {
                let mut point = self.contact_point(*one);
                point["@context"] = json!("https://schema.org");
                point
            }
            many => json!({
                "@context": "https://schema.org",
                "@type": "Organization",
                "name": self.config.title_in(lang),
                "url": self.urls.permalink(&self.site.sections[self.site.homes[lang]].path),
                "contactPoint": many.iter().map(|&id| self.contact_point(id)).collect::<Vec<_>>(),
            }),
        };
        script_safe_json(&value)
    }
}

/// JSON that cannot end the `<script>` element it is printed in.
pub fn script_safe_json(value: &Value) -> String {
    value
        .to_string()
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
fn opening_hours(channel: &Channel) -> Vec<Value> {
    let day = |d: u8| format!("https://schema.org/{}", SCHEMA_DAYS[d as usize % 7]);
    let mut specs = Vec::new();
    if channel.has_hours && channel.schedule.always {
        specs.push(json!({
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": (0..7).map(day).collect::<Vec<_>>(),
            "opens": "00:00",
            "closes": "23:59",
        }));
    }
    for range in &channel.schedule.hours {
        let first_end = range.end.min(MINUTES_PER_DAY);
        specs.push(json!({
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": day(range.day),
            "opens": clock(range.start),
            "closes": if first_end == MINUTES_PER_DAY { "23:59".to_string() } else { clock(first_end) },
        }));
        if range.end > MINUTES_PER_DAY {
            specs.push(json!({
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": day(range.day + 1),
                "opens": "00:00",
                "closes": clock(range.end - MINUTES_PER_DAY),
            }));
        }
    }
    for closure in &channel.schedule.closures {
        specs.push(json!({
            "@type": "OpeningHoursSpecification",
            "validFrom": closure.from.to_string(),
            "validThrough": closure.to.to_string(),
            "opens": "00:00",
            "closes": "00:00",
        }));
    }
    specs
}

/// Weekdays with the same ranges, run together: `{days: "Mon–Fri", ranges: "09:00–18:00"}`.
fn rows(by_day: &[Vec<String>; 7], strings: &Value) -> Vec<Value> {
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
        rows.push(json!({ "days": days, "ranges": ranges.join(", ") }));
        d = last + 1;
    }
    rows
}
