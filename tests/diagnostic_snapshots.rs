//! What the writer sees for each kind of problem: the whole message block (place,
//! source line with caret, hint) compared with a reviewed snapshot in
//! `tests/snapshots/`. After a deliberate change of wording, review and accept with
//! `cargo insta review` (or `INSTA_UPDATE=always cargo test --test diagnostic_snapshots`).

mod common;

use common::Site;

/// Runs `helpsite ARGS` on the basic fixture with `files` written over it; returns
/// what it printed on stderr.
fn stderr_of(files: &[(&str, &str)], args: &[&str]) -> String {
    let site = Site::fixture("basic");
    for (path, text) in files {
        site.write(path, text);
    }
    site.run(args).stderr
}

fn build_errors(files: &[(&str, &str)]) -> String {
    stderr_of(files, &["build"])
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
        &[(
            "content/billing/advice.md",
            "+++\ntitle = \"Advice\"\n+++\n## Steps\n\n#### Too deep\n\n![](shot.png)\n"
        )],
        &["check"]
    )
);
