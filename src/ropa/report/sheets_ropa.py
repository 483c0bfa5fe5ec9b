"""The ROPA sheet: the controller, then one printed page per activity, its Art. 30 fields
label by value, and in the audit workbook the retention evidence per activity."""

from __future__ import annotations

from typing import Any

import pandas as pd
from xlsxwriter.worksheet import Worksheet

from ropa.catalogue import catalogue
from ropa.coverage import FULL
from ropa.exceptions import open_findings
from ropa.policy.gaps import controller_rows, ropa_rows
from ropa.policy.model import Policy
from ropa.report.cells import _height, _lines, _put
from ropa.report.writer import _Writer
from ropa.result import AuditResult

# The ROPA prints portrait at 100 %: a label and a value column within A4's width.
_ROPA_WIDTHS = (27, 60)


def ropa_sheet(
    w: _Writer, policy: Policy, gaps: pd.DataFrame, result: AuditResult | None = None
) -> None:
    """The record: the controller block, then one block per activity (its Art. 30
    fields down the page, label and value), each starting a new printed page."""
    t = w.t
    ws = w.sheet(t("sheets.ropa"))
    headers, rows, _ = ropa_rows(policy, w.lang)
    not_stated = t("ropa.not_stated")
    if result is not None:  # the audit's evidence, per activity
        evidence = ropa_evidence(result, w.lang)
        headers = [*headers, *(t(f"ropa.evidence.{k}") for k in EVIDENCE_KEYS)]
        activity = t("ropa.columns.activity")
        rows = [{**row, **evidence[row[activity]]} for row in rows]
    for c, width in enumerate(_ROPA_WIDTHS):
        ws.set_column(c, c, width)
    r = w.row(ws, 0, [t("ropa.title")], w.title)
    for label, value in controller_rows(policy, w.lang):
        r = _pair(w, ws, r, label, value, w.gap if value == not_stated else w.wrap)
    _put(ws, r, 0, t("ropa.gaps_note", count=len(gaps)), w.note)
    r += 2
    breaks = []
    for row in rows:
        breaks.append(r)
        first, *fields = headers
        r = _pair(w, ws, r, first, row[first], w.card, w.header)
        for header in fields:
            value = row[header]
            r = _pair(w, ws, r, header, value, w.gap if value == not_stated else w.wrap)
        r += 1
    ws.set_h_pagebreaks(breaks)
    ws.freeze_panes(1, 0)
    w.page_setup(ws, r - 1, 1, landscape=False)


def _pair(
    w: _Writer, ws: Worksheet, r: int, label: str, value: Any, fmt: Any, label_fmt: Any = None
) -> int:
    """A label and its value on one row as tall as the longer of the two needs."""
    label_width, value_width = _ROPA_WIDTHS
    lines = max(_lines(label, label_width), _lines(value, value_width))
    if lines > 1:
        ws.set_row(r, _height(lines))
    _put(ws, r, 0, label, label_fmt or w.label)
    _put(ws, r, 1, value, fmt)
    return r + 1


# The ROPA's evidence columns: ``ropa.evidence.<key>`` in the catalogue.
EVIDENCE_KEYS = ("retained", "reasons", "open")
EVIDENCE_COLUMNS = tuple(catalogue("en")(f"ropa.evidence.{k}") for k in EVIDENCE_KEYS)


def ropa_evidence(result: AuditResult, lang: str = "en") -> dict[str, dict[str, str]]:
    """Per activity id, the ICO template's retention columns filled from the audit: yes /
    no with the open retention findings per rule, or why it could not be checked."""
    from ropa.rules import ALL_RULES

    t = catalogue(lang)

    day = result.as_of.isoformat()
    opened = open_findings(result.findings)
    status = {s.rule_id: s for s in result.rules}
    evidence = {}
    for activity in result.policy.activities:
        rules = [r for r in ALL_RULES if r.retention and r.activity == activity]
        counts = opened[opened["activity"].astype(str) == activity]["rule_id"].value_counts()
        checked = [r for r in rules if status.get(r.id) and status[r.id].checked]
        kept = [
            t("ropa.evidence.kept", rule=r.id, count=f"{int(counts[r.id]):,}")
            for r in rules
            if counts.get(r.id)
        ]
        if kept:
            answer = t("ropa.evidence.answer_no", day=day)
        elif not rules:
            answer = t("ropa.evidence.no_check")
        elif not checked:
            answer = t("ropa.evidence.not_checked", day=day)
        elif any(status[r.id].coverage != FULL for r in checked):
            answer = t("ropa.evidence.partly", day=day)
        else:
            answer = t("ropa.evidence.answer_yes", day=day)
        header = [t(f"ropa.evidence.{k}") for k in EVIDENCE_KEYS]
        evidence[activity] = dict(
            zip(header, (answer, "; ".join(kept), f"{int(counts.sum()):,}"), strict=True)
        )
    return evidence
