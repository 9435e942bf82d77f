//! What several source kinds read alike: settings files and their values.

use std::path::Path;

use super::front_matter::Fields;
use super::markdown_site::read_source_text;
use super::ImportError;

/// A YAML settings file of SOURCE as keys; a missing file is empty, a broken one an error at its line.
pub(crate) fn read_yaml_file(root: &Path, name: &str) -> Result<Fields, ImportError> {
    let path = root.join(name);
    if !path.exists() {
        return Ok(Fields::new());
    }
    let text = read_source_text(&path, Path::new(name))?;
    let value: serde_json::Value = serde_yaml_ng::from_str(&text).map_err(|e| {
        ImportError::at(
            Path::new(name),
            e.location().map(|l| l.line()),
            format!("YAML: {e}"),
        )
    })?;
    Ok(value.as_object().cloned().unwrap_or_default())
}

pub(crate) fn non_empty(value: String, default: &str) -> String {
    if value.trim().is_empty() {
        default.to_string()
    } else {
        value
    }
}
