"""Profile a source's columns for the data map, one batch of records at a time.

The data map needs, per column, the share of non-empty values over *every* row, the
category its name or its values show, and whether any value mentions a health term.
A ``SourceProfile`` takes the loaded frame in batches (the whole frame is one batch), so
a streamed analytics export is mapped without ever being held whole:

- non-empty values are counted in every batch;
- value detectors look at the first ``SAMPLE_SIZE`` non-empty values, collected from the
  first batches until there are that many (what ``detectors.sample`` takes from a whole
  column);
- the health scan goes on batch by batch until a value mentions a term, and stops early
  once the column's category rules the scan out.

So the rows are the same whether the source came whole or in batches. Text columns may
be arrow dictionaries (Parquet stores text so): counts and scans then run once per
distinct value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyarrow as pa

from ropa.mapping.column_profile import (
    PACK_ROWS,
    ColumnProfile,
    add_packed,
    decide,
    value_groups,
)
from ropa.mapping.names import (
    is_canonical,
    place_headers,
)
from ropa.mapping.text_values import (
    column_array,
    is_arrow_text,
)

SYSTEM_COLUMNS = frozenset({"_source", "_row"})


@dataclass
class SourceProfile:
    """Every column of one source, in frame order (columns first seen later appended)."""

    rel: str
    kind: str
    activity: str
    columns: dict[str, ColumnProfile] = field(default_factory=dict)
    rows: int = 0

    def add(self, frame: pd.DataFrame, headers: Mapping[str, str]) -> None:
        """One batch of records (all loaded columns, any subset of them). Short batches
        of arrow text (a wide file of a few rows) are profiled packed, in groups of
        columns; the others column by column."""
        wanted: list[tuple[int, str]] = []  # (position, column): each column once
        seen = set()
        for position, column in enumerate(frame.columns):
            if column not in SYSTEM_COLUMNS and column not in seen:
                seen.add(column)
                wanted.append((position, column))
        # a column absent from earlier batches was empty there
        new = self._new_profiles([(p, c) for p, c in wanted if c not in self.columns], headers)
        profiles = {**self.columns, **{profile.column: profile for _, profile in new}}
        packed: list[tuple[ColumnProfile, pa.Array | pa.ChunkedArray]] = []
        pack = len(frame) < PACK_ROWS
        dtypes = list(frame.dtypes)
        for position, column in wanted:
            profile = profiles[column]
            if pack and is_arrow_text(dtypes[position]):
                packed.append((profile, column_array(frame, position)))
            else:  # by position: safe with duplicate headers
                profile.add(frame.iloc[:, position])
        for group in value_groups(packed, lambda item: len(frame)):
            add_packed(group)
        if new:
            self._insert(new, list(frame.columns))
        self.rows += len(frame)

    def _new_profiles(
        self, fresh: list[tuple[int, str]], headers: Mapping[str, str]
    ) -> list[tuple[int, ColumnProfile]]:
        """Profiles of the columns first seen in this batch, their headers looked up
        together (``place_headers``)."""
        by_header = [c for _, c in fresh if not is_canonical(c)]
        placed = dict(
            zip(by_header, place_headers([headers.get(c, c) for c in by_header]), strict=True)
        )
        return [
            (p, ColumnProfile(c, headers.get(c, c), self.kind, placed=placed.get(c)))
            for p, c in fresh
        ]

    def _insert(self, new: list[tuple[int, ColumnProfile]], batch: list[Any]) -> None:
        """Add the columns first seen in this batch (a JSONL key only later events carry),
        each before the first known column (in profile order) that follows it in this
        batch, else at the end. A whole-file batch lists a new event_params key at the
        end of the event_params block, before the next top-level field, and so does this
        (whatever order the keys of this batch came in). One pass from the end finds,
        for every position, the earliest known column after it."""
        order = {column: at for at, column in enumerate(self.columns)}
        end = len(order)
        before: dict[int, list[ColumnProfile]] = {}
        earliest, pending = end, list(new)
        for position in range(len(batch) - 1, -1, -1):
            while pending and pending[-1][0] == position:
                before.setdefault(earliest, []).append(pending.pop()[1])
            earliest = min(earliest, order.get(batch[position], end))
        items: dict[str, ColumnProfile] = {}
        for at, (column, profile) in enumerate([*self.columns.items(), ("", None)]):
            for added in reversed(before.get(at, ())):
                items[added.column] = added
            if profile is not None:
                items[column] = profile
        self.columns = items

    def data_map_rows(self, policy: Any, declared: Any) -> list[dict[str, Any]]:
        """The data-map rows of this source (see datamap.DATA_MAP_COLUMNS)."""
        decide(list(self.columns.values()))
        out: list[dict[str, Any]] = []
        rows = self.rows
        for column, profile in self.columns.items():
            share = float(profile.filled) / rows if rows else 0.0
            for category, detected_by in profile.categories():
                out.append(
                    {
                        "source": self.rel,
                        "column": profile.header,
                        "canonical": column if is_canonical(column) else None,
                        "category": category,
                        "detected_by": detected_by,
                        "activity": self.activity,
                        "declared": declared(policy, self.activity, category),
                        "non_empty_share": share,
                        "rows": rows,
                    }
                )
        return out
