"""How ropa reads exports: whole or in batches, ahead in the background, keeping only
what the caller needs. The audit, ``ropa sources``, ``ropa map``, ``ropa subject`` and
the notebooks all read through here.

``find_exports`` recognises the files of a data folder by their headers (nothing read
yet). ``read_export`` reads one through its loader and, batch by batch, profiles it for
the data map, narrows it to the columns the caller keeps (the audit: the rule columns,
``rule_frame``) and hands those to a check. Analytics (``STREAMED``) come in batches of
``BATCH_ROWS`` events and keep no rows, so memory stays flat however many events there
are; ``ReadAhead`` starts the next exports' reading while the current one is checked.
``read_folder`` reads a whole data folder that way for the commands that check nothing
(sources, map, subject). See docs/architecture.md, "Scale".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ropa.errors import SourceError
from ropa.findings import compact_findings
from ropa.mapping.datamap import data_map_from_profiles
from ropa.mapping.profile import SourceProfile
from ropa.progress import step
from ropa.rules import rule_columns
from ropa.sources.base import Inventory, LoadedSource, SkippedFile
from ropa.sources.common import STRING, is_text_type
from ropa.sources.folder import time_spans
from ropa.sources.loader import (
    Export,
    ExportReader,
    LoadedBatch,
    find_exports,
)
from ropa.sources.readers import TEXT

__all__ = [
    "BATCH_ROWS", "STREAMED", "FolderRead", "ReadAhead", "ReadExport",
    "export_reader", "find_exports", "read_export", "read_folder", "rule_frame",
]  # fmt: skip

# Kinds read in batches: every rule of theirs needs only the record and the context.
STREAMED = frozenset({"analytics"})
BATCH_ROWS = 500_000
AHEAD_BYTES = 256 << 20  # of files read whole, being read ahead of the one checked


AHEAD_FILES = 8  # and no more files than this (2,000 tiny files: not 2,000 threads)
AHEAD_MIN_BYTES = 1 << 20  # a smaller file is read when reached: a thread costs more


class ReadAhead:
    """Start reading exports in the background ahead of the one being checked, as many
    as fit in ``AHEAD_BYTES`` of file and ``AHEAD_FILES`` files (always the next one): a
    large CRM export then loads while the analytics stream is checked, instead of after
    it."""

    def __init__(self, exports: list[Export], readers: Mapping[str, ExportReader]) -> None:
        self.exports = exports
        self.readers = readers
        self.started = 0
        self._at = {id(e): position for position, e in enumerate(exports)}

    def reached(self, export: Export) -> None:
        at = self._at[id(export)]
        budget = AHEAD_BYTES
        end = min(len(self.exports), at + AHEAD_FILES)
        for position, coming in enumerate(self.exports[at:end], start=at):
            streamed = coming.kind in STREAMED
            size = 0 if streamed else _size(coming.path)
            if position > at + 1 and size > budget:
                break
            budget -= 0 if position == at else size
            if position >= self.started:
                if streamed or size >= AHEAD_MIN_BYTES:  # a tiny file is read when reached
                    self.readers[coming.rel].start()
                self.started = position + 1


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


@dataclass
class ReadExport:
    """One export as read: the columns kept (no rows if read in batches), its data-map
    profile, the findings of the batches checked while reading and what ``collect``
    gathered from them."""

    source: LoadedSource
    profile: SourceProfile
    findings: list[pd.DataFrame] = field(default_factory=list)
    collected: list[pd.DataFrame] = field(default_factory=list)


def export_reader(export: Export, batch_rows: int, *, lazy_text: bool = True) -> ExportReader:
    """How an export is read: in batches if its kind allows, else whole. ``lazy_text``
    (the audit) leaves text as read until a rule needs it."""
    streamed = export.kind in STREAMED
    return ExportReader(export, batch_rows if streamed else None, lazy_text=lazy_text)


Collect = Callable[[pd.DataFrame], "pd.DataFrame | None"]
# A batch's check: runs the rules on the kept columns, returns what makes its findings
# (``check.check_frame_staged``).
Check = Callable[[pd.DataFrame], Callable[[], pd.DataFrame]]


def read_export(
    export: Export,
    inventory: Inventory,
    batch_rows: int,
    check: Check | None = None,
    reader: ExportReader | None = None,
    *,
    keep: Callable[[pd.DataFrame, str], pd.DataFrame] | None = None,
    rows: bool | None = None,
    collect: Collect | None = None,
    on_restart: Callable[[], None] | None = None,
) -> ReadExport | None:
    """Read one export through its loader: profile every batch for the data map, keep the
    columns ``keep`` picks (default: those the rules read) and with ``check`` check each
    batch; a batch's findings are made on a third thread while the next batch is
    checked (at most one batch waits for them, so memory stays flat). Rows are kept if
    ``rows`` (default: unless the export is read in batches); ``collect`` (a whole
    loaded batch -> a frame) gathers from every batch whatever else the caller needs.
    None when the file cannot be read: it is listed as skipped (a broken file never
    stops the audit), and whatever its first batches gave is dropped."""
    keep_rows = export.kind not in STREAMED if rows is None else rows
    keep = keep or rule_frame
    reader = reader or export_reader(export, batch_rows)
    profile = SourceProfile(export.rel, export.kind, export.spec.activity)
    kept: list[pd.DataFrame] = []
    found: list[pd.DataFrame] = []
    collected: list[pd.DataFrame] = []
    headers: dict[str, str] = {}
    spans: dict[str, tuple[pd.Timestamp, pd.Timestamp]] = {}
    # The data-map profile of a batch and its check only read the batch: the profile
    # runs on a second thread meanwhile (both spend their time in arrow and numpy). With
    # no check there is nothing to overlap, and no thread is started.
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ropa-profile") if check else None
    finder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ropa-found") if check else None
    pending: Future | None = None  # the previous batch's findings, being made
    try:
        for item in reader:
            if not isinstance(item, LoadedBatch):  # RESTART: the file is read again
                if pending is not None:
                    pending.result()  # counted for the first pass: dropped
                    pending = None
                profile = SourceProfile(export.rel, export.kind, export.spec.activity)
                kept, found, collected, headers, spans = [], [], [], {}, {}
                if on_restart is not None:  # what the check counted is counted again
                    on_restart()
                continue
            profiled = _submit(pool, profile.add, item.frame, item.headers)
            headers.update(item.headers)
            spans = time_spans(item.frame, export.kind, spans)
            if collect is not None:
                gathered = collect(item.frame)
                if gathered is not None and len(gathered):
                    collected.append(gathered)
            frame = keep(item.frame, export.kind)
            if check is not None and finder is not None:
                make = check(frame)
                if pending is not None:
                    _keep_found(found, pending.result())
                pending = finder.submit(make)
            kept.append(frame if keep_rows else _no_rows(frame))
            profiled.result()
        if pending is not None:
            _keep_found(found, pending.result())
    except SourceError as exc:
        inventory.skipped.append(SkippedFile(export.rel, exc.message))
        return None
    finally:
        for each in (pool, finder):
            if each is not None:
                each.shutdown(wait=True)
    frame = kept[0] if len(kept) == 1 else pd.concat(kept, ignore_index=True)
    count = None if keep_rows else profile.rows
    source = reader.loaded(frame, headers, rows=count, spans=spans)
    return ReadExport(source, profile, found, collected)


def _keep_found(found: list[pd.DataFrame], got: pd.DataFrame) -> None:
    if len(got):  # kept compact: millions of flagged events stay small
        found.append(compact_findings(got))


def _submit(pool: ThreadPoolExecutor | None, work: Callable[..., None], *args: Any) -> Future:
    """``work(*args)`` on the pool, or here and now (a finished future) without one."""
    if pool is not None:
        return pool.submit(work, *args)
    work(*args)
    done: Future = Future()
    done.set_result(None)
    return done


@dataclass
class FolderRead:
    """A data folder as read by ``read_folder``: the inventory (loaded sources, skipped
    files), the data-map profile of each source and what ``collect`` gathered, per file."""

    inventory: Inventory
    profiles: list[SourceProfile]
    collected: dict[str, list[pd.DataFrame]]

    def data_map(self, policy: Any) -> pd.DataFrame:
        """The data map of the folder (the same as the audit's)."""
        return data_map_from_profiles(self.profiles, policy)


def all_columns(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Every loaded column (``keep`` for ``read_export``)."""
    return frame


def read_folder(
    data_dir: Path,
    *,
    tz: str | None = None,
    rows: bool = False,
    collect: Collect | None = None,
    progress: Any = None,
    batch_rows: int = BATCH_ROWS,
) -> FolderRead:
    """Every export under ``data_dir`` read as the audit reads it (analytics in batches,
    the next files read ahead), every column as text, zone-less times local to ``tz``
    (policy.timezone). With ``rows`` the exports read whole keep their rows (analytics
    never do); ``collect`` gathers from every batch of every export."""
    inventory, exports = find_exports(Path(data_dir), tz=tz)
    readers = {e.rel: export_reader(e, batch_rows, lazy_text=False) for e in exports}
    ahead = ReadAhead(exports, readers)
    profiles: list[SourceProfile] = []
    collected: dict[str, list[pd.DataFrame]] = {}
    try:
        for export in exports:
            with step(progress, f"reading {export.rel}"):
                ahead.reached(export)
                reader = readers.pop(export.rel)
                got = read_export(
                    export, inventory, batch_rows, reader=reader,
                    keep=all_columns, rows=None if rows else False, collect=collect,
                )  # fmt: skip
            if got is not None:
                inventory.sources.append(got.source)
                profiles.append(got.profile)
                collected[export.rel] = got.collected
    finally:
        for reader in readers.values():  # started ahead, never reached (an error)
            reader.close()
    return FolderRead(inventory, profiles, collected)


def _no_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns of ``frame`` without its rows, and without its buffers (an empty
    slice of an arrow array would keep the whole batch alive)."""
    return pd.DataFrame({c: pd.Series([], dtype=t) for c, t in frame.dtypes.items()})


def rule_frame(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The columns the rules of ``kind`` read (see ``rule_columns``). Text read as an
    arrow dictionary becomes a pandas categorical of ``string[pyarrow]`` categories, which
    the rule helpers test once per category (``rules.values.text``); other arrow text
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
