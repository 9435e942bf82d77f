//! What the writer sees for each kind of problem: the whole message block (place,
//! source line with caret, hint) compared with a reviewed snapshot in
//! `tests/snapshots/`. After a deliberate change of wording, review and accept with
//! `cargo insta review` (or `INSTA_UPDATE=always cargo test --test diagnostic_snapshots`).

use crate::common;

use common::Site;

/// Runs `helpsite ARGS` on the basic fixture with `files` written over it; returns
/// what it printed on stderr.
fn stderr_of<T: AsRef<[u8]>>(files: &[(&str, T)], args: &[&str]) -> String {
    let site = Site::fixture("basic");
    for (path, bytes) in files {
        site.write_bytes(path, bytes.as_ref());
    }
    site.run(args).stderr
}

fn build_errors<T: AsRef<[u8]>>(files: &[(&str, T)]) -> String {
    stderr_of(files, &["build"])
}

/// The basic fixture's `config.toml` with `before` put at its top (for top-level keys)
/// and `after` at its end (for tables).
fn basic_config(before: &str, after: &str) -> String {
    let path = common::fixture_dir("basic").join("config.toml");
    let config = std::fs::read_to_string(path).expect("fixture config");
    format!("{before}{config}{after}")
}

macro_rules! snapshot {
    ($name:ident, $stderr:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(stringify!($name), $stderr);
        }
    };
}

snapshot!(
    config_unknown_key,
    build_errors(&[(
        "config.toml",
        "base_url = \"https://example.com/\"\ntitle = \"T\"\ndefault_langauge = \"zh\"\n"
    )])
);

snapshot!(
    config_bad_toml,
    build_errors(&[(
        "config.toml",
        "base_url = \"https://example.com/\"\ntitle = \"T\n"
    )])
);

snapshot!(
    front_matter_missing,
    build_errors(&[("content/guides/plain.md", "Just text, no front matter.\n")])
);

snapshot!(
    front_matter_toml_syntax,
    build_errors(&[(
        "content/guides/broken.md",
        "+++\ntitle = \"Broken\ndate = 2026-01-01\n+++\nBody\n"
    )])
);

snapshot!(
    front_matter_unknown_key,
    build_errors(&[(
        "content/guides/typo.md",
        "+++\ntitle = \"Typo\"\nwieght = 3\n+++\nBody\n"
    )])
);

snapshot!(
    front_matter_wrong_type,
    build_errors(&[(
        "content/guides/typed.md",
        "+++\ntitle = \"Typed\"\nweight = \"first\"\n+++\nBody\n"
    )])
);

snapshot!(
    broken_internal_link_and_anchor,
    build_errors(&[(
        "content/guides/links.md",
        "+++\ntitle = \"Links\"\n+++\nSee [nowhere](@/guides/nope.md) and\n[a heading](@/guides/withdraw.md#nope).\n"
    )])
);

snapshot!(
    channel_schedule_errors,
    build_errors(&[(
        "content/guides/line.md",
        "+++\ntitle = \"Line\"\n[channel]\nkind = \"phone\"\naddress = \"+1 555-0100\"\ntimezone = \"Asia/Shanghia\"\nhours = { mon = [\"09:00-25:00\"], tue = [\"09:00-12:00\", \"11:00-13:00\"] }\nalternative = \"chat\"\n+++\nBody\n"
    )])
);

snapshot!(
    unknown_contact_channel,
    build_errors(&[(
        "content/guides/routed.md",
        "+++\ntitle = \"Routed\"\ncontact = [\"hotlne\"]\n+++\nBody\n"
    )])
);

snapshot!(
    template_syntax_error,
    build_errors(&[(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title | no_such_filter }\n{% endblock %}\n"
    )])
);

snapshot!(
    two_files_one_url,
    build_errors(&[
        (
            "content/guides/same.md",
            "+++\ntitle = \"A\"\nslug = \"dup\"\n+++\n"
        ),
        (
            "content/guides/other.md",
            "+++\ntitle = \"B\"\nslug = \"dup\"\n+++\n"
        ),
    ])
);

snapshot!(
    check_warnings,
    stderr_of(
        &[
            (
                "content/billing/advice.md",
                "+++\ntitle = \"Advice\"\n+++\n## Steps\n\n#### Too deep\n\n![](shot.png)\n"
            ),
            // Pictures must exist (a missing one is an error).
            ("content/billing/shot.png", "png"),
        ],
        &["check"]
    )
);

snapshot!(
    theme_string_missing_in_a_language,
    build_errors(&[(
        "i18n/en.toml",
        "office_hours_note = \"Times are shown in your time zone.\"\n"
    )])
);

snapshot!(
    announcement_errors,
    build_errors(&[
        (
            "content/announcements/_index.md",
            "+++\ntitle = \"Announcements\"\n+++\n"
        ),
        (
            "content/announcements/maintenance.md",
            "+++\ntitle = \"Maintenance\"\nstarts = 2026-10-03\nends = 2026-10-01\nseverity = \"urgent\"\n+++\nBody\n"
        ),
        (
            "content/announcements/undated.md",
            "+++\ntitle = \"Undated\"\n+++\nBody\n"
        ),
        (
            "content/guides/timed.md",
            "+++\ntitle = \"Timed\"\nstarts = 2026-10-01\n+++\nBody\n"
        ),
    ])
);

snapshot!(
    unknown_template,
    build_errors(&[(
        "content/guides/special.md",
        "+++\ntitle = \"Special\"\ntemplate = \"special.html\"\n+++\nBody\n"
    )])
);

snapshot!(
    unknown_theme,
    build_errors(&[("config.toml", basic_config("theme = \"fancy\"\n", ""))])
);

snapshot!(
    language_not_configured,
    build_errors(&[(
        "content/guides/withdraw.fr.md",
        "+++\ntitle = \"Retirer\"\n+++\nTexte.\n"
    )])
);

snapshot!(
    bad_date,
    build_errors(&[(
        "content/guides/dated.md",
        "+++\ntitle = \"Dated\"\ndate = \"last Tuesday\"\n+++\nBody\n"
    )])
);

snapshot!(
    front_matter_never_closed,
    build_errors(&[(
        "content/guides/open.md",
        "+++\ntitle = \"Open\"\n\nThe closing line was forgotten.\n"
    )])
);

snapshot!(
    article_without_title,
    build_errors(&[(
        "content/guides/untitled.md",
        "+++\ndescription = \"No title here\"\n+++\nBody\n"
    )])
);

snapshot!(
    invalid_utf8,
    build_errors(&[(
        "content/guides/latin1.md",
        b"+++\ntitle = \"Caf\xe9\"\n+++\nBody\n".as_slice()
    )])
);

snapshot!(
    file_too_large,
    build_errors(&[
        (
            "config.toml",
            basic_config("", "\n[limits]\nmax_source_mib = 1\n")
        ),
        (
            "content/guides/huge.md",
            format!("+++\ntitle = \"Huge\"\n+++\n{}", "words ".repeat(300_000))
        ),
    ])
);

snapshot!(
    script_link,
    build_errors(&[(
        "content/guides/clicky.md",
        "+++\ntitle = \"Clicky\"\n+++\nDo not [click here](javascript:alert(1)).\n"
    )])
);

snapshot!(
    channel_is_its_own_alternative,
    build_errors(&[(
        "content/guides/mailbox.md",
        "+++\ntitle = \"Mailbox\"\n[channel]\nkind = \"email\"\naddress = \"help@example.com\"\nalternative = \"mailbox\"\n+++\nBody\n"
    )])
);
