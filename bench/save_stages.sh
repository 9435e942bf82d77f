#!/usr/bin/env bash
# Paired stage timings of saves in `helpsite serve`: each binary given serves the same
# generated corpus with HELPSITE_TIMINGS=1, takes SAVES title edits and SAVES new
# articles, and its stage lines (discover, parse, model, markdown, search, templates)
# are printed per rebuild. One binary after the other in one run, so that a before and
# an after can be compared on the same machine load. See bench/README.md (issue 17).
#
#   BINS="/tmp/helpsite-before /tmp/helpsite-after" bash bench/save_stages.sh
#
# Environment: BINS (binaries, space-separated; default the release build), N (10000),
# SAVES (3), GEN_CORPUS, BENCH_DIR (/dev/shm).
set -euo pipefail
bench_dir=$(cd "$(dirname "$0")" && pwd)
N=${N:-10000}
SAVES=${SAVES:-3}
GEN_CORPUS=${GEN_CORPUS:-$bench_dir/../../shared/bench/gen_corpus.py}
BENCH_DIR=${BENCH_DIR:-/dev/shm}
BINS=${BINS:-${CARGO_TARGET_DIR:-$bench_dir/../target}/release/helpsite}

work=$(mktemp -d "$BENCH_DIR/helpsite-stages.XXXXXX")
pid=""
cleanup() {
    if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
python3 "$GEN_CORPUS" --n "$N" --out "$work/corpus" >/dev/null
mkdir -p "$work/site"
cp -r "$work/corpus/content" "$work/site/content"
printf 'base_url = "https://help.example.com/"\ntitle = "Help Center"\ndefault_language = "en"\n' >"$work/site/config.toml"
article=$(find "$work/site/content" -name '*.md' ! -name '_index*' | sort | head -1)
folder=$(dirname "$article")

n=0
for bin in $BINS; do
    n=$((n + 1))
    log="$work/serve-$n.log"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    HELPSITE_TIMINGS=1 "$bin" serve --root "$work/site" --port "$port" >"$log" 2>&1 &
    pid=$!
    until grep -q '^serving' "$log"; do sleep 1; done
    for i in $(seq 1 "$SAVES"); do
        python3 - "$article" "$n-$i" <<'PY'
import sys
path, tag = sys.argv[1], sys.argv[2]
lines = open(path, encoding="utf-8").read().split("\n")
lines = [lines[0], f'title = "Title {tag}"'] + [l for l in lines[1:] if not l.startswith("title =")]
open(path, "w", encoding="utf-8").write("\n".join(lines))
PY
        sleep 5
        printf '+++\ntitle = "New %s"\n+++\nNew text.\n' "$n-$i" >"$folder/stages-new-$n-$i.md"
        sleep 8
    done
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    pid=""
    rm -f "$folder"/stages-new-*.md
    echo "== $bin"
    awk '/^ *(discover|parse|model|markdown|summaries|search|templates and search|static):/ {gsub(/ +/, " "); printf "%s |", $0}
         /^rebuil/ {print " => " $0}' "$log" | tail -n +2
done
