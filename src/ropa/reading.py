"""How the audit reads exports: whole or in batches, ahead in the background, keeping
only the columns the rules read.

``find_exports`` recognises the files of a data folder by their headers (nothing read
yet). ``read_export`` reads one through its loader and, batch by batch, profiles it for
the data map, narrows it to the rule columns (``rule_frame``) and hands those to a check.
Analytics (``STREAMED``) come in batches of ``BATCH_ROWS`` events and keep no rows, so
memory stays flat however many events there are; ``ReadAhead`` starts the next exports'
reading while the current one is checked. See docs/architecture.md, "Scale".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ropa.errors import SourceError
from ropa.findings import compact_findings
from ropa.mapping.profile import SourceProfile
from ropa.rules import rule_columns
from ropa.sources.base import Inventory, LoadedSource, SkippedFile
from ropa.sources.common import STRING, is_text_type
from ropa.sources.loader import (
    Export,
    ExportReader,
    LoadedBatch,
    candidate_files,
    open_export,
)
from ropa.sources.stream import TEXT

# Kinds read in batches: every rule of theirs needs only the record and the context.
STREAMED = frozenset({"analytics"})
BATCH_ROWS = 500_000
AHEAD_BYTES = 256 << 20  # of files read whole, being read ahead of the one checked


def find_exports(data_dir: Path) -> tuple[Inventory, list[Export]]:
    """Every file under ``data_dir`` recognised by its header (not read yet), in path
    order; the inventory lists the others as skipped, with the reason."""
    inventory = Inventory(data_dir=data_dir)
    config, candidates = candidate_files(data_dir, inventory)
    exports = []
    for rel in candidates:
        try:
            exports.append(open_export(data_dir / rel, data_dir, config=config))
        except SourceError as exc:
            inventory.skipped.append(SkippedFile(rel, exc.message))
    return inventory, exports


class ReadAhead:
    """Start reading exports in the background ahead of the one being checked, as many
    as fit in ``AHEAD_BYTES`` of file (always the next one): a large CRM export then
    loads while the analytics stream is checked, instead of after it."""

    def __init__(self, exports: list[Export], readers: Mapping[str, ExportReader]) -> None:
        self.exports = exports
        self.readers = readers
        self.started = 0

    def reached(self, export: Export) -> None:
        at = self.exports.index(export)
        budget = AHEAD_BYTES
        for position, coming in enumerate(self.exports[at:], start=at):
            size = 0 if coming.kind in STREAMED or position == at else _size(coming.path)
            if position > at + 1 and size > budget:
                break
            budget -= size
            if position >= self.started:
                self.readers[coming.rel].start()
                self.started = position + 1


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


@dataclass
class ReadExport:
    """One export as the audit keeps it: the rule columns (no rows if read in batches),
    its data-map profile and the findings of the batches checked while reading."""

    source: LoadedSource
    profile: SourceProfile
    findings: list[pd.DataFrame] = field(default_factory=list)


def export_reader(export: Export, batch_rows: int) -> ExportReader:
    """How the audit reads an export: in batches if its kind allows, else whole; text
    left as read until a rule needs it."""
    streamed = export.kind in STREAMED
    return ExportReader(export, batch_rows if streamed else None, lazy_text=True)


def read_export(
    export: Export,
    inventory: Inventory,
    batch_rows: int,
    check: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
    reader: ExportReader | None = None,
    on_restart: Callable[[], None] | None = None,
) -> ReadExport | None:
    """Read one export through its loader: profile every batch for the data map, keep the
    columns the rules read, and with ``check`` (rule columns -> findings) check each batch.
    None when the file cannot be read: it is listed as skipped (a broken file never stops
    the audit), and whatever its first batches gave is dropped."""
    streamed = export.kind in STREAMED
    reader = reader or export_reader(export, batch_rows)
    profile = SourceProfile(export.rel, export.kind, export.spec.activity)
    kept: list[pd.DataFrame] = []
    found: list[pd.DataFrame] = []
    headers: dict[str, str] = {}
    # The data-map profile of a batch and its check only read the batch: the profile
    # runs on a second thread meanwhile (both spend their time in arrow and numpy).
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ropa-profile")
    try:
        for item in reader:
            if not isinstance(item, LoadedBatch):  # RESTART: the file is read again
                profile = SourceProfile(export.rel, export.kind, export.spec.activity)
                kept, found, headers = [], [], {}
                if on_restart is not None:  # what the check counted is counted again
                    on_restart()
                continue
            profiled = pool.submit(profile.add, item.frame, item.headers)
            headers.update(item.headers)
            frame = rule_frame(item.frame, export.kind)
            if check is not None:
                got = check(frame)
                if len(got):  # kept compact: millions of flagged events stay small
                    found.append(compact_findings(got))
            kept.append(_no_rows(frame) if streamed else frame)
            profiled.result()
    except SourceError as exc:
        inventory.skipped.append(SkippedFile(export.rel, exc.message))
        return None
    finally:
        pool.shutdown(wait=True)
    frame = kept[0] if len(kept) == 1 else pd.concat(kept, ignore_index=True)
    source = reader.loaded(frame, headers, rows=profile.rows if streamed else None)
    return ReadExport(source, profile, found)


def _no_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns of ``frame`` without its rows, and without its buffers (an empty
    slice of an arrow array would keep the whole batch alive)."""
    return pd.DataFrame({c: pd.Series([], dtype=t) for c, t in frame.dtypes.items()})


def rule_frame(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The columns the rules of ``kind`` read (see ``rule_columns``). Text read as an
    arrow dictionary becomes a pandas categorical of ``string[pyarrow]`` categories, which
    the rule helpers test once per category (``rules.base.text``); other arrow text
    becomes ``string[pyarrow]``. (An integer column kept as read is text to the rules
    through ``text()``: the number's digits, as if read as text.)"""
    narrow = frame[rule_columns(kind, list(frame.columns))]
    lazy = [
        c
        for c, dtype in narrow.dtypes.items()
        if isinstance(dtype, pd.ArrowDtype) and is_text_type(dtype.pyarrow_dtype)
    ]
    if not lazy:
        return narrow
    columns = {
        c: pd.Series(_text_column(pa.array(narrow[c].array)), index=narrow.index) for c in lazy
    }
    return narrow.assign(**columns)


def _text_column(values: pa.Array | pa.ChunkedArray) -> Any:
    """Arrow text as pandas: a dictionary of distinct values as a categorical (codes, no
    copy of the text); anything else decoded by arrow into ``string[pyarrow]`` (pandas'
    own conversion would go through Python strings)."""
    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    if len(chunks) == 1 and pa.types.is_dictionary(values.type):
        chunk = chunks[0]
        dictionary = pc.cast(chunk.dictionary, TEXT)
        if dictionary.null_count == 0 and len(pc.unique(dictionary)) == len(dictionary):
            codes = pc.fill_null(chunk.indices, -1).to_numpy(zero_copy_only=False)
            categories = pd.Index(STRING.__from_arrow__(pa.chunked_array([dictionary])))
            return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(categories))
    return STRING.__from_arrow__(pc.cast(values, TEXT))
