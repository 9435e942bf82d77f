// The default theme and the starter site are embedded in the binary; rebuild it
// whenever a file in them changes, is added or is removed. The git commit of the
// source goes into `helpsite --version`.
//
// Where the commit comes from, first found wins:
// 1. `.cargo_vcs_info.json`, which `cargo package` writes into a packaged crate (so
//    `cargo install helpsite` shows the commit the crate was published from);
// 2. `git rev-parse` when this folder is the top of a git work tree (not merely a folder
//    inside someone else's repository, as a vendored or unpacked crate may be);
// 3. "unknown".
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=starter");
    println!("cargo:rerun-if-env-changed=HELPSITE_COMMIT");
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let commit = std::env::var("HELPSITE_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .or_else(|| packaged_commit(&manifest_dir))
        .or_else(|| git_commit(&manifest_dir))
        .unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=HELPSITE_COMMIT={commit}");
}

/// The commit recorded by `cargo package`: `"sha1": "<40 hex digits>"`.
fn packaged_commit(manifest_dir: &Path) -> Option<String> {
    let info = manifest_dir.join(".cargo_vcs_info.json");
    let text = std::fs::read_to_string(&info).ok()?;
    println!("cargo:rerun-if-changed={}", info.display());
    let after = &text[text.find("\"sha1\"")? + "\"sha1\"".len()..];
    let hex: String = after
        .trim_start_matches([' ', ':', '"'])
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    (hex.len() >= 10).then(|| hex[..10].to_string())
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?;
    Some(text.trim().to_string())
}

fn git_commit(manifest_dir: &Path) -> Option<String> {
    let top = git(manifest_dir, &["rev-parse", "--show-toplevel"])?;
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if !same(Path::new(&top), manifest_dir) {
        return None;
    }
    let commit = git(manifest_dir, &["rev-parse", "--short=10", "HEAD"])?;
    // A commit or a checkout changes HEAD, or the branch file it points at. Only paths
    // that exist are watched: cargo reruns the script on every build for a missing one.
    // A branch whose ref lives in packed-refs has no file of its own until its next
    // commit writes one, so then packed-refs and the branch's folder are watched.
    let watch = |path: &Path| {
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    };
    let git_dir = git(manifest_dir, &["rev-parse", "--absolute-git-dir"])?;
    watch(&Path::new(&git_dir).join("HEAD"));
    if let (Some(branch), Some(common)) = (
        git(manifest_dir, &["symbolic-ref", "-q", "HEAD"]),
        git(
            manifest_dir,
            &["rev-parse", "--path-format=absolute", "--git-common-dir"],
        ),
    ) {
        let branch_file = Path::new(&common).join(&branch);
        if branch_file.is_file() {
            watch(&branch_file);
        } else {
            watch(&Path::new(&common).join("packed-refs"));
            branch_file.parent().map(watch);
        }
    }
    Some(commit)
}
