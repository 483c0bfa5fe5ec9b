"""pandas <-> pyarrow conversions shared by the detectors and the normalisers.

String work runs on pyarrow compute kernels (RE2 regular expressions, no Python loop),
which is what keeps a million values well under a second.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ropa.dtypes import STRING

Values: TypeAlias = pd.Series | Iterable[object]


def as_series(values: Values) -> pd.Series:
    """Accept a Series (kept as is) or any iterable of values (lists in tests, notebooks)."""
    if isinstance(values, pd.Series):
        return values
    return pd.Series(list(values), dtype=object)


def is_text(series: pd.Series) -> bool:
    """Whether a column holds text (string dtypes, or object columns as loaders may give)."""
    dtype = series.dtype
    if isinstance(dtype, pd.StringDtype) or pd.api.types.is_object_dtype(dtype):
        return True
    if isinstance(dtype, pd.ArrowDtype):
        return pa.types.is_string(dtype.pyarrow_dtype) or pa.types.is_large_string(
            dtype.pyarrow_dtype
        )
    return False


def strings(series: pd.Series, *, trim: bool = True) -> pa.Array:
    """The values as one ``large_string`` arrow array (nulls kept), trimmed by default."""
    values = series
    if pd.api.types.is_float_dtype(values.dtype):
        finite = values.dropna()
        if len(finite) and bool((finite == finite.round()).all()):
            values = values.astype("Int64")  # 91234567.0 -> "91234567"
    if not is_text(values) or pd.api.types.is_object_dtype(values.dtype):
        values = values.astype(STRING)
    arr = pa.array(values, from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    arr = arr.cast(pa.large_string())
    return pc.utf8_trim_whitespace(arr) if trim else arr


def to_bool(mask: pa.Array | pa.ChunkedArray, index: pd.Index) -> pd.Series:
    """An arrow boolean array (nulls = False) as a plain numpy-bool Series."""
    filled = pc.fill_null(mask, False)
    return pd.Series(np.asarray(filled.to_numpy(zero_copy_only=False), dtype=bool), index=index)


def to_string(arr: pa.Array, like: pd.Series) -> pd.Series:
    """An arrow string array as a ``string[pyarrow]`` Series aligned with ``like``."""
    return pd.Series(arr, dtype=STRING, index=like.index, name=like.name)


def validated(
    arr: pa.Array,
    pattern: str,
    check: Callable[[str], bool],
    *,
    candidates: pa.Array | None = None,
) -> pa.Array:
    """Values matching ``pattern`` (cheap, vectorised) that also pass ``check`` (a Python
    validator, e.g. stdnum), which runs once per distinct candidate value only."""
    mask = pc.fill_null(pc.match_substring_regex(arr, pattern), False)
    if candidates is not None:
        mask = pc.and_(mask, candidates)
    if not pc.any(mask).as_py():
        return mask
    unique = pc.unique(pc.filter(arr, mask)).to_pylist()
    good = pa.array([v for v in unique if check(v)], type=arr.type)
    return pc.and_(mask, pc.is_in(arr, value_set=good))
