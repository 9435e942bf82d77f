//! Event lines: one JSON object a line, read as a stream so a million events never sit
//! in memory at once. A line that is not a valid event is recorded and skipped.

use std::borrow::Cow;
use std::io::{self, BufRead};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Longer lines are skipped without being held: no event the browser sends comes near it.
pub(crate) const MAX_LINE_BYTES: usize = 64 * 1024;

/// How many malformed lines are listed one by one; the rest are only counted.
const LISTED_MALFORMED: usize = 100;

/// What one event says, by its `event` field.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind<'a> {
    /// A search and how many results it found.
    Search { query: Cow<'a, str>, results: u64 },
    /// A result opened from a search.
    Open { query: Cow<'a, str> },
    /// An article opened from the request form's suggestions.
    Suggestion,
    /// A request sent from the request form.
    Request,
    /// An answer to "Was this article helpful?".
    Helpful { page: Cow<'a, str>, helpful: bool },
}

/// One event, checked: its language, when the collector received it, what it says.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Event<'a> {
    pub lang: Cow<'a, str>,
    pub time: DateTime<Utc>,
    pub kind: Kind<'a>,
}

/// The fields of every kind together, as they come; `parse_event` checks which apply.
#[derive(Deserialize)]
struct RawEvent<'a> {
    #[serde(borrow)]
    event: Cow<'a, str>,
    #[serde(borrow)]
    lang: Cow<'a, str>,
    #[serde(borrow)]
    time: Cow<'a, str>,
    #[serde(borrow, default)]
    query: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    page: Option<Cow<'a, str>>,
    results: Option<u64>,
    helpful: Option<bool>,
}

/// A line that was skipped: where it is and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Malformed {
    pub file: String,
    pub line: u64,
    pub reason: String,
}

/// Every malformed line counted; the first `LISTED_MALFORMED` kept with their reasons.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Problems {
    pub count: u64,
    pub listed: Vec<Malformed>,
}

impl Problems {
    fn record(&mut self, file: &str, line: u64, reason: String) {
        self.count += 1;
        if self.listed.len() < LISTED_MALFORMED {
            self.listed.push(Malformed {
                file: file.to_string(),
                line,
                reason,
            });
        }
    }
}

/// Parses one line into an event, or says in a few words why it is not one.
pub(crate) fn parse_event(bytes: &[u8]) -> Result<Event<'_>, String> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| format!("not UTF-8 (bad byte at column {})", e.valid_up_to() + 1))?;
    let raw: RawEvent = serde_json::from_str(text).map_err(|e| json_reason(&e))?;
    let lang = raw.lang;
    if lang.is_empty() || lang.len() > 35 {
        return Err(format!("`lang` is not a language code: {}", shown(&lang)));
    }
    let time = DateTime::parse_from_rfc3339(&raw.time)
        .map_err(|_| format!("`time` is not an RFC 3339 time: {}", shown(&raw.time)))?
        .with_timezone(&Utc);
    let kind = match &*raw.event {
        "search" => Kind::Search {
            query: need(raw.query, "query")?,
            results: need(raw.results, "results")?,
        },
        "open" => Kind::Open {
            query: need(raw.query, "query")?,
        },
        "suggestion" => Kind::Suggestion,
        "request" => Kind::Request,
        "helpful" => Kind::Helpful {
            page: need(raw.page, "page")?,
            helpful: need(raw.helpful, "helpful")?,
        },
        other => return Err(format!("unknown event {}", shown(other))),
    };
    Ok(Event { lang, time, kind })
}

fn need<T>(value: Option<T>, field: &str) -> Result<T, String> {
    value.ok_or_else(|| format!("missing field `{field}`"))
}

/// serde_json's message without its position: the whole line is one object anyway.
fn json_reason(err: &serde_json::Error) -> String {
    let message = err.to_string();
    let message = match message.rfind(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message,
    };
    format!("not a JSON event: {message}")
}

/// A value quoted for a message, cut short so a hostile line cannot flood the report.
fn shown(value: &str) -> String {
    const MAX: usize = 40;
    let mut cut: String = value.chars().take(MAX).collect();
    if cut.len() < value.len() {
        cut.push('…');
    }
    format!("{cut:?}")
}

/// Reads `reader` line by line, hands each event to `each` and records the bad lines
/// under the name `file`. Stops only on an I/O error.
pub(crate) fn read_events<R: BufRead>(
    file: &str,
    mut reader: R,
    problems: &mut Problems,
    mut each: impl FnMut(&Event),
) -> io::Result<()> {
    let mut buf = Vec::with_capacity(1024);
    let mut number = 0u64;
    while let Some(line) = next_line(&mut reader, &mut buf)? {
        number += 1;
        let bytes = match line {
            Line::TooLong(len) => {
                let reason = format!("line of {len} bytes is longer than {MAX_LINE_BYTES}");
                problems.record(file, number, reason);
                continue;
            }
            Line::Read => trim_line(&buf),
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match parse_event(bytes) {
            Ok(event) => each(&event),
            Err(reason) => problems.record(file, number, reason),
        }
    }
    Ok(())
}

fn trim_line(buf: &[u8]) -> &[u8] {
    buf.strip_suffix(b"\r").unwrap_or(buf)
}

/// What `next_line` found: a line in the buffer, or one too long to keep (its length).
enum Line {
    Read,
    TooLong(usize),
}

/// Reads up to the next newline into `buf` (without it), but keeps no more than
/// `MAX_LINE_BYTES`: a longer line is consumed and reported by its length only.
fn next_line<R: BufRead>(reader: &mut R, buf: &mut Vec<u8>) -> io::Result<Option<Line>> {
    buf.clear();
    let mut length = 0usize;
    let mut started = false;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            break;
        }
        started = true;
        let newline = chunk.iter().position(|&b| b == b'\n');
        let take = newline.unwrap_or(chunk.len());
        length += take;
        if length <= MAX_LINE_BYTES {
            buf.extend_from_slice(&chunk[..take]);
        } else {
            buf.clear();
        }
        reader.consume(take + usize::from(newline.is_some()));
        if newline.is_some() {
            break;
        }
    }
    Ok(match (started, length > MAX_LINE_BYTES) {
        (false, _) => None,
        (true, true) => Some(Line::TooLong(length)),
        (true, false) => Some(Line::Read),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &[u8]) -> (Vec<String>, Problems) {
        let mut problems = Problems::default();
        let mut events = Vec::new();
        read_events("t.jsonl", text, &mut problems, |e| {
            events.push(format!("{}:{:?}", e.lang, e.kind))
        })
        .unwrap();
        (events, problems)
    }

    #[test]
    fn every_kind_is_read() {
        let text = br#"{"event":"search","lang":"en","query":"fees","results":0,"time":"2026-11-30T10:00:00Z"}
{"event":"open","lang":"en","query":"fees","page":"/fees/","time":"2026-11-30T10:00:00Z"}
{"event":"suggestion","lang":"zh","page":"/a/","time":"2026-11-30T10:00:00+08:00"}
{"event":"request","lang":"en","topic":"account","time":"2026-11-30T10:00:00Z"}
{"event":"helpful","lang":"en","page":"/a/","helpful":false,"time":"2026-11-30T10:00:00Z"}
"#;
        let (events, problems) = read(text);
        assert_eq!(problems.count, 0, "{problems:?}");
        assert_eq!(events.len(), 5);
        assert!(events[4].contains("helpful: false"));
    }

    #[test]
    fn bad_lines_are_counted_with_their_numbers_and_reading_goes_on() {
        let mut text = b"{oops\n\n".to_vec();
        text.extend_from_slice(
            b"{\"event\":\"x\",\"lang\":\"en\",\"time\":\"2026-11-30T10:00:00Z\"}\r\n",
        );
        text.extend_from_slice(b"\xff\xfe\n");
        text.extend(std::iter::repeat_n(b'a', MAX_LINE_BYTES + 1));
        text.extend_from_slice(
            b"\n{\"event\":\"request\",\"lang\":\"en\",\"time\":\"2026-11-30T10:00:00Z\"}",
        );
        let (events, problems) = read(&text);
        assert_eq!(events, ["en:Request"]);
        let lines: Vec<u64> = problems.listed.iter().map(|m| m.line).collect();
        assert_eq!(lines, [1, 3, 4, 5]);
        assert!(problems.listed[1].reason.contains("unknown event \"x\""));
        assert!(problems.listed[2].reason.starts_with("not UTF-8"));
        assert!(problems.listed[3].reason.contains("longer than"));
    }

    #[test]
    fn a_missing_field_and_a_bad_time_are_named() {
        let no_query =
            br#"{"event":"search","lang":"en","results":0,"time":"2026-11-30T10:00:00Z"}"#;
        assert_eq!(parse_event(no_query).unwrap_err(), "missing field `query`");
        let bad_time = br#"{"event":"request","lang":"en","time":"yesterday"}"#;
        assert!(parse_event(bad_time).unwrap_err().contains("RFC 3339"));
    }
}
