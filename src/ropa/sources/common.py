"""Helpers every loader shares: dtypes, header matching, renaming, times, booleans, numbers.

All conversions are vectorised (pandas / pyarrow), so a loader costs the same per row
whatever the vendor. Values that cannot be read become null and are *counted* in the
source's problems; the values themselves are never quoted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ropa.dtypes import STRING
from ropa.sources.canonical import Kind
from ropa.sources.dates import LOCAL_TZ, TIME, local_zone, parse_times, to_utc  # noqa: F401

BOOL = pd.ArrowDtype(pa.bool_())  # "bool[pyarrow]"
FLOAT = pd.ArrowDtype(pa.float64())  # "double[pyarrow]"
INT = pd.ArrowDtype(pa.int64())  # "int64[pyarrow]"


def is_text_type(t: pa.DataType) -> bool:
    """Arrow text: ``string``, ``large_string``, or a dictionary of either."""
    if pa.types.is_dictionary(t):
        t = t.value_type
    return pa.types.is_string(t) or pa.types.is_large_string(t)


def norm(header: object) -> str:
    """Header as compared: case-folded, with every character that is not a letter or a
    digit removed ("Create Date", "createdate", "CREATE_DATE" and "Name (First)" /
    "name first" compare equal; a BOM goes too). A header of punctuation only ("#") is
    kept as it is, trimmed."""
    text = str(header).replace("\ufeff", "")
    return re.sub(r"[\W_]+", "", text.casefold()) or text.strip()


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


_ALIASES: dict[int, tuple[Kind, dict[str, str]]] = {}  # id(kind) -> (kind, its map)


def alias_map(kind: Kind) -> dict[str, str]:
    """Normalised vendor header -> canonical column (the canonical name also matches).
    Made once per kind (every file's sniff and load asks for it); do not change it."""
    cached = _ALIASES.get(id(kind))
    if cached is not None and cached[0] is kind:
        return cached[1]
    out: dict[str, str] = {}
    for canon, aliases in kind.columns.items():
        for alias in (canon, *aliases):
            out.setdefault(norm(alias), canon)
    _ALIASES[id(kind)] = (kind, out)
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


# Whitespace as ``str.isspace`` sees it (so ``str.strip``, Python's ``\s``, arrow's
# ``utf8_is_space`` and ``blank_values``); every such character lies below U+3001.
SPACES = [c for c in range(0x3001) if chr(c).isspace()]


def regex_class(codes: Iterable[int], negate: bool = False) -> str:
    """A regex class of ``codes`` (or, with ``negate``, of any other character):
    ``\\x{...}`` escapes, consecutive codes as ranges, read alike by RE2 (DuckDB,
    BigQuery, arrow) and Java (Spark)."""
    runs: list[list[int]] = []
    for code in sorted(codes):
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    parts = [f"\\x{{{a:X}}}" + (f"-\\x{{{b:X}}}" if b > a else "") for a, b in runs]
    return ("[^" if negate else "[") + "".join(parts) + "]"


def join_texts(*parts: pa.Array | pa.ChunkedArray | str) -> pa.Array | pa.ChunkedArray:
    """The parts (text arrays or constant texts) joined per row with nothing between, in
    one arrow pass; null where any part is null (as pandas' ``+`` of text columns)."""
    text = pa.large_string()
    return pc.binary_join_element_wise(
        *[pa.scalar(p, text) if isinstance(p, str) else p.cast(text) for p in parts],
        pa.scalar("", text),
    )


def blank_values(values: pa.Array) -> pa.Array:
    """Per text value: empty or whitespace only; null stays null. The one test of "blank"
    (``blank``, ``rules.values.present``, the data map's counts): ``utf8_is_space`` knows
    exactly the characters ``str.strip`` and ``utf8_trim_whitespace`` remove, and no
    trimmed copy is built."""
    return pc.or_(pc.equal(pc.binary_length(values), 0), pc.utf8_is_space(values))


def blank(s: pd.Series) -> pd.Series:
    """True where a cell is null or blank (``blank_values``), as plain numpy bools."""
    mask = pc.fill_null(blank_values(pa.array(s.astype(STRING).array)), True)
    return pd.Series(mask.to_numpy(zero_copy_only=False), index=s.index, dtype=bool)


def per_value(series: pd.Series, fn: Callable[[pd.Series], Any], *, always: bool = False) -> Any:
    """``fn(series)`` computed once per distinct value when values repeat.

    ``fn`` must work value by value (each result row depends on that row's value only),
    as text tests and label lookups do. A million consent flags or lifecycle stages hold
    a handful of distinct values, a million page URLs a few thousand: ``fn`` then runs on
    those and the results are spread back by position. Columns whose values hardly
    repeat (cookie ids) are handed to ``fn`` whole, unless ``always`` (``fn`` loops in
    Python). A categorical column (text read as a dictionary) is already split into its
    distinct values: ``fn`` gets its categories. Returns what ``fn`` returns (Series or
    DataFrame), on ``series``' index.
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes = series.cat.codes.to_numpy()
        uniques = series.cat.categories
    elif not always and (len(series) < _PER_VALUE_MIN or not _repeats(series)):
        return fn(series)
    else:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
    values = pd.Series(uniques, dtype=uniques.dtype)
    if (codes < 0).any():  # null is a value too: one more slot at the end
        values = pd.concat([values, pd.Series([None], dtype=values.dtype)], ignore_index=True)
        codes = np.where(codes < 0, len(uniques), codes)
    return fn(values).take(codes).set_axis(series.index)


_PER_VALUE_MIN = 4096


def _repeats(series: pd.Series, probe: int = 2048) -> bool:
    """Whether values repeat enough for ``per_value`` to pay: an even sample of the
    column holds fewer than half as many distinct values as values."""
    positions = np.linspace(0, len(series) - 1, num=min(probe, len(series))).astype(np.int64)
    sample = series.iloc[np.unique(positions)]
    return sample.nunique(dropna=False) * 2 < len(sample)


def map_labels(values: pd.Series, mapping: Mapping[str, Any], dtype: Any) -> pd.Series:
    """Map trimmed, lower-cased labels through ``mapping`` (looked up once per distinct
    label); unknown labels become null."""
    lookup = {k.lower(): v for k, v in mapping.items()}

    def mapped(labels: pd.Series) -> pd.Series:
        keys = labels.str.strip().str.lower()
        found = [lookup.get(k) if isinstance(k, str) else None for k in keys]
        return pd.Series(pd.array(found, dtype=dtype), index=labels.index)

    return per_value(values.astype(STRING), mapped, always=True)


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
    got = _to_float(frame[col].astype(STRING))
    bad = int((got.isna() & ~blank(frame[col])).sum())
    if bad:
        problems.append(f"{plural(bad, 'row')} with unreadable numbers in '{headers[col]}'")
    frame[col] = got


_DECIMAL = r"^-?\d+(?:\.\d+)?$"


def _to_float(values: pd.Series) -> pd.Series:
    """Trimmed text, decimal comma read as a point, empty = null. Plain decimals
    ("59.913868", "-4") go through arrow's parser, which rounds exactly as pandas does;
    if anything else is there (exponents, words), the column goes through
    ``pd.to_numeric``."""
    arr = pc.replace_substring(pc.utf8_trim_whitespace(pa.array(values.array)), ",", ".")
    arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, arr.type), arr)
    if pc.all(pc.match_substring_regex(arr, _DECIMAL)).as_py() is not False:  # nulls skipped
        return pd.Series(pc.cast(arr, pa.float64()), index=values.index, dtype=FLOAT)
    txt = pd.Series(arr, index=values.index, dtype=STRING).dropna()
    return pd.to_numeric(txt, errors="coerce").astype(FLOAT).reindex(values.index)


def normalise_label(frame: pd.DataFrame, col: str) -> pd.Series:
    """Lower-cased text with spaces, hyphens and underscores removed."""
    arr = pc.utf8_lower(pa.array(frame[col].astype(STRING)))
    return pd.Series(pc.replace_substring_regex(arr, r"[\s_-]+", ""), index=frame.index).astype(
        STRING
    )
