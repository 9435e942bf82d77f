//! Contact channels: schedules at chosen instants, validation with file and line,
//! the contact page, channel pages, routing and JSON-LD, on the `contact` fixture.

use crate::common;

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use common::{attrs, fixture_dir, select, text_of, Site};
use helpsite::contact::schedule::Status;
use helpsite::model::parse::{parse_source, Parsed};
use helpsite::source::discover::discover;
use scraper::{ElementRef, Html, Selector};

#[derive(serde::Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    channel: String,
    at: String,
    status: String,
    #[serde(default)]
    next: String,
}

fn instant(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// The shared table of instants (also checked in the browser by tests/it/browser.rs).
fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(fixture_dir("contact-cases.toml")).unwrap();
    toml::from_str::<Cases>(&text).unwrap().case
}

#[test]
fn schedules_give_the_expected_status_and_next_opening() {
    let root = fixture_dir("contact");
    let (files, diags) = discover(&root, &root.join("content"));
    assert!(diags.is_empty());
    let channels: Vec<(String, helpsite::contact::channel::Channel)> = files
        .iter()
        .filter(|f| f.rel.starts_with("contact/") && !f.rel.ends_with("_index.md"))
        .map(|f| match parse_source(f, 1 << 20) {
            Ok(Parsed::Page(p)) => (f.stem().to_string(), p.channel.expect("a channel")),
            _ => panic!("{} does not parse", f.rel),
        })
        .collect();
    for case in cases() {
        let (_, channel) = channels
            .iter()
            .find(|(n, _)| *n == case.channel)
            .expect("channel");
        let at = instant(&case.at);
        let status = channel.schedule.status_at(at);
        assert_eq!(
            status.as_str(),
            case.status,
            "{} at {}",
            case.channel,
            case.at
        );
        if status == Status::Closed {
            let next = channel
                .schedule
                .next_opening(at)
                .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
            let expected = (!case.next.is_empty()).then(|| case.next.clone());
            assert_eq!(
                next, expected,
                "next opening of {} after {}",
                case.channel, case.at
            );
        }
    }
}

fn built() -> Site {
    let site = Site::fixture("contact");
    site.build().assert_ok();
    site
}

#[test]
fn the_contact_page_lists_every_channel_grouped_by_kind() {
    let site = built();
    let page = site.html("public/contact/index.html");
    let names = attrs(
        &page,
        "main [data-channel][data-channel-status]",
        "data-channel",
    );
    for name in [
        "hotline",
        "night-line",
        "new-york",
        "long-weekend",
        "always",
        "email",
        "forum",
    ] {
        assert!(
            names.contains(&name.to_string()),
            "{name} missing: {names:?}"
        );
    }
    let text = text_of(&select(&page, "main")[0]);
    // Hours in the channel's own zone, readable without JavaScript.
    assert!(text.contains("09:00–18:00"), "{text}");
    assert!(text.contains("Asia/Shanghai"), "{text}");
    assert!(text.contains("22:00–02:00 (+1)"), "{text}");
    assert!(!select(&page, "main table").is_empty());
    let hrefs = attrs(&page, "main a", "href");
    assert!(hrefs.contains(&"tel:+15550142".to_string()), "{hrefs:?}");
    assert!(
        hrefs.contains(&"mailto:support@example.com".to_string()),
        "{hrefs:?}"
    );
    assert!(site.exists("public/channels.js"));
}

#[test]
fn the_contact_page_groups_kinds_in_a_fixed_order() {
    let site = built();
    let page = site.html("public/contact/index.html");
    let groups: Vec<(String, String, Vec<String>, Vec<String>)> =
        select(&page, "main section.channel-group")
            .iter()
            .map(|group| {
                let h2 = group
                    .select(&Selector::parse("h2").unwrap())
                    .next()
                    .expect("a heading per group");
                assert_eq!(
                    group.value().attr("aria-labelledby"),
                    h2.value().attr("id"),
                    "the group is labelled by its heading"
                );
                let kinds = inner_attrs(group, ".channel-card", "data-kind");
                let names =
                    inner_attrs(group, "[data-channel][data-channel-status]", "data-channel");
                (
                    text_of(&h2),
                    h2.value().attr("id").unwrap_or("").to_string(),
                    kinds,
                    names,
                )
            })
            .collect();
    let headings: Vec<&str> = groups.iter().map(|g| g.0.as_str()).collect();
    // Phone, chat, email, ..., forum: the forum (weight 0) sorts first among pages but
    // its kind comes last; within a kind, the channels keep the section's order.
    assert_eq!(headings, ["Phone", "Live chat", "Email", "Community forum"]);
    let ids: Vec<&str> = groups.iter().map(|g| g.1.as_str()).collect();
    assert_eq!(
        ids,
        [
            "channels-phone",
            "channels-chat",
            "channels-email",
            "channels-forum"
        ]
    );
    let expected: [(&str, &[&str]); 4] = [
        (
            "phone",
            &["hotline", "night-line", "long-weekend", "always"],
        ),
        ("chat", &["new-york"]),
        ("email", &["email"]),
        ("forum", &["forum"]),
    ];
    for ((_, _, kinds, names), (kind, channels)) in groups.iter().zip(expected) {
        assert!(
            kinds.iter().all(|k| k == kind),
            "group {kind} holds {kinds:?}"
        );
        assert_eq!(names, channels, "channels of the {kind} group");
    }
}

fn inner_attrs(scope: &ElementRef<'_>, css: &str, attr: &str) -> Vec<String> {
    scope
        .select(&Selector::parse(css).unwrap())
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// (weekday, opens, closes) with Monday 0; a range past midnight is two entries.
type Hours = BTreeSet<(usize, String, String)>;
/// (first day, last day) of each closure.
type Closures = BTreeSet<(String, String)>;

const SHORT_DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const SCHEMA_DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// The opening hours and closures a reader sees in a channel card: the "Opening
/// hours" table (rows like `Mon–Fri | 09:00–18:00, 22:00–02:00 (+1)`), "Open around
/// the clock", and the "Closures" table.
fn hours_on_page(card: &ElementRef<'_>) -> (Hours, Closures) {
    let css = |s: &str| Selector::parse(s).unwrap();
    let day = |name: &str| {
        SHORT_DAYS
            .iter()
            .position(|d| *d == name.trim())
            .unwrap_or_else(|| panic!("weekday {name:?}"))
    };
    let mut hours = Hours::new();
    let mut closures = Closures::new();
    if card.select(&css("p.channel-always")).next().is_some() {
        for d in 0..7 {
            hours.insert((d, "00:00".into(), "23:59".into()));
        }
    }
    for table in card.select(&css("table")) {
        let caption = table
            .select(&css("caption"))
            .next()
            .map(|c| text_of(&c))
            .unwrap_or_default();
        for row in table.select(&css("tbody tr")) {
            let th = row.select(&css("th")).next().expect("a row heading");
            match caption.as_str() {
                "Opening hours" => {
                    let days_text = text_of(&th);
                    let days = match days_text.split_once('–') {
                        Some((a, b)) => (day(a)..=day(b)).collect::<Vec<_>>(),
                        None => vec![day(&days_text)],
                    };
                    for range in row.select(&css("td .channel-range")) {
                        let text = text_of(&range);
                        let (body, next_day) = match text.strip_suffix(" (+1)") {
                            Some(body) => (body, true),
                            None => (text.as_str(), false),
                        };
                        let (opens, closes) = body.split_once('–').expect("a range");
                        let closes = if closes == "24:00" { "23:59" } else { closes };
                        for &d in &days {
                            if next_day {
                                hours.insert((d, opens.into(), "23:59".into()));
                                hours.insert(((d + 1) % 7, "00:00".into(), closes.into()));
                            } else {
                                hours.insert((d, opens.into(), closes.into()));
                            }
                        }
                    }
                }
                "Closures" => {
                    let dates: Vec<String> = th
                        .select(&css("time"))
                        .filter_map(|t| t.value().attr("datetime").map(str::to_string))
                        .collect();
                    let (from, to) = match dates.as_slice() {
                        [one] => (one.clone(), one.clone()),
                        [from, to] => (from.clone(), to.clone()),
                        other => panic!("closure dates {other:?}"),
                    };
                    closures.insert((from, to));
                }
                _ => {}
            }
        }
    }
    (hours, closures)
}

/// The same, read from a `ContactPoint`'s `hoursAvailable`.
fn hours_in_json_ld(point: &serde_json::Value) -> (Hours, Closures) {
    let mut hours = Hours::new();
    let mut closures = Closures::new();
    let specs = point["hoursAvailable"].as_array().expect("hoursAvailable");
    for spec in specs {
        assert_eq!(spec["@type"], "OpeningHoursSpecification", "{spec}");
        let (opens, closes) = (
            spec["opens"].as_str().expect("opens"),
            spec["closes"].as_str().expect("closes"),
        );
        if let Some(from) = spec["validFrom"].as_str() {
            // A dated specification opening and closing at 00:00: closed those days.
            assert_eq!((opens, closes), ("00:00", "00:00"), "{spec}");
            let to = spec["validThrough"].as_str().expect("validThrough");
            closures.insert((from.to_string(), to.to_string()));
            continue;
        }
        let days: Vec<&serde_json::Value> = match &spec["dayOfWeek"] {
            serde_json::Value::Array(list) => list.iter().collect(),
            one => vec![one],
        };
        for d in days {
            let name = d
                .as_str()
                .and_then(|d| d.strip_prefix("https://schema.org/"))
                .unwrap_or_else(|| panic!("dayOfWeek {d}"));
            let index = SCHEMA_DAYS.iter().position(|s| *s == name).expect("a day");
            hours.insert((index, opens.to_string(), closes.to_string()));
        }
    }
    (hours, closures)
}

fn json_ld(page: &Html) -> serde_json::Value {
    let scripts = select(page, "script[type='application/ld+json']");
    assert_eq!(scripts.len(), 1, "one JSON-LD script");
    serde_json::from_str(&scripts[0].inner_html()).expect("valid JSON")
}

fn hours(list: &[(usize, &str, &str)]) -> Hours {
    list.iter()
        .map(|&(d, o, c)| (d, o.to_string(), c.to_string()))
        .collect()
}

#[test]
fn channel_pages_carry_json_ld_with_the_same_hours() {
    let site = built();
    // What each page shows, checked against what is known of the fixture, so that
    // the comparison below cannot pass on two empty readings.
    let known: [(&str, Hours, Closures); 3] = [
        (
            "hotline",
            hours(&(0..5).map(|d| (d, "09:00", "18:00")).collect::<Vec<_>>()),
            Closures::new(),
        ),
        (
            "night-line",
            hours(&[(4, "22:00", "23:59"), (5, "00:00", "02:00")]),
            Closures::new(),
        ),
        (
            "always",
            hours(&(0..7).map(|d| (d, "00:00", "23:59")).collect::<Vec<_>>()),
            [("2026-10-05".to_string(), "2026-10-05".to_string())].into(),
        ),
    ];
    for (name, expected_hours, expected_closures) in known {
        let page = site.html(&format!("public/contact/{name}/index.html"));
        let ld = json_ld(&page);
        assert_eq!(ld["@type"], "ContactPoint", "{name}");
        assert_eq!(ld["@context"], "https://schema.org", "{name}");
        let card = select(&page, "main .channel-card-page")
            .into_iter()
            .next()
            .expect("the channel's card");
        let shown = hours_on_page(&card);
        assert_eq!(
            shown,
            (expected_hours, expected_closures),
            "{name}: the page"
        );
        assert_eq!(hours_in_json_ld(&ld), shown, "{name}: JSON-LD and page");
    }
    let hotline = json_ld(&site.html("public/contact/hotline/index.html"));
    assert_eq!(hotline["telephone"], "+1 555-0142");

    // The contact page: every channel's ContactPoint carries the hours of its card.
    let listing = site.html("public/contact/index.html");
    let ld = json_ld(&listing);
    assert_eq!(ld["@type"], "Organization");
    let points = ld["contactPoint"].as_array().unwrap();
    let cards = select(&listing, "main .channel-card");
    assert_eq!(points.len(), 7);
    assert_eq!(cards.len(), points.len());
    for card in &cards {
        let title = card
            .select(&Selector::parse(".channel-title").unwrap())
            .next()
            .map(|t| text_of(&t))
            .expect("the card's title");
        let point = points
            .iter()
            .find(|p| p["name"] == title.as_str())
            .unwrap_or_else(|| panic!("no ContactPoint named {title:?}"));
        assert_eq!(
            hours_in_json_ld(point),
            hours_on_page(card),
            "{title}: JSON-LD and contact page"
        );
    }
    // The closure note with markup stays text inside the JSON-LD of the contact page.
    let contact = site.read("public/contact/index.html");
    assert!(
        !contact.contains("<b>day</b>"),
        "closure note markup must be escaped"
    );
    // Home lists no channels of its own, so it carries no ContactPoint data.
    assert!(!site.read("public/index.html").contains("ContactPoint"));
}

#[test]
fn channels_without_hours_read_as_write_any_time() {
    let site = built();
    let script = site.read("public/channels.js");
    let json = script
        .split_once("window.helpsiteChannels = ")
        .and_then(|(_, rest)| rest.trim_end().strip_suffix(';'))
        .expect("channels.js assigns one JSON object");
    let data: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
    assert_eq!(data["channels"]["email"]["anytime"], true);
    assert_eq!(data["channels"]["hotline"]["anytime"], false);
    assert_eq!(data["channels"]["always"]["anytime"], false);
    // `[contact] closure_notice_days = 5` in the fixture's config.toml (7 by default).
    assert_eq!(data["noticeDays"], 5);
    assert!(data["strings"]["anytime"]
        .as_str()
        .is_some_and(|s| !s.is_empty()));
}

#[test]
fn articles_route_to_their_own_or_their_category_channels() {
    let site = built();
    let inherits = site.html("public/guides/inherits/index.html");
    let items = attrs(
        &inherits,
        "[data-channel-list] [data-channel-item]",
        "data-channel-item",
    );
    assert_eq!(items, ["hotline", "email"]);
    let own = site.html("public/guides/own-list/index.html");
    let items = attrs(
        &own,
        "[data-channel-list] [data-channel-item]",
        "data-channel-item",
    );
    assert_eq!(items, ["night-line", "new-york", "always"]);
    // The hotline suggests its alternative (shown by contact.js when busy or closed).
    assert_eq!(
        attrs(&inherits, "[data-channel-alt=hotline] a", "href"),
        ["/contact/always/"]
    );
}

/// An error of `helpsite check`: its message, `file:line:col` and hint.
#[derive(Debug)]
struct Reported {
    message: String,
    place: String,
    hint: String,
}

/// The located errors of a run's stderr, each block being `error: MESSAGE`, ` --> PLACE`,
/// the quoted source and `= hint: HINT`, up to a blank line.
fn reported_errors(stderr: &str) -> Vec<Reported> {
    let mut found = Vec::new();
    let mut lines = stderr.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(message) = line.strip_prefix("error: ") else {
            continue;
        };
        let Some(place) = lines
            .peek()
            .and_then(|l| l.trim().strip_prefix("--> "))
            .map(str::to_string)
        else {
            continue; // the closing "failed with ..." line
        };
        let mut hint = String::new();
        for line in lines.by_ref() {
            if line.trim().is_empty() {
                break;
            }
            if let Some(h) = line.trim().strip_prefix("= hint: ") {
                hint = h.to_string();
            }
        }
        found.push(Reported {
            message: message.to_string(),
            place,
            hint,
        });
    }
    found
}

/// Writes `text` as a channel page and returns the errors `check` reports.
fn errors_for(text: &str) -> Vec<Reported> {
    let site = Site::fixture("contact");
    site.write("content/contact/bad.md", text);
    let run = site.run(&["check"]);
    run.assert_code(1);
    reported_errors(&run.stderr)
}

fn channel_page(table: &str) -> String {
    format!("+++\ntitle = \"Bad\"\n[channel]\nkind = \"phone\"\naddress = \"+1 555-0100\"\n{table}\n+++\n")
}

/// One error containing `message`, at `place`, with exactly `hint`.
#[track_caller]
fn assert_error_at(errors: &[Reported], message: &str, place: &str, hint: &str) {
    assert!(
        errors
            .iter()
            .any(|e| e.message.contains(message) && e.place == place && e.hint == hint),
        "no error containing {message:?} at {place} with hint {hint:?}: {errors:#?}"
    );
}

#[test]
fn an_unknown_time_zone_fails_with_a_hint() {
    let errors = errors_for(&channel_page(
        "timezone = \"Asia/Shangai\"\nhours = \"24/7\"",
    ));
    assert_error_at(
        &errors,
        "unknown time zone \"Asia/Shangai\"",
        "content/contact/bad.md:6:12",
        "did you mean `Asia/Shanghai`?",
    );
}

const SHAPE_HINT: &str = "write \"09:00-18:00\", or \"22:00-02:00+1\" for a range past midnight";
const OVERLAP_HINT: &str =
    "each minute of the week may be listed once; merge or shorten the ranges";

#[test]
fn impossible_times_and_reversed_ranges_fail_at_their_line() {
    let errors = errors_for(&channel_page(
        "timezone = \"UTC\"\nhours = { mon = [\"09:00-25:00\"] }",
    ));
    assert_error_at(
        &errors,
        "\"25:00\" is not a time of day",
        "content/contact/bad.md:7:18",
        SHAPE_HINT,
    );
    let errors = errors_for(&channel_page(
        "timezone = \"UTC\"\nhours = { mon = [\"18:00-09:00\"] }",
    ));
    assert_error_at(
        &errors,
        "\"18:00-09:00\" ends before it starts",
        "content/contact/bad.md:7:18",
        "for a range past midnight, end it with +1: \"22:00-02:00+1\"",
    );
}

#[test]
fn overlapping_ranges_fail() {
    let errors = errors_for(&channel_page(
        "timezone = \"UTC\"\nhours = { \"mon-fri\" = [\"09:00-18:00\"], \"wed\" = [\"12:00-13:00\"] }",
    ));
    assert_error_at(
        &errors,
        "opening ranges overlap on wed",
        "content/contact/bad.md:7:49",
        OVERLAP_HINT,
    );
    // A range past midnight runs into the next day's first range: reported at the
    // later day's range (column 43 is the quote before "01:00-05:00").
    let errors = errors_for(&channel_page(
        "timezone = \"UTC\"\nhours = { fri = [\"22:00-02:00+1\"], sat = [\"01:00-05:00\"] }",
    ));
    assert_error_at(
        &errors,
        "opening ranges overlap on sat: 01:00-05:00 and 22:00-02:00+1",
        "content/contact/bad.md:7:43",
        OVERLAP_HINT,
    );
}

#[test]
fn a_closure_that_ends_before_it_starts_fails() {
    let errors = errors_for(&channel_page(
        "timezone = \"UTC\"\nclosures = [{ from = 2026-10-07, to = 2026-10-01, note = \"x\" }]",
    ));
    assert_error_at(
        &errors,
        "closure ends (2026-10-01) before it starts (2026-10-07)",
        "content/contact/bad.md:7:13",
        "swap `from` and `to`",
    );
}

#[test]
fn names_of_missing_channels_fail_with_a_hint() {
    let errors = errors_for(&channel_page("alternative = \"hotlime\""));
    assert_error_at(
        &errors,
        "alternative `hotlime` names no contact channel",
        "content/contact/bad.md:6:15",
        "did you mean `hotline`?",
    );
    let site = Site::fixture("contact");
    site.write(
        "content/guides/routed.md",
        "+++\ntitle = \"x\"\ncontact = [\"hotline\", \"emial\"]\n+++\n",
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert_error_at(
        &reported_errors(&run.stderr),
        "contact `emial` names no contact channel",
        "content/guides/routed.md:3:23",
        "did you mean `email`?",
    );
}

#[test]
fn a_phone_channel_needs_a_number() {
    let errors = errors_for("+++\ntitle = \"Bad\"\n[channel]\nkind = \"phone\"\n+++\n");
    assert_error_at(
        &errors,
        "a phone channel needs an `address`",
        "content/contact/bad.md:3:1",
        "add `address = \"...\"`: the number or the email address readers use",
    );
}

/// Routing is per language: in the bilingual demo, the "Still need help?" box of an
/// article links to the channel pages of the article's own language, and names them
/// by their titles in that language.
#[test]
fn help_box_routes_to_the_channels_of_the_articles_language() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    common::run_in(
        &common::repo_root(),
        &["build", "-o", target.to_str().unwrap()],
    )
    .assert_ok();
    let read =
        |rel: &str| Html::parse_document(&std::fs::read_to_string(target.join(rel)).unwrap());
    for (page, contact_prefix) in [
        ("account/close-account/index.html", "/contact/"),
        ("en/account/close-account/index.html", "/en/contact/"),
    ] {
        let html = read(page);
        let links = attrs(&html, "aside.need-help .channel-item-title a", "href");
        assert_eq!(links.len(), 3, "{page}: {links:?}");
        for href in &links {
            assert!(href.starts_with(contact_prefix), "{page}: {href}");
        }
        let names: Vec<String> = select(&html, "aside.need-help [data-channel-item]")
            .iter()
            .filter_map(|item| item.value().attr("data-channel-item").map(str::to_string))
            .collect();
        // The account category routes to live chat, the hotline and email.
        assert_eq!(names, ["live-chat", "hotline", "email-support"], "{page}");
    }
    // The heading and the channel titles are the language's own.
    let titles = |page: &str| {
        let html = read(page);
        let heading = text_of(&select(&html, "aside.need-help h2")[0]);
        let names: Vec<String> = select(&html, "aside.need-help .channel-item-title a")
            .iter()
            .map(text_of)
            .collect();
        (heading, names)
    };
    let (zh_heading, zh_names) = titles("account/close-account/index.html");
    let (en_heading, en_names) = titles("en/account/close-account/index.html");
    assert_eq!(en_heading, "Still need help?");
    assert_ne!(zh_heading, en_heading);
    assert!(en_names.iter().all(|n| n.is_ascii()), "{en_names:?}");
    assert!(zh_names.iter().any(|n| !n.is_ascii()), "{zh_names:?}");
}
