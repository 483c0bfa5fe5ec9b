"""What every reader hands on (``Batch``: an arrow table of text columns and the ``_row``
of each record), and the XLSX reader (openpyxl: read-only, cached values, first sheet).

stream.py reads files in batches (CSV itself; JSONL and Parquet through nested.py, XLSX
through this module); this module imports neither, so the readers form no import
cycle. Files are only ever opened for reading.
"""

from __future__ import annotations

import os
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

MB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """What ropa refuses to hand to a native reader. Each can be set in the environment
    (``ROPA_MAX_XLSX_MB``, ``ROPA_MAX_LINE_MB``, ``ROPA_MAX_DEPTH``, ``ROPA_MAX_COLUMNS``)."""

    xlsx_part_bytes: int = 512 * MB  # decompressed size of any part of a workbook
    # a JSONL line longer than this is skipped and counted; a CSV file with a header line
    # or a record longer than this is not read
    line_bytes: int = 16 * MB
    depth: int = 100  # JSON nesting levels of one record
    columns: int = 10_000  # columns of one file (a wide real export has a few hundred)


def limits() -> Limits:
    """The limits in force (defaults, or the environment's positive integers)."""

    def get(name: str, default: int, unit: int = 1) -> int:
        value = os.environ.get(name, "").strip()
        if value.isdigit() and int(value) > 0:
            return int(value) * unit
        return default

    base = Limits()
    return Limits(
        get("ROPA_MAX_XLSX_MB", base.xlsx_part_bytes, MB),
        get("ROPA_MAX_LINE_MB", base.line_bytes, MB),
        get("ROPA_MAX_DEPTH", base.depth),
        get("ROPA_MAX_COLUMNS", base.columns),
    )


def size_text(n: int) -> str:
    """A size in bytes as ropa's messages state limits: '16 MB', '1.2 GB'."""
    return f"{n / (1 << 30):.1f} GB" if n >= 1 << 30 else f"{max(n // MB, 1)} MB"


def over_limit(reason: str, variable: str) -> SourceError:
    """The refusal of a file over a limit: ``reason`` names the limit, and the message
    says how to raise it."""
    return SourceError(f"{reason} (set {variable} to raise it)")


def check_columns(count: int) -> None:
    """Refuse a file of more columns than the limit, before anything works per column."""
    cap = limits().columns
    if count > cap:
        raise over_limit(f"{count:,} columns, over the {cap:,} column limit", "ROPA_MAX_COLUMNS")


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
    _check_inflated(path)
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises KeyError, InvalidFileException, ...
        raise SourceError("not a readable Excel workbook") from None
    try:
        sheet = book.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # the real extent, not the declared <dimension>
        yield sheet.iter_rows()
    finally:
        book.close()


def _check_inflated(path: Path) -> None:
    """Refuse a workbook any part of which inflates past the limit (a zip bomb), from
    the sizes in the zip directory, before anything is decompressed. zipfile never
    inflates a part past its declared size, so the check holds for a lying one too."""
    cap = limits().xlsx_part_bytes
    try:
        with zipfile.ZipFile(path) as archive:
            biggest = max((info.file_size for info in archive.infolist()), default=0)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise SourceError("not a readable Excel workbook") from None
    if biggest > cap:
        raise over_limit(
            f"a part of the workbook inflates to {size_text(biggest)},"
            f" over the {size_text(cap)} limit",
            "ROPA_MAX_XLSX_MB",
        )


def _trimmed(values: list[str | None]) -> list[str | None]:
    """A row without its trailing empty cells (formatted but empty cells are no data)."""
    end = len(values)
    while end and not (values[end - 1] or "").strip():
        end -= 1
    return values[:end]


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
            values = _trimmed([_cell(c) for c in row])
            if values:
                check_columns(len(values))
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
            values = _trimmed([_cell(c) for c in row])
            if not values:
                continue
            if header is None:
                header, top = [v or "" for v in values], number
                continue
            data.append(values)
            rows.append(number - top)
    if header is None:
        raise SourceError("empty worksheet")
    widest = max([len(header), *(len(v) for v in data)])
    check_columns(widest)
    names, raw, problems = unique_names(header + [""] * (widest - len(header)))
    return text_table(data, names), raw, problems, np.array(rows, dtype=np.int64)
