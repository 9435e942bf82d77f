//! Saves that add, delete or rename articles (`incremental::added_removed`): the
//! last build's model takes or loses the articles in place, and the files still
//! equal a clean build's, search index included.

use crate::common;

use common::saves::{files, patched_steps, save, Step};
use common::Site;
use helpsite::incremental::Incremental;
use helpsite::pipeline::{build, BuildOptions, Changes};

const PATCHED: Option<&str> = Some("added or removed");

/// The basic fixture without stand-ins (untranslated articles hidden), served.
fn served_site() -> (Site, BuildOptions, Incremental) {
    let site = Site::fixture("basic");
    let config = site.read("config.toml");
    site.write("config.toml", &format!("untranslated = \"hide\"\n{config}"));
    let options = BuildOptions::new(site.path());
    let mut cache = Incremental::default();
    assert!(cache.rebuild(&options, &Changes::Everything).succeeded());
    (site, options, cache)
}

fn article(title: &str, extra: &str) -> String {
    format!("+++\ntitle = \"{title}\"\n{extra}+++\n{title}：先登录，再打开设置。\n\n## 步骤\n\nfrozen account steps\n")
}

#[test]
fn new_deleted_and_renamed_articles_are_patched_in_and_equal_clean_builds() {
    let (site, options, mut cache) = served_site();
    let at = |rel: &str| site.path().join(rel);
    let steps: Vec<Step> = vec![
        (
            "a new article first in its folder",
            Box::new(|| {
                site.write(
                    "content/guides/aaa-first.md",
                    &article("冻结账户怎么办", ""),
                );
                vec![at("content/guides/aaa-first.md")]
            }),
        ),
        (
            "a new article, tagged and weighted",
            Box::new(|| {
                let extra = "weight = 1\n[taxonomies]\ntags = [\"账户\"]\n";
                site.write("content/guides/middle.md", &article("解冻", extra));
                vec![at("content/guides/middle.md")]
            }),
        ),
        (
            "a new article in a nested section",
            Box::new(|| {
                site.write(
                    "content/guides/advanced/zz-last.md",
                    &article("Webhooks", ""),
                );
                vec![at("content/guides/advanced/zz-last.md")]
            }),
        ),
        (
            "a translation of an article",
            Box::new(|| {
                site.write("content/guides/middle.en.md", &article("Unfreezing", ""));
                vec![at("content/guides/middle.en.md")]
            }),
        ),
        (
            "a deleted article",
            Box::new(|| {
                std::fs::remove_file(at("content/guides/aaa-first.md")).unwrap();
                vec![at("content/guides/aaa-first.md")]
            }),
        ),
        (
            "a renamed article",
            Box::new(|| {
                std::fs::rename(
                    at("content/guides/middle.md"),
                    at("content/guides/unfreeze.md"),
                )
                .unwrap();
                vec![
                    at("content/guides/middle.md"),
                    at("content/guides/unfreeze.md"),
                ]
            }),
        ),
        (
            "an article to move",
            Box::new(|| {
                site.write(
                    "content/guides/zz-move.md",
                    &article("Move me", "weight = 2\n"),
                );
                vec![at("content/guides/zz-move.md")]
            }),
        ),
        (
            "that article moved to another folder",
            Box::new(|| {
                let (from, to) = ("content/guides/zz-move.md", "content/billing/zz-move.md");
                std::fs::rename(at(from), at(to)).unwrap();
                vec![at(from), at(to)]
            }),
        ),
        (
            "the first translation in a folder (its section is made)",
            Box::new(|| {
                site.write("content/billing/fees.en.md", &article("Fees", ""));
                vec![at("content/billing/fees.en.md")]
            }),
        ),
        (
            "a second translation in that folder",
            Box::new(|| {
                site.write("content/billing/refunds.en.md", &article("Refunds", ""));
                vec![at("content/billing/refunds.en.md")]
            }),
        ),
        (
            "the second of the two deleted",
            Box::new(|| {
                std::fs::remove_file(at("content/billing/refunds.en.md")).unwrap();
                vec![at("content/billing/refunds.en.md")]
            }),
        ),
        (
            "the last translation there deleted (its section goes)",
            Box::new(|| {
                std::fs::remove_file(at("content/billing/fees.en.md")).unwrap();
                vec![at("content/billing/fees.en.md")]
            }),
        ),
        (
            "the tagged article deleted (its term goes)",
            Box::new(|| {
                std::fs::remove_file(at("content/guides/unfreeze.md")).unwrap();
                vec![at("content/guides/unfreeze.md")]
            }),
        ),
    ];
    patched_steps((&mut cache, &options), steps, PATCHED, |_, _| {});
}

#[test]
fn articles_the_pipeline_must_place_go_through_it_and_equal_clean_builds() {
    let (site, options, mut cache) = served_site();
    let at = |rel: &str| site.path().join(rel);
    let steps: Vec<Step> = vec![
        (
            "a draft",
            Box::new(|| {
                site.write(
                    "content/guides/later.md",
                    &article("草稿", "draft = true\n"),
                );
                vec![at("content/guides/later.md")]
            }),
        ),
        (
            "an article with an alias",
            Box::new(|| {
                site.write(
                    "content/guides/moved.md",
                    &article("搬家", "aliases = [\"old/moved/\"]\n"),
                );
                vec![at("content/guides/moved.md")]
            }),
        ),
        (
            "an article in a new folder",
            Box::new(|| {
                site.write("content/newdir/first.md", &article("新", ""));
                vec![at("content/newdir/first.md")]
            }),
        ),
        (
            "an address taken twice",
            Box::new(|| {
                site.write(
                    "content/guides/clash.md",
                    &article("重", "slug = \"withdraw\"\n"),
                );
                vec![at("content/guides/clash.md")]
            }),
        ),
    ];
    for (what, step) in steps {
        let paths = step();
        let output = save(&mut cache, &options, &paths);
        assert_ne!(output.stats.shortcut, PATCHED, "{what}");
        let clean = build(&options);
        assert_eq!(output.succeeded(), clean.succeeded(), "{what}");
        if clean.succeeded() {
            assert_eq!(files(&output), files(&clean), "after: {what}");
        }
    }
}

#[test]
fn an_article_others_link_to_is_deleted_through_the_pipeline() {
    let (site, options, mut cache) = served_site();
    let linker = article("链接", "").replace("## 步骤", "[费用](@/billing/fees.md)\n\n## 步骤");
    site.write("content/guides/linker.md", &linker);
    let output = save(
        &mut cache,
        &options,
        &[site.path().join("content/guides/linker.md")],
    );
    assert_eq!(output.stats.shortcut, PATCHED, "{:?}", output.diagnostics);
    assert_eq!(files(&output), files(&build(&options)));
    // Deleting it breaks the link: an error, as in a clean build.
    let fees = site.path().join("content/billing/fees.md");
    std::fs::remove_file(&fees).unwrap();
    let output = save(&mut cache, &options, &[fees]);
    assert_ne!(output.stats.shortcut, PATCHED);
    let clean = build(&options);
    assert!(!clean.succeeded());
    assert_eq!(output.succeeded(), clean.succeeded());
}

#[test]
fn new_and_removed_categories_are_patched_in_and_equal_clean_builds() {
    let (site, options, mut cache) = served_site();
    let at = |rel: &str| site.path().join(rel);
    let category = |dir: &str, title: &str, articles: &[&str]| {
        site.write(
            &format!("{dir}/_index.md"),
            &format!("+++\ntitle = \"{title}\"\n+++\n{title}。\n"),
        );
        for name in articles {
            site.write(&format!("{dir}/{name}.md"), &article(name, ""));
        }
    };
    let steps: Vec<Step> = vec![
        (
            "a new category, only its folder seen",
            Box::new(|| {
                category("content/zz-news", "动态", &["release"]);
                vec![at("content/zz-news")]
            }),
        ),
        (
            "a new category first among the others, its files seen too",
            Box::new(|| {
                category("content/aaa", "入门", &["start", "tour"]);
                let files = [
                    "content/aaa",
                    "content/aaa/_index.md",
                    "content/aaa/start.md",
                ];
                files.iter().map(|f| at(f)).collect()
            }),
        ),
        (
            "a new category inside another",
            Box::new(|| {
                category("content/guides/zz-faq", "常见问题", &["refund"]);
                vec![at("content/guides/zz-faq")]
            }),
        ),
        (
            "a new category with only its _index",
            Box::new(|| {
                category("content/empty", "空", &[]);
                vec![at("content/empty")]
            }),
        ),
        (
            "an English category in a new folder",
            Box::new(|| {
                site.write(
                    "content/zz-en/_index.en.md",
                    "+++\ntitle = \"English only\"\n+++\n",
                );
                site.write("content/zz-en/hello.en.md", &article("Hello", ""));
                vec![at("content/zz-en")]
            }),
        ),
        (
            "a category deleted",
            Box::new(|| {
                std::fs::remove_dir_all(at("content/zz-news")).unwrap();
                vec![at("content/zz-news")]
            }),
        ),
        (
            "the first category deleted, its files seen too",
            Box::new(|| {
                std::fs::remove_dir_all(at("content/aaa")).unwrap();
                let files = ["content/aaa", "content/aaa/start.md", "content/aaa/tour.md"];
                files.iter().map(|f| at(f)).collect()
            }),
        ),
        (
            "the nested and the empty category deleted",
            Box::new(|| {
                std::fs::remove_dir_all(at("content/guides/zz-faq")).unwrap();
                std::fs::remove_dir_all(at("content/empty")).unwrap();
                vec![at("content/guides/zz-faq"), at("content/empty")]
            }),
        ),
        (
            "the English category deleted",
            Box::new(|| {
                std::fs::remove_dir_all(at("content/zz-en")).unwrap();
                vec![at("content/zz-en")]
            }),
        ),
    ];
    patched_steps((&mut cache, &options), steps, PATCHED, |_, _| {});
}
