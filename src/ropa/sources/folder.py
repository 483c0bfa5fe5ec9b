"""Whole files and folders read at once, and what ``ropa sources`` says about them.

The audit and the commands read through ``ropa.reading`` (analytics in batches); these
are for notebooks and tests that want every record of a file or folder in memory.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ropa.errors import SourceError
from ropa.progress import ProgressLike, step
from ropa.sources.base import Inventory, LoadedSource, SkippedFile
from ropa.sources.common import STRING
from ropa.sources.loader import (
    MAIN_TIME,
    Export,
    ExportReader,
    LoadedBatch,
    candidate_files,
    open_export,
)
from ropa.sources.sources_yaml import SourcesConfig


def load_file(
    path: Path,
    data_dir: Path,
    kind: str | None = None,
    *,
    config: SourcesConfig | None = None,
    tz: str | None = None,
) -> LoadedSource:
    """Read one export whole; SourceError (value-free reason) when it is not a known export.
    Zone-less times are local to ``tz`` (the policy's timezone; default Europe/Oslo)."""
    return load_export(open_export(path, data_dir, kind, config=config, tz=tz))


def load_export(export: Export) -> LoadedSource:
    """Read a recognised export whole, every column, with ``_source`` and ``_row``."""
    reader = ExportReader(export)
    last: LoadedBatch | None = None
    for item in reader:
        last = item if isinstance(item, LoadedBatch) else None
    assert last is not None  # the whole file is one batch
    frame = last.frame
    frame["_source"] = pd.array(np.full(len(frame), export.rel, dtype=object), dtype=STRING)
    frame = frame[[c for c in frame.columns if c != "_row"] + ["_row"]]
    return reader.loaded(frame, last.headers)


def load_folder(
    data_dir: Path, *, progress: ProgressLike | None = None, tz: str | None = None
) -> Inventory:
    """Every file under ``data_dir`` (recursive, sorted) read whole, or listed with why
    not; zone-less times are local to ``tz`` (policy.timezone). This keeps every record
    in memory: the commands read through ``ropa.reading.read_folder`` instead, which
    reads analytics in batches."""
    data_dir = Path(data_dir)
    inventory = Inventory(data_dir=data_dir)
    config, candidates = candidate_files(data_dir, inventory)
    for rel in candidates:
        with step(progress, rel):
            try:
                export = open_export(data_dir / rel, data_dir, config=config, tz=tz)
                inventory.sources.append(load_export(export))
            except SourceError as exc:
                inventory.skipped.append(SkippedFile(rel, exc.message))
    return inventory


def describe(src: LoadedSource) -> dict[str, Any]:
    """One line of the ``ropa sources`` table: how the file was read and its date range."""
    info: dict[str, Any] = {
        "file": src.rel,
        "kind": src.kind,
        "activity": src.activity,
        "format": src.file_format,
        "encoding": src.encoding,
        "delimiter": src.delimiter,
        "rows": src.rows,
        "columns": sum(not c.startswith("_") for c in src.frame.columns),
        "time_column": None,
        "date_min": None,
        "date_max": None,
        "problems": list(src.problems),
    }
    spans = src.time_spans or time_spans(src.frame, src.kind)
    for col in MAIN_TIME.get(src.kind, ()):
        if col in spans:
            first, last = spans[col]
            info.update(time_column=col, date_min=_day(first), date_max=_day(last))
            break
    return info


def _day(when: pd.Timestamp) -> date | None:
    """The calendar day of a time; None for one no Python date holds (year 10000 and
    later, as a hostile or broken export may give)."""
    try:
        return when.date()
    except (NotImplementedError, OverflowError, ValueError):
        return None


def time_spans(
    frame: pd.DataFrame,
    kind: str,
    spans: dict[str, tuple[pd.Timestamp, pd.Timestamp]] | None = None,
) -> dict[str, tuple[pd.Timestamp, pd.Timestamp]]:
    """First and last time of each main time column of ``kind`` that has values in
    ``frame``, widened by ``spans`` (what earlier batches gave)."""
    spans = dict(spans or {})
    for col in MAIN_TIME.get(kind, ()):
        if col not in frame.columns or not frame[col].notna().any():
            continue
        first, last = frame[col].min(), frame[col].max()
        if col in spans:
            first, last = min(first, spans[col][0]), max(last, spans[col][1])
        spans[col] = (first, last)
    return spans
