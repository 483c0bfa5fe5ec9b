"""JSONL and Parquet: read with pyarrow, flatten nested records into dotted text columns.

Structs become ``parent.child`` columns (``geo.country``, ``device.web_info.browser``);
key/value lists such as GA4 ``event_params`` become one column per key
(``event_params.page_location``), the value taken from whichever ``*_value`` field is
set; any other list is kept as JSON text. `_row` of a JSONL record is its line number,
counting every line; a line that is not a JSON object is left out and counted.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pajson
import pyarrow.parquet as pq

from ropa.errors import SourceError
from ropa.sources.common import STRING, plural, unique_names
from ropa.sources.readers import RawTable, arrow_to_frame

_BLANK_LINE = re.compile(rb"\n[ \t\r]*\n")
_BLANK_START = re.compile(rb"[ \t\r]*\n")


def read_parquet(path: Path) -> RawTable:
    try:
        table = pq.read_table(path)
    except Exception:  # pyarrow raises several types for a bad file
        raise SourceError("not a readable Parquet file") from None
    return _raw(table, np.arange(1, table.num_rows + 1, dtype=np.int64), [])


def read_jsonl(path: Path) -> RawTable:
    data = path.read_bytes()
    bom = data.startswith(b"\xef\xbb\xbf")
    if bom:
        data = b"   " + data[3:]  # same length, so line numbers hold
    if _BLANK_LINE.search(data) is None and _BLANK_START.match(data) is None:
        # the usual case: every line up to the last one holds a record
        tail = data[data.rfind(b"\n") + 1 :]
        count = data.count(b"\n") + bool(tail.strip())
        lines = np.arange(1, count + 1, dtype=np.int64)
    else:
        lines = np.array(
            [i for i, line in enumerate(data.split(b"\n"), start=1) if line.strip()],
            dtype=np.int64,
        )
    try:
        table = pajson.read_json(io.BytesIO(data) if bom else path)  # a path reads in parallel
        if table.num_rows == len(lines):
            return _raw(table, lines, [])
    except pa.ArrowInvalid:
        pass
    return _slow_jsonl(data, lines)


def _slow_jsonl(data: bytes, lines: np.ndarray) -> RawTable:
    """Parse line by line to find the broken lines, then read the good ones with pyarrow."""
    good: list[Any] = []
    numbers: list[int] = []
    text = data.split(b"\n")
    for number in lines.tolist():
        try:
            record = json.loads(text[number - 1])
        except ValueError:
            continue
        if isinstance(record, dict):
            good.append(record)
            numbers.append(number)
    problems = []
    if bad := len(lines) - len(good):
        problems.append(f"{plural(bad, 'line')} not valid JSON")
    if not good:
        raise SourceError("no valid JSON object in the file")
    rows = np.array(numbers, dtype=np.int64)
    for records in (good, [_as_text(r) for r in good]):  # then with every scalar as text
        body = "\n".join(json.dumps(r) for r in records).encode()
        try:
            return _raw(pajson.read_json(io.BytesIO(body)), rows, problems)
        except pa.ArrowInvalid:
            continue
    raise SourceError("JSON lines do not share one structure")


def _as_text(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_text(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if value is None or isinstance(value, str) else str(value)


def _raw(table: pa.Table, rows: np.ndarray, problems: list[str]) -> RawTable:
    table = flatten(table)
    names, raw, dup = unique_names(table.column_names)
    table = table.rename_columns(names)
    return RawTable(arrow_to_frame(table), raw, rows, problems + dup)


def flatten(table: pa.Table) -> pa.Table:
    """Every column as text: structs dotted, key/value lists pivoted, other lists as JSON."""
    while any(pa.types.is_struct(t) for t in table.schema.types):
        table = table.flatten()
    columns: dict[str, pa.Array] = {}
    for name in table.column_names:
        col = table.column(name).combine_chunks()
        if pa.types.is_list(col.type) or pa.types.is_large_list(col.type):
            pivot = _pivot(col)
            if pivot is not None:
                columns.update({f"{name}.{k}": v for k, v in pivot.items()})
                continue
        columns[name] = _text(col)
    return pa.table(columns) if columns else pa.table({})


def _text(col: pa.Array) -> pa.Array:
    if pa.types.is_string(col.type):
        return col
    try:
        return pc.cast(col, pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        values = [None if v in (None, []) else json.dumps(v, default=str) for v in col.to_pylist()]
        return pa.array(values, pa.string())


def _pivot(col: pa.Array) -> dict[str, pa.Array] | None:
    """``[{key, value: {string_value, int_value, ...}}]`` -> one text column per key."""
    flat = pc.list_flatten(col)
    if not pa.types.is_struct(flat.type) or flat.type.get_field_index("key") < 0:
        return None
    keys = _text(flat.field("key"))
    if flat.type.get_field_index("value") < 0:
        return None
    value = flat.field("value")
    if pa.types.is_struct(value.type):
        parts = [_text(value.field(i)) for i in range(value.type.num_fields)]
        vals = pc.coalesce(*parts) if parts else pa.nulls(len(value), pa.string())
    else:
        vals = _text(value)
    long = pd.DataFrame(
        {
            "p": pc.list_parent_indices(col).to_numpy(),
            "k": pd.array(keys, dtype=STRING),
            "v": pd.array(vals, dtype=STRING),
        }
    ).dropna(subset=["k"])
    long = long.drop_duplicates(["p", "k"], keep="first")
    wide = long.pivot(index="p", columns="k", values="v").reindex(range(len(col)))
    return {k: pa.array(wide[k].astype(STRING), pa.string()) for k in pd.unique(long["k"])}
