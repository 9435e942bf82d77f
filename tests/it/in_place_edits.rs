//! Saves that edit articles in place (`incremental::article_edit`): the model is
//! patched instead of built again, only the pages that show the change are rendered
//! again, and the files still equal a clean build's.

use crate::common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use common::Site;
use helpsite::incremental::Incremental;
use helpsite::pipeline::{build, BuildOptions, BuildOutput, Changes};

const WITHDRAW: &str = "content/guides/withdraw.md";
const LIMITS: &str = "content/guides/limits.md";
/// Has no English version: its English stand-in shows it.
const API_KEYS: &str = "content/guides/advanced/api-keys.md";

fn files(output: &BuildOutput) -> Vec<(String, Vec<u8>)> {
    assert!(output.succeeded(), "{:?}", output.diagnostics);
    common::built_files(output)
}

/// The article filed under `tags` (none: no `[taxonomies]` table at all).
fn set_tags(site: &Site, rel: &str, tags: &[&str]) -> PathBuf {
    let text = site.read(rel);
    let untagged = match text.find("[taxonomies]") {
        Some(at) => {
            let end = text[at..].find("+++").unwrap() + at;
            format!("{}{}", &text[..at], &text[end..])
        }
        None => text,
    };
    let end = untagged[3..].find("+++").unwrap() + 3;
    let table = match tags.is_empty() {
        true => String::new(),
        false => format!("[taxonomies]\ntags = {tags:?}\n"),
    };
    let tagged = format!("{}{table}{}", &untagged[..end], &untagged[end..]);
    site.write(rel, &tagged);
    site.path().join(rel)
}

/// Pages whose bytes differ between two builds (or that only one has).
fn pages_changed(before: &[(String, Vec<u8>)], after: &[(String, Vec<u8>)]) -> usize {
    let html = |files: &[(String, Vec<u8>)]| -> BTreeSet<(String, Vec<u8>)> {
        let pages = files.iter().filter(|(path, _)| path.ends_with(".html"));
        pages.cloned().collect()
    };
    let (before, after) = (html(before), html(after));
    let paths = |set: BTreeSet<(String, Vec<u8>)>| -> BTreeSet<String> {
        set.into_iter().map(|(path, _)| path).collect()
    };
    paths(&before ^ &after).len()
}

/// Saves `paths` through the cache and checks the result against a clean build.
fn save(cache: &mut Incremental, options: &BuildOptions, paths: Vec<PathBuf>) -> BuildOutput {
    let output = cache.rebuild(options, &Changes::Content(paths.into_iter().collect()));
    assert_eq!(files(&output), files(&build(options)));
    output
}

#[test]
fn front_matter_saves_patch_the_model_and_equal_clean_builds() {
    let site = Site::fixture("basic");
    let options = BuildOptions::new(site.path());
    let mut cache = Incremental::default();
    cache.rebuild(&options, &Changes::Everything);
    type Save<'a> = (&'a str, Box<dyn Fn() -> PathBuf + 'a>);
    let saves: Vec<Save> = vec![
        (
            "title",
            Box::new(|| site.set_front(WITHDRAW, "title", "\"提现到银行卡\"")),
        ),
        (
            "title with a stand-in",
            Box::new(|| site.set_front(API_KEYS, "title", "\"密钥\"")),
        ),
        (
            "description",
            Box::new(|| site.set_front(LIMITS, "description", "\"上限\"")),
        ),
        (
            "weight reorders",
            Box::new(|| site.set_front(WITHDRAW, "weight", "99")),
        ),
        (
            "weight back",
            Box::new(|| site.set_front(WITHDRAW, "weight", "1")),
        ),
        (
            "date",
            Box::new(|| site.set_front(LIMITS, "date", "2024-12-31")),
        ),
        (
            "updated",
            Box::new(|| site.set_front(WITHDRAW, "updated", "2026-05-05")),
        ),
        (
            "a new tag",
            Box::new(|| set_tags(&site, WITHDRAW, &["提现", "银行卡"])),
        ),
        (
            "the tag on another",
            Box::new(|| set_tags(&site, LIMITS, &["提现"])),
        ),
        (
            "a tag's last article leaves it",
            Box::new(|| set_tags(&site, WITHDRAW, &["提现"])),
        ),
        ("no tags", Box::new(|| set_tags(&site, WITHDRAW, &[]))),
        (
            "keywords",
            Box::new(|| site.set_front(LIMITS, "keywords", "[\"额度\"]")),
        ),
        (
            "promoted",
            Box::new(|| site.set_front(API_KEYS, "promoted", "true")),
        ),
        (
            "extra",
            Box::new(|| site.set_front(LIMITS, "extra", "{ level = 2 }")),
        ),
    ];
    for (what, change) in saves {
        let output = cache.rebuild(&options, &Changes::Content(BTreeSet::from([change()])));
        assert_eq!(output.stats.shortcut, Some("in place"), "{what}");
        assert_eq!(files(&output), files(&build(&options)), "after: {what}");
    }
}

#[test]
fn saves_that_move_an_article_still_go_through_the_full_pipeline() {
    let site = Site::fixture("basic");
    let options = BuildOptions::new(site.path());
    let mut cache = Incremental::default();
    cache.rebuild(&options, &Changes::Everything);
    for (key, value) in [
        ("slug", "\"take-out\""),
        ("aliases", "[\"/cash/\"]"),
        ("draft", "true"),
        ("draft", "false"),
        ("template", "\"page.html\""),
    ] {
        let output = save(
            &mut cache,
            &options,
            vec![site.set_front(WITHDRAW, key, value)],
        );
        assert_eq!(output.stats.shortcut, None, "{key} = {value}");
    }
}

#[test]
fn an_in_place_save_renders_again_just_the_pages_that_changed() {
    let site = Site::fixture("basic");
    let options = BuildOptions::new(site.path());
    let mut cache = Incremental::default();
    let mut last = files(&cache.rebuild(&options, &Changes::Everything));
    // How many pages show each: a title is in listings, neighbours and the
    // stand-in; this description only on its own page (listings show the summary).
    for (rel, key, value, least) in [
        (WITHDRAW, "title", "\"提现到银行卡\"", 3),
        (API_KEYS, "title", "\"密钥\"", 3),
    ] {
        let output = save(&mut cache, &options, vec![site.set_front(rel, key, value)]);
        let now = files(&output);
        let changed = pages_changed(&last, &now);
        assert!(changed >= least, "{rel} {key}: {changed} pages changed");
        assert_eq!(output.stats.rendered, changed, "{rel} {key}");
        last = now;
    }
    // A description or weight is in the context of every page that shows the
    // article, though not every template prints it: those are rendered, no others.
    for (key, value) in [("description", "\"每日上限\""), ("weight", "7")] {
        let output = save(
            &mut cache,
            &options,
            vec![site.set_front(LIMITS, key, value)],
        );
        let now = files(&output);
        let changed = pages_changed(&last, &now);
        let pages = now
            .iter()
            .filter(|(path, _)| path.ends_with(".html"))
            .count();
        let rendered = output.stats.rendered;
        assert!(
            changed >= 1 && rendered >= changed,
            "{key}: {rendered}, {changed}"
        );
        assert!(rendered * 4 < pages, "{key}: {rendered} of {pages}");
        last = now;
    }
}

#[test]
fn text_that_changes_a_summary_is_rendered_in_place_too() {
    let site = Site::fixture("basic");
    let options = BuildOptions::new(site.path());
    let mut cache = Incremental::default();
    cache.rebuild(&options, &Changes::Everything);
    let limits = site.read(LIMITS);
    // After the summary: only the article.
    site.write(LIMITS, &limits.replace("每笔最多一万元", "每笔最多两万元"));
    let output = save(&mut cache, &options, vec![site.path().join(LIMITS)]);
    assert_eq!(output.stats.shortcut, Some("text"));
    assert_eq!(output.stats.rendered, 1);
    // Inside it: the listings that show it too, still without the full pipeline.
    site.write(LIMITS, &limits.replace("每天最多五万元", "每天最多九万元"));
    let output = save(&mut cache, &options, vec![site.path().join(LIMITS)]);
    assert_eq!(output.stats.shortcut, Some("in place"));
    assert!(output.stats.rendered > 1, "{}", output.stats.rendered);
}

#[test]
fn in_place_saves_keep_links_relative_when_the_site_asks() {
    let site = Site::fixture_with("basic", Some("relative_links = true"));
    let options = BuildOptions::new(site.path());
    let mut cache = Incremental::default();
    cache.rebuild(&options, &Changes::Everything);
    for (rel, key, value) in [
        (WITHDRAW, "title", "\"提现到银行卡\""),
        (LIMITS, "weight", "7"),
    ] {
        let output = save(&mut cache, &options, vec![site.set_front(rel, key, value)]);
        assert_eq!(output.stats.shortcut, Some("in place"), "{key}");
        let listing = common::built_files(&output)
            .into_iter()
            .find(|(path, _)| path == "guides/index.html")
            .map(|(_, bytes)| String::from_utf8(bytes).unwrap())
            .unwrap();
        assert!(listing.contains("href=\"../"), "{listing}");
    }
}
