//! Names in the imported site: safe slugs for folders and files, titles for folders.

/// A safe file or folder name: letters and digits of any script, `-` between words.
pub(crate) fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches(['-', '_']).to_string();
    if out.is_empty() {
        "page".to_string()
    } else {
        out
    }
}

/// Where helpsite writes the pages of the `tags` taxonomy (`/tags/SLUG/`).
pub(crate) const TAG_PAGES: &str = "tags";

/// A top-level folder's name that stays clear of the tag pages: `tags` -> `tags-articles`.
pub(crate) fn top_folder(name: String) -> String {
    if name == TAG_PAGES {
        format!("{name}-articles")
    } else {
        name
    }
}

/// `getting-started` -> "Getting started".
pub(crate) fn titleize(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Articles".to_string(),
    }
}

/// A number prefix tools use for ordering (`01-intro`) split off: (weight, rest).
pub(crate) fn strip_order_prefix(name: &str) -> (Option<i64>, &str) {
    let digits = name.chars().take_while(char::is_ascii_digit).count();
    match name[digits..].strip_prefix(['-', '_', '.']) {
        Some(rest) if digits > 0 && digits < 4 && !rest.is_empty() => {
            (name[..digits].parse().ok(), rest)
        }
        _ => (None, name),
    }
}

/// A Jekyll post's date prefix (`2024-03-01-title`) split off.
pub(crate) fn strip_date_prefix(name: &str) -> (Option<String>, &str) {
    let prefix = name.get(..11);
    match prefix {
        Some(p) if p.ends_with('-') && super::front_matter::date(&p[..10]).is_some() => {
            (Some(p[..10].to_string()), &name[11..])
        }
        _ => (None, name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_cannot_climb_or_hide_separators() {
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("Reset Your Password!"), "reset-your-password");
        assert_eq!(slug("退款"), "退款");
        assert_eq!(slug(".."), "page");
        assert_eq!(slug("C:\\x"), "c-x");
        assert_eq!(top_folder(slug("Tags")), "tags-articles");
        assert_eq!(top_folder("billing".into()), "billing");
    }

    #[test]
    fn prefixes() {
        assert_eq!(strip_order_prefix("02-billing"), (Some(2), "billing"));
        assert_eq!(strip_order_prefix("2024-report"), (None, "2024-report"));
        assert_eq!(
            strip_date_prefix("2024-03-01-new-plan"),
            (Some("2024-03-01".into()), "new-plan")
        );
        assert_eq!(titleize("getting-started"), "Getting started");
    }
}
