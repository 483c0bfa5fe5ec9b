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
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pajson

from ropa.errors import SourceError
from ropa.sources.common import STRING, is_text_type, unique_names
from ropa.sources.readers import Batch, limits

_BLANK_LINE = re.compile(rb"\n[ \t\r]*\n")
_BLANK_START = re.compile(rb"[ \t\r]*\n")
_STRING = re.compile(rb'"(?:[^"\\\n]++|\\.)*+"')  # a complete JSON string on one line
_OPEN_STRING = re.compile(rb'"[^\n]*')  # an unterminated one: to the end of its line
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}\n")


def guard_lines(data: bytes) -> tuple[bytes, dict[str, int]]:
    """``data`` with every line blanked that must not reach a JSON parser: longer than
    the line limit, or nested deeper than the depth limit (native readers crash or
    recurse without end on those). Brackets are counted outside strings only, on the
    bytes left once strings are cut out (a C-speed scan). Line numbers still hold;
    returns the counts of lines blanked, by reason."""
    lim = limits()
    counts: dict[str, int] = {}
    lines: list[bytes] | None = None
    if len(data) > lim.line_bytes:
        lines = data.split(b"\n")
        long = [i for i, line in enumerate(lines) if len(line) > lim.line_bytes]
        for i in long:
            lines[i] = b""
        if long:
            counts[f"longer than the {lim.line_bytes >> 20} MB line limit"] = len(long)
            data = b"\n".join(lines)
    if data.count(b"[") + data.count(b"{") <= lim.depth:
        return data, counts
    brackets = _OPEN_STRING.sub(b"", _STRING.sub(b"", data)).translate(None, _NOT_BRACKET)
    deep = _deep_lines(brackets, lim.depth)
    if deep:
        lines = data.split(b"\n")
        for i in deep:
            lines[i] = b""
        counts[f"nested deeper than {lim.depth} levels"] = len(deep)
        data = b"\n".join(lines)
    return data, counts


def _deep_lines(brackets: bytes, depth: int) -> list[int]:
    """Indexes of the lines (of brackets and newlines only) deeper than ``depth``."""
    arr = np.frombuffer(brackets, dtype=np.uint8)
    if not len(arr):
        return []
    step = np.zeros(len(arr), dtype=np.int32)
    step[(arr == ord("[")) | (arr == ord("{"))] = 1
    step[(arr == ord("]")) | (arr == ord("}"))] = -1
    level = np.cumsum(step, dtype=np.int64)
    newline = arr == ord("\n")
    line = np.cumsum(newline) - newline  # the line each byte is on
    starts = np.flatnonzero(newline)
    base = np.concatenate([[0], level[starts]])  # the level at the start of each line
    level -= base[line]
    return sorted(set(line[level > depth].tolist()))


def strict_loads(text: bytes | str) -> Any:
    """``json.loads`` that refuses NaN and Infinity (not JSON)."""
    return json.loads(text, parse_constant=_no_constant)


def _no_constant(name: str) -> Any:
    raise ValueError("not JSON")


@dataclass
class JsonChunk:
    """Whole JSONL lines parsed: the batch (None if no line held a record), the flattened
    header, duplicate-header notes and how many lines were not JSON objects."""

    batch: Batch | None
    raw: list[str]
    problems: list[str]
    bad: int
    guarded: dict[str, int] = field(default_factory=dict)  # lines blanked, by reason


def read_jsonl_bytes(data: bytes, first_line: int, integers: bool = False) -> JsonChunk:
    """Records of whole JSONL lines starting at line ``first_line`` (1-based)."""
    data, guarded = guard_lines(data)
    lines = line_numbers(data, first_line)
    if not len(lines):
        return JsonChunk(None, [], [], 0, guarded)
    table, rows, bad = _records(data, lines, first_line)
    if not len(rows):
        return JsonChunk(None, [], [], bad, guarded)
    table, raw, problems = unique_table(flatten(table, integers))
    return JsonChunk(Batch(table, rows, raw), raw, problems, bad, guarded)


def line_numbers(data: bytes, first_line: int) -> np.ndarray:
    """Numbers of the lines holding something (blank lines are skipped, still counted)."""
    if _BLANK_LINE.search(data) is None and _BLANK_START.match(data) is None:
        # the usual case: every line up to the last one holds a record
        tail = data[data.rfind(b"\n") + 1 :]
        count = data.count(b"\n") + bool(tail.strip())
        return np.arange(first_line, first_line + count, dtype=np.int64)
    return np.array(
        [i for i, line in enumerate(data.split(b"\n"), start=first_line) if line.strip()],
        dtype=np.int64,
    )


def _records(data: bytes, lines: np.ndarray, first_line: int) -> tuple[pa.Table, np.ndarray, int]:
    """Parse with pyarrow (in parallel); when that fails, line by line to find the broken
    lines, then the good ones with pyarrow (again with every scalar as text if their types
    clash). Returns the table, the line numbers of its records and the bad line count."""
    try:
        table = _read_json(data)
        if table.num_rows == len(lines):
            return table, lines, 0
    except pa.ArrowInvalid:
        pass
    good: list[Any] = []
    numbers: list[int] = []
    text = data.split(b"\n")
    for number in lines.tolist():
        try:
            record = strict_loads(text[number - first_line])
        except ValueError:
            continue
        if isinstance(record, dict):
            good.append(record)
            numbers.append(number)
    rows = np.array(numbers, dtype=np.int64)
    if not good:
        return pa.table({}), rows, len(lines)
    for records in (good, [_as_text(r) for r in good]):  # then with every scalar as text
        body = "\n".join(json.dumps(r) for r in records).encode()
        try:
            return _read_json(body), rows, len(lines) - len(good)
        except pa.ArrowInvalid:
            continue
    raise SourceError("JSON lines do not share one structure")


def _read_json(data: bytes) -> pa.Table:
    """pyarrow's reader, in blocks that hold any line within the line limit."""
    block = max(1 << 20, min(len(data), limits().line_bytes) + 1)
    return pajson.read_json(io.BytesIO(data), read_options=pajson.ReadOptions(block_size=block))


def _as_text(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_text(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if value is None or isinstance(value, str) else str(value)


def unique_table(table: pa.Table) -> tuple[pa.Table, list[str], list[str]]:
    """The table with unique column names, the names as flattened, duplicate notes."""
    names, raw, dup = unique_names(table.column_names)
    return table.rename_columns(names), raw, dup


def flatten(table: pa.Table, integers: bool = False) -> pa.Table:
    """Every column as text: structs dotted, key/value lists pivoted, other lists as JSON.

    With ``integers``, integer columns stay integers: their text is exactly the number's,
    so whoever needs text casts it then, and a loader that wants the number (GA4
    ``event_timestamp``) gets it without a round trip through text."""
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
        if integers and pa.types.is_integer(col.type):
            columns[name] = col
            continue
        columns[name] = _text(col)
    return pa.table(columns) if columns else pa.table({})


def _text(col: pa.Array) -> pa.Array:
    """Text as is (a dictionary of strings stays one); anything else cast to text, or as
    JSON when no cast exists (lists, maps)."""
    if is_text_type(col.type):
        return col
    try:
        return pc.cast(col, pa.string())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        values = [None if v in (None, []) else json.dumps(v, default=str) for v in col.to_pylist()]
        return pa.array(values, pa.string())


def _plain(col: pa.Array) -> pa.Array:
    """Text as plain ``string`` (dictionaries decoded)."""
    return pc.cast(_text(col), pa.string())


def _pivot(col: pa.Array) -> dict[str, pa.Array] | None:
    """``[{key, value: {string_value, int_value, ...}}]`` -> one text column per key."""
    flat = pc.list_flatten(col)
    if not pa.types.is_struct(flat.type) or flat.type.get_field_index("key") < 0:
        return None
    keys = _plain(flat.field("key"))
    if flat.type.get_field_index("value") < 0:
        return None
    value = flat.field("value")
    if pa.types.is_struct(value.type):
        parts = [_plain(value.field(i)) for i in range(value.type.num_fields)]
        vals = pc.coalesce(*parts) if parts else pa.nulls(len(value), pa.string())
    else:
        vals = _plain(value)
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
