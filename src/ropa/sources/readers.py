"""Read a sniffed file into a raw all-text frame plus the `_row` of every record.

CSV goes through pyarrow's multithreaded reader (every column as text, only empty cells
null, quoted line breaks allowed). The Python csv module is the fallback for files
pyarrow refuses: ragged rows, or text that is neither UTF-8 nor decodable by pyarrow.
XLSX is read with openpyxl (read-only, cached values, first sheet). JSONL and Parquet
live in nested.py. Files are only ever opened for reading.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ropa.errors import SourceError
from ropa.sources.common import STRING, plural, unique_names
from ropa.sources.detect import MIXED, Sniff, decode_mixed, has_utf8


@dataclass
class RawTable:
    frame: pd.DataFrame  # every column string[pyarrow], unique names
    raw: list[str]  # the header as in the file, one per frame column
    rows: np.ndarray  # `_row` of each record (int64)
    problems: list[str] = field(default_factory=list)
    encoding: str | None = None


def read(path: Path, sn: Sniff) -> RawTable:
    if sn.file_format == "csv":
        return read_csv(path, sn)
    if sn.file_format == "xlsx":
        return read_xlsx(path)
    from ropa.sources.nested import read_jsonl, read_parquet

    return read_jsonl(path) if sn.file_format == "jsonl" else read_parquet(path)


def arrow_to_frame(table: pa.Table) -> pd.DataFrame:
    return table.to_pandas(types_mapper=lambda t: STRING if t == pa.string() else None)


def read_csv(path: Path, sn: Sniff) -> RawTable:
    names, raw, problems = unique_names(sn.header)
    encoding = sn.encoding or "utf-8"
    block = 1 << 20
    while True:
        try:
            table = _arrow_csv(_source(path, encoding), sn, names, encoding, block)
            frame = arrow_to_frame(table)
            rows = np.arange(1, len(frame) + 1, dtype=np.int64)
            return RawTable(frame, raw, rows, problems + _note(encoding), encoding)
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            message = str(exc)
            if isinstance(exc, UnicodeDecodeError) or "UTF8" in message:
                if not encoding.startswith("utf-8") or encoding == MIXED:
                    break
                encoding = MIXED if has_utf8(path.read_bytes()) else "cp1252"
            elif "straddling" in message and block < path.stat().st_size:
                block = path.stat().st_size + 1  # a record longer than a block
            else:
                break
    return _python_csv(path, sn, names, raw, problems + _note(encoding), encoding)


def _note(encoding: str) -> list[str]:
    return ["mixed UTF-8 and cp1252 text (each part read as what it is)"] * (encoding == MIXED)


def _source(path: Path, encoding: str) -> Path | io.BytesIO:
    if encoding == MIXED:
        return io.BytesIO(decode_mixed(path.read_bytes()).encode("utf-8"))
    return path


def _arrow_csv(
    source: Path | io.BytesIO, sn: Sniff, names: list[str], encoding: str, block: int
) -> pa.Table:
    return pacsv.read_csv(
        source,
        read_options=pacsv.ReadOptions(
            column_names=names,
            skip_rows=sn.skip_lines,
            encoding="utf8" if encoding.startswith("utf-8") else encoding,
            block_size=block,
        ),
        parse_options=pacsv.ParseOptions(delimiter=sn.delimiter or ",", newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            null_values=[""],
            strings_can_be_null=True,
        ),
    )


def _python_csv(
    path: Path, sn: Sniff, names: list[str], raw: list[str], problems: list[str], encoding: str
) -> RawTable:
    """Slow path: rows with more or fewer fields than the header are kept and counted."""
    csv.field_size_limit(max(csv.field_size_limit(), path.stat().st_size))
    try:
        if encoding == MIXED:
            text = decode_mixed(path.read_bytes())
        else:
            text = path.read_bytes().decode("utf-8-sig" if encoding == "utf-8" else encoding)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=sn.delimiter or ",")
        records = list(reader)[sn.skip_lines :]
    except UnicodeDecodeError:
        raise SourceError("not valid UTF-8/cp1252 text") from None
    except csv.Error:
        raise SourceError("not readable as CSV (broken quoting)") from None
    records = [r for r in records if any(c.strip() for c in r)]
    width = len(names)
    short = sum(len(r) < width for r in records)
    long = sum(len(r) > width for r in records)
    widest = max([width, *(len(r) for r in records)])
    extra = [f"Unnamed: {i}" for i in range(width, widest)]
    if short:
        problems.append(f"{plural(short, 'row')} with fewer fields than the header")
    if long:
        problems.append(
            f"{plural(long, 'row')} with more fields than the header (kept as 'Unnamed: n')"
        )
    cols = {
        name: pd.array([r[i] if i < len(r) and r[i] != "" else None for r in records], STRING)
        for i, name in enumerate(names + extra)
    }
    frame = pd.DataFrame(cols, index=pd.RangeIndex(len(records)))
    rows = np.arange(1, len(records) + 1, dtype=np.int64)
    return RawTable(frame, raw + [""] * len(extra), rows, problems, encoding)


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


def read_xlsx(path: Path) -> RawTable:
    """First sheet; the first non-empty row is the header, `_row` counts sheet rows below it."""
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
    cols = {
        name: pd.array([r[i] if i < len(r) else None for r in data], STRING)
        for i, name in enumerate(names)
    }
    frame = pd.DataFrame(cols, index=pd.RangeIndex(len(data)))
    return RawTable(frame, raw, np.array(rows, dtype=np.int64), problems)
