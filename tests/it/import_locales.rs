//! `helpsite import` of sites in several languages (Docusaurus `i18n/` folders, Starlight
//! locale folders) and of links written in section pages: each fixture imported with the
//! real binary and built; the written Markdown, the built pages and the report checked.

use crate::common;
use crate::import::{assert_tag_page, import_and_build, read};

use common::{run_in, Site};

/// The addresses the links of `<main>` of a built page lead to.
fn main_links(site: &Site, page: &str) -> Vec<String> {
    let html = site.html(&format!("dest/public/{page}"));
    common::select(&html, "main a")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect()
}

fn assert_links_to(site: &Site, page: &str, hrefs: &[&str]) {
    let links = main_links(site, page);
    for href in hrefs {
        assert!(
            links.iter().any(|l| l == href),
            "{page}: {href} not in {links:?}"
        );
    }
}

#[test]
fn docusaurus_i18n_folders_become_translations_beside_their_pages() {
    let (site, report) = import_and_build("docusaurus");
    let refunds = read(&site, "content/billing/refunds/index.fr.md");
    assert!(
        refunds.starts_with("+++\ntitle = \"Remboursements\"\ndescription = \"Quand Lumen vous rembourse.\"\naliases = [\"/fr/docs/billing/refunds/\"]\n+++\n"),
        "{refunds}"
    );
    assert!(
        refunds
            .contains("> [!TIP]\n> **Remboursement rapide**\n> Demandez-le dans les 14 jours.\n"),
        "{refunds}"
    );
    // A translated page, the home page by its old address, an untranslated page by file.
    assert!(refunds.contains("[la synchronisation](@/general/sync.fr.md), [l'accueil](@/general/intro.md) et\n[la page non traduite](@/general/intro.md)."), "{refunds}");
    // The French screenshot shares the bundle with the English one under its own name.
    assert!(
        refunds.contains("![Le formulaire de remboursement](refund-fr.png)"),
        "{refunds}"
    );
    let fixture = common::fixture_dir("import").join("docusaurus");
    let french_png = "i18n/fr/docusaurus-plugin-content-docs/current/02-billing/img/refund.png";
    assert_eq!(
        std::fs::read(
            site.path()
                .join("dest/content/billing/refunds/refund-fr.png")
        )
        .unwrap(),
        std::fs::read(fixture.join(french_png)).unwrap()
    );
    assert_eq!(
        std::fs::read(site.path().join("dest/content/billing/refunds/refund.png")).unwrap(),
        std::fs::read(fixture.join("static/img/refund.png")).unwrap()
    );
    let sync = read(&site, "content/general/sync.fr.md");
    assert!(
        sync.contains("\n[taxonomies]\ntags = [\"hors ligne\", \"synchronisation\"]\n+++\n"),
        "{sync}"
    );
    assert!(
        sync.contains("[les remboursements](@/billing/refunds/index.fr.md)"),
        "{sync}"
    );
    // current.json translates the category label.
    assert_eq!(
        read(&site, "content/billing/_index.fr.md"),
        "+++\ntitle = \"Facturation\"\n+++\n\n"
    );
    let config = read(&site, "config.toml");
    assert!(
        config.ends_with("default_language = \"en\"\n\n[languages.fr]\nname = \"Français\"\n"),
        "{config}"
    );
    assert!(report.contains("  i18n/fr/docusaurus-plugin-content-docs/current/sync.md -> content/general/sync.fr.md\n"), "{report}");
    assert!(report.contains("  i18n/fr/docusaurus-plugin-content-docs/current.json -> content/billing/_index.fr.md\n"), "{report}");
    assert!(
        report.contains(
            "  i18n/fr/docusaurus-plugin-content-docs/current/sync.md:3: sidebar_label\n"
        ),
        "{report}"
    );
    assert!(
        report.contains("totals: 7 source files, 5 articles, 4 sections, 3 images and attachments, 2 languages (en, fr), 3 dropped keys, 3 removed tags, 0 unresolved links, 0 warnings\n"),
        "{report}"
    );
    assert_links_to(
        &site,
        "fr/billing/refunds/index.html",
        &["/fr/general/sync/", "/general/intro/"],
    );
    let redirect = site.read("dest/public/fr/docs/billing/refunds/index.html");
    assert!(redirect.contains("/fr/billing/refunds/"), "{redirect}");
    assert_tag_page(&site, "sync", "/general/sync/");
    let french_tag = site.html("dest/public/fr/tags/synchronisation/index.html");
    let hrefs: Vec<&str> = common::select(&french_tag, "main a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(hrefs.contains(&"/fr/general/sync/"), "{hrefs:?}");
}

#[test]
fn starlight_root_locale_and_language_folders() {
    let (site, report) = import_and_build("starlight");
    let refunds = read(&site, "content/billing/refunds.fr.md");
    assert!(refunds.contains("> [!WARNING]\n> **Changement de formule**\n> Un remboursement ferme les carnets payants de cette formule.\n"), "{refunds}");
    assert!(
        refunds.contains("[changer de formule](@/billing/change-plan.md) (pas encore traduit)"),
        "{refunds}"
    );
    let plan = read(&site, "content/billing/change-plan.pt-br.md");
    assert!(
        plan.contains("> [!TIP]\n> As mudanças para um plano maior valem na hora.\n"),
        "{plan}"
    );
    assert!(
        plan.contains("[reembolsos](@/billing/refunds.md)"),
        "{plan}"
    );
    assert!(read(&site, "content/_index.fr.md").starts_with("+++\ntitle = \"Aide Lumen Notes\"\n"));
    let config = read(&site, "config.toml");
    assert!(config.contains("default_language = \"en\"\n\n[languages.en]\nname = \"English\"\n\n[languages.fr]\nname = \"Français\"\n\n[languages.pt-br]\nname = \"Português do Brasil\"\n"), "{config}");
    assert!(
        !config.contains("tlh"),
        "a locale with no folder is no language: {config}"
    );
    assert!(
        report.contains("  src/content/docs/pt-br/billing/change-plan.md -> content/billing/change-plan.pt-br.md\n"),
        "{report}"
    );
    assert!(report.contains("3 languages (en, fr, pt-br)"), "{report}");
    assert_links_to(
        &site,
        "fr/billing/refunds/index.html",
        &["/billing/change-plan/"],
    );
    assert_links_to(
        &site,
        "pt-br/billing/change-plan/index.html",
        &["/billing/refunds/"],
    );
}

#[test]
fn links_in_section_pages_are_rewritten_like_article_links() {
    let (site, _) = import_and_build("docusaurus");
    let billing = read(&site, "content/billing/_index.md");
    assert!(billing.contains("[refunds](@/billing/refunds/index.md)\nfirst; if the app stopped syncing after a payment, read [syncing](@/general/sync.md#first-sync)."), "{billing}");
    assert_links_to(
        &site,
        "billing/index.html",
        &["/billing/refunds/", "/general/sync/#first-sync"],
    );
    // A section page's picture is copied beside its _index.md.
    assert!(
        billing.contains("![What each plan costs](refund.png)"),
        "{billing}"
    );
    assert!(site.exists("dest/content/billing/refund.png"));
    let (site, _) = import_and_build("starlight");
    let billing = read(&site, "content/billing/_index.md");
    assert!(billing.contains("Start with [refunds](@/billing/refunds.md) or [changing your plan](@/billing/change-plan.md)."), "{billing}");
    assert_links_to(
        &site,
        "billing/index.html",
        &["/billing/refunds/", "/billing/change-plan/"],
    );
}

#[test]
fn a_locale_whose_code_helpsite_cannot_read_is_reported() {
    let site = Site::empty();
    site.write(
        "src/astro.config.mjs",
        "starlight({ title: 'X', locales: { root: { label: 'English', lang: 'en' }, Spanish: { label: 'Español', lang: 'es' }, Elvish: { label: 'Quenya' } } })",
    );
    site.write(
        "src/src/content/docs/a/page.md",
        "---\ntitle: Page\n---\nHello.\n",
    );
    site.write(
        "src/src/content/docs/Spanish/a/page.md",
        "---\ntitle: Página\n---\nHola.\n",
    );
    site.write(
        "src/src/content/docs/Elvish/a/page.md",
        "---\ntitle: Quenya page\n---\nA.\n",
    );
    let run = run_in(site.path(), &["import", "src", "dest"]);
    run.assert_ok();
    assert!(site.exists("dest/content/a/page.es.md"), "{}", run.stdout);
    assert!(run.stdout.contains("warnings:\n  astro.config.mjs: locale \"Elvish\" is not a language code helpsite reads (nor is its `lang`): its folder is imported as an ordinary folder\n"), "{}", run.stdout);
    run_in(&site.path().join("dest"), &["build"]).assert_ok();
}

#[test]
fn hugo_with_a_content_folder_per_language() {
    let site = Site::empty();
    site.write(
        "src/hugo.toml",
        "baseURL = \"https://h.example/\"\ntitle = \"H\"\ndefaultContentLanguage = \"en\"\n[languages.en]\ncontentDir = \"content/en\"\n[languages.de]\ncontentDir = \"content/de\"\nlanguageName = \"Deutsch\"\n[languages.fr]\ncontentDir = \"../outside\"\n",
    );
    site.write(
        "src/content/en/billing/refunds.md",
        "+++\ntitle = \"Refunds\"\n+++\nSee [plans](/billing/plans/).\n",
    );
    site.write(
        "src/content/en/billing/plans.md",
        "+++\ntitle = \"Plans\"\n+++\nPlans.\n",
    );
    site.write(
        "src/content/de/billing/refunds.md",
        "+++\ntitle = \"Erstattungen\"\n+++\nSiehe [Tarife](/de/billing/plans/).\n",
    );
    site.write(
        "outside/secret.md",
        "+++\ntitle = \"Not part of the site\"\n+++\n",
    );
    let run = run_in(site.path(), &["import", "src", "dest"]);
    run.assert_ok();
    let german = site.read("dest/content/billing/refunds.de.md");
    assert!(german.contains("[Tarife](@/billing/plans.md)"), "{german}");
    let config = site.read("dest/config.toml");
    assert!(
        config.ends_with("[languages.de]\nname = \"Deutsch\"\n"),
        "{config}"
    );
    assert!(!run.stdout.contains("secret"), "{}", run.stdout);
    run_in(&site.path().join("dest"), &["build"]).assert_ok();
    assert!(site.exists("dest/public/de/billing/refunds/index.html"));
}

#[test]
fn broken_settings_of_a_language_stop_the_import_at_their_line() {
    let site = Site::empty();
    site.write(
        "src/docusaurus.config.js",
        "module.exports = { title: 'X', i18n: { defaultLocale: 'en', locales: ['en', 'fr'] } };",
    );
    site.write(
        "src/docs/billing/refunds.md",
        "---\ntitle: Refunds\n---\nText.\n",
    );
    site.write(
        "src/docs/billing/_category_.yml",
        "label: Billing\nposition: [2\n",
    );
    let run = run_in(site.path(), &["import", "src", "dest"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("error: docs/billing/_category_.yml:3:1: YAML: "),
        "{}",
        run.stderr
    );
    assert!(!site.exists("dest"));
    site.write(
        "src/docs/billing/_category_.yml",
        "label: Billing\nposition: 2\n",
    );
    site.write(
        "src/i18n/fr/docusaurus-plugin-content-docs/current/billing/refunds.md",
        "---\ntitle: Remboursements\n---\nTexte.\n",
    );
    site.write(
        "src/i18n/fr/docusaurus-plugin-content-docs/current.json",
        "{\n  \"sidebar.docs.category.Billing\": { \"message\": \"Facturation\" },,\n}\n",
    );
    let run = run_in(site.path(), &["import", "src", "dest"]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("error: i18n/fr/docusaurus-plugin-content-docs/current.json:2: JSON: "),
        "{}",
        run.stderr
    );
    assert!(!site.exists("dest"));
}
