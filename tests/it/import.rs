//! `helpsite import`: each fixture under tests/fixtures/import/ (a fictional help center
//! per source kind) imported with the real binary, then built; the written Markdown, the
//! built pages and the report checked. Also: determinism, dry runs, refusals, hostile input.

use crate::common;

use std::path::Path;

use common::{fixture_dir, run_in, snapshot, Run, Site};
use proptest::prelude::*;

/// Imports fixture `kind` into `site/dest`.
pub(crate) fn import(kind: &str, site: &Site, extra: &[&str]) -> Run {
    let source = fixture_dir("import").join(kind);
    let dest = site.path().join("dest");
    let mut args = vec!["import", source.to_str().unwrap(), dest.to_str().unwrap()];
    args.extend(extra);
    run_in(site.path(), &args)
}

/// Imports, builds with zero errors and warnings about links, and checks no template syntax is left.
pub(crate) fn import_and_build(kind: &str) -> (Site, String) {
    import_and_build_keeping(kind, &[])
}

/// As `import_and_build`, where the built pages may show each of `literal`: text the
/// writer asked to be shown as written (Jekyll's `{% raw %}`, Hugo's `{{</* */>}}`).
fn import_and_build_keeping(kind: &str, literal: &[&str]) -> (Site, String) {
    let site = Site::empty();
    let run = import(kind, &site, &[]);
    run.assert_ok();
    let build = run_in(&site.path().join("dest"), &["build"]);
    build.assert_ok();
    assert!(!build.stderr.contains("error"), "{}", build.stderr);
    for (path, bytes) in snapshot(&site.path().join("dest/public")) {
        if path.extension().is_some_and(|e| e == "html") {
            let html = String::from_utf8_lossy(&bytes);
            assert!(!html.contains("import-ref:"), "{kind}: {}", path.display());
            // What a reader sees: the text, entities decoded, highlighting spans gone.
            let doc = scraper::Html::parse_document(&html);
            let mut text: String = doc.root_element().text().collect();
            for shown in literal {
                text = text.replace(shown, "");
            }
            for left in ["{%", "{{ site", "{{<", "{{%"] {
                assert!(!text.contains(left), "{kind}: {left} in {}", path.display());
            }
        }
    }
    (site, run.stdout)
}

pub(crate) fn read(site: &Site, rel: &str) -> String {
    site.read(&format!("dest/{rel}"))
}

/// The built page of tag `slug` lists the article at `href`.
pub(crate) fn assert_tag_page(site: &Site, slug: &str, href: &str) {
    let page = site.html(&format!("dest/public/tags/{slug}/index.html"));
    let links: Vec<String> = common::select(&page, "main a")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert!(
        links.iter().any(|l| l == href),
        "tag {slug}: {href} not in {links:?}"
    );
}

#[test]
fn jekyll_liquid_kramdown_permalinks_and_images() {
    let (site, report) = import_and_build_keeping("jekyll", &["{{ plan.code }}"]);
    let page = read(&site, "content/billing/refunds/index.md");
    assert!(page.contains("aliases = [\"/refunds.html\"]\npromoted = true\n\n[taxonomies]\ntags = [\"billing\", \"refunds\"]\n+++\n"), "{page}");
    assert!(
        page.contains("updated = 2024-05-02T09:30:00+02:00\n"),
        "{page}"
    );
    assert!(
        page.contains("> [!WARNING]\n> A refund closes the paid notebooks of that plan.\n"),
        "{page}"
    );
    assert!(
        page.contains("> [!TIP]\n> Ask within **14 days** of a renewal for a full refund.\n"),
        "{page}"
    );
    assert!(page.contains("[changing your plan](@/billing/change-plan.md) or the\n[plans page](@/billing/change-plan.md)."), "{page}");
    assert!(
        page.contains("![The refund form](refund-form.png)"),
        "{page}"
    );
    assert!(page.contains("Read the old pricing page too."), "{page}");
    // The documentation theme's includes: a callout over two lines, an image of /images/.
    assert!(page.contains("> [!IMPORTANT]\n> A refund for a yearly plan counts the months you\n> did not use, from the next month on.\n"), "{page}");
    assert!(
        page.contains("![How a refund travels back to your card](refund-flow.png)"),
        "{page}"
    );
    assert!(site.exists("dest/content/billing/refunds/refund-flow.png"));
    assert!(!page.contains("{:"), "{page}");
    assert!(site.exists("dest/content/billing/refunds/refund-form.png"));
    assert!(
        report.contains("  _docs/billing/refunds.md -> content/billing/refunds/index.md\n"),
        "{report}"
    );
    assert!(
        report.contains("dropped front-matter keys:\n  _docs/billing/refunds.md:5: layout\n"),
        "{report}"
    );
    assert!(
        report.contains("  _docs/billing/refunds.md:28: {% include support-footer.html %}\n"),
        "{report}"
    );
    assert!(
        report.contains(
            "unresolved links (kept as text):\n  _docs/billing/refunds.md:30: /pricing-2019/\n"
        ),
        "{report}"
    );
    assert!(
        report.contains("totals: 4 source files, 2 articles, 2 sections, 2 images and attachments"),
        "{report}"
    );
    assert_tag_page(&site, "refunds", "/billing/refunds/");
    // Text in {% raw %} is shown as written; Liquid in code without it is run (removed).
    let plan = read(&site, "content/billing/change-plan.md");
    assert!(plan.contains("written `{{ plan.code }}` in our examples:\n\n```sh\ncurl -X POST https://api.lumen-notes.example/plan -d code={{ plan.code }}\ncurl https://api.lumen-notes.example/limits?v=\n```"), "{plan}");
    assert!(
        report.contains("  _docs/billing/change-plan.md:19: {{ page.api_version }}\n"),
        "{report}"
    );
    assert!(!report.contains("plan.code"), "{report}");
    // The old addresses redirect to the new page.
    let redirect = site.read("dest/public/refunds.html");
    assert!(redirect.contains("/billing/refunds/"), "{redirect}");
    let built = site.read("dest/public/billing/refunds/index.html");
    assert!(
        built.contains("href=\"/billing/change-plan/\""),
        "internal link resolved"
    );
}

#[test]
fn hugo_shortcodes_bundles_and_translations() {
    let (site, report) = import_and_build_keeping("hugo", &["{{< youtube dQw4w9WgXcQ >}}"]);
    let page = read(&site, "content/billing/refund-policy/index.md");
    assert!(
        page.contains("> [!WARNING]\n> A refund closes the paid notebooks of that plan.\n"),
        "{page}"
    );
    assert!(page.contains("See [changing plans](@/billing/change-plan.md) and\n[the plan heading](@/billing/change-plan.md#upgrade)."), "{page}");
    assert!(
        page.contains("\n{{ youtube(id=\"dQw4w9WgXcQ\") }}\n"),
        "{page}"
    );
    assert!(page.contains("promoted = true\n"), "{page}");
    // The shortcodes of the hugo-book theme: tabs, details, buttons.
    assert!(page.contains("\n**Web**\n\nOpen **Settings > Billing** and pick **Ask for a refund**.\n\n**Phone**\n\nCall"), "{page}");
    assert!(page.contains("{% details(summary=\"Can I get back part of a year?\", open=true) %}\nYes: the months you did not use, from the next month on.\n{% end %}\n"), "{page}");
    assert!(
        page.contains("[Change your plan instead](@/billing/change-plan.md)"),
        "{page}"
    );
    assert!(
        !report.contains("tab") && !report.contains("details"),
        "{report}"
    );
    assert!(read(&site, "content/billing/change-plan.md")
        .contains("> [!NOTE]\n> **Good to know**\n> Downgrades apply at the next renewal.\n"));
    // A shortcode written out as text (`{{</* */>}}`) stays text, in its code block.
    assert!(read(&site, "content/billing/change-plan.md")
        .contains("```md\n{{< youtube dQw4w9WgXcQ >}}\n```"));
    assert!(site.exists("dest/content/billing/change-plan.de.md"));
    assert!(read(&site, "config.toml").contains("[languages.de]\n"));
    assert!(
        report.contains("  content/billing/refund-policy/index.md:22: {{< columns >}}\n"),
        "{report}"
    );
    assert!(
        site.exists("dest/public/refunds/index.html"),
        "alias redirect"
    );
}

#[test]
fn docusaurus_mdx_admonitions_categories_and_static_images() {
    let (site, report) = import_and_build("docusaurus");
    let refunds = read(&site, "content/billing/refunds/index.md");
    assert!(
        refunds.contains("> [!TIP]\n> **Quick refunds**\n> Ask within 14 days.\n"),
        "{refunds}"
    );
    assert!(
        refunds.contains("[sync article](@/general/sync.md) and ![form](refund.png)"),
        "{refunds}"
    );
    assert!(
        !refunds.contains("import ") && !refunds.contains("<Tab"),
        "{refunds}"
    );
    assert!(
        refunds.contains(
            "**Web**\n\n\nOpen **Settings > Billing** in the browser.\n\n\n**Desktop app**\n"
        ),
        "MDX tabs keep their labels: {refunds}"
    );
    assert!(!report.contains("<TabItem"), "{report}");
    assert!(read(&site, "content/billing/_index.md").contains(
        "title = \"Billing\"\ndescription = \"Plans, invoices and money back.\"\nweight = 2\n"
    ));
    let sync = read(&site, "content/general/sync.md");
    assert!(
        sync.contains("> [!NOTE]\n> Sync needs a signed-in account.\n"),
        "{sync}"
    );
    assert!(
        sync.contains("> [!CAUTION]\n> **Do not force quit**\n"),
        "{sync}"
    );
    assert!(
        report.contains("  docs/02-billing/refunds.mdx:6: import Tabs from '@theme/Tabs';\n"),
        "{report}"
    );
    assert!(
        site.exists("dest/public/docs/billing/refunds/index.html"),
        "old /docs/ address redirects"
    );
}

#[test]
fn starlight_asides_and_components() {
    let (site, report) = import_and_build("starlight");
    let refunds = read(&site, "content/billing/refunds.md");
    assert!(refunds.contains("> [!WARNING]\n> **Plan changes**\n> A refund closes the paid notebooks of that plan.\n"), "{refunds}");
    assert!(
        refunds.contains("[changing plans](@/billing/change-plan.md)"),
        "{refunds}"
    );
    assert!(refunds.contains("weight = 1\n"), "{refunds}");
    assert!(refunds.contains("\n**Need help?**\n"), "{refunds}");
    assert!(
        report.contains("  src/content/docs/billing/refunds.mdx:14: <Icon name=\"star\" />\n"),
        "{report}"
    );
    // Cards, link cards and link buttons of the home page, tags over several lines too.
    let home = read(&site, "content/_index.md");
    assert!(
        home.contains("\n**Billing questions**\n\nPlans, invoices and refunds.\n"),
        "{home}"
    );
    assert!(
        home.contains("[Refunds](@/billing/refunds.md): When Lumen pays you back.\n\n[Change your plan](@/billing/change-plan.md)"),
        "{home}"
    );
    assert!(
        report.contains("  src/content/docs/index.mdx:9: import { Card, CardGrid, LinkCard, } from '@astrojs/starlight/components';\n"),
        "{report}"
    );
}

#[test]
fn mkdocs_admonitions_tabs_snippets_and_macros() {
    let (site, report) = import_and_build("mkdocs");
    let refunds = read(&site, "content/billing/refunds/index.md");
    assert!(refunds.contains("> [!WARNING]\n> **Before you ask**\n> A refund closes the paid notebooks of that plan.\n>\n> It cannot be undone.\n"), "{refunds}");
    assert!(refunds.contains("**Web**"), "{refunds}");
    assert!(
        refunds.contains("[changing plans](@/billing/change-plan.md) and ![the form](form.png)"),
        "{refunds}"
    );
    let plan = read(&site, "content/billing/change-plan.md");
    assert!(
        plan.starts_with("+++\ntitle = \"Change your plan\"\n"),
        "{plan}"
    );
    assert!(plan.contains("> [!TIP]\n> **Downgrades**\n"), "{plan}");
    // The i18n plugin's `page.fr.md` is the French page, in the same bundle.
    let french = read(&site, "content/billing/refunds/index.fr.md");
    assert!(
        french.starts_with(
            "+++\ntitle = \"Remboursements\"\n+++\n\n> [!WARNING]\n> **Avant de demander**\n"
        ),
        "{french}"
    );
    assert!(
        french.contains(
            "[changer de formule](@/billing/change-plan.md) et ![le formulaire](form.png)"
        ),
        "{french}"
    );
    assert!(read(&site, "config.toml")
        .contains("[languages.en]\nname = \"English\"\n\n[languages.fr]\nname = \"Français\"\n"));
    assert!(
        report.contains("  docs/billing/refunds.fr.md -> content/billing/refunds/index.fr.md\n"),
        "{report}"
    );
    assert!(site.exists("dest/public/fr/billing/refunds/index.html"));
    // An HTML callout box becomes an alert; a tab's fenced code is dedented whole.
    assert!(plan.contains("> [!WARNING]\n> Downgrading removes the `shared` notebooks you own from your teammates' lists.\n"), "{plan}");
    assert!(
        plan.contains("**Web**\n\n\n```text\nSettings > Plan > Downgrade\n```\n"),
        "{plan}"
    );
    // Other HTML stays, and the config keeps what is on the allow-list.
    assert!(
        read(&site, "config.toml").ends_with("[markdown]\nraw_html = \"safe\"\n"),
        "{}",
        read(&site, "config.toml")
    );
    let built = site.read("dest/public/billing/change-plan/index.html");
    assert!(built.contains("<kbd>Ctrl</kbd>+<kbd>S</kbd>"), "{built}");
    assert!(report.contains("warnings:\n  config.toml: HTML in 1 source file (first: docs/billing/change-plan.md): [markdown] raw_html = \"safe\" keeps the HTML on helpsite's allow-list\n"), "{report}");
    assert!(
        report.contains("  docs/billing/refunds.md:16: --8<-- \"snippets/footer.md\"\n"),
        "{report}"
    );
    assert!(
        report.contains("  docs/billing/change-plan.md:4: {{ config.site_name }}\n"),
        "{report}"
    );
}

#[test]
fn zola_taxonomies_and_shortcodes() {
    let (site, report) = import_and_build("zola");
    let refunds = read(&site, "content/billing/refunds.md");
    assert!(
        refunds.contains("\n[taxonomies]\ntags = [\"billing\"]\n+++\n"),
        "{refunds}"
    );
    assert_tag_page(&site, "billing", "/billing/refunds/");
    assert!(
        refunds.contains("> [!NOTE]\n> **Plan changes**\n"),
        "{refunds}"
    );
    assert!(
        refunds.contains("{{ youtube(id=\"dQw4w9WgXcQ\") }}"),
        "{refunds}"
    );
    assert!(
        refunds.contains("[changing plans](@/billing/change-plan.md)"),
        "{refunds}"
    );
    assert!(
        report.contains("  content/billing/refunds.md:15: {{ gallery() }}\n"),
        "{report}"
    );
    assert!(
        report.contains("content/billing/refunds.md:6: extra\n"),
        "{report}"
    );
}

#[test]
fn zendesk_export_categories_sections_translations_and_links() {
    let (site, report) = import_and_build("zendesk");
    let refund = read(
        &site,
        "content/billing-plans/refunds/how-do-i-get-a-refund.md",
    );
    assert!(refund.starts_with("+++\ntitle = \"How do I get a refund?\"\ndate = 2023-11-02T10:15:00Z\nupdated = 2024-04-20T08:00:00Z\nweight = 1\naliases = [\"/hc/en-us/articles/5200001-How-do-I-get-a-refund/\"]\n\n[taxonomies]\ntags = [\"billing\", \"refund\"]\n+++\n"), "{refund}");
    assert_tag_page(
        &site,
        "refund",
        "/billing-plans/refunds/how-do-i-get-a-refund/",
    );
    assert!(
        refund.contains("> [!WARNING]\n> A refund closes the paid notebooks of that plan.\n"),
        "{refund}"
    );
    assert!(refund.contains("| Monthly | 14 days       |"), "{refund}");
    assert!(
        refund.contains("[Sync is stuck](@/sync/troubleshooting/sync-is-stuck.md#restart)"),
        "{refund}"
    );
    let stuck = read(&site, "content/sync/troubleshooting/sync-is-stuck.md");
    assert!(
        stuck.contains("promoted = true\n") && stuck.contains("> [!TIP]\n"),
        "{stuck}"
    );
    assert!(
        stuck.contains("[refunds](@/billing-plans/refunds/how-do-i-get-a-refund.md)"),
        "{stuck}"
    );
    assert!(
        read(&site, "content/sync/troubleshooting/offline-mode-draft.md")
            .contains("draft = true\n")
    );
    assert!(read(
        &site,
        "content/billing-plans/refunds/how-do-i-get-a-refund.de.md"
    )
    .contains("title = \"Wie bekomme ich eine Rückerstattung?\""));
    assert!(read(&site, "content/billing-plans/_index.de.md").contains("title = \"Abrechnung\""));
    let config = read(&site, "config.toml");
    assert!(
        config.contains("default_language = \"en-us\"\n\n[languages.de]\n"),
        "{config}"
    );
    assert!(report.contains("  articles.json#article-5200001 -> content/billing-plans/refunds/how-do-i-get-a-refund.md\n"), "{report}");
    assert!(report.contains("/hc/en-us/articles/9999999"), "{report}");
    assert!(site.exists("dest/public/hc/en-us/articles/5200001-How-do-I-get-a-refund/index.html"));
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    for kind in ["jekyll", "zendesk", "mkdocs", "docusaurus", "starlight"] {
        let (a, b) = (Site::empty(), Site::empty());
        let (ra, rb) = (import(kind, &a, &[]), import(kind, &b, &[]));
        assert_eq!(
            snapshot(&a.path().join("dest")),
            snapshot(&b.path().join("dest")),
            "{kind}"
        );
        assert_eq!(
            ra.stdout.replace(a.path().to_str().unwrap(), ""),
            rb.stdout.replace(b.path().to_str().unwrap(), "")
        );
    }
}

#[test]
fn a_dry_run_prints_the_report_and_writes_nothing() {
    let site = Site::empty();
    let run = import("hugo", &site, &["--dry-run"]);
    run.assert_ok();
    assert!(run
        .stdout
        .contains("content/billing/change-plan.md -> content/billing/change-plan.md"));
    assert!(run.stdout.contains("dry run: nothing was written"));
    assert!(!site.exists("dest"));
}

#[test]
fn a_folder_that_is_not_empty_is_refused_and_left_as_it_was() {
    let site = Site::empty();
    site.write("dest/config.toml", "mine");
    let run = import("zola", &site, &[]);
    run.assert_code(2);
    assert!(run.stderr.contains("is not empty"), "{}", run.stderr);
    assert_eq!(site.read("dest/config.toml"), "mine");
    assert_eq!(snapshot(&site.path().join("dest")).len(), 1);
}

#[test]
fn from_forces_the_kind_and_unknown_kinds_are_usage_errors() {
    let site = Site::empty();
    let run = import("zola", &site, &["--from", "hugo"]);
    run.assert_ok();
    assert!(
        run.stdout
            .starts_with("importing a hugo site (as asked with --from)"),
        "{}",
        run.stdout
    );
    let bad = import("zola", &Site::empty(), &["--from", "wordpress"]);
    bad.assert_code(2);
    assert!(
        bad.stderr.contains("unknown source kind \"wordpress\""),
        "{}",
        bad.stderr
    );
}

/// A hostile source: one bad file stops the import with its place, and nothing is written.
fn hostile(file: &str, bytes: &[u8]) -> (Run, bool) {
    let site = Site::empty();
    site.write("src/mkdocs.yml", "site_name: X\n");
    site.write("src/docs/ok.md", "# Fine\n");
    site.write_bytes(&format!("src/docs/{file}"), bytes);
    let run = run_in(site.path(), &["import", "src", "dest"]);
    (run, site.exists("dest"))
}

#[test]
fn hostile_input_is_a_located_error_and_nothing_is_written() {
    let (run, wrote) = hostile("bad.md", b"---\ntitle: a\n---\nok\n\xff\xfe\n");
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("error: docs/bad.md:5: file is not valid UTF-8"),
        "{}",
        run.stderr
    );
    assert!(!wrote);
    let (run, wrote) = hostile("yaml.md", b"---\ntitle: [unclosed\n---\n");
    assert!(
        run.stderr.contains("error: docs/yaml.md:3:1: YAML: "),
        "{}",
        run.stderr
    );
    assert!(!wrote);
    let (run, wrote) = hostile("twice.md", b"---\ntitle: A\ntags: [a]\ntitle: B\n---\n");
    assert!(
        run.stderr
            .contains("error: docs/twice.md:4:1: YAML: duplicate key"),
        "{}",
        run.stderr
    );
    assert!(!wrote);
    let huge = vec![b'a'; 9 * 1024 * 1024];
    let (run, wrote) = hostile("huge.md", &huge);
    assert!(
        run.stderr
            .contains("docs/huge.md: file is 9437184 bytes, over import's limit"),
        "{}",
        run.stderr
    );
    assert!(!wrote);
    let site = Site::empty();
    site.write("export/articles.json", "{\"articles\": [\n{\"id\": 1,, }]}");
    let run = run_in(site.path(), &["import", "export", "dest"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("error: articles.json:2: not a Help Center API page"),
        "{}",
        run.stderr
    );
    assert!(!site.exists("dest"));
}

/// Every file under `root`, as paths relative to it.
fn all_files(root: &Path) -> Vec<String> {
    snapshot(root)
        .into_iter()
        .map(|(p, _)| p.to_string_lossy().into_owned())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, .. ProptestConfig::default() })]

    /// Names, slugs, permalinks, aliases and Zendesk titles made of traversal pieces never
    /// lead a write outside DEST or over the file already beside it.
    #[test]
    fn hostile_names_never_escape_dest(parts in proptest::collection::vec(prop_oneof![
        Just("..".to_string()), Just("/".to_string()), Just("\\\\".to_string()), Just(".".to_string()),
        Just("etc".to_string()), Just("C:".to_string()), Just("%2e%2e".to_string()), "[a-z]{1,4}",
    ], 1..6)) {
        let name = parts.concat();
        let site = Site::empty();
        site.write("keep.txt", "untouched");
        site.write("src/_config.yml", "title: X\n");
        let front = format!("---\ntitle: T\nslug: \"{0}\"\npermalink: \"{0}\"\nredirect_from: [\"{0}\", \"/../../x\"]\ncategory: \"{0}\"\n---\n[x]({0})\n", name.replace('\\', "\\\\").replace('"', ""));
        site.write("src/page.md", &front);
        let articles = serde_json::json!({"articles": [{"id": 1, "section_id": 2, "title": name, "locale": "en", "body": "<p>x</p>", "html_url": format!("https://h.example/hc/en/articles/1-{name}")}],
            "sections": [{"id": 2, "category_id": 3, "name": name}], "categories": [{"id": 3, "name": name}]});
        site.write("zd/articles.json", &articles.to_string());
        // A Starlight site whose locale keys and default locale are the hostile name.
        let key = name.replace(['\'', '\\'], "");
        site.write("sl/astro.config.mjs", &format!("starlight({{ defaultLocale: '{key}', locales: {{ '{key}': {{ lang: 'en' }}, 'x{key}': {{ lang: 'fr' }} }} }})"));
        site.write("sl/src/content/docs/a/page.md", &front);
        for (source, dest) in [("src", "dest-a"), ("zd", "dest-b"), ("sl", "dest-c")] {
            let run = run_in(site.path(), &["import", source, dest]);
            prop_assert_eq!(run.code, 0, "{}", run.stderr);
        }
        prop_assert_eq!(site.read("keep.txt"), "untouched");
        for file in all_files(site.path()) {
            let ours = ["src", "zd", "sl", "dest-a", "dest-b", "dest-c"];
            prop_assert!(ours.iter().any(|o| file.starts_with(o)) || file == "keep.txt", "{}", file);
        }
    }
}

#[test]
fn promoted_articles_come_first_on_the_home_page_cards() {
    let site = Site::empty();
    site.write(
        "config.toml",
        "base_url = \"https://h.example/\"\ntitle = \"H\"\n",
    );
    site.write("content/_index.md", "+++\ntitle = \"H\"\n+++\n");
    site.write("content/a/_index.md", "+++\ntitle = \"A\"\n+++\n");
    site.write(
        "content/a/first.md",
        "+++\ntitle = \"First\"\nweight = 1\n+++\n",
    );
    site.write(
        "content/a/second.md",
        "+++\ntitle = \"Second\"\nweight = 2\npromoted = true\n+++\n",
    );
    site.build().assert_ok();
    let home = site.html("public/index.html");
    let titles: Vec<String> = common::select(&home, ".card-articles a")
        .iter()
        .map(common::text_of)
        .collect();
    assert_eq!(titles, vec!["Second", "First"]);
}
