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
size rows to wrapped text, so row heights are estimated from the text (``_lines``).
"""

from __future__ import annotations

import contextlib
import math
import numbers
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.utility import quote_sheetname, xl_range
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ropa.catalogue import catalogue
from ropa.coverage import FULL, rules_checked
from ropa.errors import UsageError
from ropa.exceptions import open_findings
from ropa.policy.gaps import controller_rows, policy_gaps, ropa_rows
from ropa.policy.model import Policy
from ropa.report.charts import SEVERITY_COLORS
from ropa.report.tables import (
    activity_severity_counts,
    change_table,
    partly_judged,
    rule_counts,
    source_table,
    trend_table,
    trend_totals,
)
from ropa.result import AuditResult

FINDINGS_SHEET_LIMIT = 100_000
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_PATTERN = "^[=+\\-@\t\r]"  # the same starts, for arrow's regex kernel
_TEXT = pd.StringDtype("pyarrow")
_MAX_CELL = 32_767  # Excel's limit on characters in a cell
_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}
_WIDTHS = {
    "rule_id": 24,
    "severity": 9,
    "activity": 15,
    "policy_ref": 16,
    "source": 32,
    "row": 7,
    "column": 20,
    "subject_key": 18,
    "detail": 56,
    "finding_id": 18,
    "exception": 14,
    "gap_id": 28,
    "reference": 34,
    "missing": 70,
    "suggested_fix": 60,
    "category": 28,
    "canonical": 18,
    "detected_by": 11,
    "declared": 9,
    "non_empty_share": 10,
    "rows": 9,
    "checked": 9,
    "flagged": 9,
    "not_evaluable": 13,
    "reason": 60,
    "kind": 22,
}
_PERCENT_COLUMNS = {"non_empty_share"}
# Tables and sheets named by their catalogue key, not by their (translated) title.
_TABLE_NAMES = {
    "data_map": "DataMap",
    "findings": "Findings",
    "coverage": "Coverage",
    "changes": "Changes",
    "exceptions": "Exceptions",
    "gaps": "PolicyGaps",
    "sources": "Sources",
}
_A4 = 9
_LINE_PT = 15.0  # one line of 11 pt text
_MAX_ROW_PT = 409.0  # Excel's tallest row
# Characters of 11 pt text per unit of column width: about 1.05 in Calibri (Excel), 1.2
# in the DejaVu Sans LibreOffice falls back to (its units are wider); the lower, so that
# no text is cut off.
_CHARS_PER_UNIT = 1.0
_BREAKS = re.compile(r"(?<=[ /])")  # where a wrapped line may end
# The ROPA prints portrait at 100 %: a label and a value column within A4's width.
_ROPA_WIDTHS = (27, 60)
_SUMMARY_WIDTHS = (30, 11, 18, 46, 10, 10)
_CHART_ROWS = 17
_SOURCE_WIDTHS = (40, 9, 24, 18, 8, 11, 10, 9, 60)


def escape_cell(value: Any) -> Any:
    """Make text that Excel would read as a formula inert by prefixing ``'``.

    Only strings change; numbers stay numbers. Tab and CR are included because some
    spreadsheet programs strip them and then evaluate what follows.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _put(ws: Worksheet, row: int, col: int, value: Any, fmt: Any = None) -> None:
    if value is None or value is pd.NA or value is pd.NaT:
        return
    if isinstance(value, bool | np.bool_):
        ws.write_boolean(row, col, bool(value), fmt)
    elif isinstance(value, numbers.Real):
        if math.isfinite(value):
            ws.write_number(row, col, float(value), fmt)
    else:
        text = value.isoformat() if isinstance(value, date | datetime) else str(value)
        ws.write_string(row, col, escape_cell(text)[:_MAX_CELL], fmt)


def _put_date(ws: Worksheet, row: int, col: int, value: Any, fmt: Any = None) -> None:
    """A date as an Excel date (``fmt`` gives its number format); anything else, and a
    time with a zone (Excel has none), as ``_put`` writes it."""
    if isinstance(value, date) and not (isinstance(value, datetime) and value.tzinfo):
        ws.write_datetime(row, col, value, fmt)
    else:
        _put(ws, row, col, value, fmt)


def _lines(text: Any, width: float) -> int:
    """The lines a wrapped cell ``width`` units wide needs for ``text``: its words set
    line by line as a spreadsheet wraps them (after a space or a ``/``), a word longer
    than a line broken where it must be."""
    if not isinstance(text, str):
        return 1
    per_line = max(1, int(width * _CHARS_PER_UNIT))
    lines = 0
    for paragraph in text.split("\n"):
        lines, used = lines + 1, 0
        for word in _BREAKS.split(paragraph):
            size = len(word)
            if used and used + size > per_line:
                lines, used = lines + 1, 0
            while size > per_line:
                lines, size = lines + 1, size - per_line
            used += size
    return lines


def _height(lines: int) -> float:
    return min(lines * _LINE_PT, _MAX_ROW_PT)


def _row_lines(columns: Sequence[list[Any]], widths: Sequence[float]) -> list[int]:
    """Per row, the lines its tallest wrapped cell needs; columns whose every text fits
    on one line are not measured cell by cell (100,000 findings)."""
    n = len(columns[0]) if columns else 0
    lines = [1] * n
    for values, width in zip(columns, widths, strict=False):
        per_line = max(1, int(width * _CHARS_PER_UNIT))
        if not any(isinstance(v, str) and (len(v) > per_line or "\n" in v) for v in values):
            continue
        for i, v in enumerate(values):
            if isinstance(v, str):
                lines[i] = max(lines[i], _lines(v, width))
    return lines


def _header_text(text: str) -> str:
    """Text for a page header or footer: ``&`` starts a code there, so it is doubled."""
    return text.replace("&", "&&")[:100]


class _Sheet(Worksheet):
    """A worksheet that may hold an Excel table in ``constant_memory`` mode.

    xlsxwriter refuses ``add_table`` there because the table writes its header cells
    through the shared-string table, which a streamed row cannot use. A table is only
    its range and column names: ``_Writer.table`` declares it before the header row and
    then writes the header cells itself, inline, over the ones the table wrote."""

    def add_table(self, *args: Any, **kwargs: Any) -> Any:
        streaming: bool = self.constant_memory  # type: ignore[has-type]
        self.constant_memory = False
        try:
            return super().add_table(*args, **kwargs)
        finally:
            self.constant_memory = streaming


def _values(column: pd.Series) -> list[Any]:
    """Python scalars with None for missing, so the writer loop needs no pandas calls."""
    return column.astype(object).where(column.notna(), None).tolist()


def _text_cells(column: pd.Series) -> list[str | None] | None:
    """A text column as cell strings, escaped as ``escape_cell`` does and cut to Excel's
    limit, by arrow kernels over the whole column (None for missing); None when the
    column is not text."""
    if not pd.api.types.is_string_dtype(column.dtype) or column.dtype == object:
        return None
    text = pc.cast(pa.array(column.astype(_TEXT).array), pa.large_string())
    formula = pc.fill_null(pc.match_substring_regex(text, _FORMULA_PATTERN), False)
    if pc.any(formula).as_py():
        quote, nothing = pa.scalar("'", pa.large_string()), pa.scalar("", pa.large_string())
        quoted = pc.binary_join_element_wise(quote, text, nothing)
        text = pc.if_else(formula, quoted, text)
    cells = text.to_pylist()
    if len(text) and (pc.max(pc.utf8_length(text)).as_py() or 0) > _MAX_CELL:
        cells = [None if v is None else v[:_MAX_CELL] for v in cells]
    return cells


class _Writer:
    """One workbook, its formats, and a row cursor per sheet (constant_memory order)."""

    def __init__(self, wb: Workbook, lang: str = "en", stamp: str = "") -> None:
        self.wb = wb
        self.lang = lang
        self.t = catalogue(lang)
        self.stamp = stamp  # the page header's right side: the audit (or policy) date
        base = {"valign": "top"}
        self.header = wb.add_format(
            {**base, "bold": True, "text_wrap": True, "bg_color": "#DDEBF7", "bottom": 1}
        )
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.bold = wb.add_format({**base, "bold": True})
        self.label = wb.add_format({**base, "bold": True, "text_wrap": True})
        self.wrap = wb.add_format({**base, "text_wrap": True})
        self.gap = wb.add_format({**base, "text_wrap": True, "bg_color": "#FCE4D6"})
        self.card = wb.add_format(
            {**base, "font_size": 12, "bg_color": "#DDEBF7", "bottom": 1, "text_wrap": True}
        )
        self.note = wb.add_format({"italic": True})
        self.date = wb.add_format({**base, "num_format": "yyyy-mm-dd", "align": "left"})
        self.percent = wb.add_format({**base, "num_format": "0.0%"})
        self.figure = wb.add_format({**base, "text_wrap": True, "align": "left"})

    def sheet(self, name: str) -> Worksheet:
        return self.wb.add_worksheet(name, worksheet_class=_Sheet)

    def page_setup(
        self,
        ws: Worksheet,
        last_row: int,
        last_col: int,
        *,
        header_row: int = 0,
        landscape: bool = True,
        fit: bool = True,
    ) -> None:
        """A4, one page wide (``fit``) and as many tall as it takes, ``header_row``
        repeated on every page, rows 0 to ``last_row`` and columns 0 to ``last_col``
        printed; the sheet's name, the audit date and "page n of m" on every page."""
        ws.set_paper(_A4)
        if landscape:
            ws.set_landscape()
        else:
            ws.set_portrait()
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        if fit:
            ws.fit_to_pages(1, 0)
        ws.repeat_rows(header_row)
        ws.print_area(0, 0, max(last_row, header_row), last_col)
        ws.set_header(f"&L&A&R{_header_text(self.stamp)}", {"margin": 0.3})
        ws.set_footer(f"&C{self.t('print.page')}", {"margin": 0.3})

    def row(self, ws: Worksheet, r: int, values: Iterable[Any], fmt: Any = None) -> int:
        for c, value in enumerate(values):
            _put(ws, r, c, value, fmt)
        return r + 1

    def table(
        self,
        ws: Worksheet,
        r: int,
        headers: Sequence[str],
        columns: Sequence[list[Any]],
        *,
        name: str = "",
        wrap: bool = False,
        widths: Sequence[float] = (),
        cells: Sequence[bool] = (),
        formats: Sequence[Any] = (),
    ) -> int:
        """A header row plus data rows; returns the next free row.

        A ``name`` makes the rows an Excel table of that name (filter buttons, banded
        rows) under a frozen header: a sheet's main table; the small Summary tables
        have none. With ``wrap``, text wraps and each row is as tall as the ``widths``
        of its columns need. A column marked in ``cells`` holds strings ready to write
        (``_text_cells``) or None: its cells go straight to ``write_string``, the rest
        through ``_put``. ``formats`` gives a column's number format: ``self.date``
        writes its dates as Excel dates.
        """
        n = len(columns[0]) if columns else 0
        if name:
            ws.add_table(
                r,
                0,
                r + max(n, 1),
                len(headers) - 1,
                {
                    "name": name,
                    "style": "Table Style Light 1",
                    "columns": [{"header": escape_cell(h)} for h in headers],
                },
            )
            ws.freeze_panes(r + 1, 0)
        if widths:
            header_lines = [_lines(h, w) for h, w in zip(headers, widths, strict=True)]
            ws.set_row(r, _height(max(header_lines)))
        self.row(ws, r, headers, self.header)
        plain = self.wrap if wrap else None
        put = partial(_put, ws)
        kinds = [*cells, *([False] * (len(columns) - len(cells)))]
        fmts = [*formats, *([None] * (len(columns) - len(formats)))]
        writers = [
            ws.write_string if ready else partial(_put_date, ws) if fmt is self.date else put
            for ready, fmt in zip(kinds, fmts, strict=True)
        ]
        fmts = [plain if fmt is None else fmt for fmt in fmts]
        lines = _row_lines(columns, widths) if wrap and widths else [1] * n
        # row by row (constant_memory), missing cells skipped: 100,000 findings x 11
        for i, values in enumerate(zip(*columns, strict=True), start=r + 1):
            if lines[i - r - 1] > 1:
                ws.set_row(i, _height(lines[i - r - 1]))
            for c, value in enumerate(values):
                if value is not None:
                    writers[c](i, c, value, fmts[c])
        return r + 1 + n

    def frame(
        self,
        key: str,
        frame: pd.DataFrame,
        wrap: bool = False,
        limit: int | None = None,
        note: str = "",
    ) -> Worksheet:
        """The sheet ``sheets.<key>`` holding a DataFrame as an Excel table; rows past
        ``limit`` are left out with a note."""
        ws = self.sheet(self.t(f"sheets.{key}"))
        shown = frame if limit is None or len(frame) <= limit else frame.iloc[:limit]
        widths = [_WIDTHS.get(str(column), 16) for column in frame.columns]
        for c, width in enumerate(widths):
            ws.set_column(c, c, width)
        texts = [_text_cells(shown[c]) for c in frame.columns]
        end = self.table(
            ws,
            0,
            [self.t.column(c) for c in frame.columns],
            [
                _values(shown[c]) if t is None else t
                for c, t in zip(frame.columns, texts, strict=True)
            ],
            name=_TABLE_NAMES[key],
            wrap=wrap,
            widths=widths,
            cells=[t is not None for t in texts],
            formats=[self._format(shown[c]) for c in frame.columns],
        )
        if len(shown) < len(frame):
            end = self.row(ws, end, [note.format(shown=len(shown), total=len(frame))], self.note)
        self.page_setup(ws, end - 1, len(frame.columns) - 1)
        return ws

    def _format(self, column: pd.Series) -> Any:
        """Shares as percentages, dates as dates, the rest as written."""
        if column.name in _PERCENT_COLUMNS:
            return self.percent
        if column.dtype == object and column.map(lambda v: isinstance(v, date)).any():
            return self.date
        return None

    def ropa(self, policy: Policy, gaps: pd.DataFrame, result: AuditResult | None = None) -> None:
        """The record: the controller block, then one block per activity (its Art. 30
        fields down the page, label and value), each starting a new printed page."""
        t = self.t
        ws = self.sheet(t("sheets.ropa"))
        headers, rows, _ = ropa_rows(policy, self.lang)
        not_stated = t("ropa.not_stated")
        if result is not None:  # the audit's evidence, per activity
            evidence = ropa_evidence(result, self.lang)
            headers = [*headers, *(t(f"ropa.evidence.{k}") for k in EVIDENCE_KEYS)]
            activity = t("ropa.columns.activity")
            rows = [{**row, **evidence[row[activity]]} for row in rows]
        for c, width in enumerate(_ROPA_WIDTHS):
            ws.set_column(c, c, width)
        r = self.row(ws, 0, [t("ropa.title")], self.title)
        for label, value in controller_rows(policy, self.lang):
            r = self._pair(ws, r, label, value, self.gap if value == not_stated else self.wrap)
        _put(ws, r, 0, t("ropa.gaps_note", count=len(gaps)), self.note)
        r += 2
        breaks = []
        for row in rows:
            breaks.append(r)
            first, *fields = headers
            r = self._pair(ws, r, first, row[first], self.card, self.header)
            for header in fields:
                value = row[header]
                r = self._pair(ws, r, header, value, self.gap if value == not_stated else self.wrap)
            r += 1
        ws.set_h_pagebreaks(breaks)
        ws.freeze_panes(1, 0)
        self.page_setup(ws, r - 1, 1, landscape=False)

    def _pair(
        self, ws: Worksheet, r: int, label: str, value: Any, fmt: Any, label_fmt: Any = None
    ) -> int:
        """A label and its value on one row as tall as the longer of the two needs."""
        label_width, value_width = _ROPA_WIDTHS
        lines = max(_lines(label, label_width), _lines(value, value_width))
        if lines > 1:
            ws.set_row(r, _height(lines))
        _put(ws, r, 0, label, label_fmt or self.label)
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


def _discard(tmp: Path) -> None:
    with contextlib.suppress(OSError):
        tmp.unlink(missing_ok=True)


def _atomic_workbook(
    path: Path | str,
    build: Callable[[_Writer], None],
    created: date,
    lang: str = "en",
    stamp: str = "",
) -> Path:
    """Build the workbook under a temporary name beside ``path``, then rename it.

    xlsxwriter's own temporary files (one per sheet in constant_memory mode, then one
    per part while zipping; tens of MB for a large audit) go to a private folder beside
    the target, not to $TMPDIR, and that folder is removed whatever happens (an error,
    Ctrl-C, SIGTERM)."""
    target = Path(path)
    token = secrets.token_hex(4)
    tmp = target.with_name(f".{target.name}.{token}.tmp")
    scratch = target.with_name(f".{target.name}.{token}.parts")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        scratch.mkdir()
        wb = xlsxwriter.Workbook(str(tmp), {**_OPTIONS, "tmpdir": str(scratch)})
        # A fixed creation date keeps the same audit byte-comparable across runs.
        wb.set_properties({"title": "ropa", "created": datetime.combine(created, time())})
        build(_Writer(wb, lang, stamp))
        wb.close()
        os.chmod(tmp, 0o600)  # it holds the findings, like findings.csv
        os.replace(tmp, target)
    except (OSError, FileCreateError) as exc:
        _discard(tmp)
        reason = getattr(exc, "strerror", None) or str(exc).splitlines()[0]
        raise UsageError(f"cannot write workbook: {reason}", target) from None
    except BaseException:
        _discard(tmp)
        raise
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
        w.ropa(policy, gaps)
        w.frame("gaps", gaps, wrap=True)

    t = catalogue(lang)
    stamp = f"{t('ropa.controller.policy')} {policy.version}"
    return _atomic_workbook(path, build, policy.effective, lang, stamp)


def _summary(w: _Writer, result: AuditResult, limit: int, sheets: Sequence[str]) -> None:
    """The key figures with links to every sheet, the chart of findings by activity
    and severity in view beside them, then the counts: by activity, by rule (worst
    first), the changes since the last audit, the rules not fully checked."""
    t = w.t
    sheet = t("sheets.summary")
    ws = w.sheet(sheet)
    for c, width in enumerate(_SUMMARY_WIDTHS):
        ws.set_column(c, c, width)
    findings, inv = result.findings, result.inventory
    open_count = len(open_findings(findings))
    r = w.row(ws, 0, [t("summary.title")], w.title)
    policy = t("summary.policy_value", version=result.policy.version, path=result.policy_path)
    meta: list[tuple[str, Any]] = [
        ("audit_date", result.as_of),
        # The folder name only: an absolute path can carry a user name, and the report must
        # be the same wherever the audit ran (CLI or notebook).
        ("data_folder", Path(result.data_dir).resolve().name),
        ("inputs", len(inv.sources)),
        ("skipped", len(inv.skipped)),
        ("policy", policy),
        ("engine", result.engine),
        ("findings", len(findings)),
        ("open", open_count),
        ("accepted", len(findings) - open_count),
        ("gaps", len(result.gaps)),
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


def _trend(w: _Writer, result: AuditResult) -> None:
    """Open findings per rule at every audit date: one row per rule (critical first) with
    a sparkline on the rule's own scale, and a stacked chart of the open findings per
    audit by severity (the totals and what they are made of)."""
    from ropa.policy.model import SEVERITIES

    trend = result.trend
    assert trend is not None
    t = w.t
    sheet = t("sheets.trend")
    ws = w.sheet(sheet)
    rules = trend_table(trend)
    dates = list(rules.columns[2:])
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 10)
    ws.set_column(2, 1 + len(dates), 11)
    ws.set_column(2 + len(dates), 2 + len(dates), 24)
    r = w.row(ws, 0, [t("trend.title")], w.title)
    top = r
    w.table(
        ws,
        top,
        [t("summary.rule"), t("summary.severity"), *dates, t("trend.trend")],
        [*(_values(rules[c]) for c in rules.columns), [None] * len(rules)],
    )
    last = top + len(rules)
    for i in range(len(rules)):
        row = top + 1 + i
        ws.add_sparkline(
            row,
            2 + len(dates),
            {
                "range": quote_sheetname(sheet) + "!" + xl_range(row, 2, row, 1 + len(dates)),
                "markers": True,
                "high_point": True,
                "series_color": "#4472C4",
            },
        )
    # totals per severity and audit, below the rule table, for the chart
    r = w.row(ws, last + 2, [t("trend.by_severity")], w.bold)
    head = r
    r = w.row(ws, head, [t("trend.audit_date"), *SEVERITIES, t("summary.total")], w.header)
    for values in trend_totals(trend).itertuples(index=False):
        r = w.row(ws, r, values)
    chart = w.wb.add_chart({"type": "column", "subtype": "stacked"})
    for c, sev in enumerate(SEVERITIES, start=1):
        chart.add_series(
            {
                "name": [sheet, head, c],
                "categories": [sheet, head + 1, 0, r - 1, 0],
                "values": [sheet, head + 1, c, r - 1, c],
                "fill": {"color": SEVERITY_COLORS[sev]},
                "gap": 60,
            }
        )
    chart.set_title({"name": t("trend.chart")})
    chart.set_x_axis({"name": t("trend.audit_date")})
    chart.set_y_axis({"name": t("trend.open"), "min": 0})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": 620, "height": 340})
    ws.insert_chart(r + 1, 0, chart)
    # portrait: the rule table, the totals and the chart on one page
    w.page_setup(ws, r + 1 + 17, 2 + len(dates), header_row=top, landscape=False)


def _sources(w: _Writer, result: AuditResult) -> None:
    t = w.t
    ws = w.sheet(t("sheets.sources"))
    for c, width in enumerate(_SOURCE_WIDTHS):
        ws.set_column(c, c, width)
    names = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
    names = {k: t(f"sources.{v}") for k, v in names.items()}
    table = source_table(result.inventory)
    status = {"read": t("sources.read"), "skipped": t("sources.skipped")}
    delimiters = [names.get(d or "", d) for d in table["delimiter"]]
    keys = ["file", "status", "kind", "activity", "format", "encoding", "delimiter", "rows"]
    headers = [t(f"sources.{k}") for k in [*keys, "problems"]]
    end = w.table(
        ws,
        0,
        headers,
        [
            _values(table["file"]),
            [status[v] for v in table["status"]],
            *(_values(table[c]) for c in ("kind", "activity", "format", "encoding")),
            delimiters,
            _values(table["rows"]),
            _values(table["problems"]),
        ],
        name=_TABLE_NAMES["sources"],
        wrap=True,
        widths=_SOURCE_WIDTHS,
    )
    w.page_setup(ws, end - 1, len(headers) - 1)


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
        w.ropa(result.policy, result.gaps, result)
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
