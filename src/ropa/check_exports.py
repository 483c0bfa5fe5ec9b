"""Checking every export of an audit in path order: the cross-source exports already
read, small exports grouped (``SmallExports``), streamed ones batch by batch while the
next are read ahead (``ropa.reading``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import replace
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from ropa.check import check_frame, check_frame_staged
from ropa.coverage import CoverageTally
from ropa.findings import (
    compact_findings,
)
from ropa.mapping.profile import SourceProfile
from ropa.reading import (
    STREAMED,
    ReadAhead,
    ReadExport,
    export_reader,
    read_export,
)
from ropa.rules import Context
from ropa.sources.base import Inventory
from ropa.sources.common import STRING
from ropa.sources.loader import Export

log = logging.getLogger(__name__)


def check_exports(
    exports: list[Export],
    first: Mapping[str, ReadExport],
    inventory: Inventory,
    check: tuple[Context, Mapping[str, Any], str, CoverageTally],
    batch_rows: int,
    progress: Any,
) -> tuple[list[pd.DataFrame], list[SourceProfile]]:
    """Check every export in path order (those in ``first`` are read already); returns
    the findings and the data-map profiles. Loaded sources go to ``inventory``. Small
    exports read whole are checked together (``SmallExports``)."""
    from ropa.progress import step

    ctx, suites, engine, coverage = check
    parts: list[pd.DataFrame] = []
    profiles: list[SourceProfile] = []
    later = [e for e in exports if e.rel not in first]
    readers = {e.rel: export_reader(e, batch_rows) for e in later}
    ahead = ReadAhead(later, readers)
    small = SmallExports(check, parts)
    try:
        for export in exports:
            suite = suites[export.kind]
            started = time.perf_counter()
            with step(progress, f"checking {export.rel}"):
                got = first.get(export.rel)
                if got is not None:
                    frame = got.source.frame
                    found = check_frame(
                        frame, export.kind, ctx, suite, engine, source=export.rel,
                        coverage=coverage,
                    )  # fmt: skip
                    got.findings.append(compact_findings(found))
                elif export.kind not in STREAMED:  # read whole, checked with others
                    ahead.reached(export)
                    got = read_export(export, inventory, batch_rows, None, readers.pop(export.rel))
                    if got is not None:
                        small.add(export, got.source.frame)
                else:
                    ahead.reached(export)  # read in the background, the next ones too
                    check_batch = partial(
                        check_frame_staged, kind=export.kind, ctx=ctx, suite=suite, engine=engine,
                        source=export.rel, coverage=coverage,
                    )  # fmt: skip
                    reader = readers.pop(export.rel)
                    got = read_export(
                        export, inventory, batch_rows, check_batch, reader,
                        on_restart=partial(coverage.forget, export.rel),
                    )  # fmt: skip
                    if got is None:  # skipped: it was not audited
                        coverage.forget(export.rel)
            if got is not None:
                inventory.sources.append(got.source)
                profiles.append(got.profile)
                parts += got.findings
                log.info(
                    "%s: %s rows read and checked in %.2f s",
                    export.rel, f"{got.source.rows:,}", time.perf_counter() - started,
                )  # fmt: skip
        small.flush()
    finally:
        for reader in readers.values():  # started ahead, never reached (an error)
            reader.close()
    return parts, profiles


GROUP_ROWS = 50_000  # small exports of one kind and shape are checked together up to this


class SmallExports:
    """Exports read whole, checked a group at a time: consecutive files of one kind with
    the same columns and types (2,000 two-row exports of one form tool) become one frame
    and one check, instead of 2,000 checks of a fixed cost each. Every row keeps its file
    (``_source``) and its row number (``_part``); coverage is counted per file and a
    finding id never depends on the other files of the group (``_to_findings``), so the
    findings and the coverage are those of checking each file alone."""

    def __init__(
        self,
        check: tuple[Context, Mapping[str, Any], str, CoverageTally],
        parts: list[pd.DataFrame],
    ) -> None:
        self.check = check
        self.parts = parts
        self.kind = ""
        self.shape: tuple[Any, ...] | None = None
        self.members: list[tuple[str, pd.DataFrame]] = []
        self.rows = 0

    def add(self, export: Export, frame: pd.DataFrame) -> None:
        shape = _shape(export.kind, frame)
        if self.members and (shape is None or shape != self.shape):
            self.flush()
        self.members.append((export.rel, frame))
        self.kind, self.shape = export.kind, shape
        self.rows += len(frame)
        if shape is None or self.rows >= GROUP_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.members:
            return
        ctx, suites, engine, coverage = self.check
        members, kind = self.members, self.kind
        self.members, self.shape, self.rows = [], None, 0
        if len(members) == 1:
            rel, frame = members[0]
            found = check_frame(
                frame, kind, ctx, suites[kind], engine, source=rel, coverage=coverage
            )
        else:
            frame = pd.concat(
                [
                    f.assign(_source=pd.Series(rel, index=f.index, dtype=STRING), _part=f["_row"])
                    for rel, f in members
                ],
                ignore_index=True,
            )
            frame["_row"] = np.arange(len(frame), dtype=np.int64)  # unique across the group
            per_file = PerFileTally(coverage, [(rel, len(f)) for rel, f in members])
            found = check_frame(frame, kind, ctx, suites[kind], engine, coverage=per_file)
        self.parts.append(compact_findings(found))


def _shape(kind: str, frame: pd.DataFrame) -> tuple[Any, ...] | None:
    """What files must share to be checked together: kind, columns and their types.
    None: checked alone (a large file, categorical text, a repeated column name)."""
    if len(frame) >= GROUP_ROWS or frame.columns.duplicated().any():
        return None
    if any(isinstance(t, pd.CategoricalDtype) for t in frame.dtypes):
        return None
    return (kind, tuple(frame.columns), tuple(str(t) for t in frame.dtypes))


class PerFileTally(CoverageTally):
    """The coverage tally of a group of files checked as one frame (their rows one
    after another): what each rule judged is counted for each file."""

    def __init__(self, tally: CoverageTally, sizes: list[tuple[str, int]]) -> None:
        super().__init__()
        self.tally = tally
        self.sizes = sizes

    def add(self, rule_id: str, source: str, kind: str, judged: pd.Series, gaps: list[Any]) -> None:
        start = 0
        for rel, rows in self.sizes:
            part = slice(start, start + rows)
            per_gap = [replace(gap, rows=gap.rows.iloc[part]) for gap in gaps]
            self.tally.add(rule_id, rel, kind, judged.iloc[part], per_gap)
            start += rows
