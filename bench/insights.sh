#!/usr/bin/env bash
# Insights benchmark: one million events summarised by `helpsite insights`, wall time
# (hyperfine) and peak memory (/usr/bin/time -v). See bench/README.md ("Insights benchmark").
#
#   bash bench/insights.sh                 # N=1000000 events, 5 timed runs
#   N=100000 RUNS=3 bash bench/insights.sh
#
# Environment: N (events, default 1000000), RUNS (default 5), BENCH_DIR (work folder,
# default /dev/shm), HELPSITE_BIN (a given binary instead of a release build), KEEP=1.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$bench_dir/.." && pwd)
N=${N:-1000000}
RUNS=${RUNS:-5}
BENCH_DIR=${BENCH_DIR:-/dev/shm}
KEEP=${KEEP:-0}
# Targets of issue 20 for a million events.
TARGET_MS=2000
TARGET_MIB=200

note() { printf '    %s\n' "$*"; }
section() { printf '\n==> %s\n' "$*"; }

for tool in python3 hyperfine; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is required (apt-get install $tool)" >&2; exit 1; }
done
[[ -x /usr/bin/time ]] || { echo "bench: /usr/bin/time is required (apt-get install time)" >&2; exit 1; }

work=$(mktemp -d "$BENCH_DIR/helpsite-insights-bench.XXXXXX")
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

# typical: a few dozen different queries, as a real help center sees them;
# distinct: every search a query never seen before, the most memory N events can need.
section "events: $N each, scripts/gen_events.py --seed 1"
python3 "$repo/scripts/gen_events.py" --n "$N" --seed 1 --out "$work/typical.jsonl"
python3 "$repo/scripts/gen_events.py" --n "$N" --seed 1 --distinct --out "$work/distinct.jsonl"
note "typical.jsonl $(du -h "$work/typical.jsonl" | cut -f1), distinct.jsonl $(du -h "$work/distinct.jsonl" | cut -f1)"

results=()
for set in typical distinct; do
    for form in text html; do
        args=("$work/$set.jsonl")
        [[ $form == html ]] && args+=(--html "$work/$set.html")
        section "$set, $form: helpsite insights ${args[*]##*/}"
        hyperfine --style basic --runs "$RUNS" --warmup 1 --export-json "$work/$set-$form.json" \
            "$helpsite insights ${args[*]} >/dev/null" | sed 's/^/    /'
        /usr/bin/time -v "$helpsite" insights "${args[@]}" >/dev/null 2>"$work/$set-$form.time"
        median_ms=$(python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))['results'][0]['median'] * 1000))" "$work/$set-$form.json")
        rss_kib=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$work/$set-$form.time")
        results+=("$set $form $median_ms $((rss_kib / 1024))")
    done
done

section "Summary (N=$N, median of $RUNS runs; targets: under $TARGET_MS ms and $TARGET_MIB MiB)"
status=0
printf '    %-9s %-5s %10s %10s\n' set form "median" "peak RSS"
for row in "${results[@]}"; do
    read -r set form ms mib <<<"$row"
    verdict=ok
    if ((ms >= TARGET_MS || mib >= TARGET_MIB)); then verdict="OVER TARGET"; status=1; fi
    printf '    %-9s %-5s %7s ms %6s MiB  %s\n' "$set" "$form" "$ms" "$mib" "$verdict"
done
exit $status
