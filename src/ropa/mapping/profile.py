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

from collections.abc import Callable, Iterator, Mapping
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
    value_categories,
    value_category,
)
from ropa.mapping.names import (
    canonical_category,
    category_from_header,
    is_canonical,
    not_personal_header,
    place_headers,
)
from ropa.sources.common import blank_values

HEALTH = "user.health_and_medical"
SYSTEM_COLUMNS = frozenset({"_source", "_row"})
# Identifier-like categories: a health word inside an e-mail address, a cookie id or a
# card number is a coincidence, not a statement about the person, so these columns are
# not scanned for health terms. Every other text column is (names and notes included).
NOT_FREE_TEXT = (
    "user.contact.email", "user.contact.phone_number", "user.device", "user.unique_id",
    "user.government_id", "user.financial", "user.location.precise",
)  # fmt: skip
# A batch shorter than this is profiled packed (many columns at once, see add_packed), in
# groups of about GROUP_VALUES values; longer ones column by column.
PACK_ROWS = 4096
GROUP_VALUES = 1 << 18
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


def _filled(values: pa.Array) -> pa.Array:
    """Per value: not null and not blank."""
    if pa.types.is_dictionary(values.type):
        per_value = _filled(values.dictionary)
        return pc.fill_null(pc.take(per_value, values.indices), False)
    return pc.fill_null(pc.invert(blank_values(values)), False)


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
        total += valid - int(pc.sum(blank_values(chunk)).as_py() or 0)
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
    samples: list[pd.Series | pa.Array] = field(default_factory=list)  # arrow: packed
    sampled: int = 0
    value: Any = _PENDING  # category from the sampled values, once decided
    text: bool | None = None
    health: bool = False
    placed: tuple[str | None, bool] | None = None  # (named, by_name) if looked up already

    def __post_init__(self) -> None:
        if self.placed is not None:
            self.named, self.by_name = self.placed
        elif is_canonical(self.column):
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
        decide([self])

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


def decide(profiles: list[ColumnProfile]) -> None:
    """Decide the value category of every profile still pending, from its sample so far.
    Samples of packed text columns (arrow arrays) are categorised together, a group of
    columns per ``value_categories`` call."""
    packed: list[ColumnProfile] = []
    for profile in profiles:
        if profile.value is not _PENDING:
            continue
        if not profile.samples:
            profile.value = None
        elif all(isinstance(part, pa.Array) for part in profile.samples):
            packed.append(profile)
        else:
            parts = [
                part if isinstance(part, pd.Series) else pd.Series(part, dtype=STRING)
                for part in profile.samples
            ]
            profile.value = value_category(pd.concat(parts))
        if profile.value is not _PENDING:
            profile.samples = []
    for group in _groups(packed, lambda p: p.sampled):
        parts = [part for p in group for part in p.samples]
        values = pc.utf8_trim_whitespace(_concat(parts))
        ids = np.repeat(np.arange(len(group)), [p.sampled for p in group])
        for profile, category in zip(group, value_categories(values, ids, len(group)), strict=True):
            profile.value, profile.samples = category, []


def _groups(items: list[Any], size: Callable[[Any], int]) -> Iterator[list[Any]]:
    """``items`` in order, in groups of about ``GROUP_VALUES`` values."""
    group: list[Any] = []
    total = 0
    for item in items:
        group.append(item)
        total += size(item)
        if total >= GROUP_VALUES:
            yield group
            group, total = [], 0
    if group:
        yield group


def _concat(arrays: list[pa.Array | pa.ChunkedArray]) -> pa.Array:
    """One ``large_string`` array of the text arrays, in order."""
    chunks = [c for a in arrays for c in (a.chunks if isinstance(a, pa.ChunkedArray) else [a])]
    chunks = [c if c.type == pa.large_string() else c.cast(pa.large_string()) for c in chunks]
    return pa.concat_arrays(chunks) if chunks else pa.array([], pa.large_string())


def is_arrow_text(dtype: Any) -> bool:
    """Text held in arrow, not as a dictionary (``string[pyarrow]``, arrow strings)."""
    if isinstance(dtype, pd.StringDtype):
        return str(dtype.storage).startswith("pyarrow")
    return isinstance(dtype, pd.ArrowDtype) and (
        pa.types.is_string(dtype.pyarrow_dtype) or pa.types.is_large_string(dtype.pyarrow_dtype)
    )


def column_array(frame: pd.DataFrame, position: int) -> pa.Array | pa.ChunkedArray:
    """The arrow values of the arrow text column at ``position``, without a copy. The
    block manager hands them over without building a Series (a tenth of the cost, which
    counts at 300,000 columns); iloc where pandas has no ``iget_values``."""
    get = getattr(getattr(frame, "_mgr", None), "iget_values", None)
    values = get(position) if callable(get) else frame.iloc[:, position].array
    return pa.array(values)


def add_packed(columns: list[tuple[ColumnProfile, pa.Array | pa.ChunkedArray]]) -> None:
    """``ColumnProfile.add`` for many short text columns at once: their values are put
    one after another and counted, sampled and scanned in one pass each, so a file of
    300,000 columns costs per value, not per column."""
    values = _concat([arr for _, arr in columns])
    profiles = [profile for profile, _ in columns]
    ids = np.repeat(np.arange(len(columns)), [len(arr) for _, arr in columns])
    filled = _filled(values).to_numpy(zero_copy_only=False)
    counts = np.bincount(ids, weights=filled, minlength=len(columns)).astype(np.int64)
    for profile, count in zip(profiles, counts.tolist(), strict=True):
        profile.filled += count
        profile.text = True if profile.text is None else profile.text
    _sample_packed(profiles, values, ids, filled)
    decide([p for p in profiles if p.value is _PENDING and p.sampled >= SAMPLE_SIZE])
    scan = np.array([p._scan() and not p.health for p in profiles], dtype=bool)
    if scan.any():
        keep = scan[ids]
        text = values if keep.all() else values.filter(pa.array(keep))
        hits = pc.match_substring_regex(text, HEALTH_PATTERN, ignore_case=True)
        hit = pc.fill_null(hits, False).to_numpy(zero_copy_only=False)
        for column in np.unique(ids[keep][hit]).tolist():
            profiles[column].health = True


def _sample_packed(
    profiles: list[ColumnProfile], values: pa.Array, ids: np.ndarray, filled: np.ndarray
) -> None:
    """Add to each pending profile the first filled values it still wants."""
    pending = np.array([p.value is _PENDING for p in profiles], dtype=bool)
    if not pending.any():
        return
    wanted = np.array([SAMPLE_SIZE - p.sampled for p in profiles], dtype=np.int64)
    rank = np.cumsum(filled, dtype=np.int64)  # filled values up to here, this one included
    lengths = np.bincount(ids, minlength=len(profiles))
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    before = np.concatenate([[0], rank])[starts]
    take = filled & pending[ids] & (rank - before[ids] <= wanted[ids])
    positions = np.flatnonzero(take)
    if not len(positions):
        return
    picked = values.take(pa.array(positions))
    per_column = np.bincount(ids[positions], minlength=len(profiles))
    at = 0
    for column in np.flatnonzero(per_column).tolist():
        n = int(per_column[column])
        profiles[column].samples.append(picked.slice(at, n))
        profiles[column].sampled += n
        at += n


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
        for group in _groups(packed, lambda item: len(frame)):
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
