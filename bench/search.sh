#!/usr/bin/env bash
# Search benchmark: helpsite's index against Pagefind on the same built site. See
# bench/README.md ("Search benchmark").
#
#   bash bench/search.sh            # N=10000 articles
#   N=1000 RUNS=1 bash bench/search.sh
#
# Environment: N (articles, default 10000), RUNS (helpsite builds timed, default 3),
# BENCH_DIR (work folder, default /dev/shm), GEN_CORPUS, HELPSITE_BIN, KEEP=1.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$bench_dir/.." && pwd)
GEN_CORPUS=${GEN_CORPUS:-$bench_dir/../../shared/bench/gen_corpus.py}
N=${N:-10000}
RUNS=${RUNS:-3}
BENCH_DIR=${BENCH_DIR:-/dev/shm}
KEEP=${KEEP:-0}

note() { printf '    %s\n' "$*"; }
section() { printf '\n==> %s\n' "$*"; }

for tool in python3 node npm chromedriver; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is required" >&2; exit 1; }
done
[[ -f "$GEN_CORPUS" ]] || { echo "bench: corpus generator not found: $GEN_CORPUS" >&2; exit 1; }

work=$(mktemp -d "$BENCH_DIR/helpsite-search-bench.XXXXXX")
cleanup() {
    if [[ "$KEEP" == 1 ]]; then note "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

if [[ -n "${HELPSITE_BIN:-}" ]]; then
    helpsite=$HELPSITE_BIN
else
    section "cargo build --release"
    (cd "$repo" && cargo build --release --quiet)
    helpsite=$repo/target/release/helpsite
fi

section "corpus: $N articles"
note "$(python3 "$GEN_CORPUS" --n "$N" --out "$work/corpus")"
site=$work/site
mkdir -p "$site"
cp -r "$work/corpus/content" "$site/content"
cat >"$site/helpsite.toml" <<'TOML'
base_url = "https://help.example.com/"
title = "Help Center"
default_language = "en"
TOML
public=$work/public

section "helpsite build ($RUNS runs, HELPSITE_TIMINGS=1)"
: >"$work/timings"
for _ in $(seq "$RUNS"); do
    start=$(date +%s.%N)
    HELPSITE_TIMINGS=1 "$helpsite" build --root "$site" --config "$site/helpsite.toml" \
        --output "$public" --force 2>>"$work/timings" >"$work/build.out"
    end=$(date +%s.%N)
    echo "total: $(python3 -c "print(($end - $start) * 1000)") ms" >>"$work/timings"
done
cat "$work/build.out"
# The same builds without the index: the difference is what the index costs the
# build, whatever it overlaps with.
nosearch=$work/site-nosearch.toml
sed 's/^default_language = "en"$/&\n[languages.en]\nsearch = false/' "$site/helpsite.toml" >"$nosearch"
for _ in $(seq "$RUNS"); do
    start=$(date +%s.%N)
    "$helpsite" build --root "$site" --config "$nosearch" --output "$work/public-nosearch" \
        --force >/dev/null 2>&1
    end=$(date +%s.%N)
    echo "nosearch: $(python3 -c "print(($end - $start) * 1000)") ms" >>"$work/timings"
done
nosearch_ms=$(awk '$1 == "nosearch:" { print $2 }' "$work/timings" | sort -n | awk '{ a[NR] = $1 } END { printf "%.0f", a[int((NR + 1) / 2)] }')
search_ms=$(awk '$1 == "search:" { print $2 }' "$work/timings" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
total_ms=$(awk '$1 == "total:" { print $2 }' "$work/timings" | sort -n | awk '{ a[NR] = $1 } END { printf "%.0f", a[int((NR + 1) / 2)] }')
index_bytes=$(du -sb "$public/search/data" | cut -f1)
index_files=$(find "$public/search/data" -type f | wc -l)
largest=$(find "$public/search/data/p" "$public/search/data/v" -type f -printf '%s\n' | sort -n | tail -1)
search_js=$(stat -c %s "$public/search.js")

section "Pagefind (npm package, installed in $work/npm)"
mkdir -p "$work/npm"
(cd "$work/npm" && npm install --silent --no-audit --no-fund pagefind@1 >/dev/null)
pagefind=$work/npm/node_modules/.bin/pagefind
note "$("$pagefind" --version)"
start=$(date +%s.%N)
"$pagefind" --site "$public" >"$work/pagefind.out" 2>&1
end=$(date +%s.%N)
pagefind_s=$(python3 -c "print(f'{$end - $start:.1f}')")
tail -n 3 "$work/pagefind.out" | while read -r line; do note "$line"; done
pagefind_bytes=$(du -sb "$public/pagefind" | cut -f1)

section "first-query downloads in Chromium (20 queries, cache disabled)"
python3 "$bench_dir/search_driver.py" "$public" "$search_js" \
    "$bench_dir/search-queries.json" >"$work/queries.jsonl"

section "Summary (N=$N)"
python3 - "$work/queries.jsonl" <<PY
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def kib(b): return f"{b / 1024:.1f} KiB"
print(f"    index build (search stage, median of $RUNS): ${search_ms} ms of a ${total_ms} ms build")
print(f"    build without the index (median of $RUNS): ${nosearch_ms} ms: the index adds {${total_ms} - ${nosearch_ms}} ms")
print(f"    helpsite index: {kib($index_bytes)} in $index_files files, largest shard {kib($largest)}; search.js {kib($search_js)}")
print(f"    pagefind: indexed in ${pagefind_s} s, {kib($pagefind_bytes)} on disk")
print()
print(f"    {'query':<28} {'helpsite':>12} {'pagefind':>12}   top-3 relevant (helpsite/pagefind)")
by = {}
for r in rows:
    by.setdefault(r["q"], {})[r["engine"]] = r
def relevant(r, q):
    return sum(any(j.lower() in t.lower() for j in q["relevant"]) for t in r.get("top", []))
med = {}
rel = {"helpsite": 0, "pagefind": 0}
for q, e in by.items():
    h, p = e["helpsite"], e["pagefind"]
    rh, rp = relevant(h, h), relevant(p, p)
    if h["lang"] == "zh":
        rel["helpsite"] += rh; rel["pagefind"] += rp
    print(f"    {q:<28} {kib(h.get('bytes', 0)):>12} {kib(p.get('bytes', 0)):>12}   {rh}/{rp}")
for engine in ("helpsite", "pagefind"):
    med[engine] = statistics.median(r.get("bytes", 0) for r in rows if r["engine"] == engine)
print()
print(f"    median first-query download: helpsite {kib(med['helpsite'])}, pagefind {kib(med['pagefind'])}"
      f" (ratio helpsite/pagefind {med['helpsite'] / med['pagefind']:.2f})")
print(f"    Chinese queries, relevant results in the top 3 (of 30): helpsite {rel['helpsite']}, pagefind {rel['pagefind']}")
PY
