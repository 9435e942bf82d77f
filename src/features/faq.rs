//! schema.org `FAQPage` JSON-LD for question-and-answer articles.
//!
//! The questions are the article's top-level headings; each answer is the text that
//! follows its question up to the next heading of the same or a higher level, so the
//! data says exactly what the reader sees.

use serde::Serialize;

use crate::features::channels::script_safe_json;
use crate::markdown::Rendered;
use crate::model::{PageId, Site};

/// Whether an article is a question-and-answer article: its own `faq`, else that of
/// the nearest section above it that sets one.
pub(crate) fn is_faq(site: &Site, id: PageId) -> bool {
    let page = &site.pages[id];
    page.faq
        .or_else(|| {
            site.ancestry(page.section)
                .into_iter()
                .rev()
                .find_map(|s| site.sections[s].faq)
        })
        .unwrap_or(false)
}

/// One question and its answer, as plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QuestionAnswer {
    pub question: String,
    pub answer: String,
}

/// The questions of a rendered article, in order; questions without an answer are left out.
pub(crate) fn questions(rendered: &Rendered) -> Vec<QuestionAnswer> {
    let headings = &rendered.headings;
    let Some(level) = headings.iter().map(|h| h.level).min() else {
        return Vec::new();
    };
    let text = &rendered.plain_text;
    headings
        .iter()
        .enumerate()
        .filter(|(_, h)| h.level == level)
        .filter_map(|(i, h)| {
            let end = headings[i + 1..]
                .iter()
                .find(|next| next.level <= level)
                .map_or(text.len(), |next| next.plain_start);
            let answer = collapse_whitespace(text.get(h.plain_end..end).unwrap_or(""));
            (!answer.is_empty()).then(|| QuestionAnswer {
                question: collapse_whitespace(&h.title),
                answer,
            })
        })
        .collect()
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// schema.org `FAQPage`. JSON-LD fields are in the order the pages have always
/// printed them (sorted).
#[derive(Serialize)]
struct FaqPage<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(rename = "mainEntity")]
    main_entity: Vec<Question>,
    name: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct Question {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "acceptedAnswer")]
    accepted_answer: Answer,
    name: String,
}

#[derive(Serialize)]
struct Answer {
    #[serde(rename = "@type")]
    kind: &'static str,
    text: String,
}

/// The `FAQPage` JSON-LD of an article, escaped for a `<script>` element; empty when
/// the article has no questions with answers.
pub(crate) fn jsonld(name: &str, lang: &str, url: &str, rendered: &Rendered) -> String {
    let entries: Vec<Question> = questions(rendered)
        .into_iter()
        .map(|qa| Question {
            kind: "Question",
            accepted_answer: Answer {
                kind: "Answer",
                text: qa.answer,
            },
            name: qa.question,
        })
        .collect();
    if entries.is_empty() {
        return String::new();
    }
    script_safe_json(&FaqPage {
        context: "https://schema.org",
        kind: "FAQPage",
        in_language: lang,
        main_entity: entries,
        name,
        url,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{render, BodyOrigin, MarkdownOptions};
    use serde_json::Value;

    fn rendered(body: &str) -> Rendered {
        let origin = BodyOrigin {
            file: std::path::Path::new("content/x.md"),
            first_line: 1,
            lang: "en",
        };
        render(body, &origin, &MarkdownOptions::default(), &|_| None).0
    }

    #[test]
    fn answers_run_to_the_next_question_and_keep_sub_headings() {
        let r =
            rendered("Intro.\n\n## One?\n\nFirst.\n\n### Detail\n\nMore.\n\n## Two?\n\n- a\n- b\n");
        let qa = questions(&r);
        assert_eq!(qa.len(), 2);
        assert_eq!(qa[0].question, "One?");
        assert_eq!(qa[0].answer, "First. Detail More.");
        assert_eq!(qa[1].answer, "a b");
    }

    #[test]
    fn script_end_tags_cannot_break_out() {
        let r = rendered("## Q </script><script>alert(1)</script>\n\nA & B\n");
        let json = jsonld("t", "en", "https://example.com/x/", &r);
        assert!(!json.contains("</script"));
        let value: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            value["mainEntity"][0]["name"],
            "Q </script><script>alert(1)</script>"
        );
        assert_eq!(value["mainEntity"][0]["acceptedAnswer"]["text"], "A & B");
    }
}
