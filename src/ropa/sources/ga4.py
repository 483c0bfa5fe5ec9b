"""GA4 BigQuery export: nested JSONL, or flattened CSV / Parquet with dotted names.

nested.py has already flattened the records (``geo.country``,
``privacy_info.analytics_storage``, ``event_params.page_location``, ...), so every
format arrives here alike. ``event_timestamp`` (microseconds since the epoch, UTC) is
kept as ``int64[pyarrow]`` and ``event_time`` (UTC) is derived from it; ``event_date``
(``YYYYMMDD`` in the property's zone) stays text. Event parameters other than
page_location / page_referrer stay as ``event_params.<key>`` text columns.

Fivetran's "GA4 Export" EVENT table (vendors/fivetran-ga4.yaml) arrives with the same
canonical names (``name`` -> event_name, ``param_page_location`` -> page_location, ...);
its ``timestamp`` is a UTC date-time (``2024-09-10 12:35:00``, or a timestamp column in
Parquet), not microseconds: ``event_time`` is read from it and ``event_timestamp``
becomes its microseconds, so both kinds of file end alike. Its other ``param_<key>``
columns stay as they are.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ropa.sources.common import INT, STRING, TIME, parse_times, plural


def finish(frame: pd.DataFrame, headers: dict[str, str], problems: list[str]) -> pd.DataFrame:
    if "event_timestamp" not in frame.columns:
        return frame
    column = frame["event_timestamp"]
    if pd.api.types.is_integer_dtype(column.dtype):  # stored as a number: nothing to parse
        ints = pc.cast(pa.array(column.array), pa.int64())
    elif _is_datetime(column):  # Fivetran: a UTC date-time
        ints = _datetime_micros(column, headers["event_timestamp"], problems)
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


def _is_datetime(column: pd.Series) -> bool:
    """A timestamp column, or text most of whose values are date-times, not numbers (the
    others are then counted as unreadable dates)."""
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        return True
    if isinstance(column.dtype, pd.ArrowDtype) and pa.types.is_timestamp(
        column.dtype.pyarrow_dtype
    ):
        return True
    txt = column.astype(STRING).dropna().str.strip()
    txt = txt[txt != ""]
    dated = txt.str.contains(r"^\d{4}-\d\d-\d\d", regex=True)
    return bool(len(txt)) and float(dated.mean()) >= 0.5


def _datetime_micros(column: pd.Series, header: str, problems: list[str]) -> pa.Array:
    """Microseconds since the epoch of UTC date-times (text read by the one parser)."""
    if pd.api.types.is_datetime64_any_dtype(column.dtype) or isinstance(
        column.dtype, pd.ArrowDtype
    ):
        times = pd.to_datetime(column, utc=True)
    else:
        frame = pd.DataFrame({"t": column})
        parse_times(frame, {"t": header}, problems, ["t"], tz="UTC")
        times = frame["t"]
    micros = times.astype("datetime64[us, UTC]").dt.tz_localize(None).astype("int64")
    return pa.array(micros.where(times.notna(), None).astype("Int64"), type=pa.int64())
