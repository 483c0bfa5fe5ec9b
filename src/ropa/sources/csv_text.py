"""CSV and JSONL as bytes and text: the slow, forgiving CSV path (rows with more or fewer
fields than the header kept and counted) and whole-line chunks of a file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ropa.errors import SourceError
from ropa.sources.common import plural
from ropa.sources.detect import MIXED, Sniff, decode_mixed
from ropa.sources.readers import (
    Batch,
    check_columns,
    limits,
    over_limit,
    size_text,
    text_table,
)

if TYPE_CHECKING:
    from ropa.sources.stream import BatchReader


def python_csv(
    path: Path, sn: Sniff, names: list[str], reader: BatchReader, encoding: str
) -> Batch:
    """Slow path: rows with more or fewer fields than the header are kept and counted."""
    longest = limits().line_bytes
    csv.field_size_limit(longest)
    try:
        if encoding == MIXED:
            text = decode_mixed(path.read_bytes())
        else:
            text = path.read_bytes().decode("utf-8-sig" if encoding == "utf-8" else encoding)
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=sn.delimiter or ","))
        records = records[sn.skip_lines :]
    except UnicodeDecodeError:
        wide = encoding.startswith("utf-16")
        raise SourceError(f"not valid {'UTF-16' if wide else 'UTF-8/cp1252'} text") from None
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise line_too_long(longest) from None
        raise SourceError("not readable as CSV (broken quoting)") from None
    records = [r for r in records if any(c.strip() for c in r)]
    width = len(names)
    short = sum(len(r) < width for r in records)
    long = sum(len(r) > width for r in records)
    widest = max([width, *(len(r) for r in records)])
    check_columns(widest)
    extra = [f"Unnamed: {i}" for i in range(width, widest)]
    if short:
        reader.problems.append(f"{plural(short, 'row')} with fewer fields than the header")
    if long:
        reader.problems.append(
            f"{plural(long, 'row')} with more fields than the header (kept as 'Unnamed: n')"
        )
    reader.raw = reader.raw + [""] * len(extra)
    table = text_table(records, names + extra)
    return Batch(table, np.arange(1, len(records) + 1, dtype=np.int64), reader.raw)


def line_too_long(longest: int) -> SourceError:
    return over_limit(
        f"a record is longer than the {size_text(longest)} line limit", "ROPA_MAX_LINE_MB"
    )


def line_chunks(path: Path, chunk: int | None) -> Iterator[tuple[bytes, int]]:
    """The file's bytes in pieces of whole lines (all of it when ``chunk`` is None), each
    with the number of its first line. A UTF-8 BOM is blanked, so offsets still hold."""
    if chunk is None:
        yield _no_bom(path.read_bytes()), 1
        return
    with path.open("rb") as handle:
        line, carry, first = 1, b"", True
        while True:
            piece = handle.read(chunk)
            if first:
                piece, first = _no_bom(piece), False
            if not piece:
                if carry:
                    yield carry, line
                return
            data = carry + piece
            cut = data.rfind(b"\n") + 1
            if cut == 0:  # a line longer than the chunk: read on
                carry = data
                continue
            data, carry = data[:cut], data[cut:]
            yield data, line
            line += data.count(b"\n")


def _no_bom(data: bytes) -> bytes:
    return b"   " + data[3:] if data.startswith(b"\xef\xbb\xbf") else data
