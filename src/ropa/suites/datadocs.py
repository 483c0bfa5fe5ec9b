"""Make a GX Data Docs site self-contained, rule-labelled and private to its owner.

GX 1.x pages load jQuery, Bootstrap, bootstrap-table, Font Awesome and Vega from public
CDNs, link a newsletter URL with tracking parameters, show a logo from S3 stamped with
the build time, and ship fonts and GIFs no page uses. ``finish_site`` rewrites every
page after GX has rendered it:

- each CDN ``<script>``/``<link>`` points at the copy in ``static/vendor`` (taken from
  the npm registry, pinned, each beside its licence: ``datadocs_static/LICENSES``,
  refreshed by ``make datadocs-static``); a remote one ropa does not ship (vega, which no
  ropa page uses, and bootstrap-datepicker) is dropped, so no page contacts anyone;
- the Run Time filter is a text input instead of a date picker (no datepicker shipped);
- links to greatexpectations.io become plain text, the newsletter footer goes;
- each column section is headed by the rules checking it, their policy sections and
  what they check (the pages otherwise name only the derived column);
- ``static`` keeps only the logo, the favicon and the vendored files;
- files get mode 0600 and folders 0700, like findings.csv.
"""

from __future__ import annotations

import html
import logging
import os
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ropa.outputs import private_tree
from ropa.paths import DATADOCS_STATIC

log = logging.getLogger(__name__)

VENDOR = "vendor"
KEEP_IMAGES = ("logo-long.png", "favicon.ico")

_BT = "https://unpkg.com/bootstrap-table@"
_FC = "bootstrap-table/extensions/filter-control/bootstrap-table-filter-control"
CDN_TO_LOCAL = {
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": (
        "popper.js/popper.min.js"
    ),
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": (
        "bootstrap/js/bootstrap.min.js"
    ),
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": (
        "bootstrap/css/bootstrap.min.css"
    ),
    f"{_BT}1.19.1/dist/bootstrap-table.min.js": "bootstrap-table/bootstrap-table.min.js",
    f"{_BT}1.19.1/dist/bootstrap-table.min.css": "bootstrap-table/bootstrap-table.min.css",
    f"{_BT}1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js": (
        f"{_FC}.min.js"
    ),
    # GX names the extension's CSS at 1.19.0 (two spellings); 1.19.1's is shipped.
    f"{_BT}1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css": (
        f"{_FC}.min.css"
    ),
    f"{_BT}1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css": (
        f"{_FC}.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": (
        "fontawesome-free/css/all.min.css"
    ),
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/"
    "bootstrap-prefers-dark.css": "bootstrap-dark/css/bootstrap-prefers-dark.min.css",
}

_REMOTE_SCRIPT = re.compile(
    r"<script\b[^>]*?\bsrc=[\"'](?P<url>https?://[^\"']+)[\"'][^>]*>\s*</script>", re.I
)
_REMOTE_LINK = re.compile(r"<link\b[^>]*?\bhref=[\"'](?P<url>https?://[^\"']+)[\"'][^>]*>", re.I)
_REMOTE_ANCHOR = re.compile(
    r"<a\b[^>]*?\bhref=[\"']https?://[^\"']*[\"'][^>]*>(?P<text>.*?)</a>", re.I | re.S
)
_FOOTER = re.compile(r"<footer\b.*?</footer>", re.I | re.S)
_REMOTE_LOGO = re.compile(
    r"https://great-expectations-web-assets\.s3\.[a-z0-9-]+\.amazonaws\.com/"
    r"(?P<file>[A-Za-z0-9_.-]+?\.png)(?:\?[^\"')\s]*)?"
)
# GX's own links into static/ (one level short for the favicon on validation pages)
_LOCAL_STATIC = re.compile(r"(?P<attr>\b(?:href|src)=[\"'])(?:\./|\.\./)*static/")
_CONTEXT_ID = re.compile(r"[?&](?:dataContextId|data_context_id)=[0-9a-fA-F-]+")
# bootstrap-table's date filter needs bootstrap-datepicker; a text filter does not.
_DATEPICKER = re.compile(
    r"'filterControl': 'datepicker'(?:, 'filterCustomSearch': '[^']*')?"
    r"(?:, 'filterDatepickerOptions': \{[^{}]*\})?"
)

# column -> the meta (rule_id, policy_ref, explains) of each expectation on it
Rules = Mapping[str, list[dict[str, Any]]]


def column_rules(suite: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for expectation in suite["expectations"]:
        column = (expectation.get("kwargs") or {}).get("column")
        if column is not None:
            out.setdefault(str(column), []).append(dict(expectation.get("meta") or {}))
    return out


def finish_site(site_root: Path, rules: Mapping[str, Rules]) -> None:
    """Post-process the site GX built in ``site_root``; ``rules`` maps a suite name to
    :func:`column_rules` of that suite."""
    _prune_static(site_root / "static")
    shutil.copytree(DATADOCS_STATIC, site_root / "static" / VENDOR, dirs_exist_ok=True)
    for page in site_root.rglob("*.html"):
        suite = _suite_of(page.relative_to(site_root))
        text = rewrite_page(page.read_text(encoding="utf-8"), page, site_root)
        page.write_text(label_rules(text, rules.get(suite or "", {})), encoding="utf-8")
    private_tree(site_root)  # the pages hold finding counts and row numbers


def _prune_static(static: Path) -> None:
    for entry in static.iterdir():
        if entry.name != "images":
            _remove(entry)
    for entry in (static / "images").iterdir():
        if entry.name not in KEEP_IMAGES:
            _remove(entry)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def _suite_of(rel: Path) -> str | None:
    """validations/<suite>/... and expectations/<suite>.html; None for the index."""
    if rel.parts[0] == "validations" and len(rel.parts) > 2:
        return rel.parts[1]
    if rel.parts[0] == "expectations" and len(rel.parts) == 2:
        return rel.stem
    return None


def rewrite_page(text: str, page: Path, site_root: Path) -> str:
    """One page with every remote reference made local or removed."""
    static = os.path.relpath(site_root / "static", page.parent).replace(os.sep, "/")
    text = _REMOTE_LOGO.sub(f"{static}/images/logo-long.png", text)
    text = _CONTEXT_ID.sub("", text)
    text = _LOCAL_STATIC.sub(lambda m: f"{m['attr']}{static}/", text)
    text = _REMOTE_SCRIPT.sub(lambda m: _local_tag(m["url"], static, script=True), text)
    text = _REMOTE_LINK.sub(lambda m: _local_tag(m["url"], static, script=False), text)
    text = _FOOTER.sub(lambda m: "" if "greatexpectations.io" in m[0] else m[0], text)
    text = _REMOTE_ANCHOR.sub(lambda m: m["text"], text)
    return _DATEPICKER.sub("'filterControl': 'input'", text)


def _local_tag(url: str, static: str, *, script: bool) -> str:
    local = CDN_TO_LOCAL.get(url)
    if local is None:
        if "vega" not in url and "datepicker" not in url:
            log.warning("Data Docs: dropped a reference to %s (not shipped with ropa)", url)
        return ""
    href = f"{static}/{VENDOR}/{local}"
    if script:
        return f'<script src="{href}"></script>'
    return f'<link rel="stylesheet" href="{href}">'


_SECTION_TITLE = '<h5 class="m-0" >\\s*{col}\\s*</h5>'
_NAV_LINK = (
    '(<a class="nav-link ge-navigation-sidebar-link[^"]*" href="#section-\\d+"[^>]*>)'
    "\\s*{col}\\s*</a>"
)


def label_rules(text: str, rules: Rules) -> str:
    """Head each column's section (and its table-of-contents entry) with the rules that
    check the column, their policy sections and explanations."""
    for column, metas in rules.items():
        text = _label_column(text, column, metas)
    return text


def _label_column(text: str, column: str, metas: list[dict[str, Any]]) -> str:
    col = re.escape(html.escape(column, quote=False))
    heading = _section_heading(column, metas)
    ids = html.escape(", ".join(dict.fromkeys(str(m.get("rule_id", "")) for m in metas)))
    text = re.sub(_SECTION_TITLE.format(col=col), lambda _m: heading, text)
    return re.sub(_NAV_LINK.format(col=col), lambda m: f"{m[1]}{ids}</a>", text)


def _section_heading(column: str, metas: list[dict[str, Any]]) -> str:
    ids = ", ".join(dict.fromkeys(str(m.get("rule_id", "")) for m in metas))
    lines = "".join(
        f'<p class="m-0 mt-1 ropa-rule"><strong>{_text(m.get("rule_id"))}'
        f"</strong> &middot; policy {_text(m.get('policy_ref'))}: "
        f"{_text(m.get('explains'))}</p>"
        for m in metas
    )
    return (
        f'<h5 class="m-0" >{_text(ids)} <small class="text-muted">'
        f"derived column {_text(column)}</small></h5>{lines}"
    )


def _text(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=False)
