//! The report as one self-contained HTML page (`--html OUT`): inline CSS and SVG charts,
//! no script at all, and every string from the events escaped.

use std::fmt::Write;

use html_escape::encode_safe;

use super::summary::{LanguageReport, QueryCount, Report, Week};

/// Bars in the failed-searches chart.
const BARS: usize = 10;
const CHART_WIDTH: f64 = 640.0;

const STYLE: &str = "body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;\
padding:0 1rem;color:#1a1a1a}h1{font-size:1.6rem}h2{margin-top:2.5rem;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{padding:.2rem .8rem;text-align:left;\
border-bottom:1px solid #eee}td.n{text-align:right;font-variant-numeric:tabular-nums}\
svg{max-width:100%;height:auto;display:block;margin:.5rem 0 1.5rem}.bar{fill:#0b5cad}\
.line{fill:none;stroke:#b3261e;stroke-width:2}.dot{fill:#b3261e}.axis{stroke:#888}.grid{stroke:#ddd}\
svg text{font-size:12px;fill:#1a1a1a}.muted{color:#555}";

/// The whole page.
pub(crate) fn render(report: &Report) -> String {
    let mut out = String::from(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <title>Help center insights</title>\n<style>",
    );
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<h1>Help center insights</h1>\n");
    let _ = match report.period {
        Some(p) => writeln!(
            out,
            "<p>{} in {}, {} to {} (UTC).</p>",
            count(report.events, "event"),
            count(report.languages.len() as u64, "language"),
            p.from.format("%Y-%m-%d %H:%M"),
            p.to.format("%Y-%m-%d %H:%M")
        ),
        None => writeln!(out, "<p>No events.</p>"),
    };
    for language in &report.languages {
        language_section(&mut out, language);
    }
    malformed_section(&mut out, report);
    out.push_str("</body>\n</html>\n");
    out
}

fn language_section(out: &mut String, l: &LanguageReport) {
    let lang = encode_safe(&l.lang);
    let _ = writeln!(
        out,
        "<section lang=\"{lang}\">\n<h2>{lang}</h2>\n<p class=\"muted\" lang=\"en\">{}, \
         {} to {}. {}, {} found nothing ({}).</p>",
        count(l.events, "event"),
        l.period.from.format("%Y-%m-%d"),
        l.period.to.format("%Y-%m-%d"),
        count(l.searches, "search"),
        l.no_result_searches,
        percent(l.no_result_rate)
    );
    out.push_str("<h3 lang=\"en\">Searches that found nothing</h3>\n");
    failed_bars(out, &l.failed_searches);
    query_table(out, "Searches", &l.failed_searches);
    out.push_str("<h3 lang=\"en\">No-result rate by week</h3>\n");
    weekly_line(out, &l.weekly);
    out.push_str("<h3 lang=\"en\">Searches whose results nobody opened</h3>\n");
    query_table(out, "Searches with results", &l.unopened_searches);
    let d = &l.deflection;
    let _ = writeln!(
        out,
        "<h3 lang=\"en\">Request form</h3>\n<p lang=\"en\">{} opened, {} \
         sent: deflection <strong>{}</strong> (suggestions opened / (suggestions \
         opened + requests sent)).</p>",
        count(d.suggestions_opened, "suggested article"),
        count(d.requests_sent, "request"),
        percent(d.rate)
    );
    unhelpful_table(out, l);
    out.push_str("</section>\n");
}

fn query_table(out: &mut String, count_title: &str, rows: &[QueryCount]) {
    if rows.is_empty() {
        out.push_str("<p class=\"muted\" lang=\"en\">None.</p>\n");
        return;
    }
    let _ = writeln!(
        out,
        "<table>\n<tr lang=\"en\"><th>Query</th><th>{count_title}</th></tr>"
    );
    for row in rows {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
            encode_safe(&row.query),
            row.searches
        );
    }
    out.push_str("</table>\n");
}

fn unhelpful_table(out: &mut String, l: &LanguageReport) {
    out.push_str(
        "<h3 lang=\"en\">Least helpful articles</h3>\n<p class=\"muted\" lang=\"en\">Ranked by \
         the lower bound of the 95% Wilson interval of the share of “no” answers, so one “no” \
         of one answer ranks below 40 of 50.</p>\n",
    );
    if l.least_helpful.is_empty() {
        out.push_str("<p class=\"muted\" lang=\"en\">None.</p>\n");
        return;
    }
    out.push_str(
        "<table>\n<tr lang=\"en\"><th>Article</th><th>“No”</th><th>Answers</th><th>Score</th></tr>\n",
    );
    for row in &l.least_helpful {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:.1}%</td></tr>",
            encode_safe(&row.page),
            row.not_helpful,
            row.answers,
            row.score * 100.0
        );
    }
    out.push_str("</table>\n");
}

/// Horizontal bars, one per query, longest for the most frequent.
fn failed_bars(out: &mut String, rows: &[QueryCount]) {
    let rows = &rows[..rows.len().min(BARS)];
    let Some(max) = rows.iter().map(|r| r.searches).max() else {
        return;
    };
    let (label, row_height) = (200.0, 24.0);
    let height = row_height * rows.len() as f64 + 4.0;
    let _ = writeln!(
        out,
        "<svg role=\"img\" aria-label=\"Searches that found nothing\" viewBox=\"0 0 {CHART_WIDTH} \
         {height}\" width=\"{CHART_WIDTH}\" height=\"{height}\">"
    );
    for (i, row) in rows.iter().enumerate() {
        let y = i as f64 * row_height + 2.0;
        let width = (CHART_WIDTH - label - 50.0) * row.searches as f64 / max as f64;
        let query = encode_safe(&row.query);
        let _ = writeln!(
            out,
            "<text x=\"{:.0}\" y=\"{:.0}\" text-anchor=\"end\">{}</text>\
             <rect class=\"bar\" x=\"{label}\" y=\"{y:.0}\" width=\"{width:.1}\" height=\"18\"><title>{query}: {}</title></rect>\
             <text x=\"{:.1}\" y=\"{:.0}\">{}</text>",
            label - 6.0,
            y + 14.0,
            short_label(&query),
            row.searches,
            label + width + 4.0,
            y + 14.0,
            row.searches
        );
    }
    out.push_str("</svg>\n");
}

/// A label cut to fit beside its bar; the bar's title holds the whole query.
fn short_label(escaped: &str) -> String {
    const MAX: usize = 28;
    if escaped.chars().count() <= MAX {
        return escaped.to_string();
    }
    // Cut on a character boundary outside an entity, so the markup stays well formed.
    let mut cut = String::new();
    for c in escaped.chars() {
        if cut.chars().count() >= MAX && !in_entity(&cut) {
            break;
        }
        cut.push(c);
    }
    cut.push('…');
    cut
}

fn in_entity(text: &str) -> bool {
    matches!((text.rfind('&'), text.rfind(';')), (Some(amp), semi) if semi.is_none_or(|s| s < amp))
}

/// The weekly no-result rate as a line from 0 to 100%.
fn weekly_line(out: &mut String, weeks: &[Week]) {
    if weeks.is_empty() {
        out.push_str("<p class=\"muted\" lang=\"en\">No searches.</p>\n");
        return;
    }
    let (left, top, plot_w, plot_h) = (44.0, 10.0, CHART_WIDTH - 64.0, 160.0);
    let step = if weeks.len() > 1 {
        plot_w / (weeks.len() - 1) as f64
    } else {
        0.0
    };
    let point = |i: usize, w: &Week| (left + step * i as f64, top + plot_h * (1.0 - w.rate));
    let _ = writeln!(
        out,
        "<svg role=\"img\" aria-label=\"No-result rate by week\" viewBox=\"0 0 {CHART_WIDTH} 210\" \
         width=\"{CHART_WIDTH}\" height=\"210\">\n<line class=\"axis\" x1=\"{left}\" y1=\"{top}\" \
         x2=\"{left}\" y2=\"{b}\"/><line class=\"axis\" x1=\"{left}\" y1=\"{b}\" x2=\"{r}\" \
         y2=\"{b}\"/><text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">100%</text><text x=\"{lx}\" \
         y=\"{by}\" text-anchor=\"end\">0%</text><line class=\"grid\" x1=\"{left}\" y1=\"{m}\" \
         x2=\"{r}\" y2=\"{m}\"/><text x=\"{lx}\" y=\"{my}\" text-anchor=\"end\">50%</text>",
        b = top + plot_h,
        r = left + plot_w,
        lx = left - 6.0,
        ty = top + 4.0,
        by = top + plot_h + 4.0,
        m = top + plot_h / 2.0,
        my = top + plot_h / 2.0 + 4.0,
    );
    let points: Vec<String> = weeks
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let (x, y) = point(i, w);
            format!("{x:.1},{y:.1}")
        })
        .collect();
    let _ = writeln!(
        out,
        "<polyline class=\"line\" points=\"{}\"/>",
        points.join(" ")
    );
    for (i, w) in weeks.iter().enumerate() {
        let (x, y) = point(i, w);
        let _ = writeln!(
            out,
            "<circle class=\"dot\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\"><title>week of {}: {:.1}% of {} searches</title></circle>",
            w.start,
            w.rate * 100.0,
            w.searches
        );
    }
    let first = weeks[0].start;
    let last = weeks[weeks.len() - 1].start;
    let _ = writeln!(
        out,
        "<text x=\"{left}\" y=\"200\">{first}</text><text x=\"{}\" y=\"200\" text-anchor=\"end\">{last}</text>\n</svg>",
        left + plot_w
    );
}

fn malformed_section(out: &mut String, report: &Report) {
    let problems = &report.malformed;
    if problems.count == 0 {
        return;
    }
    let _ = writeln!(
        out,
        "<h2>Malformed lines skipped: {}</h2>\n<ul>",
        problems.count
    );
    for m in &problems.listed {
        let _ = writeln!(
            out,
            "<li><code>{}:{}</code>: {}</li>",
            encode_safe(&m.file),
            m.line,
            encode_safe(&m.reason)
        );
    }
    let unlisted = problems.count - problems.listed.len() as u64;
    if unlisted > 0 {
        let _ = writeln!(out, "<li>and {unlisted} more</li>");
    }
    out.push_str("</ul>\n");
}

/// `1 event`, `2 events`, `3 searches`.
fn count(n: u64, noun: &str) -> String {
    match (n, noun.ends_with('h')) {
        (1, _) => format!("{n} {noun}"),
        (_, true) => format!("{n} {noun}es"),
        (_, false) => format!("{n} {noun}s"),
    }
}

fn percent(rate: Option<f64>) -> String {
    rate.map_or_else(|| "n/a".to_string(), |r| format!("{:.1}%", r * 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_not_cut_inside_an_entity() {
        let escaped = encode_safe("aaaaaaaaaaaaaaaaaaaaaaaaaa<script>").to_string();
        let label = short_label(&escaped);
        assert!(label.ends_with("&lt;…"), "{label}");
        assert_eq!(short_label("short"), "short");
    }
}
