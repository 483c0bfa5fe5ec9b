"""Findings: the audit's result as data, with pseudonymised subject keys.

A finding names a rule, a file, a row (or a column) and a value-free detail. The
person behind a row is identified only by ``subject_key`` (``ropa.keys``, re-exported
here). The columns are those of ``ropa.findings_schema``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pandas.api.types import union_categoricals

from ropa.atomic import atomic_write
from ropa.dtypes import STRING
from ropa.findings_schema import (
    ARROW_SCHEMA,
    COMPACT,
    DTYPES,
    FINDING_COLUMNS,
    FROM_RULE,
    SORT_COLUMNS,
)
from ropa.keys import keyed_hashes, load_key, subject_keys  # noqa: F401  (re-exported)


def empty_findings() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=d) for c, d in DTYPES.items()})


def make_findings(rule: Any = None, **values: Any) -> pd.DataFrame:
    """Findings from Series (aligned) or scalars, one keyword per column of the schema
    (``findings_schema``); a column not given (or None) is missing, except those the
    rule's attributes fill (``FROM_RULE``: rule_id, severity, activity, policy_ref)."""
    unknown = sorted(set(values) - set(FINDING_COLUMNS))
    if unknown:
        raise TypeError(f"make_findings: no findings column {', '.join(unknown)}")
    given = {name: values.get(name) for name in FINDING_COLUMNS}
    for name, attribute in FROM_RULE.items():
        if given[name] is None:
            given[name] = getattr(rule, attribute, None)
    index = next((v.index for v in given.values() if isinstance(v, pd.Series)), None)
    if index is None:
        raise ValueError("make_findings needs at least one Series")
    data = {
        name: (
            value.astype(DTYPES[name], copy=False).reset_index(drop=True)
            if isinstance(value, pd.Series)
            else pd.Series(
                pd.NA if value is None else value, index=range(len(index)), dtype=DTYPES[name]
            )
        )
        for name, value in given.items()
    }
    return pd.DataFrame(data, columns=FINDING_COLUMNS)


def sort_findings(findings: pd.DataFrame) -> pd.DataFrame:
    """The one order of findings: rule_id, source, row, column (stable, missing last).

    Each key becomes integer codes in sorted order (text sorts as pandas sorts it) and
    one stable ``lexsort`` orders the rows: millions of findings sort in a second, and a
    frame already in order (what ``run_audit`` returns) is not copied again. Compact
    (categorical) columns are sorted by their codes and expanded once, after the sort."""
    frame = pd.DataFrame(
        {
            name: column
            if isinstance(column.dtype, pd.CategoricalDtype)
            else column.astype(DTYPES[name])
            for name, column in findings[FINDING_COLUMNS].reset_index(drop=True).items()
        },
        columns=FINDING_COLUMNS,
    )
    if not _in_order(frame):
        keys = [_sort_codes(frame[name]) for name in reversed(SORT_COLUMNS)]
        order = np.lexsort(keys) if len(frame) else np.zeros(0, dtype=np.int64)
        if not np.array_equal(order, np.arange(len(frame))):
            frame = frame.take(order).reset_index(drop=True)
    return _with_dtypes(frame)


def compact_findings(findings: pd.DataFrame) -> pd.DataFrame:
    """``findings`` with the COMPACT columns as categoricals (values unchanged): the
    values repeat from finding to finding (a rule's id, severity, clause, file and, per
    date or combination, its detail), so a million findings cost a few bytes each while
    an audit collects them batch by batch."""
    return findings.astype({name: "category" for name in COMPACT})


def combine_findings(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Findings frames (compact or not) as one sorted frame of DTYPES: categories are
    merged, the rows sorted by codes, and the text expanded once, at the end."""
    parts = [p for p in parts if len(p)] or [empty_findings()]
    columns: dict[str, pd.Series] = {}
    for name in FINDING_COLUMNS:
        pieces = [p[name].reset_index(drop=True) for p in parts]
        if all(isinstance(s.dtype, pd.CategoricalDtype) for s in pieces):
            try:
                columns[name] = pd.Series(union_categoricals([s.array for s in pieces]))
                continue
            except TypeError:  # categories of different types: expand instead
                pass
        columns[name] = pd.concat([_with_dtype(s, name) for s in pieces], ignore_index=True)
    return sort_findings(pd.DataFrame(columns, columns=FINDING_COLUMNS))


def _with_dtype(column: pd.Series, name: str) -> pd.Series:
    """``column`` as DTYPES[name]; a categorical is expanded by arrow (pandas' own
    conversion would make a Python string per row)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        text = pc.cast(pa.array(column.array), pa.large_string())
        column = pd.Series(STRING.__from_arrow__(pa.chunked_array([text])), index=column.index)
    return column.astype(DTYPES[name])


def _with_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {name: _with_dtype(frame[name], name) for name in FINDING_COLUMNS}, index=frame.index
    )


def _category_ranks(column: pd.Series) -> np.ndarray:
    """Per row of a categorical, the rank of its value among the categories (text order);
    missing after every value."""
    rank = np.empty(len(column.cat.categories) + 1, dtype=np.int64)
    rank[column.cat.categories.argsort()] = np.arange(len(column.cat.categories))
    rank[-1] = np.iinfo(np.int64).max  # code -1: missing, last
    return rank[column.cat.codes.to_numpy()]


def _in_order(frame: pd.DataFrame) -> bool:
    """Whether the rows already follow SORT_COLUMNS (missing last): for every pair of
    neighbours the first key that differs must grow. One pass of comparisons, no sort."""
    if len(frame) < 2:
        return True
    undecided = np.ones(len(frame) - 1, dtype=bool)
    for name in SORT_COLUMNS:
        column = frame[name]
        if pd.api.types.is_integer_dtype(column.dtype) or isinstance(
            column.dtype, pd.CategoricalDtype
        ):
            values = _sort_codes(column)
            less, more = values[:-1] < values[1:], values[:-1] > values[1:]
        else:
            arr = pa.array(column.array)
            a, b = arr.slice(0, len(arr) - 1), arr.slice(1)
            a_missing = pc.is_null(a).to_numpy(zero_copy_only=False)
            b_missing = pc.is_null(b).to_numpy(zero_copy_only=False)
            less = pc.fill_null(pc.less(a, b), False).to_numpy(zero_copy_only=False)
            more = pc.fill_null(pc.greater(a, b), False).to_numpy(zero_copy_only=False)
            less = less | (~a_missing & b_missing)
            more = more | (a_missing & ~b_missing)
        if (undecided & more).any():
            return False
        undecided &= ~less
        if not undecided.any():
            break
    return True


def _sort_codes(column: pd.Series) -> np.ndarray:
    """Numbers that sort as the values do; missing values after every value."""
    if pd.api.types.is_integer_dtype(column.dtype):
        return pd.to_numeric(column).to_numpy(dtype=np.float64, na_value=np.inf)
    if isinstance(column.dtype, pd.CategoricalDtype):
        return _category_ranks(column)
    codes, _ = pd.factorize(column, sort=True, use_na_sentinel=True)
    return np.where(codes < 0, np.iinfo(np.int64).max, codes)


# -- writing ------------------------------------------------------------------------


def write_table_csv(table: pd.DataFrame, path: Path) -> Path:
    """A small table (coverage, changes, a remediation list) as CSV, written atomically
    (the temporary file, and so the result, is mode 0600)."""
    data = table.to_csv(index=False, lineterminator="\n").encode("utf-8")
    atomic_write(path, lambda tmp: tmp.write_bytes(data))
    return path


CSV_CHUNK_ROWS = 100_000


def write_findings_csv(ordered: pd.DataFrame, path: Path) -> None:
    """``ordered`` (sorted findings) as CSV, built by arrow kernels in chunks of rows: a
    million findings never become one string in memory, nor a Python object per cell.
    The bytes are those ``DataFrame.to_csv(index=False, lineterminator="\\n")`` writes
    (csv.QUOTE_MINIMAL: a field is quoted when it holds a comma, a quote or a line feed,
    quotes doubled; missing values empty).

    Not ``pyarrow.csv.write_csv``: its ``quoting_style="needed"`` quotes every string
    (the header, ``"high"``, an empty string as ``""``; only numbers and nulls are bare),
    "none" refuses a comma in a value, so neither gives these bytes (pyarrow 26). Nor
    DuckDB's ``COPY ... TO`` (1.x): it writes an empty string as ``""`` (NULLIF could
    fix that) and quotes a field holding a carriage return, which pandas leaves bare."""
    with path.open("wb") as handle:
        handle.write((",".join(FINDING_COLUMNS) + "\n").encode("utf-8"))
        for start in range(0, len(ordered), CSV_CHUNK_ROWS):
            handle.write(_csv_rows(ordered.iloc[start : start + CSV_CHUNK_ROWS]))


def _csv_rows(chunk: pd.DataFrame) -> bytes:
    fields = [_csv_field(pa.array(chunk[name].array)) for name in FINDING_COLUMNS]
    text = pa.large_string()
    lines = pc.binary_join_element_wise(*fields, pa.scalar(",", text))
    lines = pc.binary_join_element_wise(lines, pa.scalar("\n", text), pa.scalar("", text))
    if isinstance(lines, pa.ChunkedArray):
        lines = lines.combine_chunks()
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)
    start, end = offsets[lines.offset], offsets[lines.offset + len(lines)]
    return bytes(memoryview(lines.buffers()[2])[start:end])


def _csv_field(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """A column as CSV fields. Numbers need no quotes; text that repeats (a rule's id,
    its clause, a file name, a detail per date) is quoted once per distinct value."""
    if pa.types.is_integer(values.type) or pa.types.is_floating(values.type):
        return pc.fill_null(pc.cast(values, pa.large_string()), "")
    text = pc.fill_null(pc.cast(values, pa.large_string()), "")
    if len(text) >= _DISTINCT_FROM:
        encoded = pc.dictionary_encode(text)
        if isinstance(encoded, pa.ChunkedArray):
            encoded = encoded.combine_chunks()
        if len(encoded.dictionary) * 4 <= len(text):
            return pc.take(_quoted(encoded.dictionary), encoded.indices)
    return _quoted(text)


_DISTINCT_FROM = 10_000  # rows; below this, quoting every value is as quick


def _quoted(text: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    special = pc.match_substring_regex(text, '[,"\n]')
    if not pc.any(special).as_py():
        return text
    quote = pa.scalar('"', pa.large_string())
    quoted = pc.binary_join_element_wise(
        quote, pc.replace_substring(text, '"', '""'), quote, pa.scalar("", pa.large_string())
    )
    return pc.if_else(special, quoted, text)


def write_findings(findings: pd.DataFrame, out_dir: Path | str) -> tuple[Path, Path]:
    """Write ``findings.csv`` and ``findings.parquet``; same input, same bytes."""
    out = Path(out_dir)
    ordered = sort_findings(findings)
    csv_path = out / "findings.csv"
    parquet_path = out / "findings.parquet"
    atomic_write(csv_path, lambda p: write_findings_csv(ordered, p))
    # No pandas metadata (it would carry nothing useful and varies between versions).
    table = pa.Table.from_pandas(ordered, schema=ARROW_SCHEMA, preserve_index=False)
    table = table.replace_schema_metadata(None)
    atomic_write(parquet_path, lambda p: pq.write_table(table, p, compression="zstd"))
    return csv_path, parquet_path
