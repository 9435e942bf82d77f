//! The search index as `helpsite build` writes it: files per language, drafts and
//! stand-ins left out, sizes printed, budgets enforced, hostile text stored as data.

use crate::common;

use common::{snapshot, Site};
use serde_json::Value;

/// Every search data file of a language folder (`public/search/data` or
/// `public/en/search/data`), as text.
fn index_text(site: &Site, data: &str) -> String {
    snapshot(&site.path().join(data))
        .into_iter()
        .map(|(_, bytes)| String::from_utf8(bytes).expect("index files are UTF-8"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The rows of every results chunk of a language.
fn result_rows(site: &Site, data: &str) -> Vec<Value> {
    let mut rows = Vec::new();
    for (path, bytes) in snapshot(&site.path().join(data).join("r")) {
        let text = String::from_utf8(bytes).unwrap();
        let (_, json) = text
            .trim_end()
            .strip_suffix(");")
            .and_then(|t| t.split_once(','))
            .unwrap_or_else(|| panic!("{} is not a results call", path.display()));
        let chunk: Value = serde_json::from_str(json).expect("results chunk is JSON");
        rows.extend(chunk.as_array().unwrap().iter().cloned());
    }
    rows
}

#[test]
fn each_language_gets_an_index_and_a_search_page() {
    let site = Site::fixture("search");
    let run = site.build();
    run.assert_ok();
    for prefix in ["", "en/"] {
        for file in [
            "search/index.html",
            "search/data/index.js",
            "search/data/p/0.js",
            "search/data/r/0.js",
        ] {
            assert!(
                site.exists(&format!("public/{prefix}{file}")),
                "{prefix}{file}"
            );
        }
    }
    assert!(site.exists("public/search.js"));
    // The build summary names each index's size and its largest shard.
    for lang in ["zh", "en"] {
        let line = run
            .stdout
            .lines()
            .find(|l| l.starts_with(&format!("search index {lang}:")))
            .unwrap_or_else(|| panic!("no size line for {lang}:\n{}", run.stdout));
        assert!(
            line.contains("largest shard") && line.contains("B"),
            "{line}"
        );
    }
    // Chinese text is indexed as bigrams, keywords included; English is stemmed.
    let zh = index_text(&site, "public/search/data");
    for term in [
        "\"提现\"",
        "\"取现\"",
        "\"提款\"",
        "\"到账\"",
        "\"withdraw\"",
    ] {
        assert!(zh.contains(term), "{term} missing from the zh index");
    }
    let en = index_text(&site, "public/en/search/data");
    assert!(en.contains("\"payout\"") && en.contains("\"cash\""));
    // Every page carries the search box, pointing at its language's data, relatively.
    let page = site.html("public/en/money/cash-out/index.html");
    assert_eq!(
        common::attrs(&page, "form[data-search]", "data-search-data"),
        ["../../../en/search/data/"]
    );
    let home = site.html("public/index.html");
    assert_eq!(
        common::attrs(&home, "form[data-search]", "data-search-data"),
        ["search/data/"]
    );
}

#[test]
fn drafts_are_never_indexed_not_even_with_drafts_flag() {
    let site = Site::fixture("search");
    site.run(&["build", "--drafts"]).assert_ok();
    assert!(site.exists("public/money/secret-plans/index.html"));
    assert!(!index_text(&site, "public/search/data").contains("zebraquartz"));
}

#[test]
fn an_untranslated_article_is_indexed_once_in_its_own_language() {
    let site = Site::fixture("search");
    site.build().assert_ok();
    // The English site shows a stand-in for it, but does not index it again.
    assert!(site.exists("public/en/money/only-chinese/index.html"));
    assert!(index_text(&site, "public/search/data").contains("penguinlemon"));
    assert!(!index_text(&site, "public/en/search/data").contains("penguinlemon"));
}

#[test]
fn hostile_titles_and_headings_are_stored_as_data() {
    let site = Site::fixture("search");
    site.build().assert_ok();
    let rows = result_rows(&site, "public/en/search/data");
    let hostile = rows
        .iter()
        .find(|r| r[0] == "en/money/hostile/")
        .expect("the hostile article is in the results table");
    assert_eq!(
        hostile[1],
        "Hostile <img src=x onerror=\"window.__pwned='title'\"> title"
    );
    assert!(hostile[3].as_str().unwrap().contains("<img src=x onerror="));
}

#[test]
fn search_false_turns_a_language_index_off() {
    let site = Site::fixture("search");
    let config = site
        .read("config.toml")
        .replace("name = \"English\"", "name = \"English\"\nsearch = false");
    site.write("config.toml", &config);
    let run = site.build();
    run.assert_ok();
    assert!(site.exists("public/search/data/index.js"));
    assert!(!site.exists("public/en/search"));
    assert!(!run.stdout.contains("search index en"));
    let page = site.html("public/en/money/cash-out/index.html");
    assert!(common::select(&page, "form[data-search]").is_empty());
}

#[test]
fn a_budget_exceeded_fails_the_build_and_keeps_the_previous_output() {
    let site = Site::fixture("search");
    site.build().assert_ok();
    let before = site.snapshot("public");
    let config = format!(
        "{}\n[search]\nmax_shard_bytes = 200\n",
        site.read("config.toml")
    );
    site.write("config.toml", &config);
    let run = site.build();
    run.assert_code(1);
    assert!(
        run.stderr.contains("largest search shard of language `zh`")
            && run.stderr.contains("max_shard_bytes"),
        "{}",
        run.stderr
    );
    assert_eq!(site.snapshot("public"), before, "public/ changed");

    let config = site
        .read("config.toml")
        .replace("max_shard_bytes = 200", "max_index_bytes = 1000");
    site.write("config.toml", &config);
    let run = site.build();
    run.assert_code(1);
    assert!(
        run.stderr.contains("search index of language `en`")
            && run.stderr.contains("over the budget of 1000 B"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_misspelt_budget_key_gets_a_hint() {
    let site = Site::fixture("search");
    let config = format!(
        "{}\n[search]\nmax_shard_byte = 2000\n",
        site.read("config.toml")
    );
    site.write("config.toml", &config);
    let run = site.build();
    run.assert_code(1);
    assert!(run.stderr.contains("max_shard_bytes"), "{}", run.stderr);
}

#[test]
fn the_same_site_gives_the_same_index_bytes() {
    let site = Site::fixture("search");
    site.build().assert_ok();
    let first = site.snapshot("public/search");
    site.build().assert_ok();
    assert_eq!(site.snapshot("public/search"), first);
}
