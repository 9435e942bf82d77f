#!/usr/bin/env bash
# A day of writing in a few minutes: `helpsite serve` on the generated corpus takes SAVES
# saves of mixed kinds in a row (article text, title, weight, new article, deleted one,
# renamed one, section title), each waited for until it is served. Then it checks that
#   - the server's memory (RSS) at rest after the last save is within 10% of where it
#     was after the first 50 saves (no drift), and
#   - every file the server serves equals what a clean `helpsite build` of the same
#     sources writes, and the server serves no page the clean build lacks.
# Exits non-zero when either does not hold. See bench/README.md.
#
#   bash bench/soak.sh                  # N=2000 articles, SAVES=1000
#   N=10000 SAVES=200 bash bench/soak.sh
#
# Environment: N, SAVES, SEED (default 7), HELPSITE_BIN (else a release build),
# GEN_CORPUS (default ../../shared/bench/gen_corpus.py from here), BENCH_TMPFS_DIR
# (default /dev/shm), KEEP=1 keeps the work folder.
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$bench_dir/.." && pwd)
N=${N:-2000}
SAVES=${SAVES:-1000}
SEED=${SEED:-7}
GEN_CORPUS=${GEN_CORPUS:-$bench_dir/../../shared/bench/gen_corpus.py}
BENCH_TMPFS_DIR=${BENCH_TMPFS_DIR:-/dev/shm}

if [[ -n "${HELPSITE_BIN:-}" ]]; then
    helpsite=$HELPSITE_BIN
else
    (cd "$repo" && cargo build --release --quiet --bin helpsite)
    helpsite="${CARGO_TARGET_DIR:-$repo/target}/release/helpsite"
fi

work=$(mktemp -d "$BENCH_TMPFS_DIR/helpsite-soak.XXXXXX")
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; fi
    if [[ "${KEEP:-0}" == 1 ]]; then echo "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

python3 "$GEN_CORPUS" --n "$N" --out "$work/corpus" >/dev/null
mkdir -p "$work/site"
cp -r "$work/corpus/content" "$work/site/content"
cat >"$work/site/config.toml" <<'TOML'
base_url = "https://help.example.com/"
title = "Help Center"
default_language = "en"
TOML

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$helpsite" serve --root "$work/site" --port "$port" >"$work/serve.log" 2>&1 &
server_pid=$!
printf '==> helpsite serve on %s articles, %s saves (%s)\n' "$N" "$SAVES" "$("$helpsite" --version)"

python3 - "$work/site" "$port" "$server_pid" "$SAVES" "$SEED" "$work/serve.log" <<'PY'
import os, random, re, sys, time, urllib.request

root, port, pid, saves, seed, log = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
content = os.path.join(root, "content")
base = f"http://127.0.0.1:{port}"
rng = random.Random(seed)

def rss_mib():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise SystemExit("the server is gone")

def rss_at_rest():
    # Read once the server is idle: the allocator hands freed pages back after a delay.
    time.sleep(3)
    return rss_mib()

def builds():
    # Every finished build or rebuild prints one line: "rebuilt ..." or "rebuild of ... failed".
    return sum(1 for line in open(log, encoding="utf-8") if line.startswith("rebuil"))

def wait_for_build(after, limit=120):
    started = time.time()
    while builds() <= after:
        if time.time() - started > limit:
            raise SystemExit(f"no rebuild within {limit} s; log:\n" + open(log).read()[-2000:])
        time.sleep(0.01)

def articles():
    found = []
    for dirpath, _, files in os.walk(content):
        found += [os.path.join(dirpath, f) for f in files if f.endswith(".md") and not f.startswith("_index")]
    return sorted(found)

def sections():
    return sorted(os.path.join(d, "_index.md") for d, _, files in os.walk(content) if "_index.md" in files and d != content)

def set_key(path, key, value):
    text = open(path, encoding="utf-8").read()
    head, sep, body = text.partition("\n+++\n")
    lines = [l for l in head.split("\n") if not l.startswith(key + " =")]
    lines.insert(1, f"{key} = {value}")
    open(path, "w", encoding="utf-8").write("\n".join(lines) + sep + body)

gone = []  # articles deleted or renamed away: their pages must no longer be served

def save(i):
    kind = rng.choice(["body", "body", "title", "weight", "new", "delete", "rename", "section"])
    pages = articles()
    page = rng.choice(pages)
    if kind == "body":
        with open(page, "a", encoding="utf-8") as f:
            f.write(f"\nA note added in save {i}.\n")
    elif kind == "title":
        set_key(page, "title", f'"Retitled in save {i}"')
    elif kind == "weight":
        set_key(page, "weight", str(rng.randint(1, 50)))
    elif kind == "new" or (kind == "delete" and len(pages) < 10):
        folder = os.path.dirname(page)
        open(os.path.join(folder, f"soak-{i}.md"), "w", encoding="utf-8").write(
            f'+++\ntitle = "Written in save {i}"\ndescription = "A new article."\n+++\n\nNew text {i}.\n')
    elif kind == "delete":
        os.remove(page)
        gone.append(page)
    elif kind == "rename":
        os.rename(page, os.path.join(os.path.dirname(page), f"moved-{i}.md"))
        gone.append(page)
    else:
        set_key(rng.choice(sections()), "title", f'"Section retitled in save {i}"')
    return kind

wait_for_build(0, limit=600)
kinds, rss_after_50, times, trace = {}, None, [], []
for i in range(1, saves + 1):
    before = builds()
    started = time.time()
    kind = save(i)
    wait_for_build(before)
    times.append(time.time() - started)
    kinds[kind] = kinds.get(kind, 0) + 1
    if i == 50:
        rss_after_50 = rss_at_rest()
    if i % 100 == 0:
        trace.append(f"{i}: {rss_at_rest():.0f}")
    # Saves a writer makes are seconds apart; the watcher's debounce needs a moment too.
    time.sleep(0.05)
rss_end = rss_at_rest()
times.sort()
print("    saves by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
print(f"    save -> rebuilt: median {times[len(times)//2]*1000:.0f} ms, max {times[-1]*1000:.0f} ms")
if rss_after_50 is None:
    rss_after_50 = rss_end
drift = (rss_end - rss_after_50) / rss_after_50
print("    RSS at rest every 100 saves (MiB): " + ", ".join(trace))
print(f"    RSS after 50 saves {rss_after_50:.0f} MiB, after {saves}: {rss_end:.0f} MiB ({drift*100:+.1f}%)")
open(os.path.join(root, "..", "rss-ok"), "w").write("yes" if drift <= 0.10 else "no")
with open(os.path.join(root, "..", "gone.txt"), "w", encoding="utf-8") as f:
    for path in gone:
        f.write(os.path.relpath(path, content)[:-len(".md")] + "/index.html\n")
PY

# The clean build of the same sources, then every file of it fetched from the server.
"$helpsite" build --root "$work/site" --output "$work/clean" --quiet --base-url "http://127.0.0.1:$port/"
equal=0
python3 - "$work/clean" "$port" "$work/gone.txt" <<'PY' || equal=$?
import os, re, sys, urllib.request, urllib.error
clean, port, gone = sys.argv[1], int(sys.argv[2]), sys.argv[3]
live = re.compile(rb'<script src="/__helpsite/live\.js" data-generation="\d+" defer></script>')
different, checked = [], 0
for dirpath, _, files in os.walk(clean):
    for name in files:
        path = os.path.relpath(os.path.join(dirpath, name), clean)
        if path.startswith(".helpsite"):
            continue
        want = open(os.path.join(dirpath, name), "rb").read()
        try:
            got = urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}").read()
        except urllib.error.HTTPError as err:
            got = f"HTTP {err.code}".encode()
        if path.endswith(".html"):
            got = live.sub(b"", got)
        checked += 1
        if got != want:
            different.append(path)
print(f"    served vs clean build: {checked - len(different)} of {checked} files equal")
# Pages of deleted and renamed articles: served only if the clean build has them too.
stale = []
for path in sorted(set(open(gone, encoding="utf-8").read().split())):
    if os.path.exists(os.path.join(clean, path)):
        continue
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}").read()
        stale.append(path)
    except urllib.error.HTTPError as err:
        if err.code != 404:
            stale.append(f"{path} (HTTP {err.code})")
print(f"    pages of deleted or renamed articles still served: {len(stale)}")
for path in (different[:10] + stale[:10]):
    print(f"      differs: {path}")
sys.exit(1 if different or stale else 0)
PY
rss_ok=$(cat "$work/rss-ok")
if [[ "$rss_ok" != yes ]]; then
    echo "soak: the server's memory grew by more than 10% after the first 50 saves" >&2
    exit 1
fi
exit "$equal"
