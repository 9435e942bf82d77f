use super::*;

fn render_simple(body: &str) -> (Rendered, Vec<Diagnostic>) {
    let origin = BodyOrigin {
        file: Path::new("content/a.md"),
        first_line: 5,
        lang: "en",
    };
    let resolve = |p: &str| (p == "b.md").then(|| "/b/".to_string());
    render(body, &origin, &MarkdownOptions::default(), &resolve)
}

#[test]
fn heading_ids_keep_chinese_and_drop_punctuation() {
    assert_eq!(heading_id("用手机号重置密码？"), "用手机号重置密码");
    assert_eq!(heading_id("Reset with your phone"), "reset-with-your-phone");
    assert_eq!(heading_id("  What's new -- 2FA!  "), "whats-new-2fa");
    assert_eq!(heading_id("A\u{0B}B\u{0C}C\u{3000}D"), "a-b-c-d");
    assert_eq!(heading_id("Straße \u{212A}elvin_İ"), "straße-kelvin-i");
}

#[test]
fn duplicate_headings_get_unique_ids() {
    let (r, _) = render_simple("## Steps\n\n## Steps\n\n## Steps-1\n");
    let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["steps", "steps-1", "steps-1-1"]);
}

#[test]
fn internal_links_resolve_and_broken_ones_name_the_line() {
    let (r, d) = render_simple("See [b](@/b.md#x).\n\nAnd [c](@/c.md).\n");
    assert!(r.html.contains("href=\"/b/#x\""), "{}", r.html);
    assert_eq!(r.links[0].anchor.as_deref(), Some("x"));
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].line, d[0].col), (Some(7), Some(5)));
}

#[test]
fn raw_html_is_text_by_default() {
    let (r, _) = render_simple("Hi <script>alert(1)</script>\n\n## <b>x</b>\n");
    assert!(!r.html.contains("<script>"), "{}", r.html);
    assert!(r.html.contains("&lt;script&gt;"));
}

#[test]
fn script_links_are_refused() {
    let (r, d) = render_simple("[x](javascript:alert(1)) and [y]( JavaScript:void(0))\n");
    assert!(!r.html.to_lowercase().contains("javascript"), "{}", r.html);
    assert_eq!(d.len(), 2);
    assert_eq!(d[0].line, Some(5));
    let (_, d) = render_simple("[ok](https://example.com/a:b)\n");
    assert!(d.is_empty());
}

#[test]
fn the_checks_facts_are_noted_with_their_places() {
    let body = "## One\n\n#### Deep\n\n![](a.png) ![A *chart*](https://cdn.example/b.png)\n\nSee [x](https://example.com/) and [y](/local/).\n";
    let (r, _) = render_simple(body);
    let levels: Vec<_> = r
        .noted
        .heading_levels
        .iter()
        .map(|(l, p)| (*l, p.line))
        .collect();
    assert_eq!(levels, [(2, 5), (4, 7)]);
    let images: Vec<_> = r
        .noted
        .images
        .iter()
        .map(|i| (i.alt.as_str(), i.place.col))
        .collect();
    assert_eq!(images, [("", 1), ("A chart", 12)]);
    let external: Vec<_> = r
        .noted
        .external_links
        .iter()
        .map(|(u, p)| (u.as_str(), p.line, p.col))
        .collect();
    assert_eq!(
        external,
        [
            ("https://cdn.example/b.png", 9, 12),
            ("https://example.com/", 11, 5)
        ]
    );
}

#[test]
fn more_marker_gives_the_summary() {
    let (r, _) = render_simple("First part.\n\n<!-- more -->\n\nSecond.\n");
    assert_eq!(r.summary.as_deref(), Some("First part."));
    assert!(!r.html.contains("more"));
}

#[test]
fn reading_time_counts_words_and_characters() {
    assert_eq!(reading_minutes("short"), 1);
    assert_eq!(reading_minutes(&"word ".repeat(400)), 3);
    assert_eq!(reading_minutes(&"提现".repeat(400)), 3);
    // Punctuation keeps a word whole; spaces of any script end it.
    assert_eq!(reading_minutes(&"don't ".repeat(400)), 3);
    assert_eq!(reading_minutes(&"a\u{3000}é\u{a0}".repeat(200)), 3);
    assert_eq!(reading_minutes(&"a-b.c,".repeat(400)), 1);
}

#[test]
fn common_punctuation_is_neither_letter_nor_space() {
    let marks = ('\u{2000}'..='\u{3100}').chain('\u{FF00}'..='\u{FF30}');
    for c in marks.filter(|&c| is_common_punctuation(c)) {
        assert!(!c.is_alphanumeric() && !c.is_whitespace(), "{c:?}");
    }
    assert!(is_common_punctuation('，') && is_common_punctuation('。'));
    assert!(is_common_punctuation('“') && is_common_punctuation('）'));
}

#[test]
fn ascii_reads_as_its_character_does() {
    for byte in 0..0x80u8 {
        assert_eq!(
            ascii_reading_class(byte),
            reading_class(char::from(byte)),
            "{byte:#x}"
        );
    }
}

#[test]
fn excerpts_cut_at_words() {
    assert_eq!(excerpt("one two three four", 9), "one two…");
    assert_eq!(excerpt("短文本", 10), "短文本");
}

#[test]
fn a_block_shortcode_without_templates_keeps_its_body() {
    let body =
        "Watch:\n\n{{ youtube(id=\"abc\") }}\n\n{% details(summary=\"x\") %}\nBody\n{% end %}\n";
    let (r, d) = render_simple(body);
    assert_eq!(r.html, "<p>Watch:</p>\n\n<p>Body</p>\n");
    assert!(d.is_empty());
}

/// Pieces of the writing syntax, for the property below.
const PIECES: &[&str] = &[
    "{{ echo(text=\"a\") }}",
    "{% echo() %}",
    "{% end %}",
    "{{",
    "}}",
    "{%",
    "%}",
    ":::note x",
    ":::",
    "> [!NOTE]",
    "> [!BOGUS]",
    "> ",
    "```rust",
    "```",
    "`",
    "\n",
    "\n\n",
    "    ",
    "text ",
    "# H ",
    "![a](b.png)",
    "[l](@/b.md)",
    "<details>",
    "</details>",
    "<script>",
    "\u{E000}1\u{E001}",
    "<!--hs-0-->",
    "{{/* x() */}}",
    "*",
    "| a |\n|---|\n",
    "- ",
    "1. ",
    "[^n]",
    "[^n]: f\n",
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
    #[test]
    fn any_mix_of_writing_syntax_renders(
        picks in proptest::collection::vec(proptest::sample::select(PIECES), 0..30),
        safe in proptest::bool::ANY,
    ) {
        let body = picks.concat();
        let mut tera = tera::Tera::default();
        tera.add_raw_template("shortcodes/echo.html", "<b>{{ text | default(value='') }}</b>{{ body | default(value='') | safe }}").unwrap();
        let options = MarkdownOptions {
            raw_html: if safe { RawHtml::Safe } else { RawHtml::Escape },
            shortcodes: Some(&tera),
            ..MarkdownOptions::default()
        };
        let origin = BodyOrigin { file: Path::new("content/a.md"), first_line: 5, lang: "en" };
        let (rendered, diagnostics) = render(&body, &origin, &options, &|_| None);
        let lines = body.lines().count() + 5;
        for d in &diagnostics {
            proptest::prop_assert!(d.line.is_some_and(|l| l >= 5 && l <= lines), "{:?} in {:?}", d, body);
        }
        // Markers never leak into the page.
        proptest::prop_assert!(!rendered.html.contains("<!--hs-") || body.contains("<!--hs-"), "{}", rendered.html);
    }
}
