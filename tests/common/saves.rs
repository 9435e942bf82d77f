//! Saves through the incremental rebuild, checked against clean builds: what the
//! tests of each fast path (`incremental::*`) share.

use std::collections::BTreeSet;
use std::path::PathBuf;

use helpsite::incremental::Incremental;
use helpsite::pipeline::{build, BuildOptions, BuildOutput, Changes};

/// A save to make: what it is, and a change that returns the paths it touched.
pub type Step<'a> = (&'a str, Box<dyn Fn() -> Vec<PathBuf> + 'a>);

/// Every file of a successful build, with its bytes.
pub fn files(output: &BuildOutput) -> Vec<(String, Vec<u8>)> {
    assert!(output.succeeded(), "{:?}", output.diagnostics);
    super::built_files(output)
}

/// Rebuilds after a save of `paths` in `content/`.
pub fn save(cache: &mut Incremental, options: &BuildOptions, paths: &[PathBuf]) -> BuildOutput {
    let changes = Changes::Content(paths.iter().cloned().collect::<BTreeSet<_>>());
    cache.rebuild(options, &changes)
}

/// Makes each step's change and saves it: each must take the fast path `shortcut`
/// and give the files of a clean build. `check` looks at each rebuild too.
pub fn patched_steps(
    (cache, options): (&mut Incremental, &BuildOptions),
    steps: Vec<Step<'_>>,
    shortcut: Option<&str>,
    check: impl Fn(&str, &BuildOutput),
) {
    for (what, step) in steps {
        let output = save(cache, options, &step());
        assert_eq!(
            output.stats.shortcut, shortcut,
            "{what}: {:?}",
            output.diagnostics
        );
        check(what, &output);
        assert_eq!(files(&output), files(&build(options)), "after: {what}");
    }
}
