"""GA4 BigQuery export: nested JSONL, or flattened CSV / Parquet with dotted names.

nested.py has already flattened the records (``geo.country``,
``privacy_info.analytics_storage``, ``event_params.page_location``, ...), so every
format arrives here alike. ``event_timestamp`` (microseconds since the epoch, UTC) is
kept as ``int64[pyarrow]`` and ``event_time`` (UTC) is derived from it; ``event_date``
(``YYYYMMDD`` in the property's zone) stays text. Event parameters other than
page_location / page_referrer stay as ``event_params.<key>`` text columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ropa.sources.common import INT, STRING, TIME, plural


def finish(frame: pd.DataFrame, headers: dict[str, str], problems: list[str]) -> pd.DataFrame:
    if "event_timestamp" not in frame.columns:
        return frame
    column = frame["event_timestamp"]
    if pd.api.types.is_integer_dtype(column.dtype):  # stored as a number: nothing to parse
        ints = pc.cast(pa.array(column.array), pa.int64())
    else:
        ints = _parse_micros(column, headers["event_timestamp"], problems)
    stamp = pd.Series(ints, index=frame.index, dtype=INT)
    micros = pc.fill_null(ints, np.iinfo(np.int64).min).to_numpy()  # int64 min is NaT
    event_time = pd.Series(pd.DatetimeIndex(micros.view("M8[us]")).tz_localize("UTC"))
    event_time = event_time.set_axis(frame.index).astype(TIME)
    frame["event_timestamp"] = stamp
    if "event_time" in frame.columns:  # a column of that name in the file keeps its data
        frame = frame.rename(columns={"event_time": "event_time.1"})
        headers["event_time.1"] = headers.pop("event_time")
    frame.insert(frame.columns.get_loc("event_timestamp") + 1, "event_time", event_time)
    headers["event_time"] = headers["event_timestamp"]
    return frame


def _parse_micros(column: pd.Series, header: str, problems: list[str]) -> pa.Array:
    """Microseconds written as text (``1727690000123456``, ``1727690000123456.0``); any
    other value becomes null and is counted."""
    raw = pa.array(column.astype(STRING))
    txt = pc.replace_substring_regex(pc.utf8_trim_whitespace(raw), r"\.0*$", "")
    ok = pc.fill_null(pc.match_substring_regex(txt, r"^-?\d{1,18}$"), False)
    if n := int(pc.sum(pc.and_(pc.invert(ok), pc.is_valid(raw))).as_py() or 0):
        problems.append(f"{plural(n, 'row')} with an unreadable timestamp in '{header}'")
    return pc.cast(pc.if_else(ok, txt, pa.scalar(None, txt.type)), pa.int64())
