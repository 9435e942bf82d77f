#!/bin/sh
# Installs helpsite, the help-center site generator, from its prebuilt release archives.
#
#   curl -fsSL https://github.com/helpsite/helpsite/releases/latest/download/install.sh | sh
#
# It picks the archive for this computer (Linux or macOS, x86_64 or arm64), downloads it
# and its .sha256 file, checks the checksum, and puts the `helpsite` program into
# ~/.local/bin. Nothing is installed unless every step succeeded, and its temporary files
# are removed either way.
#
# Environment:
#   HELPSITE_VERSION       a release tag such as v0.2.0 (default: the latest release)
#   HELPSITE_INSTALL_DIR   where to put the program (default: ~/.local/bin)
#   HELPSITE_DOWNLOAD_URL  the folder holding the archives, instead of the GitHub release
#                          (a mirror, a file:// folder with curl, or a test server)
set -eu

repository="https://github.com/helpsite/helpsite"

say() { printf 'helpsite install: %s\n' "$*"; }
fail() {
    printf 'helpsite install: error: %s\n' "$*" >&2
    exit 1
}

# The Rust target name of this computer's archive: CPU-vendor-system.
detect_target() {
    os=$(uname -s)
    cpu=$(uname -m)
    case "$cpu" in
        x86_64 | amd64) cpu=x86_64 ;;
        aarch64 | arm64) cpu=aarch64 ;;
        *) fail "no helpsite archive for the CPU '$cpu' (there are x86_64 and aarch64); build it from source with: cargo install helpsite" ;;
    esac
    case "$os" in
        Linux) echo "$cpu-unknown-linux-musl" ;;
        Darwin) echo "$cpu-apple-darwin" ;;
        MINGW* | MSYS* | CYGWIN* | Windows_NT) fail "on Windows, run install.ps1 in PowerShell instead" ;;
        *) fail "no helpsite archive for the system '$os' (there are Linux, macOS and Windows); build it from source with: cargo install helpsite" ;;
    esac
}

# download URL FILE: fails with a message naming the URL.
download() {
    if command -v curl >/dev/null 2>&1; then
        curl --proto '=https,http,file' -fsSL --retry 2 -o "$2" "$1" ||
            fail "could not download $1"
    elif command -v wget >/dev/null 2>&1; then
        wget -q -O "$2" "$1" || fail "could not download $1"
    else
        fail "neither curl nor wget is installed; install one of them and run this again"
    fi
}

# The SHA-256 of a file, in lowercase hex.
sha256_of() {
    if command -v sha256sum >/dev/null 2>&1; then
        sha256sum "$1" | cut -d ' ' -f 1
    elif command -v shasum >/dev/null 2>&1; then
        shasum -a 256 "$1" | cut -d ' ' -f 1
    elif command -v openssl >/dev/null 2>&1; then
        openssl dgst -sha256 "$1" | sed 's/^.*= *//'
    else
        fail "no sha256sum, shasum or openssl to check the download with"
    fi
}

target=$(detect_target)
archive="helpsite-$target.tar.xz"
if [ -n "${HELPSITE_DOWNLOAD_URL:-}" ]; then
    base_url=${HELPSITE_DOWNLOAD_URL%/}
elif [ -n "${HELPSITE_VERSION:-}" ]; then
    base_url="$repository/releases/download/$HELPSITE_VERSION"
else
    base_url="$repository/releases/latest/download"
fi
install_dir=${HELPSITE_INSTALL_DIR:-${HOME:?HOME is not set; set HELPSITE_INSTALL_DIR}/.local/bin}

temp=$(mktemp -d 2>/dev/null || mktemp -d -t helpsite-install)
trap 'rm -rf "$temp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "downloading $base_url/$archive"
download "$base_url/$archive" "$temp/$archive"
download "$base_url/$archive.sha256" "$temp/$archive.sha256"

expected=$(cut -d ' ' -f 1 <"$temp/$archive.sha256" | tr 'A-F' 'a-f')
actual=$(sha256_of "$temp/$archive")
case "$expected" in
    "" | *[!0-9a-f]*) fail "$archive.sha256 does not hold a SHA-256 checksum" ;;
esac
if [ "$expected" != "$actual" ]; then
    fail "checksum mismatch for $archive (expected $expected, got $actual); nothing was installed"
fi

mkdir "$temp/unpacked"
tar -xJf "$temp/$archive" -C "$temp/unpacked" ||
    fail "could not unpack $archive (tar needs xz support)"
binary="$temp/unpacked/helpsite-$target/helpsite"
[ -f "$binary" ] || fail "$archive holds no helpsite-$target/helpsite"
chmod 755 "$binary"
version=$("$binary" --version 2>/dev/null) ||
    fail "the downloaded helpsite does not run on this computer ($target)"

mkdir -p "$install_dir" || fail "could not create $install_dir"
# Copied beside the old program, then renamed over it: never half a program in place.
cp "$binary" "$install_dir/.helpsite.partial.$$" || {
    rm -f "$install_dir/.helpsite.partial.$$"
    fail "could not write into $install_dir"
}
mv -f "$install_dir/.helpsite.partial.$$" "$install_dir/helpsite" || {
    rm -f "$install_dir/.helpsite.partial.$$"
    fail "could not write $install_dir/helpsite"
}
say "installed $version into $install_dir/helpsite"

case ":${PATH:-}:" in
    *":$install_dir:"*) say "run: helpsite --help" ;;
    *)
        say "$install_dir is not on your PATH yet. Add it with:"
        # shellcheck disable=SC2016 # $PATH is meant to be written out literally
        printf '\n    echo '\''export PATH="%s:$PATH"'\'' >> ~/.profile\n\n' "$install_dir"
        say "(for zsh use ~/.zshrc, for fish: fish_add_path $install_dir), then open a new terminal."
        ;;
esac
