"""Sample files and frames: what an export is (``SampleFile``) and how big (``Plan``),
bulk text columns plus the bookkeeping columns, and planted rows slotted
in among the bulk rows by position (``scatter``) or by time (``merge``) without gathering
the bulk columns row by row (``ropa_samples.gen`` re-exports these).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

META = ("_note", "_near")
TEXT = pa.large_string()


@dataclass
class SampleFile:
    """One export as it will be written, plus how to write it."""

    rel: str
    kind: str
    frame: pd.DataFrame
    fmt: str = "csv"  # csv, xlsx, jsonl, parquet
    encoding: str = "utf-8"
    delimiter: str = ","
    lineterminator: str = "\n"
    email_col: str | None = None

    @property
    def headers(self) -> list[str]:
        return [c for c in self.frame.columns if c not in META]

    @property
    def data(self) -> pd.DataFrame:
        return self.frame[self.headers]


def count(base: int, scale: float) -> int:
    """Bulk rows of a file at ``scale`` (planted rows come on top)."""
    return max(0, int(round(base * scale)))


ANALYTICS_FORMATS = ("parquet", "csv", "jsonl")


@dataclass(frozen=True)
class Plan:
    """How big each export is and how the flattened GA4 export is written.

    ``scale`` multiplies every file's bulk rows. ``rows`` overrides it per kind (the
    benchmark asks for "1,000,000 HubSpot contacts", not a multiplier): the kind's main
    export then holds exactly that many rows, planted rows included, while its other
    exports (the Norwegian HubSpot file, the Envoy XLSX archive, the daily GA4 JSONL)
    keep their ``scale`` size. ``analytics_formats`` lists the formats the flattened GA4
    export is written in, the same events in each (``ga4/events_flat.<format>``).
    """

    scale: float = 1.0
    rows: Mapping[str, int] = field(default_factory=dict)
    analytics_formats: tuple[str, ...] = ("parquet",)

    def bulk(self, kind: str, base: int, planted: int) -> int:
        """Bulk rows of ``kind``'s main export, given how many rows are planted in it."""
        if kind in self.rows:
            return max(0, int(self.rows[kind]) - planted)
        return count(base, self.scale)

    def other(self, base: int) -> int:
        """Bulk rows of a secondary export (always at ``scale``)."""
        return count(base, self.scale)


# ---------------------------------------------------------------------- text columns


def _const(value: str, n: int) -> pa.Array:
    return pa.array(np.full(n, value, dtype=object), TEXT)


def frame_of(headers: Sequence[str], cols: dict[str, Any], n: int) -> pd.DataFrame:
    """Text columns (missing headers -> "") plus the meta columns, ``n`` rows."""
    return pd.DataFrame(
        {
            h: pd.Series(cols[h] if h in cols else _const("", n), dtype="str")
            for h in (*headers, *META)
        }
    )


def planted_frame(headers: Sequence[str], rows: list[dict[str, Any]]) -> pd.DataFrame:
    names = (*headers, *META)
    return pd.DataFrame(
        [{h: r.get(h, "") for h in names} for r in rows], columns=names, dtype="str"
    )


def insert(bulk: pd.DataFrame, rows: pd.DataFrame, positions: np.ndarray) -> pd.DataFrame:
    """``rows[i]`` placed before bulk row ``positions[i]`` (non-decreasing). Slices and one
    concat: the bulk columns are never gathered row by row."""
    pieces, prev = [], 0
    for i, pos in enumerate(positions):
        pieces += [bulk.iloc[prev:pos], rows.iloc[i : i + 1]]
        prev = int(pos)
    pieces.append(bulk.iloc[prev:])
    return pd.concat([p for p in pieces if len(p)] or [bulk], ignore_index=True)


def scatter(bulk: pd.DataFrame, rows: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Planted rows at random places among bulk rows (which are already in random order)."""
    rows = rows.iloc[rng.permutation(len(rows))]
    return insert(bulk, rows, np.sort(rng.integers(0, len(bulk) + 1, len(rows))))


def merge(
    bulk: pd.DataFrame,
    rows: pd.DataFrame,
    bulk_key: np.ndarray,
    rows_key: np.ndarray,
    descending: bool = False,
) -> pd.DataFrame:
    """Planted rows merged into bulk rows already sorted by ``bulk_key`` (int64 or
    datetime64; descending if ``descending``), each after the bulk rows it ties with."""

    def ints(key: np.ndarray) -> np.ndarray:
        key = np.asarray(key)
        if np.issubdtype(key.dtype, np.datetime64):
            key = key.astype("datetime64[s]")
        return (-1 if descending else 1) * key.astype(np.int64)

    b, r = ints(bulk_key), ints(rows_key)
    order = np.argsort(r, kind="stable")
    return insert(bulk, rows.iloc[order], np.searchsorted(b, r[order], side="right"))


def text_times(values: pd.Series) -> np.ndarray:
    """Planted ISO times ("YYYY-MM-DD[ HH:MM:SS]") as datetime64[s], for merging."""
    return np.array(values.tolist(), dtype="datetime64[s]")


def near(*items: tuple[str, str]) -> str:
    return "|".join(f"{rule}: {why}" for rule, why in items)


def joined_bytes(lines: pa.Array) -> bytes:
    """The UTF-8 concatenation of a text array without nulls, straight from its buffer."""
    if isinstance(lines, pa.ChunkedArray):
        lines = lines.combine_chunks()
    lines = lines.cast(TEXT)
    if not len(lines):
        return b""
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)
    start, end = offsets[lines.offset], offsets[lines.offset + len(lines)]
    return bytes(memoryview(lines.buffers()[2])[start:end])
