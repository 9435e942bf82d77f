//! Callouts, shortcodes, highlighted code, images and safe raw HTML, built through the
//! real pipeline from the `writing` fixture; exact HTML fragments and exact errors.

use crate::common;

use common::{snapshot, Site};

fn built() -> Site {
    let site = Site::fixture("writing");
    site.build().assert_ok();
    site
}

/// The article's body as the theme writes it (`<div class="content">`).
fn content(site: &Site, rel: &str) -> String {
    let page = site.read(rel);
    let start = page
        .find("<div class=\"content\">")
        .expect("a content block");
    let end = page[start..]
        .find("\n  </div>\n</article>")
        .expect("its end");
    page[start + "<div class=\"content\">".len()..start + end]
        .trim()
        .to_string()
}

const FRONT: &str = "+++\ntitle = \"Bad\"\ndescription = \"Bad.\"\n+++\n\n";

#[test]
fn alerts_and_containers_render_as_labelled_boxes() {
    let site = built();
    let html = content(&site, "public/guides/callouts/index.html");
    let warning = "<div class=\"callout callout-warning\" data-callout=\"warning\" role=\"note\">\n<p class=\"callout-title\"><svg class=\"callout-icon\" viewBox=\"0 0 16 16\" width=\"16\" height=\"16\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-linecap=\"round\" stroke-linejoin=\"round\" aria-hidden=\"true\" focusable=\"false\"><path d=\"M8 1.8 14.6 13.5H1.4z\"/><path d=\"M8 6v3.6M8 11.4v.1\"/></svg><span class=\"callout-label\">Warning</span></p>\n<p>Check the <strong>amount</strong> before you confirm: a sent transfer cannot be recalled.</p>\n</div>\n";
    assert!(html.starts_with(warning), "{html}");
    assert!(
        html.contains("<span class=\"callout-label\">Tip</span> · <span class=\"callout-heading\">Before you start</span></p>\n<p>Keep your zebrafinch code at hand.</p>\n</div>\n"),
        "{html}"
    );
    assert!(html.ends_with("<blockquote>\n<p>A plain quote stays a quote.</p>\n</blockquote>"));
    // The label in the page's language, from the theme strings.
    let zh = content(&site, "public/zh/guides/callouts/index.html");
    assert!(
        zh.contains(
            "<span class=\"callout-label\">注意</span></p>\n<p>提现一般在两小时内到账。</p>"
        ),
        "{zh}"
    );
}

#[test]
fn search_finds_the_text_of_callouts() {
    let site = built();
    let index: String = snapshot(&site.path().join("public/search/data"))
        .into_iter()
        .map(|(_, bytes)| String::from_utf8(bytes).unwrap())
        .collect();
    assert!(index.contains("zebrafinch"), "container text is indexed");
    assert!(index.contains("recalled"), "alert text is indexed");
}

#[test]
fn unknown_callout_kinds_name_the_place_and_the_kinds() {
    let site = Site::fixture("writing");
    site.write(
        "content/guides/bad.md",
        &format!("{FRONT}> [!DANGER]\n> Careful.\n\n:::danger Careful\ntext\n:::\n"),
    );
    let run = site.build();
    run.assert_code(1);
    assert_eq!(
        run.errors(),
        [
            (
                "unknown callout kind `DANGER`".to_string(),
                "content/guides/bad.md:6:3".to_string()
            ),
            (
                "unknown callout kind `danger`".to_string(),
                "content/guides/bad.md:9:4".to_string()
            ),
        ]
    );
    assert!(run
        .stderr
        .contains("hint: the kinds are note, tip, important, warning, caution"));
}

#[test]
fn embeds_are_private_lazy_and_titled() {
    let site = built();
    let html = content(&site, "public/guides/shortcodes/index.html");
    let expected = "<p>Watch the walkthrough:</p>\n<div class=\"embed\" data-print=\"How to withdraw: https://www.youtube.com/watch?v=dQw4w9WgXcQ\">\n<iframe src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\" title=\"How to withdraw\" loading=\"lazy\" referrerpolicy=\"strict-origin-when-cross-origin\" allow=\"encrypted-media; picture-in-picture; fullscreen\" allowfullscreen></iframe>\n</div>\n<div class=\"embed\" data-print=\"Vimeo video: https://vimeo.com/76979871\">\n<iframe src=\"https://player.vimeo.com/video/76979871?dnt=1\" title=\"Vimeo video\" loading=\"lazy\"";
    assert!(html.starts_with(expected), "{html}");
}

#[test]
fn site_shortcodes_override_the_theme_and_add_their_own() {
    let site = built();
    let html = content(&site, "public/guides/shortcodes/index.html");
    // The site's details.html, with the Markdown between the tags as its body.
    assert!(
        html.contains("<details class=\"site-details\"><summary>Why does it take so long?</summary><p>Banks settle <strong>twice</strong> a day.</p>\n</details>"),
        "{html}"
    );
    assert!(html.contains("<p>Press <kbd class=\"key\">Ctrl</kbd> to continue.</p>"));
}

#[test]
fn code_and_escaped_calls_stay_text() {
    let site = built();
    let html = content(&site, "public/guides/shortcodes/index.html");
    assert!(html.ends_with(
        "<p>Written as text: <code>{{ youtube(id=\"x\") }}</code> and {{ youtube(id=\"y\") }}.</p>\n<pre><code>{{ youtube(id=\"in-a-fence\") }}\n</code></pre>"
    ), "{html}");
}

#[test]
fn the_theme_details_shortcode_is_a_collapsible() {
    let site = Site::fixture("writing");
    site.remove("templates/shortcodes/details.html");
    site.build().assert_ok();
    let html = content(&site, "public/guides/shortcodes/index.html");
    assert!(
        html.contains("<details>\n<summary>Why does it take so long?</summary>\n<p>Banks settle <strong>twice</strong> a day.</p>\n\n</details>"),
        "{html}"
    );
}

#[test]
fn bad_shortcodes_are_errors_at_their_place() {
    let site = Site::fixture("writing");
    site.write(
        "content/guides/bad.md",
        &format!(
            "{FRONT}Watch {{{{ youtub(id=\"x\") }}}} now.\n\n{{{{ youtube(id=\"a b\") }}}}\n\n{{{{ vimeo(id=12, title=) }}}}\n\n{{% details(summary=\"x\") %}}\nNever closed.\n"
        ),
    );
    let run = site.build();
    run.assert_code(1);
    let at = |line_col: &str| format!("content/guides/bad.md:{line_col}");
    assert_eq!(
        run.errors(),
        [
            ("unknown shortcode `youtub`".to_string(), at("6:7")),
            (
                "`youtube` argument `id` must be a video id (letters, digits, `-` and `_`), not a string".to_string(),
                at("8:1")
            ),
            (
                "bad shortcode: a value is a quoted string, a number, true or false".to_string(),
                at("10:23")
            ),
            ("this shortcode is never closed".to_string(), at("12:1")),
        ]
    );
    assert!(run.stderr.contains(
        "hint: the shortcodes are details, key, video, vimeo, youtube; a site adds its own as templates/shortcodes/youtub.html"
    ), "{}", run.stderr);
}

#[test]
fn known_languages_are_highlighted_and_others_stay_plain() {
    let site = built();
    let html = content(&site, "public/guides/code/index.html");
    assert!(html.starts_with("<pre class=\"code\" data-lang=\"json\"><code class=\"language-json\"><span class=\"hl-source hl-json\">"), "{html}");
    assert!(html.contains("<span class=\"hl-constant hl-numeric hl-json\">25</span>"));
    assert!(html.ends_with("<pre><code class=\"language-no-such-language\">plain &lt;text&gt;\n</code></pre>\n<pre><code>no language\n</code></pre>"), "{html}");
    // The copy button's script, with its words, only where there is code.
    let page = site.read("public/guides/code/index.html");
    assert!(page.contains("defer data-copy=\"Copy\" data-copy-label=\"Copy the code\" data-copied=\"Copied\"></script>"));
    assert!(!site
        .read("public/guides/callouts/index.html")
        .contains("code.js"));
    assert!(site.exists("public/code.js") && site.exists("public/writing.css"));
}

#[test]
fn images_are_sized_lazy_and_checked() {
    let site = built();
    let html = content(&site, "public/guides/bundle/index.html");
    assert_eq!(
        html,
        "<p><img src=\"button.png\" alt=\"The withdraw button\" width=\"3\" height=\"2\" loading=\"lazy\" decoding=\"async\" /></p>\n<p><img src=\"/img/wide.png\" alt=\"A wide banner\" title=\"Banner\" width=\"12\" height=\"4\" loading=\"lazy\" decoding=\"async\" /></p>\n<p><img src=\"https://cdn.example.com/a.png\" alt=\"Remote\" loading=\"lazy\" decoding=\"async\" /></p>"
    );
}

#[test]
fn missing_images_and_videos_are_errors_at_their_place() {
    let site = Site::fixture("writing");
    site.write(
        "content/guides/bad.md",
        &format!("{FRONT}Here: ![Gone](gone.png)\n\n{{{{ video(src=\"/clip.mp4\") }}}}\n"),
    );
    let run = site.build();
    run.assert_code(1);
    let at = |line_col: &str| format!("content/guides/bad.md:{line_col}");
    assert_eq!(
        run.errors(),
        [
            ("image not found: gone.png".to_string(), at("6:7")),
            ("video not found: /clip.mp4".to_string(), at("8:1")),
        ]
    );
    assert!(run
        .stderr
        .contains("hint: looked for content/guides/gone.png;"));
    assert!(run
        .stderr
        .contains("hint: looked for static/clip.mp4 and content/clip.mp4;"));
}

#[test]
fn an_image_without_alt_text_is_one_warning() {
    let site = Site::fixture("writing");
    site.write(
        "content/guides/bundle/index.md",
        "+++\ntitle = \"Pictures\"\ndescription = \"P.\"\n+++\n\n![](button.png)\n",
    );
    let run = site.run(&["check"]);
    run.assert_ok();
    let about_images: Vec<_> = run
        .warnings()
        .into_iter()
        .filter(|(message, _)| message.contains("image"))
        .collect();
    assert_eq!(
        about_images,
        [(
            "image without alt text".to_string(),
            "content/guides/bundle/index.md:6:1".to_string()
        )]
    );
}

const RAW: &str = "<details><summary>More</summary>Press <kbd>Ctrl</kbd>.</details>\n\nH<sub>2</sub>O<script>alert(1)</script> <img src=\"button.png\" onerror=\"alert(1)\" alt=\"x\">\n\n> [!TIP]\n> Kept.\n";

#[test]
fn safe_raw_html_keeps_the_allow_list_and_drops_script() {
    let site = Site::fixture("writing");
    let config = site.read("config.toml") + "\n[markdown]\nraw_html = \"safe\"\n";
    site.write("config.toml", &config);
    site.write(
        "content/guides/bundle/index.md",
        &format!("+++\ntitle = \"Raw\"\ndescription = \"R.\"\n+++\n\n{RAW}"),
    );
    site.build().assert_ok();
    let html = content(&site, "public/guides/bundle/index.html");
    assert!(
        html.starts_with("<details><summary>More</summary>Press <kbd>Ctrl</kbd>.</details>\n<p>H<sub>2</sub>O <img src=\"button.png\" alt=\"x\"></p>\n<div class=\"callout callout-tip\" data-callout=\"tip\" role=\"note\">"),
        "{html}"
    );
    assert!(!html.contains("script") && !html.contains("onerror"));
}

#[test]
fn raw_html_is_still_text_by_default() {
    let site = Site::fixture("writing");
    site.write(
        "content/guides/bundle/index.md",
        &format!("+++\ntitle = \"Raw\"\ndescription = \"R.\"\n+++\n\n{RAW}"),
    );
    site.build().assert_ok();
    let html = content(&site, "public/guides/bundle/index.html");
    assert!(
        html.starts_with("&lt;details&gt;&lt;summary&gt;More"),
        "{html}"
    );
}

#[test]
fn raw_html_takes_false_true_or_safe() {
    let site = Site::fixture("writing");
    let config = site.read("config.toml") + "\n[markdown]\nraw_html = \"yes\"\n";
    site.write("config.toml", &config);
    let run = site.build();
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("raw_html is false, true or \"safe\", not \"yes\""),
        "{}",
        run.stderr
    );
}
