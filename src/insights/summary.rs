//! Events -> the report: counts kept per language while the events stream past, then
//! ranked once at the end.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Days, NaiveDate, SecondsFormat, Utc};
use rustc_hash::FxHashMap;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use super::read::{Event, Kind, Problems};

/// z for a two-sided 95% interval.
const Z: f64 = 1.96;

/// The first and last event of a stretch, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct Period {
    #[serde(serialize_with = "rfc3339")]
    pub from: DateTime<Utc>,
    #[serde(serialize_with = "rfc3339")]
    pub to: DateTime<Utc>,
}

fn rfc3339<S: serde::Serializer>(time: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&time.to_rfc3339_opts(SecondsFormat::Secs, true))
}

fn iso_date<S: serde::Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(date)
}

impl Period {
    fn at(time: DateTime<Utc>) -> Self {
        Period {
            from: time,
            to: time,
        }
    }

    fn widen(&mut self, time: DateTime<Utc>) {
        self.from = self.from.min(time);
        self.to = self.to.max(time);
    }
}

/// What the report says about everything read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Report {
    pub events: u64,
    pub period: Option<Period>,
    pub languages: Vec<LanguageReport>,
    pub malformed: Problems,
}

/// What the report says about one language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct LanguageReport {
    pub lang: String,
    pub events: u64,
    pub period: Period,
    pub searches: u64,
    pub no_result_searches: u64,
    /// No-result searches / searches; none without searches.
    pub no_result_rate: Option<f64>,
    /// Normalised queries that found nothing, most frequent first.
    pub failed_searches: Vec<QueryCount>,
    /// Queries that found results, none of which was ever opened, most frequent first.
    pub unopened_searches: Vec<QueryCount>,
    pub deflection: Deflection,
    /// Articles ranked by the Wilson lower bound of their share of "no" answers.
    pub least_helpful: Vec<Unhelpful>,
    /// One row per ISO week (starting Monday) that had searches.
    pub weekly: Vec<Week>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct QueryCount {
    pub query: String,
    pub searches: u64,
}

/// Suggested articles opened from the request form against requests sent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Deflection {
    pub suggestions_opened: u64,
    pub requests_sent: u64,
    /// suggestions opened / (suggestions opened + requests sent); none when both are 0.
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Unhelpful {
    pub page: String,
    pub not_helpful: u64,
    pub answers: u64,
    /// Lower bound of the 95% Wilson score interval of not_helpful / answers.
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Week {
    /// The Monday the week starts on.
    #[serde(serialize_with = "iso_date")]
    pub start: NaiveDate,
    pub searches: u64,
    pub no_result: u64,
    pub rate: f64,
}

/// Counts for one language, updated event by event.
#[derive(Debug)]
struct Tally {
    events: u64,
    period: Period,
    searches: u64,
    no_result: u64,
    failed: FxHashMap<String, u64>,
    /// Per normalised query: searches that found something, results opened.
    found: FxHashMap<String, (u64, u64)>,
    suggestions: u64,
    requests: u64,
    /// Per page: (helpful, not helpful).
    answers: FxHashMap<String, (u64, u64)>,
    /// Per week: (searches, no-result searches).
    weeks: BTreeMap<NaiveDate, (u64, u64)>,
}

/// Everything read so far; `add` each event, then `report`.
#[derive(Debug, Default)]
pub(crate) struct Summary {
    events: u64,
    languages: FxHashMap<String, Tally>,
    /// Reused for each query, so a repeated query allocates nothing.
    scratch: String,
}

impl Summary {
    pub(crate) fn add(&mut self, event: &Event) {
        self.events += 1;
        let tally = match self.languages.get_mut(&*event.lang) {
            Some(tally) => tally,
            None => self
                .languages
                .entry(event.lang.to_string())
                .or_insert_with(|| Tally::new(event.time)),
        };
        tally.events += 1;
        tally.period.widen(event.time);
        let scratch = &mut self.scratch;
        match &event.kind {
            Kind::Search { query, results } => {
                tally.searches += 1;
                let week = tally.weeks.entry(week_start(event.time)).or_default();
                week.0 += 1;
                normalize_query(query, scratch);
                if *results == 0 {
                    tally.no_result += 1;
                    week.1 += 1;
                    *counter(&mut tally.failed, scratch) += 1;
                } else {
                    counter(&mut tally.found, scratch).0 += 1;
                }
            }
            Kind::Open { query } => {
                normalize_query(query, scratch);
                counter(&mut tally.found, scratch).1 += 1;
            }
            Kind::Suggestion => tally.suggestions += 1,
            Kind::Request => tally.requests += 1,
            Kind::Helpful { page, helpful } => {
                let pair = counter(&mut tally.answers, page);
                if *helpful {
                    pair.0 += 1;
                } else {
                    pair.1 += 1;
                }
            }
        }
    }

    /// The ranked report, with at most `top` rows in each list.
    pub(crate) fn report(self, top: usize, malformed: Problems) -> Report {
        let mut languages: Vec<LanguageReport> = self
            .languages
            .into_iter()
            .map(|(lang, tally)| tally.report(lang, top))
            .collect();
        languages.sort_by(|a, b| a.lang.cmp(&b.lang));
        let period = languages.iter().map(|l| l.period).reduce(|mut all, p| {
            all.widen(p.from);
            all.widen(p.to);
            all
        });
        Report {
            events: self.events,
            period,
            languages,
            malformed,
        }
    }
}

/// The entry for `key`, allocating the key only the first time it is seen.
fn counter<'m, V: Default>(map: &'m mut FxHashMap<String, V>, key: &str) -> &'m mut V {
    if !map.contains_key(key) {
        map.insert(key.to_string(), V::default());
    }
    map.get_mut(key).expect("inserted above")
}

impl Tally {
    fn new(time: DateTime<Utc>) -> Self {
        Tally {
            events: 0,
            period: Period::at(time),
            searches: 0,
            no_result: 0,
            failed: FxHashMap::default(),
            found: FxHashMap::default(),
            suggestions: 0,
            requests: 0,
            answers: FxHashMap::default(),
            weeks: BTreeMap::new(),
        }
    }

    fn report(self, lang: String, top: usize) -> LanguageReport {
        let failed = self.failed.into_iter();
        let unopened = self
            .found
            .into_iter()
            .filter(|(_, (found, opened))| *found > 0 && *opened == 0)
            .map(|(q, (found, _))| (q, found));
        LanguageReport {
            lang,
            events: self.events,
            period: self.period,
            searches: self.searches,
            no_result_searches: self.no_result,
            no_result_rate: ratio(self.no_result, self.searches),
            failed_searches: most_frequent(failed, top),
            unopened_searches: most_frequent(unopened, top),
            deflection: Deflection {
                suggestions_opened: self.suggestions,
                requests_sent: self.requests,
                rate: ratio(self.suggestions, self.suggestions + self.requests),
            },
            least_helpful: least_helpful(self.answers, top),
            weekly: self
                .weeks
                .into_iter()
                .map(|(start, (searches, no_result))| Week {
                    start,
                    searches,
                    no_result,
                    rate: ratio(no_result, searches).unwrap_or(0.0),
                })
                .collect(),
        }
    }
}

fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The `top` most frequent queries; ties in alphabetical order, so the report is stable.
fn most_frequent(counts: impl Iterator<Item = (String, u64)>, top: usize) -> Vec<QueryCount> {
    let mut rows: Vec<QueryCount> = counts
        .map(|(query, searches)| QueryCount { query, searches })
        .collect();
    rows.sort_by(|a, b| {
        b.searches
            .cmp(&a.searches)
            .then_with(|| a.query.cmp(&b.query))
    });
    rows.truncate(top);
    rows
}

/// Articles with at least one "no", the surest bad ones first: ranked by the lower
/// bound of the Wilson interval, so 1 "no" of 1 answer (0.21) stays below 40 of 50 (0.67).
fn least_helpful(answers: FxHashMap<String, (u64, u64)>, top: usize) -> Vec<Unhelpful> {
    let mut rows: Vec<Unhelpful> = answers
        .into_iter()
        .filter(|(_, (_, no))| *no > 0)
        .map(|(page, (yes, no))| Unhelpful {
            page,
            not_helpful: no,
            answers: yes + no,
            score: wilson_lower_bound(no, yes + no),
        })
        .collect();
    rows.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| b.answers.cmp(&a.answers))
            .then_with(|| a.page.cmp(&b.page))
    });
    rows.truncate(top);
    rows
}

/// Lower bound of the 95% Wilson score interval for `k` of `n`.
pub(crate) fn wilson_lower_bound(k: u64, n: u64) -> f64 {
    if n == 0 {
        return 0.0;
    }
    let n = n as f64;
    let p = k as f64 / n;
    let z2 = Z * Z;
    let centre = p + z2 / (2.0 * n);
    let spread = Z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - spread) / (1.0 + z2 / n)).max(0.0)
}

/// The Monday (UTC) of the ISO week holding `time`.
fn week_start(time: DateTime<Utc>) -> NaiveDate {
    let date = time.date_naive();
    let back = u64::from(date.weekday().num_days_from_monday());
    date.checked_sub_days(Days::new(back)).unwrap_or(date)
}

/// Punctuation a reader adds around a query without changing what they look for.
fn is_edge_punctuation(c: char) -> bool {
    matches!(
        c,
        '?' | '!' | '.' | ',' | ';' | ':' | '"' | '\'' | '“' | '”' | '‘' | '’' | '。' | '、'
    )
}

/// One form per query: compatibility forms folded (NFKC: full-width letters and `？`),
/// lower case, runs of white space made one space, punctuation at either end dropped.
/// "Reset  PIN?" and "reset pin" are counted together.
pub(crate) fn normalize_query(query: &str, out: &mut String) {
    out.clear();
    if query.is_ascii() {
        push_folded(query.chars(), out);
    } else {
        push_folded(query.nfkc(), out);
    }
    let end = out.trim_end_matches(is_edge_punctuation).trim_end().len();
    out.truncate(end);
    let start = out.len()
        - out
            .trim_start_matches(is_edge_punctuation)
            .trim_start()
            .len();
    out.drain(..start);
}

fn push_folded(chars: impl Iterator<Item = char>, out: &mut String) {
    let mut space = false;
    for c in chars {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.extend(c.to_lowercase());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(query: &str) -> String {
        let mut out = String::new();
        normalize_query(query, &mut out);
        out
    }

    #[test]
    fn queries_are_folded_to_one_form() {
        assert_eq!(normalized("  Reset   PIN? "), "reset pin");
        assert_eq!(normalized("ＲＥＳＥＴ ｐｉｎ？"), "reset pin");
        assert_eq!(normalized("“怎么 提现”。"), "怎么 提现");
        assert_eq!(normalized("???"), "");
    }

    #[test]
    fn one_of_one_does_not_outrank_forty_of_fifty() {
        let one = wilson_lower_bound(1, 1);
        let forty = wilson_lower_bound(40, 50);
        assert!(one < forty, "{one} {forty}");
        assert!((one - 0.2065).abs() < 1e-3, "{one}");
        assert!((forty - 0.6696).abs() < 1e-3, "{forty}");
        assert_eq!(wilson_lower_bound(0, 10), 0.0);
    }

    #[test]
    fn weeks_start_on_monday() {
        let sunday = "2026-11-29T23:59:59Z".parse().unwrap();
        let monday = "2026-11-30T00:00:00Z".parse().unwrap();
        assert_eq!(week_start(sunday).to_string(), "2026-11-23");
        assert_eq!(week_start(monday).to_string(), "2026-11-30");
    }
}
