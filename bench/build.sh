#!/usr/bin/env bash
# Full-build benchmark: helpsite (release build, default theme) against Hugo on the same
# generated help-center corpus. See bench/README.md.
#
#   bash bench/build.sh                 # N = 1000 and 10000, on tmpfs and on disk
#   N_LIST=1000 RUNS=3 bash bench/build.sh
#
# Environment:
#   N_LIST          article counts, spaces or commas (default "1000 10000"); with
#                   several, the growth of time and memory between sizes is printed
#   RUNS, WARMUP    hyperfine runs and warmup runs per command (default 5 and 1)
#   LOCATIONS       which file systems to use: "tmpfs disk" (default), or one of them
#   BENCH_TMPFS_DIR tmpfs folder (default /dev/shm)
#   BENCH_DISK_DIR  on-disk folder (default /tmp)
#   GEN_CORPUS      corpus generator (default ../../shared/bench/gen_corpus.py from here)
#   HELPSITE_BIN    benchmark this binary instead of building target/release/helpsite
#   KEEP=1          keep the corpora and outputs (their folders are printed)
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$bench_dir/.." && pwd)

GEN_CORPUS=${GEN_CORPUS:-$bench_dir/../../shared/bench/gen_corpus.py}
N_LIST=${N_LIST:-"1000 10000"}
N_LIST=${N_LIST//,/ } # "10000,100000" works too
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
LOCATIONS=${LOCATIONS:-"tmpfs disk"}
BENCH_TMPFS_DIR=${BENCH_TMPFS_DIR:-/dev/shm}
BENCH_DISK_DIR=${BENCH_DISK_DIR:-/tmp}
KEEP=${KEEP:-0}

section() { printf '\n==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }
die() {
    printf 'bench: %s\n' "$*" >&2
    exit 1
}

as_root() {
    if [[ "$(id -u)" -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root for: $*"
    fi
}

# Installs a Debian package when `check` (a command name or path) is missing.
need() {
    local check=$1 package=$2
    if ! command -v "$check" >/dev/null 2>&1; then
        note "installing $package"
        command -v apt-get >/dev/null 2>&1 || die "$check not found; install $package"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package"
    fi
}

# ---------------------------------------------------------------------------
section "Tools"
need python3 python3
need hyperfine hyperfine
need hugo hugo
need /usr/bin/time time
[[ -f "$GEN_CORPUS" ]] || die "corpus generator not found: $GEN_CORPUS (set GEN_CORPUS)"

if [[ -n "${HELPSITE_BIN:-}" ]]; then
    helpsite=$HELPSITE_BIN
else
    note "building helpsite (release)"
    (cd "$repo" && cargo build --release --quiet --bin helpsite)
    helpsite="${CARGO_TARGET_DIR:-$repo/target}/release/helpsite"
fi
[[ -x "$helpsite" ]] || die "no helpsite binary at $helpsite"

note "helpsite: $("$helpsite" --version 2>/dev/null || echo "(no --version)")"
note "hugo:     $(hugo version | cut -d' ' -f2)"
note "$(hyperfine --version)"
note "machine:  $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
note "runs:     $RUNS (+$WARMUP warmup) per command; sizes: $N_LIST; locations: $LOCATIONS"

# ---------------------------------------------------------------------------
# helpers

workdirs=()
cleanup() {
    if [[ "$KEEP" == 1 ]]; then
        ((${#workdirs[@]} == 0)) || note "kept: ${workdirs[*]}"
    else
        for dir in "${workdirs[@]}"; do rm -rf "$dir"; done
    fi
}
trap cleanup EXIT

location_dir() {
    case $1 in
    tmpfs) echo "$BENCH_TMPFS_DIR" ;;
    disk) echo "$BENCH_DISK_DIR" ;;
    *) die "unknown location '$1' (use tmpfs and/or disk)" ;;
    esac
}

# Peak RSS in MiB of one run of a command (GNU time's "Maximum resident set size").
peak_rss_mib() {
    local log
    log=$(mktemp)
    if ! /usr/bin/time -v "$@" >/dev/null 2>"$log"; then
        cat "$log" >&2
        rm -f "$log"
        die "command failed: $*"
    fi
    awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$log"
    rm -f "$log"
}

# The tail of one helpsite run, in seconds: the process's wall time (GNU time) less the
# time its summary line prints; work left after the summary (freeing memory, say) shows
# here. Target (issue 17): no multi-second tail.
helpsite_tail() {
    local log out
    log=$(mktemp)
    out=$(/usr/bin/time -v "$@" 2>"$log") || {
        cat "$log" >&2
        rm -f "$log"
        die "command failed: $*"
    }
    python3 - "$log" "$out" <<'PY'
import re, sys
log, out = open(sys.argv[1]).read(), sys.argv[2]
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", log).group(1)
seconds = sum(float(part) * 60 ** i for i, part in enumerate(reversed(wall.split(":"))))
summary = float(re.findall(r"\((\d+\.\d+)s\)", out)[-1])
print("%.2f %.2f" % (seconds, summary))
PY
    rm -f "$log"
}

html_files() { find "$1" -name '*.html' | wc -l; }

# Prints "min median" in seconds for the named command of a hyperfine JSON export.
hyperfine_stats() {
    python3 - "$1" "$2" <<'PY'
import json, statistics, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
times = results[sys.argv[2]]["times"]
print("%.3f %.3f" % (min(times), statistics.median(times)))
PY
}

results=$(mktemp)
workdirs+=("$results")

# ---------------------------------------------------------------------------
for location in $LOCATIONS; do
    base=$(location_dir "$location")
    mkdir -p "$base"
    fs=$(stat -f -c %T "$base")
    if [[ "$location" == disk && "$fs" == tmpfs ]]; then
        note "WARNING: $base is tmpfs; set BENCH_DISK_DIR to a folder on disk"
    fi
    work=$(mktemp -d "$base/helpsite-bench.XXXXXX")
    workdirs+=("$work")

    for n in $N_LIST; do
        section "N=$n on $location ($work, $fs)"
        corpus="$work/corpus-$n"
        site="$work/site-$n"
        out_helpsite="$work/public-helpsite-$n"
        out_hugo="$work/public-hugo-$n"

        note "$(python3 "$GEN_CORPUS" --n "$n" --out "$corpus")"

        # helpsite gets the same content/ but none of the corpus's Zola files: its
        # templates/ and static/ would override the default theme, and its config.toml
        # is Zola's.
        mkdir -p "$site"
        cp -r "$corpus/content" "$site/content"
        cat >"$site/helpsite.toml" <<'TOML'
base_url = "https://help.example.com/"
title = "Help Center"
default_language = "en"
TOML

        helpsite_cmd=("$helpsite" build --root "$site" --config "$site/helpsite.toml"
            --output "$out_helpsite" --force)
        hugo_cmd=(hugo --quiet --source "$corpus" --destination "$out_hugo")

        # One measured run each: checks the build succeeds and reads peak RSS.
        rss_helpsite=$(peak_rss_mib "${helpsite_cmd[@]}")
        rss_hugo=$(peak_rss_mib "${hugo_cmd[@]}")
        [[ -f "$out_helpsite/index.html" ]] || die "helpsite wrote no $out_helpsite/index.html"
        [[ -f "$out_hugo/index.html" ]] || die "hugo wrote no $out_hugo/index.html"
        pages_helpsite=$(html_files "$out_helpsite")
        pages_hugo=$(html_files "$out_hugo")
        note "peak RSS: helpsite ${rss_helpsite} MiB, hugo ${rss_hugo} MiB"
        read -r wall_helpsite summary_helpsite < <(helpsite_tail "${helpsite_cmd[@]}")
        note "tail: helpsite process ${wall_helpsite} s, its summary ${summary_helpsite} s"
        note "HTML files: helpsite $pages_helpsite, hugo $pages_hugo"

        json="$work/hyperfine-$n.json"
        hyperfine --warmup "$WARMUP" --runs "$RUNS" --export-json "$json" \
            -n helpsite "$(printf '%q ' "${helpsite_cmd[@]}")" \
            -n hugo "$(printf '%q ' "${hugo_cmd[@]}")"

        read -r min_helpsite med_helpsite < <(hyperfine_stats "$json" helpsite)
        read -r min_hugo med_hugo < <(hyperfine_stats "$json" hugo)
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
            "$location" "$n" \
            "$min_helpsite" "$med_helpsite" "$pages_helpsite" "$rss_helpsite" \
            "$min_hugo" "$med_hugo" "$pages_hugo" "$rss_hugo" >>"$results"

        if [[ "$KEEP" != 1 ]]; then rm -rf "$corpus" "$site" "$out_helpsite" "$out_hugo"; fi
    done
done

# ---------------------------------------------------------------------------
section "Results (seconds; ratio = hugo / helpsite, >1 means helpsite is faster)"
python3 - "$results" <<'PY'
import sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
head = ("where", "N", "tool", "min", "median", "pages/s", "HTML", "peak RSS", "ratio med", "ratio min")
table = []
for where, n, hs_min, hs_med, hs_pages, hs_rss, hu_min, hu_med, hu_pages, hu_rss in rows:
    hs_min, hs_med, hu_min, hu_med = map(float, (hs_min, hs_med, hu_min, hu_med))
    ratio_med = "%.2fx" % (hu_med / hs_med)
    ratio_min = "%.2fx" % (hu_min / hs_min)
    table.append((where, n, "helpsite", "%.3f" % hs_min, "%.3f" % hs_med,
                  "%.0f" % (int(hs_pages) / hs_med), hs_pages, hs_rss + " MiB", ratio_med, ratio_min))
    table.append(("", "", "hugo", "%.3f" % hu_min, "%.3f" % hu_med,
                  "%.0f" % (int(hu_pages) / hu_med), hu_pages, hu_rss + " MiB", "", ""))
widths = [max(len(str(r[i])) for r in [head] + table) for i in range(len(head))]
for r in [head] + table:
    print("  ".join(str(c).rjust(w) if i > 2 else str(c).ljust(w)
                    for i, (c, w) in enumerate(zip(r, widths))).rstrip())
print("\npages/s = HTML files written / median time. Target at N=10000: ratio >= 2x,"
      " helpsite peak RSS < 1024 MiB.")

# Growth from one size to the next, per location: linear cost means time and memory
# grow by about the size ratio (target at 10,000 -> 100,000: time <= 10.5x, RSS < 2 GiB).
by_where = {}
for where, n, hs_min, hs_med, _, hs_rss, hu_min, hu_med, _, hu_rss in rows:
    by_where.setdefault(where, []).append((int(n), float(hs_min), float(hs_med), int(hs_rss),
                                           float(hu_med), int(hu_rss)))
for where, sizes in by_where.items():
    sizes.sort()
    for (n1, min1, med1, rss1, hu1, hurss1), (n2, min2, med2, rss2, hu2, hurss2) in zip(sizes, sizes[1:]):
        print("growth %s %d -> %d (x%.1f): helpsite time x%.2f (min x%.2f), peak RSS x%.2f;"
              " hugo time x%.2f, peak RSS x%.2f"
              % (where, n1, n2, n2 / n1, med2 / med1, min2 / min1, rss2 / rss1,
                 hu2 / hu1, hurss2 / hurss1))
PY
