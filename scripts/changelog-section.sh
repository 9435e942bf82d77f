#!/bin/sh
# Prints the text of one version's section of CHANGELOG.md, for the release's notes:
#
#   sh scripts/changelog-section.sh 0.2.0              # or v0.2.0, as the tag names it
#   sh scripts/changelog-section.sh 0.2.0 OTHER.md
#
# The section is everything under "## [0.2.0]" (with or without " - DATE" after it) up to
# the next "## " heading or the link definitions at the end, without leading and trailing
# blank lines. A version without a section, or with an empty one, is an error (exit 1):
# a release must say what changed.
set -eu

version=${1:?usage: changelog-section.sh VERSION [CHANGELOG]}
version=${version#v}
file=${2:-CHANGELOG.md}
[ -r "$file" ] || {
    echo "changelog-section: cannot read $file" >&2
    exit 1
}

awk -v version="$version" '
    BEGIN { heading = "## [" version "]" }
    /^## / {
        if (inside) exit
        if (index($0, heading) == 1) {
            rest = substr($0, length(heading) + 1)
            if (rest == "" || rest ~ /^ - /) inside = 1
        }
        next
    }
    /^\[[^]]+\]: / { if (inside) exit }
    inside {
        if ($0 ~ /^[ \t]*$/) { blank++; next }
        if (printed) while (blank-- > 0) print ""
        blank = 0
        print
        printed = 1
    }
    END { if (!printed) exit 3 }
' "$file" || {
    echo "changelog-section: $file has no text for version $version (a \"## [$version] - DATE\" section)" >&2
    exit 1
}
