//! The report as plain text for a terminal: one block per language, then the skipped lines.

use std::fmt::Write;

use chrono::{DateTime, Utc};

use super::summary::{LanguageReport, Period, QueryCount, Report};

/// The whole report as text, ending with a newline.
pub(crate) fn render(report: &Report) -> String {
    let mut out = String::new();
    match report.period {
        Some(period) => {
            let _ = writeln!(
                out,
                "{} event{} in {} language{}, {}",
                report.events,
                plural(report.events),
                report.languages.len(),
                plural(report.languages.len() as u64),
                span(period)
            );
        }
        None => out.push_str("no events\n"),
    }
    for language in &report.languages {
        out.push('\n');
        language_block(&mut out, language);
    }
    malformed_block(&mut out, report);
    out
}

fn language_block(out: &mut String, l: &LanguageReport) {
    let _ = writeln!(
        out,
        "== {} == {} event{}, {}",
        clean(&l.lang),
        l.events,
        plural(l.events),
        span(l.period)
    );
    let _ = writeln!(
        out,
        "searches: {}, found nothing: {} ({})",
        l.searches,
        l.no_result_searches,
        percent(l.no_result_rate)
    );
    query_list(out, "searches that found nothing", &l.failed_searches);
    query_list(
        out,
        "searches whose results nobody opened",
        &l.unopened_searches,
    );
    let d = &l.deflection;
    let _ = writeln!(
        out,
        "request form: {} suggested article{} opened, {} request{} sent; deflection {}",
        d.suggestions_opened,
        plural(d.suggestions_opened),
        d.requests_sent,
        plural(d.requests_sent),
        percent(d.rate)
    );
    out.push_str("least helpful articles (by the 95% Wilson lower bound of \"no\"):\n");
    if l.least_helpful.is_empty() {
        out.push_str("  none\n");
    }
    for row in &l.least_helpful {
        let _ = writeln!(
            out,
            "  {:>5.1}%  {} of {} said no  {}",
            row.score * 100.0,
            row.not_helpful,
            row.answers,
            clean(&row.page)
        );
    }
    if !l.weekly.is_empty() {
        out.push_str("no-result rate by week (starting Monday):\n");
    }
    for week in &l.weekly {
        let _ = writeln!(
            out,
            "  {}  {:>5.1}% of {} search{}",
            week.start,
            week.rate * 100.0,
            week.searches,
            if week.searches == 1 { "" } else { "es" }
        );
    }
}

fn query_list(out: &mut String, title: &str, rows: &[QueryCount]) {
    let _ = writeln!(out, "{title}:");
    if rows.is_empty() {
        out.push_str("  none\n");
    }
    for row in rows {
        let _ = writeln!(out, "  {:>6}  {}", row.searches, clean(&row.query));
    }
}

fn malformed_block(out: &mut String, report: &Report) {
    let problems = &report.malformed;
    if problems.count == 0 {
        return;
    }
    let _ = writeln!(out, "\nmalformed lines skipped: {}", problems.count);
    for m in &problems.listed {
        let _ = writeln!(out, "  {}:{}: {}", clean(&m.file), m.line, clean(&m.reason));
    }
    let unlisted = problems.count - problems.listed.len() as u64;
    if unlisted > 0 {
        let _ = writeln!(out, "  and {unlisted} more");
    }
}

fn span(period: Period) -> String {
    format!("{} to {}", minute(period.from), minute(period.to))
}

fn minute(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn percent(rate: Option<f64>) -> String {
    match rate {
        Some(rate) => format!("{:.1}%", rate * 100.0),
        None => "n/a".to_string(),
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Control characters and text-direction overrides written out (`\u{1b}`), so a query
/// cannot move the cursor, recolour the terminal or turn the rest of a line around.
fn clean(text: &str) -> String {
    if !text.chars().any(is_unsafe) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if is_unsafe(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_written_out() {
        assert_eq!(clean("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(clean("plain"), "plain");
        assert_eq!(clean("a\u{202e}b"), "a\\u{202e}b");
    }
}
