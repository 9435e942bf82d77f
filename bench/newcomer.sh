#!/usr/bin/env bash
# The newcomer's first run, timed: the README's two commands on a fresh clone.
#
#   bash bench/newcomer.sh              # clones HEAD of this repository into a temp folder
#   REV=abc1234 bash bench/newcomer.sh  # another commit
#
# 1. the README's first command, `cargo run -- serve` (read from README.md, so the two stay
#    the same), until the preview answers on HTTP (the port is a free one instead of 1111,
#    so a preview someone else runs cannot answer for it), then stops it;
# 2. `bash scripts/test.sh`, its log kept.
# It prints the wall-clock seconds of each and their sum (the target: under 600 s on a 2-core
# machine with a warm cargo registry cache), and the CPU seconds (user + system) of each,
# which depend far less on what else the machine is running. The clone has no target/ and
# no tests/js/node_modules.
#
# Environment: REV (default HEAD), KEEP=1 keeps the clone (its path is printed).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
rev=${REV:-HEAD}
work=$(mktemp -d "${TMPDIR:-/tmp}/helpsite-newcomer.XXXXXX")
serve_pid=""
cpu0=0 cpu1=0 cpu2=0
# record_cpu VAR: VAR = CPU seconds (user + system) of the children this shell has waited
# for, so far. `times` runs in this shell: in a subshell ($(...) or a pipeline) it would
# see only the subshell's own children.
record_cpu() {
    times >"$work/times"
    printf -v "$1" '%s' "$(tail -n 1 "$work/times" | awk '{
        for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); s += t[1] * 60 + t[2] }
        printf "%.1f", s
    }')"
}
cleanup() {
    if [[ -n "$serve_pid" ]]; then
        kill -- "-$serve_pid" 2>/dev/null || true
    fi
    if [[ "${KEEP:-0}" == 1 ]]; then
        echo "kept: $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

git clone --quiet --no-hardlinks "$repo" "$work/clone"
git -C "$work/clone" checkout --quiet "$rev"
cd "$work/clone"
echo "commit $(git rev-parse --short HEAD), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

# The README's serve command, e.g. `cargo run -- serve`, without its comment.
read -r -a serve_cmd < <(sed -n 's/^\(cargo run [^#]*serve\) *#.*/\1/p' README.md | head -n 1)
if [[ ${#serve_cmd[@]} -eq 0 ]]; then
    echo "no \`cargo run ... serve\` line in README.md" >&2
    exit 1
fi
echo "serve command: ${serve_cmd[*]}"

record_cpu cpu0
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start=$(date +%s.%N)
# Its own process group, so the cargo process and the server under it stop together.
setsid "${serve_cmd[@]}" --port "$port" >"$work/serve.log" 2>&1 &
serve_pid=$!
until curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; do
    if ! kill -0 "$serve_pid" 2>/dev/null; then
        echo "serve exited before answering:" >&2
        tail -n 30 "$work/serve.log" >&2
        exit 1
    fi
    sleep 0.5
done
serve_s=$(echo "$(date +%s.%N) - $start" | bc)
kill -- "-$serve_pid" 2>/dev/null || true
wait "$serve_pid" 2>/dev/null || true
serve_pid=""
record_cpu cpu1
printf 'serve answered after %.1f s (%.0f CPU s)\n' "$serve_s" "$(echo "$cpu1 - $cpu0" | bc)"

start=$(date +%s.%N)
status=0
bash scripts/test.sh >"$work/test.log" 2>&1 || status=$?
test_s=$(echo "$(date +%s.%N) - $start" | bc)
grep -E '^\S*    (ok|FAILED): ' "$work/test.log" | sed 's/\x1b\[[0-9;]*m//g' || true
tail -n 1 "$work/test.log"
record_cpu cpu2
printf 'scripts/test.sh took %.1f s (%.0f CPU s, exit %s)\n' "$test_s" "$(echo "$cpu2 - $cpu1" | bc)" "$status"
printf 'together: %.1f s (%.0f CPU s), load afterwards %s\n' "$(echo "$serve_s + $test_s" | bc)" \
    "$(echo "$cpu2 - $cpu0" | bc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
cp "$work/test.log" "${TMPDIR:-/tmp}/helpsite-newcomer-test.log"
echo "test log: ${TMPDIR:-/tmp}/helpsite-newcomer-test.log"
exit "$status"
