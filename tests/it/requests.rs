//! The request form and the insights switch through the real build: the form's HTML on
//! its channel page, and every mistake in `[requests]` and `[insights]` reported at its
//! file:line:col. (What the form does in a browser is in `browser_requests.rs`.)

use crate::common;

use common::{select, text_of, Site};
use scraper::Html;

/// The requests fixture with `extra` appended to its config.toml.
fn site_with(extra: &str) -> Site {
    let site = Site::fixture("requests");
    let config = site.read("config.toml");
    site.write("config.toml", &format!("{config}\n{extra}\n"));
    site
}

fn attr<'a>(html: &'a Html, css: &str, name: &str) -> Option<&'a str> {
    select(html, css).first().and_then(|e| e.value().attr(name))
}

#[track_caller]
fn one_attr<'a>(html: &'a Html, css: &str, name: &str) -> &'a str {
    attr(html, css, name).unwrap_or_else(|| panic!("no {css} with {name}"))
}

/// Every field the reader fills in, in order: (name, its label's text).
fn labelled_fields(html: &Html) -> Vec<(String, String)> {
    select(html, "[data-request-form] :is(input, select, textarea)")
        .into_iter()
        .filter(|e| e.value().attr("type") != Some("hidden"))
        .filter(|e| e.value().attr("name") != Some("website"))
        .map(|e| {
            let id = e.value().attr("id").expect("every field has an id");
            let label = select(html, &format!("label[for='{id}']"));
            assert_eq!(label.len(), 1, "one label for #{id}");
            let name = e.value().attr("name").unwrap().to_string();
            (name, text_of(&label[0]))
        })
        .collect()
}

#[test]
fn the_form_has_a_label_and_an_error_for_every_field_and_mails_the_email_channel() {
    let site = Site::fixture("requests");
    site.build().assert_ok();
    let html = site.html("public/contact/request/index.html");
    assert_eq!(
        labelled_fields(&html),
        [
            ("name", "Your name"),
            ("email", "Your email address"),
            ("topic", "Topic"),
            ("subject", "Subject"),
            ("message", "Your question"),
        ]
        .map(|(n, l)| (n.to_string(), l.to_string()))
    );
    for field in select(&html, "[data-request-form] [required]") {
        let id = field.value().attr("id").unwrap();
        let described = field.value().attr("aria-describedby").unwrap();
        let error_id = format!("{id}-error");
        assert!(
            described.split(' ').any(|d| d == error_id),
            "{id}: {described}"
        );
        let error = select(&html, &format!("#{error_id}"));
        assert_eq!(error.len(), 1, "#{error_id}");
        assert!(
            error[0].value().attr("hidden").is_some(),
            "empty until needed"
        );
    }
    assert_eq!(select(&html, "[data-request-form] [required]").len(), 5);
    assert_eq!(one_attr(&html, "#request-email", "type"), "email");
    // No endpoint: a plain form hands the fields to the mail app of the email channel.
    let form = "form[data-request-form]";
    assert_eq!(one_attr(&html, form, "action"), "mailto:help@example.com");
    assert_eq!(one_attr(&html, form, "method"), "post");
    assert_eq!(one_attr(&html, form, "enctype"), "text/plain");
    assert_eq!(one_attr(&html, form, "data-endpoint"), "");
    assert_eq!(one_attr(&html, "[data-request-send]", "type"), "submit");
    assert_eq!(
        text_of(&select(&html, ".request-actions .request-reply-time")[0]),
        "We reply within two working days"
    );
    // Topics: the categories that hold articles, by folder, not the contact page.
    let topics: Vec<(String, String)> = select(&html, "#request-topic option")
        .iter()
        .map(|o| (o.value().attr("value").unwrap().to_string(), text_of(o)))
        .collect();
    assert_eq!(
        topics,
        [
            ("", "Choose a topic"),
            ("account", "Your account"),
            ("payments", "Payments")
        ]
        .map(|(v, t)| (v.to_string(), t.to_string()))
    );
    assert_eq!(
        one_attr(&html, "[data-request-form] input[name=lang]", "value"),
        "en"
    );
}

#[test]
fn the_honeypot_is_out_of_sight_and_out_of_the_tab_order() {
    let site = Site::fixture("requests");
    site.build().assert_ok();
    let html = site.html("public/contact/request/index.html");
    let trap = select(&html, "[data-request-form] .request-trap");
    assert_eq!(trap.len(), 1);
    assert_eq!(trap[0].value().attr("aria-hidden"), Some("true"));
    assert_eq!(one_attr(&html, ".request-trap input", "name"), "website");
    assert_eq!(one_attr(&html, ".request-trap input", "tabindex"), "-1");
    assert!(site
        .read("public/request.css")
        .contains(".request-trap { position: absolute; left: -10000px;"));
}

#[test]
fn the_chinese_page_asks_in_chinese_and_only_the_form_page_loads_its_script() {
    let site = Site::fixture("requests");
    site.build().assert_ok();
    let html = site.html("public/zh/contact/request/index.html");
    let labels: Vec<String> = labelled_fields(&html).into_iter().map(|(_, l)| l).collect();
    assert_eq!(
        labels,
        ["你的姓名", "你的电子邮箱", "问题类别", "主题", "你的问题"]
    );
    assert_eq!(
        text_of(&select(&html, ".request-reply-time")[0]),
        "我们会在两个工作日内回复",
        "the reply time of the Chinese email channel, in the Chinese string"
    );
    let strings = select(&html, "template[data-request-strings]");
    assert_eq!(
        strings[0].value().attr("data-required"),
        Some("请填写“{field}”。")
    );
    assert_eq!(
        one_attr(&html, "[data-request-form] input[name=lang]", "value"),
        "zh"
    );
    let scripts = |path: &str| -> Vec<String> {
        select(&site.html(path), "script[src]")
            .iter()
            .map(|s| {
                s.value()
                    .attr("src")
                    .unwrap()
                    .split('?')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    assert!(scripts("public/zh/contact/request/index.html").contains(&"/request.js".to_string()));
    assert!(
        !scripts("public/account/reset-password/index.html").contains(&"/request.js".to_string())
    );
    assert!(!scripts("public/contact/email/index.html").contains(&"/request.js".to_string()));
}

#[test]
fn an_endpoint_makes_a_plain_form_post_and_site_fields_follow_the_subject() {
    let site = site_with(
        r#"[requests]
endpoint = "https://forms.example.com/help"
topics = [
  { id = "card", label = { en = "My card", zh = "我的卡" } },
  { id = "other", label = "Other" },
]
[[requests.fields]]
name = "order"
label = { en = "Order number", zh = "订单号" }
required = true
pattern = "PB-[0-9]{6}"
hint = { en = "Like PB-123456", zh = "例如 PB-123456" }
[[requests.fields]]
name = "phone_model"
label = "Phone model"
"#,
    );
    site.build().assert_ok();
    let html = site.html("public/contact/request/index.html");
    let form = "form[data-request-form]";
    assert_eq!(
        one_attr(&html, form, "action"),
        "https://forms.example.com/help"
    );
    assert_eq!(
        attr(&html, form, "enctype"),
        None,
        "form-encoded without JavaScript"
    );
    let names: Vec<String> = labelled_fields(&html).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "name",
            "email",
            "topic",
            "subject",
            "order",
            "phone_model",
            "message"
        ]
    );
    assert_eq!(one_attr(&html, "#request-order", "pattern"), "PB-[0-9]{6}");
    assert!(attr(&html, "#request-order", "required").is_some());
    assert_eq!(
        one_attr(&html, "#request-order", "aria-describedby"),
        "request-order-hint request-order-error"
    );
    assert_eq!(
        text_of(&select(&html, "#request-order-hint")[0]),
        "Like PB-123456"
    );
    assert_eq!(
        text_of(&select(&html, "label[for=request-phone_model]")[0]),
        "Phone model (optional)"
    );
    assert!(attr(&html, "#request-phone_model", "required").is_none());
    let zh = site.html("public/zh/contact/request/index.html");
    let options: Vec<String> = select(&zh, "#request-topic option")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(options, ["请选择类别", "我的卡", "Other"]);
    assert_eq!(
        text_of(&select(&zh, "label[for=request-order]")[0]),
        "订单号"
    );
    assert_eq!(text_of(&select(&zh, "[data-request-send]")[0]), "提交请求");
}

#[test]
fn a_form_channel_with_an_address_stays_a_link() {
    let site = Site::fixture("requests");
    site.write(
        "content/contact/request.md",
        "+++\ntitle = \"Send a request\"\n\n[channel]\nkind = \"form\"\naddress = \"https://forms.example.com/\"\n+++\nText.\n",
    );
    site.build().assert_ok();
    let html = site.html("public/contact/request/index.html");
    assert!(select(&html, "[data-request-form]").is_empty());
    assert_eq!(
        one_attr(&html, ".channel-address a", "href"),
        "https://forms.example.com/"
    );
    // The Chinese page, still without an address, keeps its form.
    assert_eq!(
        select(
            &site.html("public/zh/contact/request/index.html"),
            "[data-request-form]"
        )
        .len(),
        1
    );
}

#[test]
fn every_mistake_in_requests_and_insights_is_reported_at_its_place() {
    let site = site_with(
        r#"[requests]
endpoint = "mailto:help@example.com"
[[requests.fields]]
name = "email"
label = "Email again"
[[requests.fields]]
name = "order"
label = { en = "Order", fr = "Commande" }
pattern = "PB-[0-9{6}"
[[requests.fields]]
name = "order"
label = "Order"
[insights]
endpoint = "collect"
"#,
    );
    let run = site.build();
    run.assert_code(1);
    let errors = run.errors();
    let expected = [
        (
            "[requests] `endpoint` \"mailto:help@example.com\" is not a web address",
            "config.toml:15:12",
        ),
        (
            "field name `email` is one the form already uses",
            "config.toml:17:8",
        ),
        ("`fr` is not a language of this site", "config.toml:20:8"),
        (
            "`pattern` of field `order`: this `[` is never closed",
            "config.toml:22:15",
        ),
        ("field `order` is declared twice", "config.toml:24:8"),
        (
            "[insights] `endpoint` \"collect\" is not a web address",
            "config.toml:27:12",
        ),
    ];
    for (message, place) in expected {
        assert!(
            errors.iter().any(|(m, p)| m == message && p == place),
            "no `{message}` at {place} in {errors:#?}"
        );
    }
    assert_eq!(errors.len(), expected.len(), "{errors:#?}");
    assert!(
        !site.exists("public/index.html"),
        "a failed build writes nothing"
    );
}

#[test]
fn a_form_with_nowhere_to_send_to_fails_at_its_channel_table() {
    let site = Site::fixture("requests");
    // (With only the English email page left, the Chinese form would write to it: an
    // untranslated page is shown in every language.)
    site.remove("content/contact/email.md");
    site.remove("content/contact/email.zh.md");
    let run = site.build();
    run.assert_code(1);
    let message = |lang: &str| {
        format!("the request form has nowhere to send to: no `[requests] endpoint` and no email channel in `{lang}`")
    };
    assert_eq!(
        run.errors(),
        [
            (message("en"), "content/contact/request.md:4:1".to_string()),
            (
                message("zh"),
                "content/contact/request.zh.md:4:1".to_string()
            ),
        ]
    );
    // An endpoint is somewhere to send to.
    let config = site.read("config.toml");
    site.write(
        "config.toml",
        &format!("{config}\n[requests]\nendpoint = \"/requests\"\n"),
    );
    site.build().assert_ok();
}

#[test]
fn insights_load_on_every_page_only_when_an_endpoint_is_set() {
    let site = Site::fixture("requests");
    site.build().assert_ok();
    for page in ["public/index.html", "public/contact/request/index.html"] {
        let html = site.html(page);
        assert!(
            select(&html, "meta[name=helpsite-insights]").is_empty(),
            "{page}"
        );
        assert!(!site.read(page).contains("insights.js"), "{page}");
    }
    let site = site_with("[insights]\nendpoint = \"/collect\"\n");
    site.build().assert_ok();
    for page in [
        "public/index.html",
        "public/zh/account/reset-password/index.html",
        "public/search/index.html",
        "public/404.html",
    ] {
        let html = site.html(page);
        assert_eq!(
            one_attr(&html, "meta[name=helpsite-insights]", "content"),
            "/collect",
            "{page}"
        );
        let script = one_attr(&html, "script[src*='insights.js']", "src");
        assert!(script.starts_with("/insights.js?h="), "{page}: {script}");
    }
    let script = site.read("public/insights.js");
    assert!(
        script.contains("navigator.globalPrivacyControl")
            || script.contains("nav.globalPrivacyControl")
    );
    assert!(!script.contains("document.cookie"), "no cookies");
}

/// The fenced block of a guide page whose info string has `run=NAME`.
fn guide_block(page: &str, name: &str) -> String {
    let text =
        std::fs::read_to_string(common::repo_root().join("docs/content").join(page)).unwrap();
    let marker = format!("run={name}\n");
    let start = text
        .find(&marker)
        .unwrap_or_else(|| panic!("no run={name} block"))
        + marker.len();
    let end = start + text[start..].find("\n```").expect("closing fence");
    text[start..end + 1].to_string()
}

#[test]
fn the_guide_fragments_for_requests_and_insights_build_as_they_say() {
    let requests = guide_block("contact-channels/requests.md", "requests-endpoint");
    let insights = guide_block("notices-and-feedback/insights.md", "insights-config");
    let site = site_with(&format!("{requests}\n{insights}"));
    site.build().assert_ok();
    let html = site.html("public/contact/request/index.html");
    assert_eq!(
        one_attr(&html, "form[data-request-form]", "action"),
        "https://forms.example.com/help"
    );
    assert_eq!(
        one_attr(&html, "meta[name=helpsite-insights]", "content"),
        "https://help.example.com/collect"
    );
}
