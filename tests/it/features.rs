//! Help-center features in the written output: announcements (validation, feed, data),
//! "was this helpful?", FAQPage JSON-LD, last-updated dates from git, and metadata.
//! What runs in the reader's browser is tested in browser_features.rs.

use crate::common;

use std::process::Command;

use common::{attrs, first_text, select, text_of, Site};
use serde_json::Value;

fn features_site() -> Site {
    Site::fixture("site-features")
}

fn built() -> Site {
    let site = features_site();
    site.build().assert_ok();
    site
}

// ---------------------------------------------------------------------------
// Announcements
// ---------------------------------------------------------------------------

/// The data a page's banner script reads: `window.helpsiteAnnouncements = {...};`.
fn announcement_data(site: &Site, rel: &str) -> Value {
    let script = site.read(rel);
    let json = script
        .split_once("window.helpsiteAnnouncements = ")
        .and_then(|(_, rest)| rest.trim_end().strip_suffix(';'))
        .unwrap_or_else(|| panic!("no announcement data in {rel}: {script}"));
    serde_json::from_str(json).expect("announcement data is JSON")
}

#[test]
fn announcements_data_lists_each_language_newest_first_with_its_window() {
    let site = built();
    let zh = announcement_data(&site, "public/announcements.js");
    let titles: Vec<&str> = zh["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["系统维护", "充值延迟（已恢复）", "节假日服务时间"]);
    let first = &zh["items"][0];
    assert_eq!(first["starts"], "2030-05-16T22:00:00+08:00");
    assert_eq!(first["ends"], "2030-05-17T02:00:00+08:00");
    assert_eq!(first["severity"], "warning");
    assert_eq!(first["url"], "/announcements/maintenance/");
    // Without `severity` an announcement is information.
    assert_eq!(zh["items"][2]["severity"], "info");
    // The dismissal key changes when the announcement is updated.
    assert_eq!(zh["items"][1]["id"], "announcements/outage.md@2030-03-04");

    let en = announcement_data(&site, "public/en/announcements.js");
    assert_eq!(en["items"].as_array().unwrap().len(), 1, "{en}");
    assert_eq!(en["strings"]["dismiss"], "Dismiss");
    // Hostile text stays inside the script's string.
    let raw = site.read("public/en/announcements.js");
    assert!(!raw.contains("<soon>"), "{raw}");
}

#[test]
fn every_page_carries_the_hidden_banner_and_its_scripts() {
    let site = built();
    for (rel, data) in [
        ("public/guides/withdraw/index.html", "/announcements.js"),
        (
            "public/en/guides/withdraw/index.html",
            "/en/announcements.js",
        ),
        ("public/index.html", "/announcements.js"),
    ] {
        let page = site.html(rel);
        let banner = select(&page, "[data-announcements]");
        assert_eq!(banner.len(), 1, "{rel}");
        // Nothing shows without JavaScript: no stale notice for a no-JS reader.
        assert!(banner[0].value().attr("hidden").is_some(), "{rel}");
        assert!(text_of(&banner[0]).trim().is_empty(), "{rel}");
        let scripts = attrs(&page, "script[src]", "src");
        assert!(scripts.contains(&data.to_string()), "{rel}: {scripts:?}");
        assert!(
            scripts.iter().any(|s| s.starts_with("/banner.js")),
            "{rel}: {scripts:?}"
        );
    }
    assert!(site.exists("public/banner.js"));
}

#[test]
fn a_site_without_announcements_has_no_banner_feed_or_script() {
    let site = features_site();
    std::fs::remove_dir_all(site.path().join("content/announcements")).unwrap();
    site.build().assert_ok();
    let page = site.html("public/guides/withdraw/index.html");
    assert!(select(&page, "[data-announcements]").is_empty());
    assert!(select(&page, "link[type='application/atom+xml']").is_empty());
    assert!(!site.exists("public/atom.xml"));
    assert!(!site.exists("public/announcements.js"));
}

#[test]
fn announcements_page_lists_the_history_with_windows() {
    let site = built();
    let page = site.html("public/announcements/index.html");
    let titles: Vec<String> = select(&page, ".announcement-entry h2")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(titles, ["系统维护", "充值延迟（已恢复）", "节假日服务时间"]);
    assert_eq!(
        attrs(&page, ".announcement-entry time", "datetime"),
        [
            "2030-05-16T22:00:00+08:00",
            "2030-05-17T02:00:00+08:00",
            "2030-03-03T09:00:00Z",
            "2030-03-03T12:00:00Z",
            "2030-02-10",
            "2030-02-12"
        ]
    );
    assert_eq!(attrs(&page, ".feed-link a", "href"), ["/atom.xml"]);
    let article = site.html("public/announcements/maintenance/index.html");
    assert_eq!(
        first_text(&article, ".article-header .announcement-severity"),
        "提醒"
    );
}

#[test]
fn atom_feed_per_language_is_linked_and_lists_the_announcements() {
    let site = built();
    let feed = site.read("public/atom.xml");
    assert!(feed.starts_with("<?xml"), "{feed}");
    assert!(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh\">"));
    assert!(feed.contains("<id>https://help.example.com/atom.xml</id>"));
    assert_eq!(feed.matches("<entry>").count(), 3);
    // Newest first, instants in UTC, and the newest change as the feed's own date.
    let maintenance = feed.find("系统维护").unwrap();
    let holiday = feed.find("节假日服务时间").unwrap();
    assert!(maintenance < holiday);
    assert!(
        feed.contains("<published>2030-05-16T14:00:00Z</published>"),
        "{feed}"
    );
    assert!(feed.contains("<updated>2030-05-16T14:00:00Z</updated>\n  <generator>"));
    assert!(feed.contains(
        "<link rel=\"alternate\" type=\"text/html\" href=\"https://help.example.com/announcements/maintenance/\"/>"
    ));

    let en = site.read("public/en/atom.xml");
    assert_eq!(en.matches("<entry>").count(), 1);
    // Escaped: the title's markup and the HTML content are text in the XML.
    assert!(
        en.contains("<title>Maintenance &lt;soon&gt; &amp; more</title>"),
        "{en}"
    );
    assert!(en.contains("<content type=\"html\">&lt;p&gt;Withdrawals pause"));

    for (rel, href) in [
        ("public/guides/withdraw/index.html", "/atom.xml"),
        ("public/en/guides/withdraw/index.html", "/en/atom.xml"),
    ] {
        let page = site.html(rel);
        assert_eq!(
            attrs(
                &page,
                "link[rel=alternate][type='application/atom+xml']",
                "href"
            ),
            [href],
            "{rel}"
        );
    }
}

/// Writes one announcement and builds; returns the run.
fn build_with_announcement(site: &Site, rel: &str, front_matter: &str) -> common::Run {
    site.write(rel, &format!("+++\n{front_matter}+++\n\nText.\n"));
    site.build()
}

#[test]
fn bad_announcement_front_matter_is_an_error_at_its_line() {
    let cases = [
        (
            "title = \"x\"\nstarts = 2030-01-01\nseverity = \"urgent\"\n",
            "`severity` must be info, warning or outage",
            "content/announcements/bad.md:4:12",
        ),
        (
            "title = \"x\"\nstarts = 2030-01-05\nends = 2030-01-04\n",
            "announcement ends (2030-01-04) before it starts (2030-01-05)",
            "content/announcements/bad.md:4:8",
        ),
        (
            "title = \"x\"\nstarts = 2030-01-05T10:00:00+08:00\nends = 2030-01-05T01:00:00Z\n",
            "before it starts",
            "content/announcements/bad.md:4:8",
        ),
        (
            "title = \"x\"\nstarts = \"soon\"\n",
            "`starts` must be a date",
            "content/announcements/bad.md:3:10",
        ),
        (
            "title = \"x\"\nends = 2030-01-05\n",
            "announcement has no `starts`",
            "content/announcements/bad.md:2:1",
        ),
    ];
    for (front_matter, message, location) in cases {
        let site = features_site();
        let run = build_with_announcement(&site, "content/announcements/bad.md", front_matter);
        run.assert_code(1);
        let errors = run.errors();
        assert!(
            errors
                .iter()
                .any(|(m, l)| m.contains(message) && l == location),
            "expected {message:?} at {location}, got {errors:?}"
        );
    }
}

#[test]
fn announcement_keys_outside_the_announcements_section_are_refused() {
    let site = features_site();
    let run = build_with_announcement(
        &site,
        "content/guides/notice.md",
        "title = \"x\"\nseverity = \"outage\"\n",
    );
    run.assert_code(1);
    assert!(
        run.errors()
            .iter()
            .any(|(m, l)| m.contains("`severity` is only for announcements")
                && l == "content/guides/notice.md:3:12"),
        "{:?}",
        run.errors()
    );
}

#[test]
fn a_bad_announcement_leaves_the_previous_output_untouched() {
    let site = built();
    let before = site.snapshot("public");
    build_with_announcement(
        &site,
        "content/announcements/bad.md",
        "title = \"x\"\nstarts = 2030-01-05\nends = 2030-01-01\n",
    )
    .assert_code(1);
    assert_eq!(site.snapshot("public"), before);
}

// ---------------------------------------------------------------------------
// Was this article helpful?
// ---------------------------------------------------------------------------

#[test]
fn feedback_is_off_by_default() {
    let site = built();
    let page = site.html("public/guides/withdraw/index.html");
    assert!(select(&page, "[data-feedback]").is_empty());
    assert!(!attrs(&page, "script[src]", "src")
        .iter()
        .any(|s| s.contains("feedback.js")));
}

#[test]
fn feedback_to_an_endpoint_is_a_form_with_the_article_fields() {
    let site = features_site();
    let config = site.read("config.toml");
    site.write(
        "config.toml",
        &format!("{config}\n[feedback]\nendpoint = \"https://forms.example.com/f/helpful\"\n"),
    );
    site.build().assert_ok();
    let page = site.html("public/en/guides/withdraw/index.html");
    assert_eq!(
        attrs(&page, "form[data-feedback-form]", "action"),
        ["https://forms.example.com/f/helpful"]
    );
    assert_eq!(attrs(&page, "form[data-feedback-form]", "method"), ["post"]);
    assert_eq!(
        attrs(&page, "form[data-feedback-form] input[name=path]", "value"),
        ["/en/guides/withdraw/"]
    );
    assert_eq!(
        attrs(&page, "form[data-feedback-form] input[name=lang]", "value"),
        ["en"]
    );
    assert_eq!(
        attrs(
            &page,
            "form[data-feedback-form] button[name=answer]",
            "value"
        ),
        ["yes", "no"]
    );
    // The comment box has a label.
    assert_eq!(attrs(&page, "label[for=feedback-comment]", "for").len(), 1);
    assert_eq!(
        attrs(&page, "textarea#feedback-comment", "name"),
        ["comment"]
    );
    assert!(attrs(&page, "script[src]", "src")
        .iter()
        .any(|s| s.starts_with("/feedback.js")));
}

#[test]
fn feedback_by_mail_prepares_the_message() {
    let site = features_site();
    let config = site.read("config.toml");
    site.write(
        "config.toml",
        &format!("{config}\n[feedback]\nmailto = \"help@example.com\"\n"),
    );
    site.build().assert_ok();
    let page = site.html("public/en/guides/withdraw/index.html");
    let links = attrs(&page, "[data-feedback] a", "href");
    assert_eq!(links.len(), 2);
    assert!(links[0].starts_with("mailto:help@example.com?subject=Feedback%20on%20"));
    assert!(
        links[0].contains("Article%3A%20%2Fen%2Fguides%2Fwithdraw%2F"),
        "{}",
        links[0]
    );
    assert!(links[0].contains("Language%3A%20en"));
    assert!(links[0].contains("Helpful%3A%20yes"));
    assert!(links[1].contains("Helpful%3A%20no"));
    assert!(select(&page, "form[data-feedback-form]").is_empty());
}

#[test]
fn bad_feedback_config_is_an_error_at_its_line() {
    let site = features_site();
    let config = site.read("config.toml");
    let line = config.lines().count() + 3;
    site.write(
        "config.toml",
        &format!("{config}\n[feedback]\nendpoint = \"javascript:alert(1)\"\n"),
    );
    let run = site.build();
    run.assert_code(1);
    let errors = run.errors();
    assert!(
        errors
            .iter()
            .any(|(m, l)| m.contains("is not a web address")
                && *l == format!("config.toml:{line}:1")),
        "{errors:?}"
    );
}

// ---------------------------------------------------------------------------
// FAQPage JSON-LD
// ---------------------------------------------------------------------------

fn faq_jsonld(page: &scraper::Html) -> Option<Value> {
    select(page, "script[type='application/ld+json']")
        .iter()
        .map(|s| serde_json::from_str::<Value>(&s.inner_html()).expect("JSON-LD parses"))
        .find(|v| v["@type"] == "FAQPage")
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text a reader sees in an element: hidden parts (the "#" heading permalinks) left out.
fn visible_text(node: ego_tree::NodeRef<'_, scraper::Node>) -> String {
    match node.value() {
        scraper::Node::Text(text) => text.to_string(),
        scraper::Node::Element(e) if e.attr("aria-hidden") == Some("true") => String::new(),
        _ => node.children().map(visible_text).collect(),
    }
}

/// The questions and answers a reader sees: each top-level heading of the article's
/// content and the text after it up to the next one.
fn visible_questions(page: &scraper::Html) -> Vec<(String, String)> {
    let content = select(page, "article .content")[0];
    let mut found: Vec<(String, String)> = Vec::new();
    for node in content.children() {
        let is_question = node.value().as_element().is_some_and(|e| e.name() == "h2");
        if is_question {
            found.push((collapse(&visible_text(node)), String::new()));
        } else if let Some(last) = found.last_mut() {
            last.1.push(' ');
            last.1.push_str(&visible_text(node));
        }
    }
    found
        .into_iter()
        .map(|(q, a)| (q, collapse(&a)))
        .filter(|(_, a)| !a.is_empty())
        .collect()
}

#[test]
fn faq_article_json_ld_matches_the_visible_questions_and_answers() {
    let site = built();
    let html = site.read("public/guides/asked/index.html");
    // No way out of the <script> element for hostile headings.
    let script_start = html.find("\"FAQPage\"").expect("FAQPage JSON-LD");
    let script_end = html[script_start..].find("</script>").unwrap() + script_start;
    assert!(!html[script_start..script_end].contains('<'));
    let page = scraper::Html::parse_document(&html);
    let data = faq_jsonld(&page).expect("FAQPage JSON-LD");
    assert_eq!(data["@context"], "https://schema.org");
    assert_eq!(data["url"], "https://help.example.com/guides/asked/");
    let from_data: Vec<(String, String)> = data["mainEntity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            assert_eq!(q["@type"], "Question");
            assert_eq!(q["acceptedAnswer"]["@type"], "Answer");
            (
                q["name"].as_str().unwrap().to_string(),
                q["acceptedAnswer"]["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let visible = visible_questions(&page);
    assert_eq!(from_data, visible);
    // And what that is, spelled out: the sub-heading belongs to its question's answer,
    // the question without an answer is left out, hostile text is kept as text.
    assert_eq!(from_data.len(), 2, "{from_data:?}");
    assert_eq!(from_data[0].0, "提现要多久？");
    assert_eq!(
        from_data[0].1,
        "一般 1–2 个工作日。 快速提现：2 小时内 普通提现：1–2 天 节假日 顺延到下一个工作日。"
    );
    assert_eq!(
        from_data[1].0,
        "Is </script><script>alert(1)</script> & \"quoted\" safe?"
    );
    assert_eq!(from_data[1].1, "Yes: <b>shown as text</b> & kept.");
}

#[test]
fn a_faq_section_marks_its_articles_unless_one_says_otherwise() {
    let site = built();
    let fees = site.html("public/questions/fees/index.html");
    let data = faq_jsonld(&fees).expect("a FAQ section's article has FAQPage JSON-LD");
    assert_eq!(data["mainEntity"][0]["name"], "提现收费吗？");
    assert_eq!(
        data["mainEntity"][0]["acceptedAnswer"]["text"],
        "每月前 5 次免费。"
    );
    assert!(faq_jsonld(&site.html("public/questions/not-faq/index.html")).is_none());
    assert!(faq_jsonld(&site.html("public/guides/withdraw/index.html")).is_none());
}

// ---------------------------------------------------------------------------
// Last-updated dates
// ---------------------------------------------------------------------------

fn git(dir: &std::path::Path, args: &[&str], date: &str) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_AUTHOR_NAME", "Writer")
        .env("GIT_AUTHOR_EMAIL", "writer@example.com")
        .env("GIT_COMMITTER_NAME", "Writer")
        .env("GIT_COMMITTER_EMAIL", "writer@example.com")
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn updated_datetime(site: &Site, rel: &str) -> Vec<String> {
    attrs(&site.html(rel), ".article-meta time", "datetime")
}

#[test]
fn updated_dates_come_from_the_last_commit_when_configured() {
    let site = features_site();
    let config = site.read("config.toml");
    site.write(
        "config.toml",
        &format!("{config}\n[dates]\nfrom_git = true\n"),
    );
    let dir = site.path();
    git(dir, &["init", "-q"], "2030-01-01T00:00:00Z");
    git(dir, &["add", "."], "2030-01-01T00:00:00Z");
    git(
        dir,
        &["commit", "-q", "-m", "first"],
        "2030-01-10T08:00:00+08:00",
    );
    site.write(
        "content/guides/withdraw.en.md",
        "+++\ntitle = \"How to withdraw\"\n+++\n\nChanged.\n",
    );
    git(
        dir,
        &["commit", "-q", "-am", "second"],
        "2030-02-20T09:30:00+08:00",
    );
    site.write(
        "content/guides/draft-only.md",
        "+++\ntitle = \"未提交\"\n+++\n\n正文。\n",
    );

    site.build().assert_ok();
    assert_eq!(
        updated_datetime(&site, "public/en/guides/withdraw/index.html"),
        ["2030-02-20"]
    );
    assert_eq!(
        updated_datetime(&site, "public/questions/fees/index.html"),
        ["2030-01-10"]
    );
    // Front matter wins over git.
    assert_eq!(
        updated_datetime(&site, "public/guides/withdraw/index.html"),
        ["2030-01-02"]
    );
    // Not committed yet: no date rather than a wrong one.
    assert!(updated_datetime(&site, "public/guides/draft-only/index.html").is_empty());
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains("<lastmod>2030-02-20</lastmod>"),
        "{sitemap}"
    );
}

#[test]
fn dates_from_git_outside_a_repository_warn_and_build() {
    let site = features_site();
    let config = site.read("config.toml");
    site.write(
        "config.toml",
        &format!("{config}\n[dates]\nfrom_git = true\n"),
    );
    // A temp dir may sit inside a repository; a ceiling keeps git from looking up.
    let run = {
        let out = Command::new(env!("CARGO_BIN_EXE_helpsite"))
            .current_dir(site.path())
            .arg("build")
            .env("GIT_CEILING_DIRECTORIES", site.path().parent().unwrap())
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert_eq!(run.0, Some(0), "{}", run.1);
    assert!(run.1.contains("`[dates] from_git` is on"), "{}", run.1);
    assert!(site.exists("public/guides/withdraw/index.html"));
}

// ---------------------------------------------------------------------------
// Metadata
// ---------------------------------------------------------------------------

#[test]
fn pages_carry_canonical_description_and_open_graph() {
    let site = built();
    let page = site.html("public/en/guides/withdraw/index.html");
    let meta = |property: &str| attrs(&page, &format!("meta[property='{property}']"), "content");
    assert_eq!(
        attrs(&page, "link[rel=canonical]", "href"),
        ["https://help.example.com/en/guides/withdraw/"]
    );
    assert_eq!(
        attrs(&page, "meta[name=description]", "content"),
        ["The steps of a withdrawal"]
    );
    assert_eq!(meta("og:title"), ["How to withdraw"]);
    assert_eq!(meta("og:description"), ["The steps of a withdrawal"]);
    assert_eq!(
        meta("og:url"),
        ["https://help.example.com/en/guides/withdraw/"]
    );
    assert_eq!(meta("og:type"), ["article"]);
    assert_eq!(meta("og:locale"), ["en"]);
    assert_eq!(meta("og:locale:alternate"), ["zh"]);
    assert_eq!(meta("og:site_name"), ["Example Help"]);

    let home = site.html("public/index.html");
    assert_eq!(
        attrs(&home, "meta[property='og:title']", "content"),
        ["示例帮助中心"]
    );
    assert_eq!(
        attrs(&home, "meta[property='og:type']", "content"),
        ["website"]
    );
}
