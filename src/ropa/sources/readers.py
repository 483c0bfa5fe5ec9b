"""What every reader hands on (``Batch``: an arrow table of text columns and the ``_row``
of each record), and the XLSX reader (openpyxl: read-only, cached values, first sheet).

stream.py reads files in batches (CSV itself; JSONL and Parquet through nested.py, XLSX
through this module); this module imports neither, so the readers form no import
cycle. Files are only ever opened for reading.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ropa.errors import SourceError
from ropa.sources.common import unique_names

TEXT = pa.large_string()  # text as read (what pandas' string dtype holds: no copy later)


@dataclass
class Batch:
    """Records read from a file: text columns with unique names (integers too, when
    asked), the ``_row`` of each record and the header as in the file."""

    table: pa.Table
    rows: np.ndarray  # `_row` of each record (int64)
    raw: list[str]  # the header as in the file, one per column


def text_table(records: list[list[Any]], names: list[str]) -> pa.Table:
    """Python rows (lists, possibly ragged) as a table of text columns; '' and missing
    cells are null."""
    return pa.table(
        {
            name: pa.array(
                [r[i] if i < len(r) and r[i] != "" else None for r in records], type=TEXT
            )
            for i, name in enumerate(names)
        }
    )


def plain_text(table: pa.Table) -> pa.Table:
    """Dictionary-encoded text columns decoded (what a pandas string column holds)."""
    columns = [
        pc.cast(col, pa.large_string()) if pa.types.is_dictionary(col.type) else col
        for col in table.columns
    ]
    return pa.table(columns, names=table.column_names)


@contextmanager
def _sheet(path: Path) -> Iterator[Iterator[tuple[Any, ...]]]:
    if not zipfile.is_zipfile(path):
        raise SourceError("xlsx is not a zip file (password-protected or not Excel?)")
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises KeyError, InvalidFileException, ...
        raise SourceError("not a readable Excel workbook") from None
    try:
        yield book.worksheets[0].iter_rows()
    finally:
        book.close()


def _cell(cell: Any) -> str | None:
    value = cell.value
    if value is None:
        return None
    if isinstance(value, datetime):
        fmt = str(getattr(cell, "number_format", "") or "").lower()
        if value.time() == time(0) and "h" not in fmt:
            return value.date().isoformat()  # a date cell: a calendar date
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if text != "" else None


def xlsx_header(path: Path) -> list[str]:
    with _sheet(path) as rows:
        for row in rows:
            values = [_cell(c) for c in row]
            if any(v is not None and v.strip() for v in values):
                return [v or "" for v in values]
    raise SourceError("empty worksheet")


def xlsx_table(path: Path) -> tuple[pa.Table, list[str], list[str], np.ndarray]:
    """First sheet; the first non-empty row is the header, `_row` counts sheet rows below
    it. Returns the text table, the header as in the file, notes and the `_row`s."""
    header: list[str] | None = None
    data: list[list[str | None]] = []
    rows: list[int] = []
    with _sheet(path) as sheet:
        for number, row in enumerate(sheet, start=1):
            values = [_cell(c) for c in row]
            if not any(v is not None and v.strip() for v in values):
                continue
            if header is None:
                header, top = [v or "" for v in values], number
                continue
            data.append(values)
            rows.append(number - top)
    if header is None:
        raise SourceError("empty worksheet")
    widest = max([len(header), *(len(v) for v in data)])
    names, raw, problems = unique_names(header + [""] * (widest - len(header)))
    return text_table(data, names), raw, problems, np.array(rows, dtype=np.int64)
