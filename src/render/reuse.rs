//! Reusing what the last render wrote: a page whose template and context hash the
//! same as last time is not rendered again.

use std::sync::Arc;

use serde::Serialize;

use crate::theme::deps::TemplateUse;

/// One rendered output file and the hash of what it was rendered from.
#[derive(Clone)]
pub(crate) struct RenderedFile {
    pub context_hash: u64,
    pub bytes: Arc<[u8]>,
}

thread_local! {
    /// Set while `hash_variables` serializes: values that keep a hash of their own
    /// (a page's summary) write that instead of their text.
    static HASHING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Set while hashing the variables of a page whose template cannot print a
    /// category's `article_count` (`theme::deps`): the count is left out.
    static COUNTS_LEFT_OUT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Likewise for the categories of the navigation (`categories`), which a
    /// template may show without their counts while it shows other cards' counts.
    static NAVIGATION_COUNTS_LEFT_OUT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// What a page's render depends on beside its variables.
pub(crate) struct RenderKey<'a> {
    pub template: &'a str,
    /// The templates it reaches, and whether they can print the counts.
    pub template_use: TemplateUse,
    /// The hash of the theme strings of the page's language.
    pub strings_hash: u64,
    /// The hash of the subject's HTML (0 without a subject).
    pub content_hash: u64,
}

/// The hash a render is kept by: its template, the sources of every template that
/// reaches (so a template edit renders again only the pages it can change), the
/// strings, the content and the variables (the counts only when shown).
pub(crate) fn hash_page<T: Serialize + ?Sized>(key: &RenderKey<'_>, variables: &T) -> u64 {
    let mut salt = [0u8; 24];
    salt[..8].copy_from_slice(&key.template_use.hash.to_le_bytes());
    salt[8..16].copy_from_slice(&key.strings_hash.to_le_bytes());
    salt[16..].copy_from_slice(&key.content_hash.to_le_bytes());
    let was = COUNTS_LEFT_OUT.replace(!key.template_use.shows_counts);
    let navigation_was =
        NAVIGATION_COUNTS_LEFT_OUT.replace(!key.template_use.navigation_shows_counts);
    let hash = hash_variables(key.template, variables, xxhash_rust::xxh3::xxh3_64(&salt));
    COUNTS_LEFT_OUT.set(was);
    NAVIGATION_COUNTS_LEFT_OUT.set(navigation_was);
    hash
}

/// Serializes the navigation's categories (`serialize_with` of `categories`): while
/// hashing for a template that cannot print their counts, the counts are left out.
pub(crate) fn navigation<T: Serialize, S: serde::Serializer>(
    categories: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let left_out = HASHING.get() && NAVIGATION_COUNTS_LEFT_OUT.get();
    let was = COUNTS_LEFT_OUT.replace(COUNTS_LEFT_OUT.get() || left_out);
    let result = categories.serialize(serializer);
    COUNTS_LEFT_OUT.set(was);
    result
}

/// The hash of a category card as a page's context would serialize it, with its
/// count or without (the card is hashed once per build, not once per page).
pub(crate) fn hash_card<T: Serialize>(card: &T, with_count: bool) -> u64 {
    let was = COUNTS_LEFT_OUT.replace(!with_count);
    let hash = hash_variables("", card, 0);
    COUNTS_LEFT_OUT.set(was);
    hash
}

/// For `skip_serializing_if` on a count: true while hashing for a template that
/// cannot show it. (Tera still receives it: the flag is off when rendering.)
pub(crate) fn count_left_out(_: &usize) -> bool {
    HASHING.get() && COUNTS_LEFT_OUT.get()
}

/// Whether the value being serialized is being hashed, not given to a template.
pub(crate) fn hashing() -> bool {
    HASHING.get()
}

/// Counts hashes of values that failed to serialize, so that none repeats.
static UNIQUE: std::sync::atomic::AtomicU64 =
    std::sync::atomic::AtomicU64::new(0x9e37_79b9_7f4a_7c15);

/// Hashes a template name, a page's variables (as they serialize, without building
/// the text) and the hash of the subject's content. Any change to a variable
/// changes what it serializes to, so changes the hash.
pub(crate) fn hash_variables<T: Serialize + ?Sized>(
    template: &str,
    variables: &T,
    content_hash: u64,
) -> u64 {
    thread_local! {
        // One buffer per rendering thread, reused: hashing the serialized variables in
        // one piece is several times faster than feeding the hasher each small write.
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUFFER.with_borrow_mut(|buffer| {
        buffer.clear();
        buffer.extend_from_slice(template.as_bytes());
        buffer.push(0);
        let was = HASHING.replace(true);
        let written = serde_json::to_writer(&mut *buffer, variables);
        HASHING.set(was);
        buffer.extend_from_slice(&content_hash.to_le_bytes());
        let hash = xxhash_rust::xxh3::xxh3_64(buffer);
        // A value that does not serialize (say a number flattened into a map) has
        // hashed only its start: a hash no earlier render has, so it renders again.
        match written {
            Ok(()) => hash,
            Err(_) => hash ^ UNIQUE.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::hash_variables;

    #[test]
    fn a_value_that_does_not_serialize_never_hashes_the_same_twice() {
        #[derive(serde::Serialize)]
        struct Flattened {
            #[serde(flatten)]
            number: u64,
        }
        let hash = || hash_variables("page.html", &Flattened { number: 1 }, 0);
        assert_ne!(hash(), hash());
    }

    #[derive(serde::Serialize)]
    struct Vars<'a> {
        title: &'a str,
        tags: Vec<&'a str>,
    }

    #[test]
    fn any_change_changes_the_hash() {
        let base = hash_variables(
            "page.html",
            &Vars {
                title: "a",
                tags: vec!["x"],
            },
            1,
        );
        let same = hash_variables(
            "page.html",
            &Vars {
                title: "a",
                tags: vec!["x"],
            },
            1,
        );
        assert_eq!(base, same);
        let changes = [
            hash_variables(
                "page.html",
                &Vars {
                    title: "b",
                    tags: vec!["x"],
                },
                1,
            ),
            hash_variables(
                "page.html",
                &Vars {
                    title: "a",
                    tags: vec!["x", "y"],
                },
                1,
            ),
            hash_variables(
                "other.html",
                &Vars {
                    title: "a",
                    tags: vec!["x"],
                },
                1,
            ),
            hash_variables(
                "page.html",
                &Vars {
                    title: "a",
                    tags: vec!["x"],
                },
                2,
            ),
        ];
        assert!(changes.iter().all(|&h| h != base));
    }
}
