#!/usr/bin/env bash
# Checks a release archive the way a user meets it: its checksum file verifies, it holds
# the binary, README.md and LICENSE, and the binary copied alone into an empty folder,
# with nothing but /usr/bin:/bin on PATH, prints its version, creates the starter site
# and builds it (the theme and the starter are embedded in it).
#
#   bash scripts/check-archive.sh dist/helpsite-x86_64-unknown-linux-musl.tar.xz
#
# The release workflow runs it on every archive its runner can execute.
set -euo pipefail

archive=${1:?usage: check-archive.sh ARCHIVE}
[[ -f "$archive" ]] || {
    echo "check-archive: no such file: $archive" >&2
    exit 1
}
dir=$(cd "$(dirname "$archive")" && pwd)
file=$(basename "$archive")
name=${file%.tar.xz}
name=${name%.zip}
exe=helpsite
[[ "$file" == *.zip ]] && exe=helpsite.exe

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step() { printf 'check-archive: %s\n' "$*"; }

step "checksum ($file.sha256)"
(
    cd "$dir"
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum -c "$file.sha256"
    else
        shasum -a 256 -c "$file.sha256"
    fi
)

step "contents"
mkdir "$work/unpacked"
if [[ "$file" == *.zip ]]; then
    (cd "$work/unpacked" && unzip -q "$dir/$file")
else
    tar -xJf "$dir/$file" -C "$work/unpacked"
fi
for part in "$exe" README.md LICENSE; do
    [[ -f "$work/unpacked/$name/$part" ]] || {
        echo "check-archive: $file has no $name/$part" >&2
        exit 1
    }
done

step "the binary alone, PATH=/usr/bin:/bin"
mkdir "$work/alone"
cp "$work/unpacked/$name/$exe" "$work/alone/"
(
    cd "$work/alone"
    export PATH=/usr/bin:/bin
    "./$exe" --version
    "./$exe" init site
    cd site
    "../$exe" build
    [[ -f public/index.html ]] || {
        echo "check-archive: the build wrote no public/index.html" >&2
        exit 1
    }
)
step "ok: $file"
