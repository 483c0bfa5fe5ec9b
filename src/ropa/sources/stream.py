"""Read an export as arrow batches of records: the whole file, or bounded batches.

Analytics exports grow into tens of millions of events, and every analytics rule needs
only the event itself plus small sets (erased subjects), so the audit reads them in
batches of ``batch_rows`` records and memory stays flat whatever the file size. Every
other export is read whole (``batch_rows=None``: one batch).

A batch is an arrow table of text columns with unique names (``large_string`` from CSV,
``string`` or a dictionary of strings from Parquet/JSONL) plus the ``_row`` of each
record. Reading a CSV can fail part-way (invalid UTF-8 in the last megabyte, a ragged
row): the reader then yields ``RESTART`` and starts the file again with the next way of
reading it (another encoding, the Python csv module), so a consumer drops what it
collected for the file so far. ``raw`` (the header as in the file), ``problems`` and
``encoding`` are final once the iteration ends.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from ropa.errors import SourceError
from ropa.sources.common import plural, unique_names
from ropa.sources.csv_text import line_chunks, line_too_long, python_csv
from ropa.sources.detect import MIXED, Sniff, decode_mixed, has_utf8
from ropa.sources.nested import flatten, read_jsonl_bytes, unique_table
from ropa.sources.readers import (
    TEXT,
    Batch,
    check_columns,
    limits,
    xlsx_table,
)

RESTART = "restart"  # sentinel: drop what was collected for this file, it starts again
JSONL_CHUNK_BYTES = 64 << 20  # JSONL read per chunk of whole lines when batched
# CSV block: pyarrow parses blocks in parallel, and each block becomes one chunk of every
# column; big blocks keep the chunk count (and per-chunk overhead downstream) low.
BLOCK_BYTES = 16 << 20


@dataclass
class BatchReader:
    """Iterate ``Batch`` (or ``RESTART``) over one sniffed file; ``raw`` is the header of
    the last batch, ``problems`` the file's notes (value-free)."""

    path: Path
    sniff: Sniff
    batch_rows: int | None = None  # None: the whole file as one batch
    integers: bool = False  # Parquet/JSONL integer columns kept as numbers, not text
    raw: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    encoding: str | None = None

    def __iter__(self) -> Iterator[Batch | str]:
        for item in self._read():
            if isinstance(item, Batch):  # JSONL and Parquet records can add columns
                check_columns(item.table.num_columns)
            yield item

    def _read(self) -> Iterator[Batch | str]:
        fmt = self.sniff.file_format
        if fmt == "csv":
            return self._csv()
        if fmt == "parquet":
            return self._parquet()
        if fmt == "jsonl":
            return self._jsonl()
        if fmt == "xlsx":
            return self._xlsx()
        raise SourceError(f"unsupported format {fmt}")

    # -- CSV ---------------------------------------------------------------------------
    def _csv(self) -> Iterator[Batch | str]:
        names, raw, header_problems = unique_names(self.sniff.header)
        self.raw = raw
        encoding = self.sniff.encoding or "utf-8"
        longest = limits().line_bytes
        block = min(BLOCK_BYTES, longest)
        while True:
            self.problems = header_problems + _note(encoding)
            self.encoding = encoding
            emitted = False
            try:
                source = _source(self.path, encoding)
                batches = _arrow_csv(source, self.sniff, names, encoding, block, self.batch_rows)
                for batch in batches:
                    batch.raw = raw
                    emitted = True
                    yield batch
                return
            except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
                if emitted:
                    yield RESTART
                message = str(exc)
                if isinstance(exc, UnicodeDecodeError) or "UTF8" in message:
                    if not encoding.startswith("utf-8") or encoding == MIXED:
                        break
                    encoding = MIXED if has_utf8(self.path.read_bytes()) else "cp1252"
                elif "straddling" in message:  # a record longer than a block
                    if block >= longest:
                        raise line_too_long(longest) from None
                    block = longest
                else:
                    break
        self.problems = header_problems + _note(encoding)
        yield python_csv(self.path, self.sniff, names, self, encoding)

    # -- Parquet -----------------------------------------------------------------------
    def _parquet(self) -> Iterator[Batch | str]:
        try:
            schema = pq.read_schema(self.path)
            small = _small_dictionaries(self.path, schema)
            # no pre-buffering: it would hold the bytes of every row group read so far,
            # so memory would grow with the file
            parquet = pq.ParquetFile(self.path, read_dictionary=small, pre_buffer=False)
            size = self.batch_rows or max(parquet.metadata.num_rows, 1)
            first = 1
            for record_batch in parquet.iter_batches(batch_size=size):
                table, self.raw, self.problems = unique_table(
                    flatten(pa.Table.from_batches([record_batch]), self.integers)
                )
                n = table.num_rows
                yield Batch(table, np.arange(first, first + n, dtype=np.int64), self.raw)
                first += n
            if first == 1:  # no row at all: the columns still count
                table, self.raw, self.problems = unique_table(flatten(schema.empty_table()))
                yield Batch(table, np.zeros(0, dtype=np.int64), self.raw)
        except SourceError:
            raise
        except Exception:  # pyarrow raises several types for a bad file
            raise SourceError("not a readable Parquet file") from None

    # -- JSONL -------------------------------------------------------------------------
    def _jsonl(self) -> Iterator[Batch | str]:
        self.encoding = self.sniff.encoding
        chunk = JSONL_CHUNK_BYTES if self.batch_rows else None
        bad = good = 0
        problems: list[str] = []
        guarded: dict[str, int] = {}
        for data, first_line in line_chunks(self.path, chunk):
            got = read_jsonl_bytes(data, first_line, self.integers)
            bad += got.bad
            for reason, n in got.guarded.items():
                guarded[reason] = guarded.get(reason, 0) + n
            if got.batch is None:
                continue
            good += got.batch.table.num_rows
            problems += [p for p in got.problems if p not in problems]
            self.raw = got.batch.raw
            yield got.batch
        if not good:
            raise SourceError("no valid JSON object in the file")
        skipped = [f"{plural(bad, 'line')} skipped: not a JSON object"] if bad else []
        skipped += [f"{plural(n, 'line')} skipped: {why}" for why, n in guarded.items()]
        self.problems = skipped + problems

    # -- XLSX --------------------------------------------------------------------------
    def _xlsx(self) -> Iterator[Batch | str]:
        table, self.raw, self.problems, rows = xlsx_table(self.path)
        yield Batch(table, rows, self.raw)


SMALL_DICTIONARY = 64 << 10  # bytes of a Parquet dictionary page


def _small_dictionaries(path: Path, schema: pa.Schema) -> list[str]:
    """Text columns that Parquet stored with a small dictionary in every row group (a few
    distinct values: consent flags, page URLs, countries). They are read as arrow
    dictionaries, which is faster than decoding every value, and what is computed per
    value is then computed once per distinct value. Columns of mostly distinct values
    (cookie ids) outgrow the dictionary and are read as plain text, which is faster for
    them."""
    meta = pq.ParquetFile(path).metadata
    text = {f.name for f in schema if f.type in (pa.string(), pa.large_string())}
    for group in range(meta.num_row_groups):
        row_group = meta.row_group(group)
        for i in range(row_group.num_columns):
            column = row_group.column(i)
            if column.path_in_schema not in text:
                continue
            size = column.data_page_offset - (column.dictionary_page_offset or 0)
            if not column.has_dictionary_page or size > SMALL_DICTIONARY:
                text.discard(column.path_in_schema)
    return sorted(text)


def _note(encoding: str) -> list[str]:
    return ["mixed UTF-8 and cp1252 text (each part read as what it is)"] * (encoding == MIXED)


def _source(path: Path, encoding: str) -> Path | io.BytesIO:
    if encoding == MIXED:
        return io.BytesIO(decode_mixed(path.read_bytes()).encode("utf-8"))
    return path


def _arrow_csv(
    source: Path | io.BytesIO,
    sn: Sniff,
    names: list[str],
    encoding: str,
    block: int,
    batch_rows: int | None,
) -> Iterator[Batch]:
    """pyarrow's streaming CSV reader: every column as text (``large_string``, what
    pandas' string dtype holds, so no copy later), only empty cells null, quoted line
    breaks allowed."""
    reader = pacsv.open_csv(
        source,
        read_options=pacsv.ReadOptions(
            column_names=names,
            skip_rows=sn.skip_lines,
            encoding="utf8" if encoding.startswith("utf-8") else encoding,
            block_size=block,
        ),
        parse_options=pacsv.ParseOptions(delimiter=sn.delimiter or ",", newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={n: TEXT for n in names},
            null_values=[""],
            strings_can_be_null=True,
        ),
    )
    first, pending, held = 1, [], 0
    for record_batch in reader:
        pending.append(record_batch)
        held += record_batch.num_rows
        if batch_rows and held >= batch_rows:
            yield _batch(reader.schema, pending, first)
            first, pending, held = first + held, [], 0
    if pending or first == 1:
        yield _batch(reader.schema, pending, first)


def _batch(schema: pa.Schema, parts: list[pa.RecordBatch], first: int) -> Batch:
    table = pa.Table.from_batches(parts, schema=schema)  # chunked as read: no copy
    return Batch(table, np.arange(first, first + table.num_rows, dtype=np.int64), [])
