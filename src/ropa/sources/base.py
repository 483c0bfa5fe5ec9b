"""What a loader hands on: one loaded export with its frame and how it was read."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


@dataclass
class LoadedSource:
    """One input file, loaded.

    ``frame`` has the canonical columns of ``kind`` (see canonical.py) that the file
    holds, unrecognised columns under their original headers, and ``_source``/``_row``.
    ``headers`` maps each frame column to the header as it stands in the file, so the
    data map and findings can name the column the auditor sees.
    ``problems`` are counted, value-free notes ("3 rows with unparseable dates in
    'Create Date'") that go to the Sources sheet.

    In an audit result the frame holds only the columns the rules read, and a source
    read in batches (analytics) keeps no rows at all: ``row_count`` then says how many
    records it had.
    """

    path: Path
    rel: str
    kind: str
    activity: str
    frame: pd.DataFrame
    headers: dict[str, str]
    file_format: str  # csv, xlsx, jsonl, parquet
    encoding: str | None = None
    delimiter: str | None = None
    problems: list[str] = field(default_factory=list)
    row_count: int | None = None
    # first and last time of the main time columns (loader.MAIN_TIME), kept without rows
    time_spans: dict[str, tuple[pd.Timestamp, pd.Timestamp]] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return len(self.frame) if self.row_count is None else self.row_count


@dataclass
class SkippedFile:
    """A file under the data folder that was not loaded, and why."""

    rel: str
    reason: str


@dataclass
class Inventory:
    """Everything found under a data folder."""

    data_dir: Path
    sources: list[LoadedSource] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)

    def of_kind(self, *kinds: str) -> list[LoadedSource]:
        return [s for s in self.sources if s.kind in kinds]
