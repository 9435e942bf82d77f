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
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=starter");
    println!("cargo:rerun-if-changed=build.rs");
    write_fold_table();
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

/// Writes `$OUT_DIR/fold_table.txt`, what search folds traditional and simplified
/// Chinese with (`src/search/fold.rs`), made from OpenCC's tables (the
/// `opencc-fmmseg` crate): one `FROM<TAB>TO` line per entry, single characters
/// first, then phrases.
///
/// Characters that OpenCC converts into one another, in either direction or as a
/// regional variant, form a class, and every member folds to one of the class's
/// simplified forms (the lowest). Phrases are the regional words that differ in
/// more than their characters (軟體 and 软件), kept when both sides are Han
/// words of the same length, so that folding never moves a character.
fn write_fold_table() {
    let dicts = opencc_fmmseg::DictionaryMaxlength::new().expect("OpenCC dictionaries");
    let single_han = |s: &str| {
        let mut chars = s.chars();
        matches!((chars.next(), chars.next()), (Some(c), None) if is_han(c))
            .then(|| s.chars().next().unwrap())
    };
    let mut parent: BTreeMap<char, char> = BTreeMap::new();
    fn find(parent: &mut BTreeMap<char, char>, c: char) -> char {
        let mut root = c;
        while let Some(&p) = parent.get(&root) {
            if p == root {
                break;
            }
            root = p;
        }
        parent.insert(c, root);
        root
    }
    fn union(parent: &mut BTreeMap<char, char>, a: char, b: char) {
        parent.entry(a).or_insert(a);
        parent.entry(b).or_insert(b);
        let (ra, rb) = (find(parent, a), find(parent, b));
        if ra != rb {
            parent.insert(ra.max(rb), ra.min(rb));
        }
    }
    let mut simplified = BTreeSet::new();
    let char_tables = [
        (&dicts.ts_characters, true),
        (&dicts.st_characters, false),
        (&dicts.tw_variants, false),
        (&dicts.tw_variants_rev, false),
        (&dicts.hk_variants, false),
        (&dicts.hk_variants_rev, false),
    ];
    for (table, to_simplified) in char_tables {
        for (key, value) in table.iter() {
            let key: String = key.iter().collect();
            let Some(from) = single_han(&key) else {
                continue;
            };
            if !to_simplified && std::ptr::eq(table, &dicts.st_characters) {
                simplified.insert(from);
            }
            for to in value.split_whitespace().filter_map(single_han) {
                if to_simplified {
                    simplified.insert(to);
                }
                union(&mut parent, from, to);
            }
        }
    }
    // Pairs OpenCC keeps apart that readers use for one another: 帳戶 (Taiwan)
    // and 账户 (mainland) are the same word, though OpenCC turns 帳 into 帐.
    // The second of each pair is what the class folds to.
    const SAME_WORD: [(char, char); 1] = [('帐', '账')];
    for (a, b) in SAME_WORD {
        union(&mut parent, a, b);
    }
    let members: Vec<char> = parent.keys().copied().collect();
    let mut classes: BTreeMap<char, Vec<char>> = BTreeMap::new();
    for c in members {
        let root = find(&mut parent, c);
        classes.entry(root).or_default().push(c);
    }
    let mut fold: BTreeMap<char, char> = BTreeMap::new();
    for chars in classes.values() {
        let preferred = SAME_WORD
            .iter()
            .map(|&(_, b)| b)
            .find(|b| chars.contains(b));
        let canonical = preferred.unwrap_or_else(|| {
            (chars.iter().copied())
                .filter(|c| simplified.contains(c))
                .min()
                .unwrap_or(chars[0])
        });
        for &c in chars {
            if c != canonical {
                fold.insert(c, canonical);
            }
        }
    }
    let fold_word =
        |word: &str| -> String { word.chars().map(|c| *fold.get(&c).unwrap_or(&c)).collect() };
    let mut phrases: BTreeMap<String, String> = BTreeMap::new();
    for table in [
        &dicts.tw_phrases_rev,
        &dicts.tw_variants_rev_phrases,
        &dicts.hk_variants_rev_phrases,
    ] {
        let mut entries: Vec<(String, String)> = table
            .iter()
            .filter_map(|(key, value)| {
                Some((
                    key.iter().collect(),
                    value.split_whitespace().next()?.to_string(),
                ))
            })
            .collect();
        entries.sort();
        for (from, to) in entries {
            let han = |w: &str| w.chars().all(is_han);
            if from.chars().count() < 2
                || from.chars().count() != to.chars().count()
                || !han(&from)
                || !han(&to)
            {
                continue;
            }
            let (from, to) = (fold_word(&from), fold_word(&to));
            if from != to {
                phrases.entry(from).or_insert(to);
            }
        }
    }
    let mut out = String::new();
    for (from, to) in &fold {
        out.push_str(&format!("{from}\t{to}\n"));
    }
    for (from, to) in &phrases {
        out.push_str(&format!("{from}\t{to}\n"));
    }
    let path = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("fold_table.txt");
    std::fs::write(path, out).expect("write fold_table.txt");
}

/// `search::tokenize::is_han`, repeated for the build script.
fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3005 | 0x3007 | 0x3021..=0x3029 | 0x3038..=0x303B
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x323AF)
}
