//! What several source kinds read alike: settings files and their values.

use std::path::Path;

use super::front_matter::Fields;
use super::profile::read_source_text;
use super::ImportError;

/// A YAML settings file of SOURCE as keys; a missing file is empty, a broken one an error at its line.
pub(crate) fn read_yaml_file(root: &Path, name: &str) -> Result<Fields, ImportError> {
    let path = root.join(name);
    if !path.exists() {
        return Ok(Fields::new());
    }
    let text = read_source_text(&path, Path::new(name))?;
    yaml_value(&text, Path::new(name), 1)
}

/// YAML settings as keys, read like YAML front matter (errors at their line and column).
pub(crate) fn yaml_value(text: &str, file: &Path, first: usize) -> Result<Fields, ImportError> {
    super::front_matter::yaml_fields(text, file, first)
}

pub(crate) fn non_empty(value: String, default: &str) -> String {
    if value.trim().is_empty() {
        default.to_string()
    } else {
        value
    }
}
