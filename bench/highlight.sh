#!/usr/bin/env bash
# What highlighted code costs a build: the generated help-center corpus with two code
# blocks added to every article (a shell command and a JSON response, as API and setup
# articles have), built three ways in one hyperfine run. See bench/README.md.
#
#   bash bench/highlight.sh                  # N = 10000 articles
#   N=2000 RUNS=3 bash bench/highlight.sh    # a quick run
#
# The three sites differ only in the fences' language:
#   none         the corpus as generated, no code blocks;
#   plain        the blocks fenced as `text` (escaped, never highlighted);
#   highlighted  the same blocks fenced as `bash` and `json` (syntect, CSS classes).
# highlighted / plain is the cost of highlighting; plain / none the cost of the text.
#
# Environment: N (default 10000), RUNS and WARMUP (default 5 and 1), GEN_CORPUS,
# HELPSITE_BIN (default: build target/release/helpsite), BENCH_TMPFS_DIR (default /dev/shm).
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$bench_dir/.." && pwd)
GEN_CORPUS=${GEN_CORPUS:-$bench_dir/../../shared/bench/gen_corpus.py}
N=${N:-10000}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}

command -v hyperfine >/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine
}
helpsite=${HELPSITE_BIN:-}
if [[ -z "$helpsite" ]]; then
    (cd "$repo" && cargo build --release --quiet)
    helpsite="$repo/target/release/helpsite"
fi

work=$(mktemp -d "${BENCH_TMPFS_DIR:-/dev/shm}/helpsite-highlight.XXXXXX")
trap 'rm -rf "$work"' EXIT
python3 "$GEN_CORPUS" --n "$N" --out "$work/corpus" >/dev/null

# make_site NAME SHELL_LANG JSON_LANG: the corpus's content/ with (or, for an empty
# SHELL_LANG, without) the two blocks appended to every article.
make_site() {
    local site="$work/$1"
    mkdir -p "$site"
    cp -r "$work/corpus/content" "$site/content"
    printf 'base_url = "https://help.example.com/"\ntitle = "Help Center"\ndefault_language = "en"\n' \
        >"$site/helpsite.toml"
    [[ -z "$2" ]] && return
    find "$site/content" -name '*.md' ! -name '_index.md' -print0 |
        xargs -0 python3 "$bench_dir/add_code_blocks.py" "$2" "$3"
}
make_site none "" ""
make_site plain text text
make_site highlighted bash json

build() { echo "$helpsite build --root $work/$1 --config $work/$1/helpsite.toml --output $work/out-$1 --force"; }
hyperfine --runs "$RUNS" --warmup "$WARMUP" --export-json "$work/times.json" \
    -n none "$(build none)" -n plain "$(build plain)" -n highlighted "$(build highlighted)"

python3 - "$work/times.json" <<'PY'
import json, statistics, sys
results = {r["command"]: r["times"] for r in json.load(open(sys.argv[1]))["results"]}
med = {name: statistics.median(t) for name, t in results.items()}
low = {name: min(t) for name, t in results.items()}
print(f"\n{'site':<12} {'min':>8} {'median':>8}")
for name in ("none", "plain", "highlighted"):
    print(f"{name:<12} {low[name]:8.3f} {med[name]:8.3f}")
print(f"\nhighlighting (highlighted / plain): median {med['highlighted'] / med['plain']:.3f}x, "
      f"min {low['highlighted'] / low['plain']:.3f}x")
print(f"the code text (plain / none):       median {med['plain'] / med['none']:.3f}x, "
      f"min {low['plain'] / low['none']:.3f}x")
PY
