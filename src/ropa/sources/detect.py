"""Find out how a file is stored: type, encoding, delimiter and header.

Which export a header is (its kind) is ``sources/kinds.py``.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

from ropa.errors import SourceError
from ropa.sources.readers import check_columns, limits, over_limit, size_text, xlsx_header

FORMATS = {
    ".csv": "csv", ".tsv": "csv", ".txt": "csv",
    ".xlsx": "xlsx", ".xlsm": "xlsx",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".parquet": "parquet", ".pq": "parquet",
}  # fmt: skip
_SAMPLE = 1 << 16
_DELIMITERS = (",", ";", "\t")
_LINE_END = re.compile(rb"[\r\n]")
_SEP_LINE = re.compile(rb"(?:\xef\xbb\xbf)?sep=.(?:\r\n|\r|\n)")
_UTF8_CHAR = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
MIXED = "utf-8+cp1252"


@dataclass
class Sniff:
    """How a file is stored: enough to read it and to recognise its kind."""

    file_format: str  # csv, xlsx, jsonl, parquet
    header: list[str]
    encoding: str | None = None
    delimiter: str | None = None
    skip_lines: int = 1  # csv: lines before the first record (header, Excel "sep=")


def sniff(path: Path) -> Sniff:
    """Type, encoding, delimiter and header of ``path``; SourceError(reason) if unreadable."""
    ext = path.suffix.lower()
    fmt = FORMATS.get(ext)
    if fmt is None:
        if ext == ".xls":
            raise SourceError("legacy Excel .xls is not supported (save it as .xlsx)")
        raise SourceError(f"unsupported file type '{ext}'" if ext else "file has no extension")
    if path.stat().st_size == 0:
        raise SourceError("empty file")
    if fmt == "xlsx":
        return Sniff("xlsx", xlsx_header(path))
    if fmt == "parquet":
        header = _parquet_header(path)
        check_columns(len(header))
        return Sniff("parquet", header)
    with path.open("rb") as fh:
        sample = fh.read(_SAMPLE)
        if fmt == "csv":
            sample = _whole_header(fh, sample)
        complete = not fh.read(1)
    encoding, text = _decode(sample, complete)
    if not text.strip():
        raise SourceError("empty file")
    if fmt == "jsonl":
        header = _jsonl_header(text)
        check_columns(len(header))
        return Sniff("jsonl", header, encoding="utf-8")
    return _csv_sniff(text, encoding, ext)


def _whole_header(fh: BinaryIO, sample: bytes) -> bytes:
    """``sample`` read on until it holds the whole header line (a header of thousands of
    long names outgrows the 64 KB sample); a header line over the line limit is refused."""
    cap = limits().line_bytes
    while (end := _header_end(sample)) is None and len(sample) <= cap:
        more = fh.read(len(sample))
        if not more:
            break
        sample += more
    if (len(sample) if end is None else end) > cap:
        raise over_limit(
            f"the header line is longer than the {size_text(cap)} line limit", "ROPA_MAX_LINE_MB"
        )
    return sample


def _header_end(sample: bytes) -> int | None:
    """Where the header line ends (after an Excel "sep=" line), None if not in sample."""
    hint = _SEP_LINE.match(sample)
    found = _LINE_END.search(sample, hint.end() if hint else 0)
    return found.start() if found else None


def _cp1252_part(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeDecodeError)
    return exc.object[exc.start : exc.end].decode("cp1252", errors="replace"), exc.end


codecs.register_error("ropa-cp1252", _cp1252_part)


def decode_mixed(data: bytes) -> str:
    """UTF-8, with any byte that is not valid UTF-8 read as cp1252."""
    return data.decode("utf-8-sig", errors="ropa-cp1252")


def has_utf8(data: bytes) -> bool:
    """True when ``data`` holds at least one multi-byte UTF-8 character."""
    return _UTF8_CHAR.search(data) is not None


def utf16(sample: bytes) -> str | None:
    """The UTF-16 codec of a text sample, None if it is not UTF-16: by its BOM (Excel's
    "Unicode text"), or else by its NUL bytes, which in UTF-16 text of mostly Latin
    letters, digits and punctuation are the high byte of every other byte pair."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # the codec reads the BOM and drops it
    if b"\x00" not in sample:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    pairs = len(sample) // 2
    if odd >= max(pairs / 3, 1) and even <= odd / 20:
        return "utf-16-le"
    if even >= max(pairs / 3, 1) and odd <= even / 20:
        return "utf-16-be"
    return None


def _decode(sample: bytes, complete: bool) -> tuple[str, str]:
    wide = utf16(sample)
    if wide:
        try:
            return wide, codecs.getincrementaldecoder(wide)().decode(sample, final=complete)
        except UnicodeDecodeError:
            raise SourceError("not valid UTF-16 text") from None
    if b"\x00" in sample:
        raise SourceError("binary file, not text")
    encoding = "utf-8-sig" if sample.startswith(codecs.BOM_UTF8) else "utf-8"
    try:
        text = codecs.getincrementaldecoder(encoding)().decode(sample, final=complete)
        return encoding, text
    except UnicodeDecodeError:
        pass
    if has_utf8(sample):
        return MIXED, decode_mixed(sample)
    try:
        return "cp1252", sample.decode("cp1252")
    except UnicodeDecodeError:
        raise SourceError("not valid UTF-8/cp1252 text") from None


def _csv_sniff(text: str, encoding: str, ext: str) -> Sniff:
    skip = 1
    hint = re.match(r"sep=(.)(?:\r\n|\r|\n)", text)
    if hint:  # Excel's "sep=;" line before the header
        skip, text = 2, text[hint.end() :]
    candidates = (hint.group(1),) if hint else _DELIMITERS
    best: tuple[int, str, list[str]] = (0, "\t" if ext == ".tsv" else ",", [])
    csv.field_size_limit(limits().line_bytes)
    for delim in candidates:
        try:  # newline="": any line ending ends a line (\r\n, \n, and old Macs' \r)
            header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
        except (StopIteration, csv.Error):
            continue
        if len(header) > best[0] or (len(header) == best[0] and delim == best[1]):
            best = (len(header), delim, header)
    if not best[2]:
        raise SourceError("no header line")
    check_columns(len(best[2]))
    return Sniff("csv", best[2], encoding=encoding, delimiter=best[1], skip_lines=skip)


def _jsonl_header(text: str) -> list[str]:
    from ropa.sources.nested import guard_lines, strict_loads

    sample = text.encode("utf-8")
    cut = sample.rfind(b"\n")
    guarded, _ = guard_lines(sample[: cut + 1] if cut >= 0 else sample)
    for line in guarded.split(b"\n")[:50]:
        if not line.strip():
            continue
        try:
            record = strict_loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            return _flat_keys(record)
    if text.lstrip().startswith("["):
        raise SourceError("JSON array, not JSON lines (export one event per line)")
    raise SourceError("no valid JSON object in the first lines")


def _flat_keys(record: Mapping[str, object], prefix: str = "") -> list[str]:
    keys: list[str] = []
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            keys += _flat_keys(value, f"{name}.")
        elif (
            isinstance(value, list)
            and value
            and all(isinstance(v, dict) and "key" in v for v in value)
        ):
            keys += [f"{name}.{v['key']}" for v in value]
        else:
            keys.append(name)
    return keys


def _parquet_header(path: Path) -> list[str]:
    try:
        schema = pq.read_schema(path)
    except Exception:  # pyarrow raises several types for a bad file
        raise SourceError("not a readable Parquet file") from None
    names: list[str] = []
    fields = [(f.name, f) for f in schema]
    while fields:
        name, field = fields.pop(0)
        if pa.types.is_struct(field.type):
            fields[:0] = [(f"{name}.{sub.name}", sub) for sub in field.type]
        else:
            names.append(name)
    return names
