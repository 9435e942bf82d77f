//! What an import did: where each source file went, then every dropped key, removed
//! template tag and unresolved link with its file:line, then totals.

use std::fmt::Write;

use super::detect::Kind;

/// One remark about a place in a source file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Note {
    /// Path inside SOURCE, `/`-separated.
    pub file: String,
    pub line: Option<usize>,
    pub text: String,
}

/// The report of one import, filled while planning.
#[derive(Debug)]
pub(crate) struct Report {
    kind: Kind,
    how: String,
    /// (source file, where it went inside DEST).
    moves: Vec<(String, String)>,
    dropped: Vec<Note>,
    removed: Vec<Note>,
    unresolved: Vec<Note>,
    warnings: Vec<Note>,
    pub(crate) articles: usize,
    pub(crate) sections: usize,
    pub(crate) assets: usize,
    pub(crate) languages: Vec<String>,
}

fn note(file: &str, line: Option<usize>, text: impl Into<String>) -> Note {
    Note {
        file: file.to_string(),
        line,
        text: text.into(),
    }
}

impl Report {
    pub(crate) fn new(kind: Kind, how: String) -> Self {
        Report {
            kind,
            how,
            moves: Vec::new(),
            dropped: Vec::new(),
            removed: Vec::new(),
            unresolved: Vec::new(),
            warnings: Vec::new(),
            articles: 0,
            sections: 0,
            assets: 0,
            languages: Vec::new(),
        }
    }

    pub(crate) fn moved(&mut self, from: &str, to: &str) {
        self.moves.push((from.to_string(), to.to_string()));
    }

    /// A front-matter key with no meaning in helpsite.
    pub(crate) fn dropped(&mut self, file: &str, line: Option<usize>, key: &str) {
        self.dropped.push(note(file, line, key));
    }

    /// A template tag or component taken out of a body.
    pub(crate) fn removed(&mut self, file: &str, line: usize, what: &str) {
        let what: String = what.trim().chars().take(80).collect();
        self.removed.push(note(file, Some(line), what));
    }

    /// A link that names nothing in the import; its text stays.
    pub(crate) fn unresolved(&mut self, file: &str, line: usize, target: &str) {
        self.unresolved.push(note(file, Some(line), target));
    }

    pub(crate) fn warn(&mut self, file: &str, line: Option<usize>, text: impl Into<String>) {
        self.warnings.push(note(file, line, text));
    }

    /// The report as printed: sorted, so the same input always reads the same.
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "importing a {} site ({})", self.kind.name(), self.how);
        let mut moves = self.moves.clone();
        moves.sort();
        for (from, to) in &moves {
            let _ = writeln!(out, "  {from} -> {to}");
        }
        section(&mut out, "dropped front-matter keys", &self.dropped);
        section(
            &mut out,
            "removed template tags and components",
            &self.removed,
        );
        section(
            &mut out,
            "unresolved links (kept as text)",
            &self.unresolved,
        );
        section(&mut out, "warnings", &self.warnings);
        let _ = writeln!(
            out,
            "totals: {} source files, {} articles, {} sections, {} images and attachments, {} language{} ({}), {} dropped keys, {} removed tags, {} unresolved links, {} warnings",
            self.moves.len(),
            self.articles,
            self.sections,
            self.assets,
            self.languages.len(),
            if self.languages.len() == 1 { "" } else { "s" },
            self.languages.join(", "),
            self.dropped.len(),
            self.removed.len(),
            self.unresolved.len(),
            self.warnings.len(),
        );
        out
    }
}

fn section(out: &mut String, title: &str, notes: &[Note]) {
    if notes.is_empty() {
        return;
    }
    let mut notes = notes.to_vec();
    notes.sort();
    notes.dedup();
    let _ = writeln!(out, "{title}:");
    for n in notes {
        let place = match n.line {
            Some(line) => format!("{}:{line}", n.file),
            None => n.file.clone(),
        };
        let _ = writeln!(out, "  {place}: {}", n.text);
    }
}
