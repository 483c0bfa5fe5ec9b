"""The Excel outputs: the ROPA alone, and the full audit workbook.

Written with xlsxwriter in ``constant_memory`` mode: every sheet is written strictly
row by row, top to bottom, so 100,000 findings stream to disk at flat memory. Every
text cell is escaped as ``escape_cell`` does (a text column of a frame by arrow kernels,
all at once) because file names, headers and values come from exports anyone could
have edited (CSV/formula injection). The file appears atomically: it is built under a
temporary name in the target folder, then renamed.

Every sheet is set up to print on A4 (``_Writer.page_setup``): orientation, one page wide,
the header row on every page, the print area, and a header and footer with the audit date
and "page n of m". The ROPA prints one activity per page at 100 %; xlsxwriter does not
size rows to wrapped text, so row heights are estimated from the text (``cells._lines``).

The parts: ``report.cells`` (escaping, typed cells, wrapped lines), ``report.columns``
(a frame sheet's headers and widths), ``report.writer`` (formats, page setup, tables),
``report.sheets_summary``, ``report.sheets_ropa`` and ``report.sheets_audit`` (Trend,
Sources); the tables they show are built in ``report.tables``. This module opens the
workbook, saves it atomically and puts the sheets in order.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd
import xlsxwriter
from xlsxwriter.exceptions import FileCreateError

from ropa.atomic import PRIVATE, atomic_write
from ropa.catalogue import catalogue
from ropa.errors import UsageError
from ropa.policy.gaps import policy_gaps
from ropa.policy.model import Policy
from ropa.report.cells import escape_cell
from ropa.report.sheets_audit import _sources, _trend
from ropa.report.sheets_ropa import EVIDENCE_COLUMNS, EVIDENCE_KEYS, ropa_evidence, ropa_sheet
from ropa.report.sheets_summary import _summary
from ropa.report.writer import _Writer
from ropa.result import AuditResult

__all__ = [
    "EVIDENCE_COLUMNS",
    "EVIDENCE_KEYS",
    "FINDINGS_SHEET_LIMIT",
    "escape_cell",
    "ropa_evidence",
    "write_audit_workbook",
    "write_policy_workbook",
]

FINDINGS_SHEET_LIMIT = 100_000
_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


def _atomic_workbook(
    path: Path | str,
    build: Callable[[_Writer], None],
    created: date,
    lang: str = "en",
    stamp: str = "",
) -> Path:
    """Build the workbook under a temporary name beside ``path``, then rename it
    (``atomic_write``; 0600: it holds the findings, like findings.csv).

    xlsxwriter's own temporary files (one per sheet in constant_memory mode, then one
    per part while zipping; tens of MB for a large audit) go to a private folder beside
    the target, not to $TMPDIR, and that folder is removed whatever happens (an error,
    Ctrl-C, SIGTERM)."""
    target = Path(path)
    scratch = target.with_name(f".{target.name}.{secrets.token_hex(4)}.parts")

    def write(tmp: Path) -> None:
        scratch.mkdir()
        wb = xlsxwriter.Workbook(str(tmp), {**_OPTIONS, "tmpdir": str(scratch)})
        # A fixed creation date keeps the same audit byte-comparable across runs.
        wb.set_properties({"title": "ropa", "created": datetime.combine(created, time())})
        build(_Writer(wb, lang, stamp))
        wb.close()

    try:
        atomic_write(target, write, mode=PRIVATE)
    except (OSError, FileCreateError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc).splitlines()[0]
        raise UsageError(f"cannot write workbook: {reason}", target) from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return target


def write_policy_workbook(
    policy: Policy, path: Path | str, gaps: pd.DataFrame | None = None, *, lang: str = "en"
) -> Path:
    """The ROPA derived from the policy alone (no data needed), with its gaps; ``lang``
    ("en" or "nb") picks the language of the headings and of the policy's texts."""
    gaps = policy_gaps(policy) if gaps is None else gaps

    def build(w: _Writer) -> None:
        ropa_sheet(w, policy, gaps)
        w.frame("gaps", gaps, wrap=True)

    t = catalogue(lang)
    stamp = f"{t('ropa.controller.policy')} {policy.version}"
    return _atomic_workbook(path, build, policy.effective, lang, stamp)


def write_audit_workbook(
    result: AuditResult,
    path: Path | str,
    *,
    findings_limit: int = FINDINGS_SHEET_LIMIT,
    lang: str = "en",
) -> Path:
    """The audit report: Summary, ROPA, Data map, Findings, Coverage, Policy gaps, Sources.

    The Findings sheet holds at most ``findings_limit`` rows (then a note pointing to
    findings.csv): Excel users filter, they do not scroll a million rows. ``lang`` ("en"
    or "nb") picks the language of sheet names, headings and the policy's texts; the
    values (rule ids, fideslang keys, findings) stay as they are.
    """

    def build(w: _Writer) -> None:
        t = w.t
        keys = ["summary", "ropa", "data_map", "findings", "coverage"]
        keys += ["changes", "trend"] if result.changes is not None else []
        keys += ["exceptions", "gaps", "sources"]
        _summary(w, result, findings_limit, [t(f"sheets.{k}") for k in keys])
        ropa_sheet(w, result.policy, result.gaps, result)
        w.frame("data_map", result.data_map)
        w.frame("findings", result.findings, wrap=True, limit=findings_limit,
                note=t("findings_note"))  # fmt: skip
        w.frame("coverage", result.coverage, wrap=True)
        if result.changes is not None:
            w.frame("changes", result.changes, wrap=True)
            _trend(w, result)
        w.frame("exceptions", result.exceptions, wrap=True)
        w.frame("gaps", result.gaps, wrap=True)
        _sources(w, result)

    t = catalogue(lang)
    stamp = f"{t('summary.audit_date')} {result.as_of.isoformat()}"
    return _atomic_workbook(path, build, result.as_of, lang, stamp)
