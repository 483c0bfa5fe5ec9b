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

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ropa.mapping._arrow import STRING, is_text
from ropa.mapping.detectors import (
    HEALTH_CHUNK,
    HEALTH_PATTERN,
    SAMPLE_SIZE,
    non_empty,
    value_category,
)
from ropa.mapping.names import (
    canonical_category,
    category_from_header,
    is_canonical,
    not_personal_header,
)

HEALTH = "user.health_and_medical"
SYSTEM_COLUMNS = frozenset({"_source", "_row"})
# Identifier-like categories: a health word inside an e-mail address, a cookie id or a
# card number is a coincidence, not a statement about the person, so these columns are
# not scanned for health terms. Every other text column is (names and notes included).
NOT_FREE_TEXT = (
    "user.contact.email", "user.contact.phone_number", "user.device", "user.unique_id",
    "user.government_id", "user.financial", "user.location.precise",
)  # fmt: skip
_PENDING = object()  # value category not decided yet (sample still filling)


def text_array(series: pd.Series) -> pa.Array | pa.ChunkedArray | None:
    """A text column as arrow (dictionaries stay dictionaries), None for other dtypes."""
    dtype = series.dtype
    if isinstance(dtype, pd.ArrowDtype) and pa.types.is_dictionary(dtype.pyarrow_dtype):
        return pa.array(series.array)
    if is_text(series):
        return pa.array(series if isinstance(dtype, pd.StringDtype) else series.astype(STRING))
    return None


def _chunks(values: pa.Array | pa.ChunkedArray) -> list[pa.Array]:
    return values.chunks if isinstance(values, pa.ChunkedArray) else [values]


def _blank(values: pa.Array) -> pa.Array:
    """Empty or whitespace only (``utf8_is_space`` knows exactly the characters
    ``utf8_trim_whitespace`` strips, and builds no trimmed copy); null stays null."""
    return pc.or_(pc.equal(pc.binary_length(values), 0), pc.utf8_is_space(values))


def _filled(values: pa.Array) -> pa.Array:
    """Per value: not null and not blank."""
    if pa.types.is_dictionary(values.type):
        per_value = _filled(values.dictionary)
        return pc.fill_null(pc.take(per_value, values.indices), False)
    return pc.fill_null(pc.invert(_blank(values)), False)


def uses(values: pa.DictionaryArray) -> np.ndarray:
    """How many rows use each dictionary entry (nulls use none)."""
    indices = values.indices
    if indices.null_count:
        indices = indices.drop_null()
    codes = indices.to_numpy(zero_copy_only=False)
    return np.bincount(codes, minlength=len(values.dictionary))


def count_filled(values: pa.Array | pa.ChunkedArray) -> int:
    """How many values are not null and not blank (counted, no mask kept; a dictionary
    is tested once per entry and weighed by how many rows use it)."""
    total = 0
    for chunk in _chunks(values):
        if pa.types.is_dictionary(chunk.type):
            per_entry = _filled(chunk.dictionary).to_numpy(zero_copy_only=False)
            total += int(uses(chunk)[per_entry].sum())
            continue
        valid = len(chunk) - chunk.null_count
        total += valid - int(pc.sum(_blank(chunk)).as_py() or 0)
    return total


def mentions_health_array(values: pa.Array | pa.ChunkedArray) -> bool:
    """Whether any value mentions a health term: distinct values in chunks, stopping at
    the first hit. Whitespace around a value cannot change a match (the pattern's
    boundaries accept it), so values are not trimmed first."""
    if isinstance(values, pa.ChunkedArray):
        return any(mentions_health_array(chunk) for chunk in values.chunks)
    if pa.types.is_dictionary(values.type):
        used = pa.array(np.flatnonzero(uses(values)))  # entries some row holds
        return mentions_health_array(pc.take(values.dictionary, used))
    for start in range(0, len(values), HEALTH_CHUNK):
        chunk = pc.unique(values.slice(start, HEALTH_CHUNK))
        if pc.any(pc.match_substring_regex(chunk, HEALTH_PATTERN, ignore_case=True)).as_py():
            return True
    return False


def _first_filled(values: pa.Array | pa.ChunkedArray, wanted: int) -> np.ndarray:
    """Positions of the first ``wanted`` filled values, looking no further than needed."""
    found: list[np.ndarray] = []
    start = have = 0
    for chunk in _chunks(values):
        step = max(wanted * 4, 8192)
        for at in range(0, len(chunk), step):
            part = _filled(chunk.slice(at, step)).to_numpy(zero_copy_only=False)
            hits = np.flatnonzero(part)[: wanted - have] + start + at
            found.append(hits)
            have += len(hits)
            if have >= wanted:
                return np.concatenate(found)
        start += len(chunk)
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


@dataclass
class ColumnProfile:
    """What the data map needs to know about one column, gathered batch by batch."""

    column: str
    header: str
    kind: str
    named: str | None = None  # category from the name (canonical table or header synonym)
    by_name: bool = False  # the name placed the column (a category, or "not personal")
    filled: int = 0
    samples: list[pd.Series] = field(default_factory=list)
    sampled: int = 0
    value: Any = _PENDING  # category from the sampled values, once decided
    text: bool | None = None
    health: bool = False

    def __post_init__(self) -> None:
        if is_canonical(self.column):
            # a loader recognised the column: its name decides, even when the canonical
            # table says "not personal data" (null)
            self.named = canonical_category(self.column, self.kind)
            self.by_name = True
        else:
            self.named = category_from_header(self.header)
            self.by_name = self.named is not None or not_personal_header(self.header)
        if self.by_name:
            self.value = None  # the name decides: values are not sampled

    def add(self, series: pd.Series) -> None:
        arr = text_array(series)
        self.text = arr is not None if self.text is None else self.text
        if arr is not None:
            self.filled += count_filled(arr)
        else:
            self.filled += int(non_empty(series).sum())
        if self.value is _PENDING:
            self._sample(series, arr)
        if arr is not None and self._scan() and not self.health:
            self.health = mentions_health_array(arr)

    def _sample(self, series: pd.Series, arr: pa.Array | pa.ChunkedArray | None) -> None:
        wanted = SAMPLE_SIZE - self.sampled
        if arr is None:
            positions = np.flatnonzero(non_empty(series).to_numpy())[:wanted]
        else:
            positions = _first_filled(arr, wanted)
        if len(positions):
            part = series.iloc[positions]
            if isinstance(part.dtype, pd.ArrowDtype) and pa.types.is_dictionary(
                part.dtype.pyarrow_dtype
            ):
                part = part.astype(STRING)
            self.samples.append(part)
            self.sampled += len(positions)
        if self.sampled >= SAMPLE_SIZE:
            self._decide()

    def _decide(self) -> None:
        if self.value is not _PENDING:
            return
        values = pd.concat(self.samples) if self.samples else pd.Series(dtype=STRING)
        self.value = value_category(values) if len(values) else None
        self.samples = []

    def _scan(self) -> bool:
        """Whether the health scan may still matter (the categories found allow it)."""
        found = [c for c in (self.named, None if self.value is _PENDING else self.value) if c]
        return HEALTH not in found and not any(c.startswith(NOT_FREE_TEXT) for c in found)

    def categories(self) -> list[tuple[str | None, str | None]]:
        """``(category, detected_by)`` pairs, sorted by category. A column with no
        personal data is ``[(None, "name")]`` when its name says so (a canonical column
        the table maps to null, a ``not_personal_headers`` header) and ``[(None, None)]``
        when nothing placed it: an unmapped column."""
        self._decide()
        found: dict[str, str] = {}
        if self.named:
            found[self.named] = "name"
        elif self.value:
            found[self.value] = "value"
        if self.text and self.health and self._scan():
            found[HEALTH] = "value"
        if not found:
            return [(None, "name" if self.by_name else None)]
        return sorted(found.items())


@dataclass
class SourceProfile:
    """Every column of one source, in frame order (columns first seen later appended)."""

    rel: str
    kind: str
    activity: str
    columns: dict[str, ColumnProfile] = field(default_factory=dict)
    rows: int = 0

    def add(self, frame: pd.DataFrame, headers: Mapping[str, str]) -> None:
        """One batch of records (all loaded columns, any subset of them)."""
        seen = set()
        for position, column in enumerate(frame.columns):
            if column in SYSTEM_COLUMNS or column in seen:
                continue
            seen.add(column)
            profile = self.columns.get(column)
            if profile is None:  # a column absent from earlier batches was empty there
                header = headers.get(column, column)
                profile = ColumnProfile(column, header, self.kind)
                self._insert(profile, frame.columns[position + 1 :])
            profile.add(frame.iloc[:, position])  # by position: safe with duplicate headers
        self.rows += len(frame)

    def _insert(self, profile: ColumnProfile, after: Any) -> None:
        """Add a column first seen in a later batch (a JSONL key only later events carry)
        before the first known column that follows it in this batch. A whole-file batch
        lists a new event_params key at the end of the event_params block, before the
        next top-level field, and so does this (whatever order the keys of this batch
        came in)."""
        order = list(self.columns)
        followers = [order.index(c) for c in after if c in self.columns]
        at = min(followers) if followers else len(order)
        items = list(self.columns.items())
        items.insert(at, (profile.column, profile))
        self.columns = dict(items)

    def data_map_rows(self, policy: Any, declared: Any) -> list[dict[str, Any]]:
        """The data-map rows of this source (see datamap.DATA_MAP_COLUMNS)."""
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
