//! Reusing what the last render wrote: a page whose template and context hash the
//! same as last time is not rendered again.

use std::hash::Hasher;
use std::sync::Arc;

use xxhash_rust::xxh3::Xxh3;

/// One rendered output file and the hash of what it was rendered from.
#[derive(Clone)]
pub struct RenderedFile {
    pub context_hash: u64,
    pub bytes: Arc<[u8]>,
}

/// Hashes a template name, its variables (as they serialize, without building
/// the text) and the hash of the subject's content.
pub fn hash_json(
    template: &str,
    variables: &serde_json::Map<String, serde_json::Value>,
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
