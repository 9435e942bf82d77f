#!/usr/bin/env bash
# Rebuild benchmark for `helpsite serve`: the time from saving a file to the new page
# being served, on the generated 10,000-article corpus, beside `hugo server` when it
# is installed. See bench/README.md.
#
#   bash bench/rebuild.sh
#   N=1000 EDITS=5 bash bench/rebuild.sh
#
# Environment:
#   N             article count (default 10000)
#   EDITS         saves measured per kind of edit; the median is reported (default 10)
#   BENCH_DIR     where the corpora go (default /dev/shm, a tmpfs)
#   GEN_CORPUS    corpus generator (default ../../shared/bench/gen_corpus.py from here)
#   HELPSITE_BIN  benchmark this binary instead of building target/release/helpsite
#   PEERS         "hugo" (default) or "" to skip the peer
#   SERVE_LOG     keep helpsite serve's output (its rebuild lines) in this file
#   KINDS         the kinds of save to measure, comma-separated (default: all of them)
#   HUGO_KINDS    the kinds measured on hugo server (default: those its layouts show:
#                 body,title,new,delete,rename,section,newcat,delcat)
set -euo pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$bench_dir/.." && pwd)
# The shared generator beside the repository (a worktree one level deeper).
for shared in "$bench_dir/../../shared" "$bench_dir/../../../shared"; do
    if [[ -z "${GEN_CORPUS:-}" && -f "$shared/bench/gen_corpus.py" ]]; then GEN_CORPUS=$shared/bench/gen_corpus.py; fi
done
GEN_CORPUS=${GEN_CORPUS:-$bench_dir/../../shared/bench/gen_corpus.py}
N=${N:-10000}
EDITS=${EDITS:-10}
BENCH_DIR=${BENCH_DIR:-/dev/shm}
PEERS=${PEERS-hugo}

if [[ -n "${HELPSITE_BIN:-}" ]]; then
    helpsite=$HELPSITE_BIN
else
    (cd "$repo" && cargo build --release --quiet --bin helpsite)
    helpsite="${CARGO_TARGET_DIR:-$repo/target}/release/helpsite"
fi

work=$(mktemp -d "$BENCH_DIR/helpsite-rebuild.XXXXXX")
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

printf '==> corpus: %s articles in %s\n' "$N" "$work"
python3 "$GEN_CORPUS" --n "$N" --out "$work/corpus" >/dev/null
site="$work/site"
mkdir -p "$site/templates"
cp -r "$work/corpus/content" "$site/content"
# A second language that shows only what is translated into it, for the
# translation save (untranslated articles are hidden, so it adds no pages).
cat >"$site/helpsite.toml" <<'TOML'
base_url = "https://help.example.com/"
title = "Help Center"
default_language = "en"
untranslated = "hide"

[languages.fr]
name = "Français"
TOML
# A site override of the theme's article template, to measure a template edit.
cp "$repo/themes/default/templates/page.html" "$site/templates/page.html"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Measures save-to-served times against a running server. Arguments: the name of the
# tool, its base URL, the site folder, and the kinds of edit to make.
measure() {
    python3 - "$@" <<'PY'
import os, shutil, statistics, sys, time, urllib.request, urllib.error

tool, base, root, kinds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(",")
edits = int(os.environ.get("EDITS", "10"))
content = os.path.join(root, "content")
category = sorted(d for d in os.listdir(content) if os.path.isdir(os.path.join(content, d)))[0]
articles = sorted(f for f in os.listdir(os.path.join(content, category)) if f.endswith(".md") and not f.startswith("_"))
article = os.path.join(content, category, articles[len(articles) // 2])
slug = os.path.splitext(os.path.basename(article))[0]
article_url = f"{base}{category}/{slug}/"
listing_url = f"{base}{category}/"

def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.read().decode("utf-8", "replace")
    except urllib.error.URLError:
        return ""

class Missed(Exception):
    """A save the peer never served (helpsite missing one is a failure of the run)."""

def give_up(message):
    if tool == "helpsite":
        sys.exit(f"{tool}: {message}")
    raise Missed(message)

def wait_for(url, marker, started, limit=120, present=True):
    while (marker in fetch(url)) != present:
        if time.perf_counter() - started > limit:
            give_up(f"{marker} never {'appeared at' if present else 'left'} {url}")
        time.sleep(0.002)
    return time.perf_counter() - started

original = open(article, encoding="utf-8").read()
head, sep, body = original.partition("+++\n")[2].partition("+++\n")
front = "+++\n" + head + sep
title_line = next(l for l in head.splitlines() if l.startswith("title"))
original_weight = next((l.split("=", 1)[1].strip() for l in head.splitlines() if l.startswith("weight")), "0")

def save(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)

template_path = os.path.join(root, "templates", "page.html")
template = open(template_path, encoding="utf-8").read() if "template" in kinds else ""

section_index = os.path.join(content, category, "_index.md")
section_original = open(section_index, encoding="utf-8").read()
section_title = next(l for l in section_original.splitlines() if l.startswith("title"))

def new_article(marker):
    return f'+++\ntitle = "{marker}"\ndescription = "A new article."\n+++\n\nNew text.\n'

def front_line(key, value):
    """The article with its front matter's `key` line set to `value` (or added)."""
    lines = head.splitlines()
    kept = [l for l in lines if not l.startswith(f"{key} =")]
    at = next((n for n, l in enumerate(kept) if l.startswith("[")), len(kept))
    kept.insert(at, f"{key} = {value}")
    return "+++\n" + "\n".join(kept) + "\n+++\n" + body

def wait_changed(url, before, started, limit=120):
    while fetch(url) == before:
        if time.perf_counter() - started > limit:
            give_up(f"{url} never changed")
        time.sleep(0.002)
    return time.perf_counter() - started

def restore_site():
    """Every file as it was before the kind's saves: moved, new and added ones gone."""
    folder = os.path.join(content, category)
    for name in os.listdir(folder):
        path = os.path.join(folder, name)
        if name.startswith(f"{slug}-benchmark"):
            os.rename(path, article)
        elif name.startswith("bench-benchmark") or name == f"{slug}.fr.md":
            os.remove(path)
    for name in os.listdir(content):
        if name.startswith("zz-benchmark"):
            shutil.rmtree(os.path.join(content, name))
    save(article, original)
    save(section_index, section_original)
    time.sleep(1)

def new_category(marker):
    folder = os.path.join(content, f"zz-{marker}")
    os.makedirs(folder)
    save(os.path.join(folder, "_index.md"), f'+++\ntitle = "{marker}"\n+++\n')
    save(os.path.join(folder, "first.md"), new_article(f"{marker} first"))
    return folder

for kind in kinds:
    times = []
    misses = 0
    for i in range(edits):
        try:
            marker = f"benchmark{kind}{i}x{time.time_ns()}"
            if kind in ("newcat", "delcat"):
                # A category with one article appears on (or leaves) the home page's grid.
                if kind == "newcat":
                    started = time.perf_counter()
                    folder = new_category(marker)
                    times.append(wait_for(base, marker, started))
                    time.sleep(0.3)
                    shutil.rmtree(folder)
                    wait_for(base, marker, time.perf_counter(), present=False)
                else:
                    folder = new_category(marker)
                    wait_for(base, marker, time.perf_counter())
                    time.sleep(0.3)
                    started = time.perf_counter()
                    shutil.rmtree(folder)
                    times.append(wait_for(base, marker, started, present=False))
                time.sleep(0.3)
                continue
            if kind == "translation":
                # A French version of the article, served at its French address.
                path = os.path.join(content, category, f"{slug}.fr.md")
                started = time.perf_counter()
                save(path, new_article(marker))
                times.append(wait_for(f"{base}fr/{category}/{slug}/", marker, started))
                time.sleep(0.3)
                os.remove(path)
                wait_for(f"{base}fr/{category}/{slug}/", marker, time.perf_counter(), present=False)
                time.sleep(0.3)
                continue
            if kind == "weight":
                # The article moves to the end of its category and back: its own page
                # (previous/next) changes.
                before = fetch(article_url)
                weight = "1000" if i % 2 == 0 else original_weight
                started = time.perf_counter()
                save(article, front_line("weight", weight))
                times.append(wait_changed(article_url, before, started))
                time.sleep(0.3)
                continue
            if kind in ("new", "delete"):
                # A new article appears in its category listing; a deleted one leaves it.
                path = os.path.join(content, category, f"bench-{marker}.md")
                if kind == "delete":
                    save(path, new_article(marker))
                    wait_for(listing_url, marker, time.perf_counter())
                    time.sleep(0.3)
                    started = time.perf_counter()
                    os.remove(path)
                    times.append(wait_for(listing_url, marker, started, present=False))
                else:
                    started = time.perf_counter()
                    save(path, new_article(marker))
                    times.append(wait_for(listing_url, marker, started))
                    time.sleep(0.3)
                    os.remove(path)
                    wait_for(listing_url, marker, time.perf_counter(), present=False)
                time.sleep(0.3)
                continue
            if kind == "rename":
                # The article is served at its new address (then moved back, unmeasured).
                moved = os.path.join(content, category, f"{slug}-{marker}.md")
                started = time.perf_counter()
                os.rename(article, moved)
                times.append(wait_for(f"{base}{category}/{slug}-{marker}/", "<html", started))
                time.sleep(0.3)
                os.rename(moved, article)
                wait_for(article_url, "<html", time.perf_counter())
                time.sleep(0.3)
                continue
            if kind == "body":
                # The edited article shows the new text.
                path, text, url = article, front + f"\n{marker}\n\n" + body, article_url
            elif kind == "title":
                # The category listing (and the neighbours' previous/next) shows the new title.
                path = article
                text = original.replace(title_line, f'title = "{marker}"', 1)
                url = listing_url
            elif kind == "description":
                # The article's meta description (and its summary in listings).
                path, text, url = article, front_line("description", f'"{marker}"'), article_url
            elif kind == "date":
                # The date shown on the article.
                day = f"2001-02-{i % 9 + 1:02d}"
                marker = f'datetime="{day}"'
                path, text, url = article, front_line("date", day), article_url
            elif kind == "tags":
                # A new tag, listed on the article.
                path, url = article, article_url
                text = "+++\n" + head + f'\n[taxonomies]\ntags = ["{marker}"]\n+++\n' + body
            elif kind == "section":
                # A category's title, shown on the home page's category grid.
                path = section_index
                text = section_original.replace(section_title, f'title = "{marker}"', 1)
                url = base
            else:
                # A template edit: every article is rendered again; the edited one is polled.
                path = template_path
                text = template.replace("{% block content %}", "{% block content %}<!-- " + marker + " -->", 1)
                url = article_url
            started = time.perf_counter()
            save(path, text)
            times.append(wait_for(url, marker, started))
            time.sleep(0.3)
        except Missed as missed:
            # The peer's watcher lost this save: note it, put the site back, go on.
            print(f"    {tool:<9} {kind:<8} save {i + 1} missed: {missed}")
            restore_site()
            misses += 1
    save(article, original)
    save(section_index, section_original)
    if kind == "template":
        save(template_path, template)
    time.sleep(1)
    missed = f", {misses} missed" if misses else ""
    if not times:
        print(f"    {tool:<9} {kind:<8} every save missed")
        continue
    print(f"    {tool:<9} {kind:<8} median {statistics.median(times)*1000:8.1f} ms   min {min(times)*1000:8.1f} ms   max {max(times)*1000:8.1f} ms   (n={len(times)}{missed})")
    sys.stdout.flush()
PY
}

wait_for_url() {
    local url=$1 tries=0
    until curl -sf -o /dev/null "$url"; do
        tries=$((tries + 1))
        if ((tries > 1200)); then echo "server at $url never answered" >&2; exit 1; fi
        sleep 0.5
    done
}

printf '==> helpsite serve (%s)\n' "$("$helpsite" --version)"
port=$(free_port)
started=$(date +%s.%N)
"$helpsite" serve --root "$site" --config "$site/helpsite.toml" --port "$port" >"$work/helpsite.log" 2>&1 &
server_pid=$!
wait_for_url "http://127.0.0.1:$port/"
printf '    first build and serve: %.1f s\n' "$(echo "$(date +%s.%N) - $started" | bc)"
measure helpsite "http://127.0.0.1:$port/" "$site" "${KINDS:-body,title,description,weight,date,tags,new,delete,rename,section,newcat,delcat,translation,template}"
printf '    rebuild lines printed by the server (last 3):\n'
grep '^rebuilt' "$work/helpsite.log" | tail -3 | sed 's/^/      /'
if [[ -n "${SERVE_LOG:-}" ]]; then cp "$work/helpsite.log" "$SERVE_LOG"; fi
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""

if [[ "$PEERS" == *hugo* ]] && command -v hugo >/dev/null; then
    printf '==> hugo server (%s)\n' "$(hugo version | cut -d' ' -f1-2)"
    port=$(free_port)
    started=$(date +%s.%N)
    (cd "$work/corpus" && exec hugo server --port "$port" --bind 127.0.0.1 --disableLiveReload \
        --baseURL "http://127.0.0.1:$port/" >"$work/hugo.log" 2>&1) &
    server_pid=$!
    wait_for_url "http://127.0.0.1:$port/"
    printf '    first build and serve: %.1f s\n' "$(echo "$(date +%s.%N) - $started" | bc)"
    measure hugo "http://127.0.0.1:$port/" "$work/corpus" "${HUGO_KINDS:-body,title,new,delete,rename,section,newcat,delcat}"
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
fi
