"""Times as ibis expressions: UTC timestamps of a canonical column, UTC calendar days,
``(as_of - date).days`` and the other day counts the age rules compare (``rules/expr.py``
re-exports these, so rules call them as ``X.days_since`` and so on).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

UTC_TS = dt.Timestamp(timezone="UTC")


def null(type_: Any) -> ir.Value:
    """A typed null: what a column the export lacks gives."""
    return ibis.null(type_)


def utc_times(t: ir.Table, column: str) -> ir.TimestampValue:
    """A ``*_time`` column as a UTC timestamp (loaders already convert to UTC)."""
    if column not in t.columns:
        return null(UTC_TS)
    col = t[column]
    if col.type().is_timestamp():
        return col
    return col.cast(UTC_TS)


_EPOCH = date(1970, 1, 1)
_MICROS_PER_DAY = 86_400_000_000


def epoch_day(times: ir.TimestampValue) -> ir.IntegerValue:
    """The UTC calendar date of each time as days since 1970-01-01."""
    return times.date().delta(day(_EPOCH), unit="day")


def micros_day(t: ir.Table, column: str) -> ir.IntegerValue:
    """Microseconds since the epoch (GA4's ``event_timestamp``) as days since 1970-01-01."""
    if column not in t.columns:
        return null(dt.int64)
    col = t[column]
    if not col.type().is_integer():
        col = col.cast(dt.string).try_cast(dt.int64)
    return (col.cast(dt.float64) / _MICROS_PER_DAY).floor().cast(dt.int64)


def day_number(value: date) -> int:
    return (value - _EPOCH).days


def day(value: date) -> ir.DateScalar:
    return ibis.date(value.year, value.month, value.day)


def days_since(times: ir.TimestampValue, ctx: Any) -> ir.IntegerValue:
    """``(as_of - UTC date).days`` per row; null where the time is missing."""
    return days_before_cutoff(times, ctx.as_of)


def days_before_cutoff(times: ir.TimestampValue, cutoff: date) -> ir.IntegerValue:
    """``(cutoff - UTC date).days``: positive when the date lies before the cutoff."""
    return day(cutoff).delta(times.date(), unit="day")


def days_between(start: ir.TimestampValue, end: ir.TimestampValue) -> ir.IntegerValue:
    """``(end UTC date - start UTC date).days`` per row."""
    return end.date().delta(start.date(), unit="day")


def days_past_year_end(times: ir.TimestampValue, years: int, ctx: Any) -> ir.IntegerValue:
    """``(as_of - 31 December of (the time's year + years)).days``: positive once that
    year has ended."""
    end = ibis.date(times.year() + years, 12, 31)
    return day(ctx.as_of).delta(end, unit="day")


# -- coverage --------------------------------------------------------------------


def coalesce_times(t: ir.Table, *columns: str) -> ir.TimestampValue:
    """The first of ``columns`` that holds a time, per row."""
    present_columns = [utc_times(t, c) for c in columns if c in t.columns]
    if not present_columns:
        return null(UTC_TS)
    if len(present_columns) == 1:
        return present_columns[0]
    return ibis.coalesce(*present_columns)
