//! The report as JSON for scripts (`--json`): the `Report` fields as they are named.

use super::summary::Report;

/// Pretty-printed JSON, ending with a newline.
pub(crate) fn render(report: &Report) -> String {
    // Plain data of strings, numbers and dates: serialising it cannot fail.
    let mut text = serde_json::to_string_pretty(report).expect("the report serialises");
    text.push('\n');
    text
}
