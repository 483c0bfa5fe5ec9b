#!/bin/sh
# Refresh src/ropa/suites/datadocs_static/: the CSS, JS and fonts GX 1.x Data Docs load
# from public CDNs, taken from the npm registry at the versions GX references, each
# beside its licence. The files are committed; the audit never fetches them (it runs
# offline). Run from the repository root: `make datadocs-static` (needs npm and network).
#
# GX references bootstrap-table's filter-control CSS at 1.19.0 and its JS at 1.19.1; both
# are taken from 1.19.1. Not vendored: vega, vega-lite, vega-embed (no ropa page draws a
# chart) and bootstrap-datepicker (ropa switches the Run Time filter to a text input).
set -eu

DEST=src/ropa/suites/datadocs_static
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

fetch() {  # fetch NAME@VERSION DIR: unpack the npm tarball into $WORK/DIR
    (cd "$WORK" && npm pack "$1" --silent >"$2.name" && mkdir "$2" &&
        tar xzf "$(cat "$2.name")" -C "$2" --strip-components=1)
    printf '%s\t%s\n' "$1" "$(npm view "$1" dist.integrity)" >>"$WORK/integrity"
}

take() {  # take DIR FILE TARGET: copy one file of a package into DEST
    mkdir -p "$(dirname "$DEST/$3")"
    cp "$WORK/$1/$2" "$DEST/$3"
}

rm -rf "$DEST"
mkdir -p "$DEST"

fetch jquery@3.7.1 jquery
take jquery dist/jquery.min.js jquery/jquery.min.js
take jquery LICENSE.txt jquery/LICENSE.txt

fetch bootstrap@4.3.1 bootstrap
take bootstrap dist/css/bootstrap.min.css bootstrap/css/bootstrap.min.css
take bootstrap dist/js/bootstrap.min.js bootstrap/js/bootstrap.min.js
take bootstrap LICENSE bootstrap/LICENSE

# popper.js 1.12.9 ships no licence file; its header says MIT, Federico Zivolo 2017.
fetch popper.js@1.12.9 popper.js
take popper.js dist/umd/popper.min.js popper.js/popper.min.js
cp scripts/popper.js-LICENSE "$DEST/popper.js/LICENSE"

fetch bootstrap-table@1.19.1 bootstrap-table
take bootstrap-table dist/bootstrap-table.min.css bootstrap-table/bootstrap-table.min.css
take bootstrap-table dist/bootstrap-table.min.js bootstrap-table/bootstrap-table.min.js
for f in bootstrap-table-filter-control.min.css bootstrap-table-filter-control.min.js; do
    take bootstrap-table "dist/extensions/filter-control/$f" "bootstrap-table/extensions/filter-control/$f"
done
take bootstrap-table LICENSE bootstrap-table/LICENSE

# woff2 only: every browser that runs the pages reads it, so the .ttf fallbacks the CSS
# names are never requested.
fetch @fortawesome/fontawesome-free@6.6.0 fontawesome-free
take fontawesome-free css/all.min.css fontawesome-free/css/all.min.css
for f in fa-brands-400 fa-regular-400 fa-solid-900 fa-v4compatibility; do
    take fontawesome-free "webfonts/$f.woff2" "fontawesome-free/webfonts/$f.woff2"
done
take fontawesome-free LICENSE.txt fontawesome-free/LICENSE.txt

fetch @forevolve/bootstrap-dark@1.1.0 bootstrap-dark
take bootstrap-dark dist/css/bootstrap-prefers-dark.min.css bootstrap-dark/css/bootstrap-prefers-dark.min.css
take bootstrap-dark LICENSE bootstrap-dark/LICENSE

{
    echo "Third-party files shipped with ropa's Data Docs (scripts/vendor-datadocs.sh)."
    echo "Each folder holds the package's own licence file; the npm tarballs' integrity:"
    echo
    cat "$WORK/integrity"
    echo
    echo "jquery, bootstrap, popper.js, bootstrap-table, @forevolve/bootstrap-dark: MIT."
    echo "@fortawesome/fontawesome-free: icons CC BY 4.0, fonts SIL OFL 1.1, code MIT."
} >"$DEST/LICENSES"
