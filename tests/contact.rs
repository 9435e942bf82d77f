//! Contact channels: schedules at chosen instants, validation with file and line,
//! the contact page, channel pages, routing and JSON-LD, on the `contact` fixture.

mod common;

use chrono::{DateTime, Utc};
use common::{attrs, fixture_dir, select, text_of, Site};
use helpsite::contact::schedule::Status;
use helpsite::discover::discover;
use helpsite::parse::{parse_source, Parsed};

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

/// The shared table of instants (also checked in the browser by tests/browser.rs).
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
fn channel_pages_carry_json_ld_with_the_same_hours() {
    let site = built();
    let page = site.html("public/contact/hotline/index.html");
    let scripts: Vec<String> = select(&page, "script[type='application/ld+json']")
        .iter()
        .map(|s| s.inner_html())
        .collect();
    assert_eq!(scripts.len(), 1, "{scripts:?}");
    let ld: serde_json::Value = serde_json::from_str(&scripts[0]).expect("valid JSON");
    assert_eq!(ld["@type"], "ContactPoint");
    assert_eq!(ld["telephone"], "+1 555-0142");
    let hours = ld["hoursAvailable"].as_array().unwrap();
    assert_eq!(hours.len(), 5);
    assert!(
        hours
            .iter()
            .all(|h| h["opens"] == "09:00" && h["closes"] == "18:00"),
        "{hours:?}"
    );
    // The closure note with markup stays text inside the JSON-LD of the contact page.
    let contact = site.read("public/contact/index.html");
    assert!(
        !contact.contains("<b>day</b>"),
        "closure note markup must be escaped"
    );
    let listing = site.html("public/contact/index.html");
    let ld = select(&listing, "script[type='application/ld+json']")[0].inner_html();
    let ld: serde_json::Value = serde_json::from_str(&ld).unwrap();
    assert_eq!(ld["contactPoint"].as_array().unwrap().len(), 6);
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
    // The hotline suggests its alternative when closed.
    assert_eq!(
        attrs(&inherits, "[data-channel-alt=hotline] a", "href"),
        ["/contact/always/"]
    );
}

/// Writes `text` as a channel page and returns the errors of `check` as (message, place).
fn errors_for(text: &str) -> Vec<(String, String)> {
    let site = Site::fixture("contact");
    site.write("content/contact/bad.md", text);
    let run = site.run(&["check"]);
    run.assert_code(1);
    run.errors()
}

fn channel_page(table: &str) -> String {
    format!("+++\ntitle = \"Bad\"\n[channel]\nkind = \"phone\"\naddress = \"+1 555-0100\"\n{table}\n+++\n")
}

#[track_caller]
fn assert_error_at(errors: &[(String, String)], message: &str, place: &str) {
    assert!(
        errors
            .iter()
            .any(|(m, p)| m.contains(message) && p == place),
        "no error containing {message:?} at {place}: {errors:?}"
    );
}

#[test]
fn an_unknown_time_zone_fails_with_a_hint() {
    let site = Site::fixture("contact");
    site.write(
        "content/contact/bad.md",
        &channel_page("timezone = \"Asia/Shangai\"\nhours = \"24/7\""),
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert_error_at(
        &run.errors(),
        "unknown time zone \"Asia/Shangai\"",
        "content/contact/bad.md:6:12",
    );
    assert!(
        run.stderr.contains("did you mean `Asia/Shanghai`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn impossible_times_and_reversed_ranges_fail_at_their_line() {
    let errors = errors_for(&channel_page(
        "timezone = \"UTC\"\nhours = { mon = [\"09:00-25:00\"] }",
    ));
    assert_error_at(
        &errors,
        "\"25:00\" is not a time of day",
        "content/contact/bad.md:7:18",
    );
    let errors = errors_for(&channel_page(
        "timezone = \"UTC\"\nhours = { mon = [\"18:00-09:00\"] }",
    ));
    assert_error_at(
        &errors,
        "ends before it starts",
        "content/contact/bad.md:7:18",
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
    );
    // A range past midnight runs into the next day's first range.
    let errors = errors_for(&channel_page(
        "timezone = \"UTC\"\nhours = { fri = [\"22:00-02:00+1\"], sat = [\"01:00-05:00\"] }",
    ));
    assert!(
        errors.iter().any(|(m, _)| m.contains("overlap")),
        "{errors:?}"
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
    );
}

#[test]
fn names_of_missing_channels_fail_with_a_hint() {
    let errors = errors_for(&channel_page("alternative = \"hotlime\""));
    assert_error_at(
        &errors,
        "alternative `hotlime` names no contact channel",
        "content/contact/bad.md:6:15",
    );
    let site = Site::fixture("contact");
    site.write(
        "content/guides/routed.md",
        "+++\ntitle = \"x\"\ncontact = [\"hotline\", \"emial\"]\n+++\n",
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert_error_at(
        &run.errors(),
        "contact `emial` names no contact channel",
        "content/guides/routed.md:3:23",
    );
    assert!(
        run.stderr.contains("did you mean `email`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_phone_channel_needs_a_number() {
    let site = Site::fixture("contact");
    site.write(
        "content/contact/bad.md",
        "+++\ntitle = \"Bad\"\n[channel]\nkind = \"phone\"\n+++\n",
    );
    let run = site.run(&["check"]);
    run.assert_code(1);
    assert_error_at(
        &run.errors(),
        "a phone channel needs an `address`",
        "content/contact/bad.md:3:1",
    );
}
