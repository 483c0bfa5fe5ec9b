"""Cells of the workbook: text made inert (formula injection), values written by type,
and the lines a wrapped cell needs (xlsxwriter does not size rows to wrapped text)."""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from xlsxwriter.worksheet import Worksheet

from ropa.dtypes import STRING

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_PATTERN = "^[=+\\-@\t\r]"  # the same starts, for arrow's regex kernel
_MAX_CELL = 32_767  # Excel's limit on characters in a cell
_LINE_PT = 15.0  # one line of 11 pt text
_MAX_ROW_PT = 409.0  # Excel's tallest row
# Characters of 11 pt text per unit of column width: about 1.05 in Calibri (Excel), 1.2
# in the DejaVu Sans LibreOffice falls back to (its units are wider); the lower, so that
# no text is cut off.
_CHARS_PER_UNIT = 1.0
_BREAKS = re.compile(r"(?<=[ /])")  # where a wrapped line may end


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
    on one line are not measured, the others once per distinct text (100,000 findings
    share a few hundred details)."""
    n = len(columns[0]) if columns else 0
    lines = np.ones(n, dtype=np.int64)
    for values, width in zip(columns, widths, strict=False):
        per_line = max(1, int(width * _CHARS_PER_UNIT))
        texts = [v if isinstance(v, str) else "" for v in values]
        distinct = {v: 0 for v in texts}
        if not any(len(v) > per_line or "\n" in v for v in distinct):
            continue
        for text in distinct:
            distinct[text] = _lines(text, width)
        lines = np.maximum(lines, np.fromiter(map(distinct.__getitem__, texts), np.int64, n))
    return lines.tolist()


def _header_text(text: str) -> str:
    """Text for a page header or footer: ``&`` starts a code there, so it is doubled."""
    return text.replace("&", "&&")[:100]


def _values(column: pd.Series) -> list[Any]:
    """Python scalars with None for missing, so the writer loop needs no pandas calls."""
    return column.astype(object).where(column.notna(), None).tolist()


def _text_cells(column: pd.Series) -> list[str | None] | None:
    """A text column as cell strings, escaped as ``escape_cell`` does and cut to Excel's
    limit, by arrow kernels over the whole column (None for missing); None when the
    column is not text."""
    if not pd.api.types.is_string_dtype(column.dtype) or column.dtype == object:
        return None
    text = pc.cast(pa.array(column.astype(STRING).array), pa.large_string())
    formula = pc.fill_null(pc.match_substring_regex(text, _FORMULA_PATTERN), False)
    if pc.any(formula).as_py():
        quote, nothing = pa.scalar("'", pa.large_string()), pa.scalar("", pa.large_string())
        quoted = pc.binary_join_element_wise(quote, text, nothing)
        text = pc.if_else(formula, quoted, text)
    cells = text.to_pylist()
    if len(text) and (pc.max(pc.utf8_length(text)).as_py() or 0) > _MAX_CELL:
        cells = [None if v is None else v[:_MAX_CELL] for v in cells]
    return cells
