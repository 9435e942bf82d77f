//! `helpsite new` and `helpsite completions`, run as a writer would run them.

mod common;

use common::Site;

#[test]
fn new_writes_an_article_that_builds_with_the_category_channels() {
    let site = Site::fixture("contact");
    let run = site.run(&["new", "guides/close-account"]);
    run.assert_ok();
    assert_eq!(run.stdout.trim(), "content/guides/close-account.md");
    let text = site.read("content/guides/close-account.md");
    assert!(
        text.starts_with("+++\ntitle = \"Close account\"\n"),
        "{text}"
    );
    assert!(
        text.contains("contact = [\"hotline\", \"email\"]\n"),
        "{text}"
    );
    let date = text
        .lines()
        .find_map(|l| l.strip_prefix("date = "))
        .expect("a date line");
    assert!(chrono_like_date(date), "{date}");
    site.build().assert_ok();
    assert!(site.exists("public/guides/close-account/index.html"));
}

fn chrono_like_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 3 && parts[0].len() == 4 && parts.iter().all(|p| p.parse::<u32>().is_ok())
}

#[test]
fn new_never_overwrites() {
    let site = Site::fixture("contact");
    site.write(
        "content/guides/close-account.md",
        "+++\ntitle = \"Mine\"\n+++\nkeep me\n",
    );
    let run = site.run(&["new", "guides/close-account"]);
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("content/guides/close-account.md already exists"),
        "{}",
        run.stderr
    );
    assert_eq!(
        site.read("content/guides/close-account.md"),
        "+++\ntitle = \"Mine\"\n+++\nkeep me\n"
    );
    // A bundle of the same name counts as the article too.
    site.write(
        "content/guides/moved/index.md",
        "+++\ntitle = \"Moved\"\n+++\n",
    );
    site.run(&["new", "guides/moved"]).assert_code(2);
}

#[test]
fn new_in_another_language_uses_the_language_suffix() {
    let site = Site::fixture("basic");
    let run = site.run(&["new", "billing/refunds", "--lang", "en"]);
    run.assert_ok();
    assert_eq!(run.stdout.trim(), "content/billing/refunds.en.md");
    assert!(site.exists("content/billing/refunds.en.md"));
    let unknown = site.run(&["new", "billing/refunds", "--lang", "fr"]);
    unknown.assert_code(2);
    assert!(
        unknown.stderr.contains("no language `fr`") && unknown.stderr.contains("zh, en"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn new_explains_a_wrong_category_or_path() {
    let site = Site::fixture("basic");
    let typo = site.run(&["new", "biling/refunds"]);
    typo.assert_code(2);
    assert!(
        typo.stderr
            .contains("there is no category content/biling/; did you mean `billing`?"),
        "{}",
        typo.stderr
    );
    for bad in ["../outside", "billing/a b", "billing/.hidden"] {
        let run = site.run(&["new", bad]);
        run.assert_code(2);
        assert!(
            run.stderr.contains("is not an article path"),
            "{bad}: {}",
            run.stderr
        );
    }
    assert!(!site.path().join("outside.md").exists());
}

#[test]
fn new_uses_the_site_archetype_when_there_is_one() {
    let site = Site::fixture("basic");
    site.write(
        "archetypes/article.md",
        "+++\ntitle = \"{title}\"\ndate = {date}\n+++\nHouse style for {title}.\n",
    );
    site.run(&["new", "billing/late-fee"]).assert_ok();
    let text = site.read("content/billing/late-fee.md");
    assert!(text.ends_with("House style for Late fee.\n"), "{text}");
}

#[test]
fn completions_for_every_shell() {
    let site = Site::empty();
    for (shell, marker) in [
        ("bash", "_helpsite()"),
        ("zsh", "#compdef helpsite"),
        ("fish", "complete -c helpsite"),
    ] {
        let run = site.run(&["completions", shell]);
        run.assert_ok();
        assert!(
            run.stdout.contains(marker),
            "{shell}: {}",
            &run.stdout[..200.min(run.stdout.len())]
        );
        assert!(
            run.stdout.contains("build") && run.stdout.contains("new"),
            "{shell}"
        );
    }
    site.run(&["completions", "tcsh"]).assert_code(2);
}

#[test]
fn version_names_the_commit() {
    let run = Site::empty().run(&["--version"]);
    run.assert_ok();
    let version = run.stdout.trim();
    let expected = format!("helpsite {} (", env!("CARGO_PKG_VERSION"));
    assert!(
        version.starts_with(&expected) && version.ends_with(')'),
        "{version}"
    );
    let commit = &version[expected.len()..version.len() - 1];
    assert!(
        commit == "unknown"
            || (commit.len() == 10 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "{version}"
    );
}

#[test]
fn check_advises_on_descriptions_alt_text_and_heading_levels() {
    let site = Site::fixture("basic");
    site.write(
        "content/billing/advice.md",
        "+++\ntitle = \"Advice\"\n+++\nIntro.\n\n## Steps\n\n#### Too deep\n\n![](shot.png)\n\n![A receipt](receipt.png)\n",
    );
    site.write_bytes("content/billing/shot.png", b"png");
    site.write_bytes("content/billing/receipt.png", b"png");
    let run = site.run(&["check"]);
    run.assert_ok();
    let warnings = run.warnings();
    let at = |file_line: &str| {
        warnings
            .iter()
            .filter(|(_, place)| place == file_line)
            .map(|(m, _)| m.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        at("content/billing/advice.md:1:1"),
        ["the article has no description"]
    );
    assert_eq!(
        at("content/billing/advice.md:8:1"),
        ["heading level skips from h2 to h4"]
    );
    assert_eq!(
        at("content/billing/advice.md:10:1"),
        ["image without alt text"]
    );
    assert!(run.stdout.contains("no errors, "), "{}", run.stdout);
    // The same problems are not a build's business.
    let build = site.build();
    build.assert_ok();
    assert!(!build.stderr.contains("alt text"), "{}", build.stderr);
}
