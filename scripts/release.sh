#!/usr/bin/env bash
# Builds the release archive of helpsite for one target, the same way the release workflow
# (.github/workflows/release.yml) does on each of its machines:
#
#   bash scripts/release.sh                                    # this machine
#   TARGET=aarch64-unknown-linux-musl bash scripts/release.sh  # another target rustup has
#
# It writes dist/helpsite-TARGET.tar.xz (.zip for Windows) holding the folder
# helpsite-TARGET/ with the binary, README.md and LICENSE, and beside it
# helpsite-TARGET.tar.xz.sha256 in the format of `sha256sum` (check it with
# `sha256sum -c`). The archive's path is the last line printed.
#
# On Linux the default target is x86_64/aarch64-unknown-linux-musl: a static binary that
# runs on any Linux distribution, however old. The target is added with rustup when
# missing. Linux archives are built with cargo-zigbuild when it is installed (as in the
# release workflow: `pip install cargo-zigbuild ziglang`), whose zig compiles and links
# the C parts (mimalloc) for either CPU from one machine; without it, plain cargo builds
# them with musl-gcc (Debian: musl-tools, installed when missing and this runs as root),
# else the system's C compiler.
#
# Environment: TARGET (a Rust target triple), DIST (output folder, default dist, inside
# the repository when relative), CARGO_TARGET_DIR (cargo's, honoured: the binary is looked
# for there),
# BINARY (package this already built binary instead of building one: the installer test
# uses it to make an archive from the binary under test in seconds), XZ_OPT (xz's own
# settings, e.g. -1 for a quick archive; default -9).
set -euo pipefail

if [[ -n "${BINARY:-}" ]]; then
    BINARY=$(cd "$(dirname "$BINARY")" && pwd)/$(basename "$BINARY")
fi
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf 'release: %s\n' "$*" >&2; }

host_target() {
    local cpu
    case "$(uname -m)" in
        x86_64 | amd64) cpu=x86_64 ;;
        aarch64 | arm64) cpu=aarch64 ;;
        *) log "no release target for the CPU $(uname -m); set TARGET" && exit 2 ;;
    esac
    case "$(uname -s)" in
        Linux) echo "$cpu-unknown-linux-musl" ;;
        Darwin) echo "$cpu-apple-darwin" ;;
        MINGW* | MSYS* | CYGWIN* | Windows_NT) echo "$cpu-pc-windows-msvc" ;;
        *) log "no release target for the system $(uname -s); set TARGET" && exit 2 ;;
    esac
}

sha256_line() { # FILE -> "HASH  NAME", the sha256sum format, run in the file's folder
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1"
    else
        shasum -a 256 "$1"
    fi
}

target=${TARGET:-$(host_target)}
dist=${DIST:-dist}
name="helpsite-$target"
exe=helpsite
[[ "$target" == *windows* ]] && exe=helpsite.exe

# Builds the binary for $target; prints its path.
build_binary() {
    if command -v rustup >/dev/null 2>&1 && ! rustup target list --installed | grep -qx "$target"; then
        log "rustup target add $target"
        rustup target add "$target" >&2
    fi
    local build=(cargo build)
    # The C parts (ring, Oniguruma) need a musl C compiler; on Debian it is one package.
    if [[ "$target" == *-linux-musl && "$target" == "$(uname -m)"-* ]] &&
        ! command -v cargo-zigbuild >/dev/null 2>&1 && ! command -v musl-gcc >/dev/null 2>&1 &&
        command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" -eq 0 ]]; then
        log "apt-get install musl-tools"
        apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq musl-tools >&2
    fi
    if [[ "$target" == *-linux-* ]] && command -v cargo-zigbuild >/dev/null 2>&1; then
        build=(cargo zigbuild)
    elif [[ "$target" == *-linux-musl ]] && command -v musl-gcc >/dev/null 2>&1 &&
        [[ "$target" == "$(uname -m)"-* ]]; then
        # cc-rs reads CC_<target>; musl-gcc compiles the C parts against musl's headers.
        export "CC_${target//-/_}=musl-gcc"
    fi
    log "${build[*]} --release --locked --target $target"
    "${build[@]}" --release --locked --target "$target" >&2
    echo "${CARGO_TARGET_DIR:-target}/$target/release/$exe"
}

if [[ -n "${BINARY:-}" ]]; then
    binary=$BINARY
else
    binary=$(build_binary)
fi
version=$("$binary" --version 2>/dev/null || echo "(not runnable on this machine)")
log "$binary: $version"

# The release profile keeps line tables for profiling and backtraces of local builds;
# the shipped program drops them (70 MB -> 14 MB) and keeps its symbol names.
# llvm-strip (rustup component llvm-tools) reads every target's format; the system's
# strip reads this machine's own.
strip_debug() { # SOURCE DEST
    local llvm_strip
    llvm_strip=$(find "$(rustc --print sysroot 2>/dev/null || echo /nonexistent)/lib/rustlib" \
        -name llvm-strip -type f 2>/dev/null | head -n 1 || true)
    if [[ "$target" == *windows* ]]; then
        cp "$1" "$2" # the debug information is in a separate .pdb file
    elif [[ -n "$llvm_strip" ]]; then
        "$llvm_strip" --strip-debug -o "$2" "$1"
    elif [[ "$target" == *apple* && "$(uname -s)" == Darwin ]]; then
        cp "$1" "$2" && strip -S "$2"
    elif [[ "$target" == "$(uname -m)"-*-linux-* ]] && command -v strip >/dev/null 2>&1; then
        strip --strip-debug -o "$2" "$1"
    else
        log "no strip for $target here: the binary keeps its line tables"
        cp "$1" "$2"
    fi
}

rm -rf "${dist:?}/$name"
mkdir -p "$dist/$name"
strip_debug "$binary" "$dist/$name/$exe"
cp README.md LICENSE "$dist/$name/"

cd "$dist"
if [[ "$target" == *windows* ]]; then
    archive="$name.zip"
    rm -f "$archive"
    if command -v 7z >/dev/null 2>&1; then
        7z a -tzip -bd "$archive" "$name" >&2
    else
        zip -qr "$archive" "$name"
    fi
else
    archive="$name.tar.xz"
    if tar --version 2>/dev/null | grep -q GNU; then
        # Sorted names, one owner, the commit's time: the same commit gives the same archive.
        stamp=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
        # xz reads XZ_OPT for its level; without it, the smallest archive (-9).
        level=(-9)
        [[ -n "${XZ_OPT:-}" ]] && level=()
        tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$stamp" -cf - "$name" |
            xz -T1 "${level[@]}" >"$archive"
    else
        tar -cJf "$archive" "$name" # BSD tar (macOS)
    fi
fi
rm -rf "$name"
sha256_line "$archive" >"$archive.sha256"
log "$(cat "$archive.sha256")"
cd - >/dev/null
echo "$dist/$archive"
