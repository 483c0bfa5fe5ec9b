"""Find the exports of a data folder and read each through its loader, in batches."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from ropa.errors import SourceError
from ropa.prefetch import Prefetch
from ropa.sources import (
    envoy,
    eventbrite,
    ga4,
    hubspot,
    inquiries,
    mailchimp,
    requests_log,
)
from ropa.sources.base import Inventory, LoadedSource, SkippedFile
from ropa.sources.canonical import KINDS, Kind
from ropa.sources.common import STRING, canonicalise, local_zone, plural
from ropa.sources.detect import Sniff, sniff
from ropa.sources.kinds import detect_kind
from ropa.sources.readers import Batch, plain_text
from ropa.sources.sources_yaml import NAME as SOURCES_YAML, SourcesConfig, load_sources_yaml
from ropa.sources.stream import RESTART, BatchReader
from ropa.sources.walk import walk_files

FINISH = {
    "newsletter_subscribed": mailchimp.finish,
    "newsletter_unsubscribed": mailchimp.finish,
    "newsletter_cleaned": mailchimp.finish,
    "crm": hubspot.finish,
    "registrations": eventbrite.finish,
    "visitors": envoy.finish,
    "inquiries": inquiries.finish,
    "analytics": ga4.finish,
    "requests": requests_log.finish,
}

# The time columns that date a record, per kind (first one present with values).
MAIN_TIME = {name: kind.main_time for name, kind in KINDS.items()}

_NOT_EXPORTS = {"manifest.json", SOURCES_YAML}


def _rel(path: Path, data_dir: Path) -> str:
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(data_dir))
    if rel == ".." or rel.startswith(".." + os.sep) or os.path.isabs(rel):
        raise SourceError("file is outside the data folder", path)
    return rel.replace(os.sep, "/")


@dataclass
class Export:
    """A file recognised as an export of ``kind``, not read yet (header only)."""

    path: Path
    rel: str
    kind: str
    sniff: Sniff
    columns: dict[str, str]  # sources.yaml: header -> canonical column
    tz: str | None = None  # zone of zone-less times (policy.timezone); None: Europe/Oslo

    @property
    def spec(self) -> Kind:
        return KINDS[self.kind]


@dataclass
class LoadedBatch:
    """Records of one export after its loader: canonical columns, UTC times, ``_row``."""

    frame: pd.DataFrame
    headers: dict[str, str]


def open_export(
    path: Path,
    data_dir: Path,
    kind: str | None = None,
    *,
    config: SourcesConfig | None = None,
    tz: str | None = None,
) -> Export:
    """Sniff a file and recognise its kind by the header; SourceError when it is none.
    Zone-less times will be read as local to ``tz`` (policy.timezone; None: Europe/Oslo)."""
    path, data_dir = Path(path), Path(data_dir)
    rel = _rel(path, data_dir)
    if config is None:
        config = load_sources_yaml(data_dir) if data_dir.is_dir() else SourcesConfig()
    pin = config.files.get(rel)
    kind = kind or (pin.kind if pin else None)
    columns = pin.columns if pin else {}
    if kind is not None and kind not in KINDS:
        raise SourceError(f"unknown kind {kind!r} (known: {', '.join(KINDS)})", rel)
    with _reasons(rel):
        sn = sniff(path)
        kind = kind or detect_kind(sn.header, columns)
    return Export(path, rel, kind, sn, dict(columns), tz)


def find_exports(data_dir: Path, *, tz: str | None = None) -> tuple[Inventory, list[Export]]:
    """Every file under ``data_dir`` recognised by its header (not read yet), in path
    order; the inventory lists the others as skipped, with the reason. Zone-less times
    of every export will be read as local to ``tz`` (policy.timezone)."""
    inventory = Inventory(data_dir=Path(data_dir))
    config, candidates = candidate_files(Path(data_dir), inventory)
    exports = []
    for rel in candidates:
        try:
            exports.append(open_export(Path(data_dir) / rel, data_dir, config=config, tz=tz))
        except SourceError as exc:
            inventory.skipped.append(SkippedFile(rel, exc.message))
    return inventory, exports


@contextmanager
def _reasons(rel: str) -> Iterator[None]:
    """Any failure while reading becomes a value-free SourceError naming the file."""
    try:
        yield
    except SourceError as exc:
        raise SourceError(exc.message, rel) from None
    except OSError as exc:
        raise SourceError(f"cannot be read ({exc.strerror or type(exc).__name__})", rel) from None
    except (pa.ArrowException, ValueError, TypeError, KeyError, IndexError) as exc:
        # a file no reader path expected; the message could quote cell values, so only
        # the error type is reported
        raise SourceError(f"could not be read ({type(exc).__name__})", rel) from None


class ExportReader:
    """Read an export whole or in batches through its loader (canonical columns, times,
    booleans): iterate for ``LoadedBatch`` items, or ``RESTART`` when the file starts
    again with another way of reading it (drop what was collected). ``problems``,
    ``encoding`` and ``columns`` (every column seen) are final after the iteration.

    ``lazy_text`` leaves dictionary-encoded text (Parquet) as ``pd.ArrowDtype`` columns
    instead of decoding it into ``string[pyarrow]``, and integer columns (Parquet, JSONL)
    as integers instead of text: the audit turns into text only what its rules read,
    and the GA4 loader gets ``event_timestamp`` as the number it is.
    """

    def __init__(
        self, export: Export, batch_rows: int | None = None, *, lazy_text: bool = False
    ) -> None:
        self.export = export
        self.reader = BatchReader(export.path, export.sniff, batch_rows, integers=lazy_text)
        self.lazy_text = lazy_text
        self.problems: list[str] = []
        self.encoding: str | None = None
        self.columns: list[str] = []
        self._finish: list[list[str]] = []
        self._ahead: Prefetch[LoadedBatch | str] | None = None

    def start(self) -> ExportReader:
        """Read (and load) in a background thread from now on, one batch ahead of the
        consumer: the next export is read while the previous one is checked."""
        if self._ahead is None:
            self._ahead = Prefetch(self._items())
        return self

    def __iter__(self) -> Iterator[LoadedBatch | str]:
        if self._ahead is not None:
            return iter(self._ahead)
        return self._items()

    def close(self) -> None:
        """Stop reading ahead (nothing is read after this)."""
        if self._ahead is not None:
            self._ahead.close()

    def _items(self) -> Iterator[LoadedBatch | str]:
        export = self.export
        with _reasons(export.rel):
            for item in self.reader:
                if item is RESTART or not isinstance(item, Batch):
                    self._finish, self.columns = [], []
                    yield RESTART
                    continue
                yield self._load(item)
        self._done()

    def _load(self, batch: Batch) -> LoadedBatch:
        table = batch.table if self.lazy_text else plain_text(batch.table)
        frame = table.to_pandas(types_mapper=_frame_type)
        frame, headers = canonicalise(frame, batch.raw, self.export.spec, self.export.columns)
        problems: list[str] = []
        with local_zone(self.export.tz):
            frame = FINISH[self.export.kind](frame, headers, problems)
        self._finish.append(problems)
        frame["_row"] = batch.rows.astype(np.int64)
        self.columns += [c for c in frame.columns if c not in self.columns]
        return LoadedBatch(frame, headers)

    def _done(self) -> None:
        export, spec = self.export, self.export.spec
        fmt = export.sniff.file_format
        self.encoding = self.reader.encoding if fmt == "csv" else export.sniff.encoding
        self.problems = list(self.reader.problems) + merge_counts(self._finish)
        missing = [spec.columns[c][0] for c in spec.required if c not in self.columns]
        if missing:
            self.problems.append(
                "required columns not found: " + ", ".join(f"'{m}'" for m in missing)
            )

    def loaded(
        self,
        frame: pd.DataFrame,
        headers: dict[str, str],
        rows: int | None = None,
        spans: dict[str, tuple[pd.Timestamp, pd.Timestamp]] | None = None,
    ) -> LoadedSource:
        """The LoadedSource for what was read (``frame`` may be a subset of the columns,
        or none of its rows: ``rows`` and ``spans`` then say what it had)."""
        export = self.export
        return LoadedSource(
            path=export.path,
            rel=export.rel,
            kind=export.kind,
            activity=export.spec.activity,
            frame=frame.reset_index(drop=True),
            headers=headers,
            file_format=export.sniff.file_format,
            encoding=self.encoding,
            delimiter=export.sniff.delimiter,
            problems=self.problems,
            row_count=rows,
            time_spans=dict(spans or {}),
        )


def _frame_type(t: pa.DataType) -> Any:
    """pandas dtype for an arrow column: text as ``string[pyarrow]`` (no copy for
    ``large_string``), dictionaries and integers (lazy text) wrapped as they are (numpy
    would turn integers with nulls into floats)."""
    if t in (pa.string(), pa.large_string()):
        return STRING
    if pa.types.is_dictionary(t) or pa.types.is_integer(t):
        return pd.ArrowDtype(t)
    return None


_COUNTED = re.compile(r"^(\d+) (rows?) (.*)$", re.S)


def merge_counts(parts: list[list[str]]) -> list[str]:
    """Notes of several batches as one list: "2 rows with ..." and "3 rows with ..." become
    "5 rows with ..."; other notes are kept once, in order of first appearance."""
    counts: dict[str, int | None] = {}
    for notes in parts:
        for note in notes:
            match = _COUNTED.match(note)
            key = match.group(3) if match else note
            if match:
                counts[key] = (counts.get(key) or 0) + int(match.group(1))
            else:
                counts.setdefault(key, None)
    return [key if n is None else f"{plural(n, 'row')} {key}" for key, n in counts.items()]


def candidate_files(data_dir: Path, inventory: Inventory) -> tuple[SourcesConfig, list[str]]:
    """The files under ``data_dir`` (recursive, sorted) that may be exports, with the
    folder's sources.yaml; what is ignored, and why, goes to ``inventory.skipped``."""
    data_dir = Path(data_dir)
    if not data_dir.exists():
        raise SourceError("data folder does not exist", data_dir)
    if not data_dir.is_dir():
        raise SourceError("data folder is not a folder", data_dir)
    config = load_sources_yaml(data_dir)
    inventory.skipped += [SkippedFile(SOURCES_YAML, p) for p in config.problems]
    files, walk_skipped = walk_files(data_dir)
    inventory.skipped += [SkippedFile(rel, why) for rel, why in walk_skipped]
    found = []
    for rel in files:
        if rel.rsplit("/", 1)[-1] in _NOT_EXPORTS:
            continue
        if config.ignored(rel):
            inventory.skipped.append(SkippedFile(rel, "ignored by sources.yaml"))
            continue
        found.append(rel)
    return config, found
