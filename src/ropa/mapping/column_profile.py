"""One column's profile for the data map, gathered batch by batch (``ColumnProfile``),
and short text columns profiled many at once (``add_packed``): non-empty values
counted, the first ``SAMPLE_SIZE`` filled values sampled for the value detectors, the
health scan until a hit (``ropa.mapping.profile`` explains the whole).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ropa.mapping._arrow import STRING
from ropa.mapping.detectors import (
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
)
from ropa.mapping.text_values import (
    concat_text,
    count_filled,
    filled as filled_values,
    first_filled,
    mentions_health_array,
    text_array,
)

HEALTH = "user.health_and_medical"
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
            positions = first_filled(arr, wanted)
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
    for group in value_groups(packed, lambda p: p.sampled):
        parts = [part for p in group for part in p.samples]
        values = pc.utf8_trim_whitespace(concat_text(parts))
        ids = np.repeat(np.arange(len(group)), [p.sampled for p in group])
        for profile, category in zip(group, value_categories(values, ids, len(group)), strict=True):
            profile.value, profile.samples = category, []


def value_groups(items: list[Any], size: Callable[[Any], int]) -> Iterator[list[Any]]:
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


def add_packed(columns: list[tuple[ColumnProfile, pa.Array | pa.ChunkedArray]]) -> None:
    """``ColumnProfile.add`` for many short text columns at once: their values are put
    one after another and counted, sampled and scanned in one pass each, so a file of
    300,000 columns costs per value, not per column."""
    values = concat_text([arr for _, arr in columns])
    profiles = [profile for profile, _ in columns]
    ids = np.repeat(np.arange(len(columns)), [len(arr) for _, arr in columns])
    filled = filled_values(values).to_numpy(zero_copy_only=False)
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
