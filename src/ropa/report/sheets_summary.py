"""The Summary sheet: key figures with links to every sheet, the chart of findings by
activity and severity, and the counts (``report.tables``) it is drawn from."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from xlsxwriter.utility import quote_sheetname
from xlsxwriter.worksheet import Worksheet

from ropa.coverage import rules_checked
from ropa.report.cells import _MAX_CELL, _height, _lines, _put, _values, escape_cell
from ropa.report.charts import SEVERITY_COLORS
from ropa.report.tables import (
    activity_severity_counts,
    change_table,
    key_figures,
    partly_judged,
    rule_counts,
)
from ropa.report.writer import _Writer
from ropa.result import AuditResult

_SUMMARY_WIDTHS = (30, 11, 18, 46, 10, 10)
_CHART_ROWS = 17


def _summary(w: _Writer, result: AuditResult, limit: int, sheets: Sequence[str]) -> None:
    """The key figures with links to every sheet, the chart of findings by activity
    and severity in view beside them, then the counts: by activity, by rule (worst
    first), the changes since the last audit, the rules not fully checked."""
    t = w.t
    sheet = t("sheets.summary")
    ws = w.sheet(sheet)
    for c, width in enumerate(_SUMMARY_WIDTHS):
        ws.set_column(c, c, width)
    findings = result.findings
    figures = key_figures(result).iloc[0]
    r = w.row(ws, 0, [t("summary.title")], w.title)
    policy = t("summary.policy_value", version=result.policy.version, path=result.policy_path)
    meta: list[tuple[str, Any]] = [
        ("audit_date", result.as_of),
        # The folder name only: an absolute path can carry a user name, and the report must
        # be the same wherever the audit ran (CLI or notebook).
        ("data_folder", Path(result.data_dir).resolve().name),
        ("inputs", figures["inputs"]),
        ("skipped", figures["skipped"]),
        ("policy", policy),
        ("engine", result.engine),
        ("findings", figures["findings"]),
        ("open", figures["open"]),
        ("accepted", figures["accepted"]),
        ("gaps", figures["gaps"]),
        ("rules_checked", rules_checked(result, w.lang)),
    ]
    if result.compared_with is not None:
        day = result.compared_with.isoformat()
        meta.append(("compared_with", t("summary.compared_value", day=day)))
    if len(findings) > limit:
        meta.append(("note", t("summary.note_value", limit=f"{limit:,}")))
    r = _key_figures(w, ws, r, meta, [s for s in sheets if s != sheet])

    pivot = activity_severity_counts(findings)
    if len(pivot):  # the chart below the key figures, its data below the chart
        _activity_chart(w, ws, sheet, pivot, r + 1, r + 3 + _CHART_ROWS)
        r += 1 + _CHART_ROWS
    top = w.row(ws, r + 1, [t("summary.by_activity")], w.bold)
    r = w.row(ws, top, [t("summary.activity"), *pivot.columns, t("summary.total")], w.header)
    for activity, values in pivot.iterrows():
        r = w.row(ws, r, [activity, *map(int, values), int(values.sum())])

    r = w.row(ws, r + 1, [t("summary.by_rule")], w.bold)
    keys = ["rule_id", "severity", "activity", "source"]
    counts = rule_counts(findings)
    r = w.table(
        ws,
        r,
        [t(f"summary.{k}") for k in ("rule", "severity", "activity", "source", "findings")],
        [_values(counts[c]) for c in [*keys, "findings"]],
    )
    r = w.row(ws, r, [t("summary.total"), None, None, None, int(counts["findings"].sum())], w.bold)

    if result.change_counts is not None and result.compared_with is not None:
        since = result.compared_with.isoformat()
        r = w.row(ws, r + 1, [t("summary.changes", day=since)], w.bold)
        counts_by = change_table(result)
        r = w.table(
            ws,
            r,
            [t(f"summary.{k}") for k in ("rule", "new", "persisting", "fixed", "accepted_col")],
            [_values(counts_by[c]) for c in ("rule_id", "new", "persisting", "fixed", "accepted")],
        )
    r = w.row(ws, r + 1, [t("summary.not_full")], w.bold)
    partly = partly_judged(result)
    if not len(partly):
        w.row(ws, r, [t("summary.all_judged")], w.note)
        w.page_setup(ws, r, len(_SUMMARY_WIDTHS) - 1)
        return
    judged = [
        coverage if checked else t("summary.not_checked")
        for coverage, checked in zip(partly["coverage"], partly["checked"], strict=True)
    ]
    r = w.table(
        ws,
        r,
        [t(f"summary.{k}") for k in ("rule", "severity", "checked", "not_evaluable", "reason")],
        [
            _values(partly["rule_id"]),
            _values(partly["severity"]),
            judged,
            _values(partly["not_evaluable"]),
            _values(partly["reason"]),
        ],
        wrap=True,
        widths=[*_SUMMARY_WIDTHS[:4], sum(_SUMMARY_WIDTHS[4:])],
    )
    w.page_setup(ws, r - 1, len(_SUMMARY_WIDTHS) - 1)


def _key_figures(
    w: _Writer, ws: Worksheet, r: int, meta: Sequence[tuple[str, Any]], sheets: Sequence[str]
) -> int:
    """Label and value (the date as an Excel date) down the left; beside them a link to
    every other sheet. Returns the next free row."""
    t = w.t
    value_width = sum(_SUMMARY_WIDTHS[1:3])
    links = [t("summary.sheets"), *sheets]
    for k in range(max(len(meta), len(links))):
        if k < len(meta):
            key, value = meta[k]
            if isinstance(value, str):
                value = escape_cell(value)[:_MAX_CELL]
            if _lines(value, value_width) > 1:
                ws.set_row(r, _height(_lines(value, value_width)))
            _put(ws, r, 0, t(f"summary.{key}"), w.bold)
            ws.merge_range(r, 1, r, 2, value, w.date if isinstance(value, date) else w.figure)
        if k == 0:
            _put(ws, r, 3, links[0], w.bold)
        elif k < len(links):
            ws.write_url(r, 3, f"internal:{quote_sheetname(links[k])}!A1", string=links[k])
        r += 1
    return r


def _activity_chart(
    w: _Writer, ws: Worksheet, sheet: str, pivot: pd.DataFrame, at: int, top: int
) -> None:
    """The stacked bars of findings per activity and severity, at row ``at`` across the
    Summary's columns; its data is the table whose header row is ``top``."""
    chart = w.wb.add_chart({"type": "bar", "subtype": "stacked"})
    last = top + len(pivot)
    for c, severity in enumerate(pivot.columns, start=1):
        chart.add_series(
            {
                "name": [sheet, top, c],
                "categories": [sheet, top + 1, 0, last, 0],
                "values": [sheet, top + 1, c, last, c],
                "fill": {"color": SEVERITY_COLORS.get(severity, "#999999")},
            }
        )
    chart.set_title({"name": w.t("summary.by_activity")})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"position": "bottom"})
    width = sum(int(c * 7 + 5) for c in _SUMMARY_WIDTHS[:5])
    chart.set_size({"width": width, "height": _CHART_ROWS * 20 - 10})
    ws.insert_chart(at, 0, chart)
