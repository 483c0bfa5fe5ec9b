"""A frame's data rows as worksheet XML, built by arrow kernels a whole column at a time.

xlsxwriter's ``constant_memory`` mode writes every cell through Python calls (about
ten per cell): 100,000 findings of 11 columns cost seconds, and the Findings sheet was
the slowest output of a large audit. For a frame whose columns are all text or whole
numbers, this module builds the very ``<row>`` elements xlsxwriter would write (inline
strings with its escapes, numbers as ``%.16G``, the row heights ``set_row`` gives) with
arrow kernels and hands them to the sheet's row stream in one write per block of rows.
``tests/test_sheet_rows.py`` holds the output to xlsxwriter's own, byte for byte, on
hostile text; a frame this does not cover (dates, booleans, fractions, text near
Excel's cell limit) is written cell by cell as before (``rows_xml`` returns None).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from ropa.report.cells import _height
from ropa.sources.common import SPACES, regex_class

_TEXT = pa.large_string()
_BLOCK_ROWS = 20_000
# xlsxwriter truncates text longer than this many UTF-16 units itself (``_utf16_truncate``)
_SAFE_LENGTH = 16_383
# a number xlsxwriter writes as ``{float(v):.16G}``: an integer's digits below this
_SAFE_INTEGER = 10**15
# xlsxwriter's own escapes of control characters (worksheet._escape_control_characters)
_ESCAPED_ESCAPE = "(_x[0-9a-fA-F]{4}_)"
_CONTROL = [chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20))]
_NON_CHARACTERS = {"\ufffe": "_xFFFE_", "\uffff": "_xFFFF_"}


# xlsxwriter decides ``xml:space="preserve"`` with Python's ``\s``, which is ``str.isspace``
_SPACE = regex_class(SPACES)
_PRESERVE = f"^{_SPACE}|{_SPACE}$"
_SPECIAL = regex_class(ord(c) for c in (*_CONTROL, *_NON_CHARACTERS))


def rows_xml(
    ws: Worksheet,
    first_row: int,
    columns: Sequence[list[Any]],
    ready: Sequence[bool],
    formats: Sequence[Any],
    lines: Sequence[int],
) -> list[str] | None:
    """The XML of the rows ``first_row``, ``first_row + 1``, ... holding ``columns``
    (missing cells as None), in blocks: a ``ready`` column holds cell strings ready to
    write (``cells._text_cells``), the others numbers; each cell in its column's
    ``formats``, each row as tall as its ``lines`` need. None, and nothing done, when
    xlsxwriter would write a value otherwise than this copies: text in a column not
    ready, text long enough for its own truncation, a rich string, a number not a
    small integer, a boolean, a date; or when the columns' formats differ (xlsxwriter
    numbers formats in the order cells first use them)."""
    if getattr(ws, "excel_version", 2007) != 2007 or not columns or not len(columns[0]):
        return None
    if len({id(fmt) for fmt in formats if fmt is not None}) > 1:
        return None
    typed = [_typed(values, is_text) for values, is_text in zip(columns, ready, strict=True)]
    if any(t is None for t in typed):
        return None
    ws._write_single_row(first_row)  # the header row goes out (and numbers its format) first
    fmt = next((f for f in formats if f is not None), None)
    style = "" if fmt is None else f' s="{fmt._get_xf_index()}"'
    cells = [
        (f'<c r="{xl_col_to_name(c)}', _tail(arr, is_text, style), pc.is_null(arr))
        for c, (arr, is_text) in enumerate(t for t in typed if t is not None)
    ]
    n = len(columns[0])
    row_text = pc.cast(pa.array(np.arange(first_row + 1, first_row + 1 + n)), _TEXT)
    heights = _height_attributes(ws, np.asarray(lines, dtype=np.int64))
    empty = functools.reduce(pc.and_, [missing for _, _, missing in cells])
    blocks = []
    for start in range(0, n, _BLOCK_ROWS):
        size = min(n, start + _BLOCK_ROWS) - start
        ref = row_text.slice(start, size)
        parts = [_join(_s('<row r="'), ref, _s('"'), heights.slice(start, size), _s(">"))]
        for head, tail, missing in cells:
            cell = _join(_s(head), ref, tail.slice(start, size))
            parts.append(pc.if_else(missing.slice(start, size), _s(""), cell))
        parts.append(_s("</row>"))
        row = pc.if_else(empty.slice(start, size), _s(""), _join(*parts))
        blocks.append("".join(row.to_pylist()))
    return blocks


def _s(text: str) -> pa.Scalar:
    return pa.scalar(text, _TEXT)


def _join(*parts: Any) -> pa.Array:
    return pc.binary_join_element_wise(*parts, _s(""))


def _typed(values: list[Any], is_text: bool) -> tuple[pa.Array, bool] | None:
    """A column as arrow text (``True``) or integers (``False``), if this module writes
    every value of it as xlsxwriter would; else None."""
    kinds = {type(v) for v in values if v is not None}
    if is_text and kinds <= {str}:
        text = pa.array(values, _TEXT)
        if len(text) and (pc.max(pc.utf8_length(text)).as_py() or 0) > _SAFE_LENGTH:
            return None
        rich = pc.and_(pc.starts_with(text, "<r>"), pc.ends_with(text, "</r>"))
        return None if pc.any(rich).as_py() else (text, True)  # rich: written raw
    if kinds <= {int}:  # exact types: a bool is not an int here
        numbers = pa.array(values, pa.int64())
        if len(numbers) and (pc.max(pc.abs(numbers)).as_py() or 0) >= _SAFE_INTEGER:
            return None
        return numbers, False
    return None


def _tail(values: pa.Array, is_text: bool, style: str) -> pa.Array:
    """Per row, a cell after its reference: ``" s="7"><v>12</v></c>`` or the inline
    string, escaped as xlsxwriter escapes it; null where the value is missing (the
    row leaves the cell out)."""
    if not is_text:
        return _join(_s(f'"{style}><v>'), pc.cast(values, _TEXT), _s("</v></c>"))
    text = values
    if pc.any(pc.match_substring_regex(text, _ESCAPED_ESCAPE)).as_py():
        text = pc.replace_substring_regex(text, _ESCAPED_ESCAPE, r"_x005F\1")
    if pc.any(pc.match_substring_regex(text, _SPECIAL)).as_py():
        for char in _CONTROL:
            text = pc.replace_substring(text, char, f"_x{ord(char):04X}_")
        for char, escape in _NON_CHARACTERS.items():
            text = pc.replace_substring(text, char, escape)
    preserve = pc.if_else(
        pc.match_substring_regex(text, _PRESERVE), _s(' xml:space="preserve"'), _s("")
    )
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        text = pc.replace_substring(text, char, entity)
    head = f'"{style} t="inlineStr"><is><t'
    return _join(_s(head), preserve, _s(">"), text, _s("</t></is></c>"))


def _height_attributes(ws: Worksheet, lines: np.ndarray) -> pa.Array:
    """Per row, the ``ht``/``customHeight`` attributes ``set_row(row, _height(lines))``
    gives it (none for a one-line row: the table sets no height there)."""
    text = np.full(len(lines), "", dtype=object)
    for count in np.unique(lines[lines > 1]):
        pixels = int(_height(int(count)) * 4.0 / 3.0 + 0.5)  # as set_row converts
        if pixels != ws.default_row_height:
            text[lines == count] = f' ht="{pixels * 0.75:.16g}" customHeight="1"'
    return pa.array(text, _TEXT)


def write_rows(ws: Worksheet, blocks: list[str], last_row: int) -> None:
    """Put ``blocks`` (from ``rows_xml``, which sent the pending header row out) into
    the sheet's row stream, and move its cursor and dimensions to ``last_row`` (the
    last row with a cell), so later cells continue as if written one by one."""
    for block in blocks:
        ws.fh.write(block)
    ws._check_dimensions(last_row, ws.dim_colmin or 0)
    ws.previous_row = max(ws.previous_row, last_row)
