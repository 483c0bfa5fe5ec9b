"""Arrow text columns as the data map counts them: filled values (not null, not blank),
dictionary entries weighed by their use, the first filled values, the health scan.
Dictionaries (Parquet text) are tested once per distinct value.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ropa.dtypes import STRING
from ropa.mapping._arrow import is_text
from ropa.mapping.detectors import HEALTH_CHUNK, HEALTH_PATTERN
from ropa.sources.common import blank_values


def text_array(series: pd.Series) -> pa.Array | pa.ChunkedArray | None:
    """A text column as arrow (dictionaries stay dictionaries), None for other dtypes."""
    dtype = series.dtype
    if isinstance(dtype, pd.ArrowDtype) and pa.types.is_dictionary(dtype.pyarrow_dtype):
        return pa.array(series.array)
    if is_text(series):
        return pa.array(series if isinstance(dtype, pd.StringDtype) else series.astype(STRING))
    return None


def chunks(values: pa.Array | pa.ChunkedArray) -> list[pa.Array]:
    return values.chunks if isinstance(values, pa.ChunkedArray) else [values]


def filled(values: pa.Array) -> pa.Array:
    """Per value: not null and not blank."""
    if pa.types.is_dictionary(values.type):
        per_value = filled(values.dictionary)
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
    for chunk in chunks(values):
        if pa.types.is_dictionary(chunk.type):
            per_entry = filled(chunk.dictionary).to_numpy(zero_copy_only=False)
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


def first_filled(values: pa.Array | pa.ChunkedArray, wanted: int) -> np.ndarray:
    """Positions of the first ``wanted`` filled values, looking no further than needed."""
    found: list[np.ndarray] = []
    start = have = 0
    for chunk in chunks(values):
        step = max(wanted * 4, 8192)
        for at in range(0, len(chunk), step):
            part = filled(chunk.slice(at, step)).to_numpy(zero_copy_only=False)
            hits = np.flatnonzero(part)[: wanted - have] + start + at
            found.append(hits)
            have += len(hits)
            if have >= wanted:
                return np.concatenate(found)
        start += len(chunk)
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def concat_text(arrays: list[pa.Array | pa.ChunkedArray]) -> pa.Array:
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
