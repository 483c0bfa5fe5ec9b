"""Data Docs of the samples open offline: nothing is fetched from anywhere but the site.

The site is built once (GX is slow-ish). The static checks read every page and stylesheet;
the browser checks load every page in headless Chromium (Debian's ``chromium``) with
every host name unresolvable, record Chromium's net log, and dump the DOM after the
pages' scripts ran. Each page is loaded from a copy of the site with a read-only probe
appended: it reports which web fonts loaded and whether jQuery and bootstrap-table did.
Without Chromium the browser checks skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import stat
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ropa.audit import run_audit, write_data_docs
from ropa.paths import DATADOCS_STATIC as VENDOR_SOURCE
from ropa.result import AuditResult
from ropa.suites import load_suites
from ropa.suites.datadocs import KEEP_IMAGES, rewrite_page

ROOT = Path(__file__).resolve().parents[1]
COMMITTED_SAMPLES = ROOT / "data" / "samples"
URL_ATTR = re.compile(r"""\b(?:src|href)\s*=\s*["']([^"']*)["']""", re.I)
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)""", re.I)
REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)  # http://, https://, //host
PROBE = """<script>
window.addEventListener("load", function () {
  document.fonts.ready.then(function () {
    var fonts = [];
    document.fonts.forEach(function (f) {
      if (f.status === "loaded") fonts.push(f.family + " " + f.weight);
    });
    var out = document.createElement("pre");
    out.id = "ropa-probe";
    out.textContent = JSON.stringify({
      fonts: fonts,
      jquery: typeof window.jQuery === "function",
      table: !!(window.jQuery && window.jQuery.fn.bootstrapTable)
    });
    document.body.appendChild(out);
  });
});
</script>"""
PROBE_OUT = re.compile(r'<pre id="ropa-probe">(.*?)</pre>', re.S)
SOLID_ICONS = "Font Awesome 6 Free 900"


@pytest.fixture(scope="module")
def audit(tmp_path_factory: pytest.TempPathFactory) -> AuditResult:
    samples = COMMITTED_SAMPLES
    if not (samples / "manifest.json").is_file():
        from ropa_samples import write_samples

        samples = tmp_path_factory.mktemp("samples")
        write_samples(samples)
    as_of = date.fromisoformat(json.loads((samples / "manifest.json").read_text())["as_of"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ROPA_KEY", "test-key-not-secret")
        return run_audit(samples, as_of=as_of)


@pytest.fixture(scope="module")
def site(audit: AuditResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ROPA_KEY", "test-key-not-secret")
        index = write_data_docs(audit, tmp_path_factory.mktemp("docs"))
    return index.parent


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def validation_pages(site: Path) -> list[Path]:
    return sorted((site / "validations").rglob("*.html"))


# -- static checks ------------------------------------------------------------------


def test_no_page_or_stylesheet_names_a_remote_url(site: Path) -> None:
    assert len(validation_pages(site)) >= 10
    files = pages(site) + sorted(site.rglob("*.css"))
    for path in files:
        text = path.read_text(encoding="utf-8")
        refs = URL_ATTR.findall(text) + CSS_URL.findall(text)
        assert refs or path.suffix == ".css", path
        assert [r for r in refs if REMOTE.match(r)] == [], path
        assert "greatexpectations.io" not in text, path
        assert "utm_" not in text, path


def test_every_local_reference_of_a_page_exists(site: Path) -> None:
    for page in pages(site):
        for ref in URL_ATTR.findall(page.read_text(encoding="utf-8")):
            target = ref.split("#")[0].split("?")[0]
            if target and not target.startswith(("data:", "javascript:")):
                assert (page.parent / target).resolve().is_file(), (page, ref)


def test_static_holds_the_logo_favicon_and_licensed_vendor_files_only(site: Path) -> None:
    static = site / "static"
    assert sorted(p.name for p in (static / "images").iterdir()) == sorted(KEEP_IMAGES)
    assert sorted(p.name for p in static.iterdir()) == ["images", "vendor"]
    assert not list(site.rglob("*.gif")) and not list(site.rglob("*.otf"))
    vendor = static / "vendor"
    assert (vendor / "LICENSES").is_file()
    for package in (p for p in vendor.iterdir() if p.is_dir()):
        assert list(package.glob("LICENSE*")), package
    shipped = sorted(p.relative_to(vendor) for p in vendor.rglob("*") if p.is_file())
    assert shipped == sorted(p.relative_to(VENDOR_SOURCE) for p in VENDOR_SOURCE.rglob("*")
                             if p.is_file())  # fmt: skip
    assert not any("vega" in str(p) or "datepicker" in str(p) for p in shipped)


def test_run_time_filter_needs_no_datepicker(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "'field': 'run_time'" in index
    assert "datepicker" not in index


def test_data_docs_files_are_0600_and_folders_0700(site: Path) -> None:
    assert stat.S_IMODE(site.stat().st_mode) == 0o700
    for path in site.rglob("*"):
        expected = 0o700 if path.is_dir() else 0o600
        assert stat.S_IMODE(path.stat().st_mode) == expected, path


def test_each_section_names_its_rule_policy_section_and_explanation(
    audit: AuditResult, site: Path
) -> None:
    suites, _ = load_suites(None, audit.policy)
    seen = 0
    for page in validation_pages(site) + sorted((site / "expectations").glob("*.html")):
        kind = page.stem if page.parent.name == "expectations" else page.parts[-4]
        text = page.read_text(encoding="utf-8")
        for expectation in suites[kind]["expectations"]:
            meta = expectation["meta"]
            why = html.escape(meta["explains"], quote=False)
            line = f"<strong>{meta['rule_id']}</strong> &middot; policy {meta['policy_ref']}: {why}"
            assert line in text, (page, meta["rule_id"])
            column = expectation["kwargs"]["column"]
            assert re.search(rf'<h5 class="m-0" >\s*{re.escape(column)}\s*</h5>', text) is None
            seen += 1
    assert seen >= 30


# -- in the browser -----------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed (the offline Data Docs check needs it)")
        pytest.skip("chromium is not installed")
    return found


def load(chromium: str, page: Path, work: Path) -> tuple[str, list[str]]:
    """The DOM after the page's scripts ran, and every URL Chromium requested on a
    page's behalf that is not a file:// URL. Host names resolve to nothing."""
    work.mkdir(parents=True, exist_ok=True)
    netlog = work / "net.json"
    proc = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={work / 'profile'}",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--log-net-log={netlog}",
            "--virtual-time-budget=3000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout, page_requests(json.loads(netlog.read_text(encoding="utf-8")))


def page_requests(netlog: dict[str, Any]) -> list[str]:
    """Non-file URLs requested for a document (the browser's own update and account
    checks, initiated by no origin and keyed to no file:// page, are not the page's)."""
    start = netlog["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    out = []
    for event in netlog["events"]:
        params = event.get("params") or {}
        url = str(params.get("url", ""))
        if event["type"] != start or not url or url.startswith("file:"):
            continue
        own = params.get("initiator") == "not an origin"
        if not own or "file://" in str(params.get("network_isolation_key", "")):
            out.append(url)
    return out


@pytest.fixture(scope="module")
def loaded(
    site: Path, chromium: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[str, list[str], dict[str, Any]]]:
    """Every page of a probed copy of the site: (DOM, remote requests, probe report)."""
    root = tmp_path_factory.mktemp("browser")
    copy = root / "site"
    shutil.copytree(site, copy)
    out: dict[str, tuple[str, list[str], dict[str, Any]]] = {}
    for n, page in enumerate(pages(copy)):
        text = page.read_text(encoding="utf-8")
        assert text.count("</body>") == 1, page
        page.write_text(text.replace("</body>", PROBE + "</body>"), encoding="utf-8")
        dom, requests = load(chromium, page, root / f"run{n}")
        probe = PROBE_OUT.search(dom)
        report = json.loads(probe[1]) if probe else {}
        out[page.relative_to(copy).as_posix()] = (dom, requests, report)
    return out


def test_the_net_log_catches_a_page_that_calls_out(chromium: str, tmp_path: Path) -> None:
    control = tmp_path / "control.html"
    control.write_text(
        '<html><head><link rel="stylesheet" href="https://cdn.example.org/a.css">'
        '<script src="https://cdn.example.org/a.js"></script></head>'
        '<body><img src="http://img.example.org/x.png"></body></html>',
        encoding="utf-8",
    )
    _, requests = load(chromium, control, tmp_path / "run")
    assert sorted(requests) == [
        "http://img.example.org/x.png",
        "https://cdn.example.org/a.css",
        "https://cdn.example.org/a.js",
    ]


def test_no_page_requests_anything_off_the_machine(
    site: Path, loaded: dict[str, tuple[str, list[str], dict[str, Any]]]
) -> None:
    assert len(loaded) == len(pages(site))
    assert {page: requests for page, (_, requests, _) in loaded.items() if requests} == {}


def test_every_page_runs_its_scripts_and_loads_the_icon_font(
    loaded: dict[str, tuple[str, list[str], dict[str, Any]]],
) -> None:
    for page, (dom, _, report) in loaded.items():
        assert report.get("jquery") and report.get("table"), page
        if 'class="fas ' in dom:
            assert SOLID_ICONS in report["fonts"], page
    icons = [p for p, (dom, _, _) in loaded.items() if p.startswith("validations/")]
    assert all('class="fas fa-' in loaded[p][0] for p in icons)


def test_the_index_lists_every_run_with_its_status_icon(
    site: Path, loaded: dict[str, tuple[str, list[str], dict[str, Any]]]
) -> None:
    dom, _, report = loaded["index.html"]
    runs = validation_pages(site)
    # bootstrap-table builds the rows from the page's data in JS: rows prove it ran
    rows = re.findall(r'<tr class="clickable-row" data-href="(validations/[^"]+)"(.*?)</tr>', dom,
                      re.S)  # fmt: skip
    assert len(rows) == min(10, len(runs))  # the first page of the table
    assert f"of {len(runs)} rows" in dom
    for href, cells in rows:
        assert (site / href).is_file(), href
        assert re.search(r'<i class="fas fa-(?:times|check)', cells), href
    assert SOLID_ICONS in report["fonts"]


def test_a_remote_reference_ropa_does_not_ship_is_dropped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    page = tmp_path / "validations" / "k" / "run" / "t" / "p.html"
    text = (
        '<link rel="stylesheet" href="https://cdn.example.org/new.css">'
        '<script src="https://cdn.example.org/new.js" crossorigin="anonymous"></script>'
        '<script src="https://code.jquery.com/jquery-3.7.1.min.js" integrity="x"></script>'
        '<a href="https://greatexpectations.io/x?utm_source=datadocs">GX</a>'
        "<footer><a href='https://greatexpectations.io/newsletter'>Subscribe</a></footer>"
        '<link rel="shortcut icon" href="../../../static/images/favicon.ico">'
    )
    out = rewrite_page(text, page, tmp_path)
    assert out == (
        '<script src="../../../../static/vendor/jquery/jquery.min.js"></script>GX'
        '<link rel="shortcut icon" href="../../../../static/images/favicon.ico">'
    )
    assert "cdn.example.org/new.css" in caplog.text and "cdn.example.org/new.js" in caplog.text
