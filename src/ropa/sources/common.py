"""Helpers every loader shares: dtypes, header matching, renaming, times, booleans, numbers.

All conversions are vectorised (pandas / pyarrow), so a loader costs the same per row
whatever the vendor. Values that cannot be read become null and are *counted* in the
source's problems; the values themselves are never quoted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ropa.sources.canonical import Kind

STRING = pd.StringDtype("pyarrow")  # "string[pyarrow]", missing = pd.NA
TIME = pd.DatetimeTZDtype("us", "UTC")  # "datetime64[us, UTC]"
BOOL = pd.ArrowDtype(pa.bool_())  # "bool[pyarrow]"
FLOAT = pd.ArrowDtype(pa.float64())  # "double[pyarrow]"
INT = pd.ArrowDtype(pa.int64())  # "int64[pyarrow]"
LOCAL_TZ = "Europe/Oslo"

# Every value is classified once by a (RE2) pattern and parsed with that class's exact
# format, so a column costs one parse whatever mix of formats it holds. Kinds: "zoned"
# (offset in the value), "date" (a calendar date: midnight UTC, so its UTC date is the
# date exported) and "local" (zone-less date-time in the loader's zone). What no
# pattern claims is tried as zone-less ISO 8601.
_ISO = "ISO8601"
_TIME_CLASSES = (
    (r"^\d{4}-\d\d-\d\d \d\d:\d\d$", "%Y-%m-%d %H:%M", "local"),
    (r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", "%Y-%m-%d %H:%M:%S", "local"),
    (r"\d[T ]?\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?\s?(?:Z|[+-]\d\d(?::?\d\d)?)$", _ISO, "zoned"),
    (r"^\d{4}-\d\d-\d\d$", "%Y-%m-%d", "date"),
    (r"^\d\d?\.\d\d?\.\d{4} \d\d?:\d\d$", "%d.%m.%Y %H:%M", "local"),
    (r"^\d\d?\.\d\d?\.\d{4} \d\d?:\d\d:\d\d$", "%d.%m.%Y %H:%M:%S", "local"),
    (r"^\d\d?\.\d\d?\.\d{4}$", "%d.%m.%Y", "date"),
    (r"", _ISO, "local"),
)


def norm(header: object) -> str:
    """Header as compared: BOM stripped, whitespace collapsed, case-folded."""
    return " ".join(str(header).replace("\ufeff", "").split()).casefold()


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def unique_names(headers: Iterable[object]) -> tuple[list[str], list[str], list[str]]:
    """Frame column names for raw headers: ``(names, raw, problems)``.

    A repeated header keeps its data under ``Name.1``, ``Name.2``; an empty one becomes
    ``Unnamed: i`` (0-based position, as pandas does).
    """
    raw = ["" if h is None else str(h).replace("\ufeff", "") for h in headers]
    names: list[str] = []
    problems: list[str] = []
    seen: set[str] = set()
    for i, h in enumerate(raw):
        name = h.strip() or f"Unnamed: {i}"
        if name in seen:
            n = 1
            while f"{name}.{n}" in seen:
                n += 1
            problems.append(f"duplicate column header '{name}' (copy kept as '{name}.{n}')")
            name = f"{name}.{n}"
        seen.add(name)
        names.append(name)
    return names, raw, problems


def alias_map(kind: Kind) -> dict[str, str]:
    """Normalised vendor header -> canonical column (the canonical name also matches)."""
    out: dict[str, str] = {}
    for canon, aliases in kind.columns.items():
        for alias in (canon, *aliases):
            out.setdefault(norm(alias), canon)
    return out


def canonicalise(
    frame: pd.DataFrame, raw: list[str], kind: Kind, column_map: Mapping[str, str]
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Rename recognised columns; keep the rest under their header. Returns frame, headers."""
    aliases = alias_map(kind)
    by_hand = {norm(h): c for h, c in column_map.items()}
    rename: dict[str, str] = {}
    for col, header in zip(frame.columns, raw, strict=True):
        canon = by_hand.get(norm(header)) or aliases.get(norm(header))
        if canon and canon not in rename.values() and col == (header.strip() or col):
            rename[col] = canon
    taken = set(rename.values())
    for col in frame.columns:
        if col in rename:
            continue
        name, n = col, 0
        while name in taken:
            n += 1
            name = f"{col}.{n}"
        rename[col] = name
        taken.add(name)
    headers = {rename[c]: h for c, h in zip(frame.columns, raw, strict=True)}
    return frame.rename(columns=rename), headers


def blank(s: pd.Series) -> pd.Series:
    """True where a cell is null or whitespace only."""
    return (s.isna() | (s.astype(STRING).str.strip() == "")).fillna(True).astype(bool)


def _arrow_text(values: pd.Series) -> pa.Array:
    """Trimmed text as one pyarrow array, empty cells null."""
    arr = pa.array(values.astype(STRING)).cast(pa.large_string())
    txt = pc.utf8_trim_whitespace(arr)
    return pc.if_else(pc.equal(txt, ""), pa.scalar(None, pa.large_string()), txt)


def _localise(naive: np.ndarray, tz: str) -> np.ndarray:
    # Autumn's repeated hour: take the first (summer-time) reading; spring's missing
    # hour: move forward. Neither turns a readable time into NaT.
    first = np.ones(len(naive), dtype=bool)
    index = pd.DatetimeIndex(naive).tz_localize(tz, ambiguous=first, nonexistent="shift_forward")
    return np.asarray(index.tz_convert("UTC").tz_localize(None), dtype="M8[us]")


def to_utc(values: pd.Series, tz: str = LOCAL_TZ) -> tuple[pd.Series, int]:
    """Parse exported times to UTC; returns the times and how many were unreadable.

    Values with a zone (``Z``, ``+01:00``) keep it; zone-less date-times are local to
    ``tz``; plain dates are midnight UTC, so their UTC date is the date exported.
    """
    txt = _arrow_text(values)
    n = len(txt)
    utc = np.full(n, np.datetime64("NaT"), dtype="M8[us]")
    local = utc.copy()
    todo = np.flatnonzero(np.asarray(pc.is_valid(txt)))
    present = len(todo)
    for pattern, fmt, kind in _TIME_CLASSES:
        if not len(todo):
            break
        sub = txt.take(pa.array(todo))
        hit = np.asarray(pc.fill_null(pc.match_substring_regex(sub, pattern), False))
        if not hit.any():
            continue
        got = pd.to_datetime(
            pd.Series(sub.filter(pa.array(hit)), dtype=STRING),
            format=fmt,
            errors="coerce",
            utc=kind == "zoned",
        )
        if kind == "zoned":
            got = got.dt.tz_localize(None)
        target = local if kind == "local" and tz != "UTC" else utc
        target[todo[hit]] = np.asarray(got, dtype="M8[us]")
        todo = todo[~hit]
    known = ~np.isnat(local)
    if known.any():
        utc[known] = _localise(local[known], tz)
    times = pd.Series(pd.DatetimeIndex(utc).tz_localize("UTC"), index=values.index, dtype=TIME)
    return times, int(present - (~np.isnat(utc)).sum())


def parse_times(
    frame: pd.DataFrame,
    headers: Mapping[str, str],
    problems: list[str],
    columns: Iterable[str],
    tz: str = LOCAL_TZ,
) -> None:
    """Convert each present ``columns`` in place to UTC times, counting unreadable ones."""
    for col in columns:
        if col in frame.columns:
            frame[col], bad = to_utc(frame[col], tz)
            if bad:
                problems.append(f"{plural(bad, 'row')} with unreadable dates in '{headers[col]}'")


def map_labels(values: pd.Series, mapping: Mapping[str, Any], dtype: Any) -> pd.Series:
    """Map trimmed, lower-cased labels through ``mapping`` (looked up once per distinct
    label); unknown labels become null."""
    key = values.astype(STRING).str.strip().str.lower()
    codes, uniques = pd.factorize(key, use_na_sentinel=True)
    lookup = {k.lower(): v for k, v in mapping.items()}
    mapped = pd.array([lookup.get(u) for u in uniques] + [None], dtype=dtype)
    return pd.Series(mapped.take(np.where(codes < 0, len(uniques), codes)), index=values.index)


def parse_bool(
    frame: pd.DataFrame,
    headers: Mapping[str, str],
    problems: list[str],
    col: str,
    words: Mapping[str, bool],
) -> None:
    """Map labels (matched trimmed, any case) to nullable booleans; count unknown ones."""
    if col not in frame.columns:
        return
    got = map_labels(frame[col], words, BOOL)
    bad = int((got.isna() & ~blank(frame[col])).sum())
    if bad:
        problems.append(f"{plural(bad, 'row')} with an unrecognised value in '{headers[col]}'")
    frame[col] = got


def parse_float(
    frame: pd.DataFrame, headers: Mapping[str, str], problems: list[str], col: str
) -> None:
    """Numbers with a decimal point or comma to ``double[pyarrow]``; count unreadable ones."""
    if col not in frame.columns:
        return
    txt = frame[col].astype(STRING).str.strip().str.replace(",", ".", regex=False)
    got = pd.to_numeric(txt.where(txt != ""), errors="coerce").astype(FLOAT)
    bad = int((got.isna() & ~blank(frame[col])).sum())
    if bad:
        problems.append(f"{plural(bad, 'row')} with unreadable numbers in '{headers[col]}'")
    frame[col] = got


def normalise_label(frame: pd.DataFrame, col: str) -> pd.Series:
    """Lower-cased text with spaces, hyphens and underscores removed."""
    arr = pc.utf8_lower(pa.array(frame[col].astype(STRING)))
    return pd.Series(pc.replace_substring_regex(arr, r"[\s_-]+", ""), index=frame.index).astype(
        STRING
    )
