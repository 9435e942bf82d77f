//! Reusing what the last render wrote: a page whose template and context hash the
//! same as last time is not rendered again.

use std::hash::Hasher;
use std::sync::Arc;

use serde::Serialize;
use xxhash_rust::xxh3::Xxh3;

/// One rendered output file and the hash of what it was rendered from.
#[derive(Clone)]
pub struct RenderedFile {
    pub context_hash: u64,
    pub bytes: Arc<[u8]>,
}

/// Hashes a template name, a page's variables (as they serialize, without building
/// the text) and the hash of the subject's content. Any change to a variable
/// changes what it serializes to, so changes the hash.
pub fn hash_variables<T: Serialize + ?Sized>(
    template: &str,
    variables: &T,
    content_hash: u64,
) -> u64 {
    struct HashWriter(Xxh3);
    impl std::io::Write for HashWriter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.update(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut writer = HashWriter(Xxh3::new());
    writer.0.update(template.as_bytes());
    writer.0.write_u8(0);
    // Writing into a hasher cannot fail; a failure would only make the page render again.
    let _ = serde_json::to_writer(&mut writer, variables);
    writer.0.write_u64(content_hash);
    writer.0.digest()
}

#[cfg(test)]
mod tests {
    use super::hash_variables;

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
