"""The workbook writer: its formats, A4 page setup, and rows and tables written top to
bottom (xlsxwriter's ``constant_memory`` mode)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from functools import partial
from typing import Any

import pandas as pd
from xlsxwriter.utility import xl_range
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ropa.catalogue import catalogue
from ropa.report.cells import (
    _header_text,
    _height,
    _lines,
    _put,
    _put_date,
    _row_lines,
    _text_cells,
    _values,
    escape_cell,
)
from ropa.report.columns import _PERCENT_COLUMNS, _TABLE_NAMES, frame_columns
from ropa.report.sheet_rows import rows_xml, write_rows

_A4 = 9


def _last_filled(columns: Sequence[list[Any]]) -> int:
    """The 1-based position of the last row with any cell (0 for none)."""
    for i in range(len(columns[0]), 0, -1):
        if any(column[i - 1] is not None for column in columns):
            return i
    return 0


class _Sheet(Worksheet):
    """A worksheet that may hold an Excel table in ``constant_memory`` mode.

    xlsxwriter refuses ``add_table`` there because the table writes its header cells
    through the shared-string table, which a streamed row cannot use. A table is only
    its range and column names: ``_Writer.table`` declares it before the header row and
    then writes the header cells itself, inline, over the ones the table wrote.

    xlsxwriter also records every cell of a table's range, to refuse a later table or
    merged range over it (a million entries for 100,000 findings, a second of work):
    ropa puts one table on a sheet and merges no cells there (checked here), so the
    table is declared over its header and first row and then given its whole range,
    the ranges ``add_table`` itself would have set."""

    def add_table(
        self, first_row: int, first_col: int, last_row: int, last_col: int, options: Any
    ) -> Any:
        if self.tables or self.merge:
            raise ValueError("ropa writes one table per sheet, on a sheet without merged cells")
        streaming: bool = self.constant_memory  # type: ignore[has-type]
        self.constant_memory = False
        try:
            got = super().add_table(
                first_row, first_col, min(last_row, first_row + 1), last_col, options
            )
        finally:
            self.constant_memory = streaming
        last_data = last_row - (1 if options.get("total_row") else 0)
        table = self.tables[-1]
        table["range"] = xl_range(first_row, first_col, last_row, last_col)
        table["a_range"] = xl_range(first_row, first_col, last_data, last_col)
        if "autofilter" in table:
            table["autofilter"] = table["a_range"]
        return got


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
        # 100,000 findings x 11: built as XML by arrow kernels where every cell is text
        # or a whole number (the bytes xlsxwriter writes), else written cell by cell
        blocks = rows_xml(ws, r + 1, columns, kinds, fmts, lines)
        if blocks is not None:
            write_rows(ws, blocks, r + _last_filled(columns))
            return r + 1 + n
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
        headers, widths = frame_columns(self.t, frame.columns)
        for c, width in enumerate(widths):
            ws.set_column(c, c, width)
        texts = [_text_cells(shown[c]) for c in frame.columns]
        end = self.table(
            ws,
            0,
            headers,
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
