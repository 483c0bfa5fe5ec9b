"""Exported times to UTC, whatever the vendor's format, inferred per column.

Read: ISO 8601 with or without zone, ``dd.mm.yyyy`` (dotted: always day first), US
``mm/dd/yy`` and ``mm/dd/yyyy`` with optional time and AM/PM, Excel serial day numbers
(20000-80000, as an XLSX number cell or text), and epoch seconds / ms / µs told apart by
magnitude. Slash dates are day first or month first for the whole column: a first field
above 12 proves day first, a second above 12 month first; a column that proves neither
is read in the file's locale (Norwegian headers: day first, else month first) and the
source's problems say so. Two-digit years: 00-68 are 20xx, 69-99 19xx (as ``%y``).

Zone-less date-times are local to the policy's ``timezone``: ``to_utc``'s ``tz``, else
the zone set by ``local_zone`` (the loader sets it per export), else Europe/Oslo. Plain
dates are midnight UTC, so their UTC date is the date exported. All of it is vectorised.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ropa.dtypes import STRING

TIME = pd.DatetimeTZDtype("us", "UTC")  # "datetime64[us, UTC]"
LOCAL_TZ = "Europe/Oslo"
_ZONE: ContextVar[str] = ContextVar("ropa_local_zone", default=LOCAL_TZ)


@contextmanager
def local_zone(tz: str | None) -> Iterator[None]:
    """Zone-less times read inside this block are local to ``tz`` (None: unchanged)."""
    if tz is None:
        yield
        return
    token = _ZONE.set(tz)
    try:
        yield
    finally:
        _ZONE.reset(token)


# Headers that tell a Norwegian export (its slash dates are then day first).
NORWEGIAN_HEADERS = re.compile(
    r"[æøå]|dato|navn|e-?post|telefon|opprettet|endret|adresse|samtykke|bestilling|antall",
    re.I,
)

# Every value is classified once by a (RE2) pattern and parsed with that class's exact
# format, so a column costs one parse whatever mix of formats it holds. Kinds: "zoned"
# (offset in the value), "date" (midnight UTC), "local" (zone-less, in the zone).
# "fields" classes are read by their named groups; what no pattern claims is tried as
# zone-less ISO 8601.
_ISO = "ISO8601"
_CLOCK = r"(?:[ T,]+(?P<h>\d\d?)[:.](?P<mi>\d\d)(?:[:.](?P<s>\d\d))?\s?(?P<ap>[AaPp]\.?[Mm]\.?)?)?$"
_DOTTED = r"^(?P<a>\d\d?)\.(?P<b>\d\d?)\.(?P<y>\d{4}|\d\d)" + _CLOCK
_SLASHED = r"^(?P<a>\d\d?)/(?P<b>\d\d?)/(?P<y>\d{4}|\d\d)" + _CLOCK
_NUMBER = r"^\d+(?:\.\d+)?$"
_TIME_CLASSES = (
    (r"^\d{4}-\d\d-\d\d \d\d:\d\d$", "%Y-%m-%d %H:%M", "local"),
    (r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", "%Y-%m-%d %H:%M:%S", "local"),
    (r"\d[T ]?\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?\s?(?:Z|[+-]\d\d(?::?\d\d)?)$", _ISO, "zoned"),
    (r"^\d{4}-\d\d-\d\d$", "%Y-%m-%d", "date"),
    (_DOTTED, "dotted", "fields"),
    (_SLASHED, "slashed", "fields"),
    (_NUMBER, "number", "number"),
    (r"", _ISO, "local"),
)

# The fixed-width shapes of the commonest formats ("Y" "M" "D" "h" "m" "s" are digits,
# any other character is itself). A value of exactly such a shape, with a valid date and
# time, is read by integer arithmetic on its bytes: what the class's pattern and format
# would give, at a fraction of the cost. Everything else goes through the patterns.
_LAYOUTS = (
    ("YYYY-MM-DD hh:mm", "local"),
    ("YYYY-MM-DD hh:mm:ss", "local"),
    ("YYYY-MM-DD", "date"),
    ("DD.MM.YYYY hh:mm", "local"),
    ("DD.MM.YYYY hh:mm:ss", "local"),
    ("DD.MM.YYYY", "date"),
)

_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
_US = 1_000_000


def _valid(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_ok = (month >= 1) & (month <= 12)
    last = _DAYS_IN_MONTH[np.where(month_ok, month, 0)] + (month_ok & (month == 2) & leap)
    return (year >= 1) & month_ok & (day >= 1) & (day <= last)  # 30 February is not read


def _micros(y: np.ndarray, mo: np.ndarray, d: np.ndarray, h: np.ndarray, mi: np.ndarray,
            s: np.ndarray) -> np.ndarray:  # fmt: skip
    seconds = _civil_days(y, mo, d).astype(np.int64) * 86_400
    seconds += h.astype(np.int64) * 3600 + mi * 60 + s
    return seconds * _US


def _fixed_width(values: pa.Array, layout: str) -> tuple[np.ndarray, np.ndarray]:
    """(readable, times as ``M8[us]``) for text values all ``len(layout)`` bytes long."""
    width, n = len(layout), len(values)
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int64)[values.offset :][: n + 1]
    raw = np.frombuffer(values.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    data = raw.reshape(n, width)  # every value is ``width`` bytes: one row each
    digit_cols = [i for i, c in enumerate(layout) if c in "YMDhms"]
    digits = data[:, digit_cols] - np.uint8(ord("0"))  # not a digit: wraps above 9
    ok = (digits <= 9).all(axis=1)
    for i, char in enumerate(layout):
        if char not in "YMDhms":
            ok &= data[:, i] == ord(char)

    def field(letter: str) -> np.ndarray:
        value = np.zeros(n, dtype=np.int32)
        for k, i in enumerate(digit_cols):
            if layout[i] == letter:
                value *= 10
                value += digits[:, k]
        return value

    year, month, day = field("Y"), field("M"), field("D")
    hour, minute, second = field("h"), field("m"), field("s")
    ok &= _valid(year, month, day) & (hour < 24) & (minute < 60) & (second < 60)
    micros = _micros(year, month, day, hour, minute, second)
    micros[~ok] = 0
    return ok, micros.view("M8[us]")


def _civil_days(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's days_from_civil)."""
    y = y - (m <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    doy = (153 * (m + np.where(m > 2, -3, 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146_097 + doe - 719_468


def _ints(parts: pa.StructArray, name: str) -> np.ndarray:
    got = parts.field(name)
    got = pc.if_else(pc.equal(got, ""), "0", got)
    return pc.cast(got, pa.int64()).to_numpy(zero_copy_only=False)


def _fields(sub: pa.Array, pattern: str, dayfirst: bool) -> tuple[np.ndarray, ...]:
    """(readable, ``M8[us]``, has a clock, day-first proof, month-first proof)."""
    parts = pc.extract_regex(sub, pattern)
    a, b, y = _ints(parts, "a"), _ints(parts, "b"), _ints(parts, "y")
    h, mi, s = _ints(parts, "h"), _ints(parts, "mi"), _ints(parts, "s")
    clock = np.asarray(pc.not_equal(parts.field("h"), "").to_numpy(zero_copy_only=False))
    ampm = pc.utf8_lower(pc.utf8_slice_codeunits(parts.field("ap"), 0, 1))
    am = np.asarray(pc.equal(ampm, "a").to_numpy(zero_copy_only=False))
    pm = np.asarray(pc.equal(ampm, "p").to_numpy(zero_copy_only=False))
    short = pc.equal(pc.utf8_length(parts.field("y")), 2).to_numpy(zero_copy_only=False)
    y = np.where(short, np.where(y < 69, 2000 + y, 1900 + y), y)
    day, month = (a, b) if dayfirst else (b, a)
    ok = _valid(y, month, day) & (mi < 60) & (s < 60)
    ok &= np.where(am | pm, (h >= 1) & (h <= 12), h < 24)
    h = np.where(am & (h == 12), 0, np.where(pm & (h < 12), h + 12, h))
    micros = _micros(y, month, day, h, mi, s)
    micros[~ok] = 0
    return ok, micros.view("M8[us]"), clock, a > 12, b > 12


def _numbers(sub: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(readable, ``M8[us]``, is UTC) for plain numbers: Excel serial days (local time,
    a whole number is a date), epoch seconds, milliseconds or microseconds (UTC)."""
    x = pc.cast(sub, pa.float64()).to_numpy(zero_copy_only=False)
    serial = (x >= 20_000) & (x < 80_000)
    scale = np.select([x < 1e8, x < 1e11, x < 1e14, x < 1e17], [0, _US, 1000, 1], 0)
    micros = np.where(serial, (x - 25_569) * 86_400 * _US, x * scale)
    ok = serial | (scale > 0)
    micros = np.where(ok, np.round(micros), 0).astype(np.int64)
    whole_day = serial & (x == np.floor(x))
    return ok, micros.view("M8[us]"), ~serial | whole_day


def _arrow_text(values: pd.Series) -> pa.Array:
    """Trimmed text as one pyarrow array, empty cells null."""
    arr = pa.array(values.astype(STRING)).cast(pa.large_string())
    txt = pc.utf8_trim_whitespace(arr)
    txt = pc.if_else(pc.equal(txt, ""), pa.scalar(None, pa.large_string()), txt)
    return txt.combine_chunks() if isinstance(txt, pa.ChunkedArray) else txt


def _localise(naive: np.ndarray, tz: str) -> np.ndarray:
    # Autumn's repeated hour: take the first (summer-time) reading; spring's missing
    # hour: move forward. Neither turns a readable time into NaT.
    first = np.ones(len(naive), dtype=bool)
    index = pd.DatetimeIndex(naive).tz_localize(tz, ambiguous=first, nonexistent="shift_forward")
    return np.asarray(index.tz_convert("UTC").tz_localize(None), dtype="M8[us]")


def read_times(
    values: pd.Series, tz: str | None = None, *, dayfirst: bool = False
) -> tuple[pd.Series, int, bool]:
    """``to_utc`` plus whether the column's slash dates left day/month order open (they
    were then read ``dayfirst``)."""
    tz = tz or _ZONE.get()
    txt = _arrow_text(values)
    n = len(txt)
    utc = np.full(n, np.datetime64("NaT"), dtype="M8[us]")
    local = utc.copy()
    todo = np.flatnonzero(np.asarray(pc.is_valid(txt)))
    present = len(todo)
    lengths = pc.fill_null(pc.binary_length(txt), 0).to_numpy(zero_copy_only=False)
    claimed = np.zeros(n, dtype=bool)
    open_order = False
    for layout, kind in _LAYOUTS:
        candidates = np.flatnonzero(lengths == len(layout))  # nulls have length 0
        candidates = candidates[~claimed[candidates]]
        if not len(candidates):
            continue
        ok, got = _fixed_width(txt.take(pa.array(candidates)), layout)
        target = local if kind == "local" and tz != "UTC" else utc
        target[candidates[ok]] = got[ok]
        claimed[candidates[ok]] = True
    if claimed.any():
        todo = todo[~claimed[todo]]
    for pattern, fmt, kind in _TIME_CLASSES:
        if not len(todo):
            break
        sub = txt.take(pa.array(todo))
        hit = np.asarray(pc.fill_null(pc.match_substring_regex(sub, pattern), False))
        if not hit.any():
            continue
        rows, sub = todo[hit], sub.filter(pa.array(hit))
        todo = todo[~hit]
        if kind == "number":
            ok, got, is_utc = _numbers(sub)
            utc[rows[ok & is_utc]] = got[ok & is_utc]
            local[rows[ok & ~is_utc]] = got[ok & ~is_utc]
            continue
        if kind == "fields":
            first = True
            if fmt == "slashed":
                _, _, _, day_proof, month_proof = _fields(sub, pattern, True)
                first = bool(day_proof.any()) or (dayfirst and not month_proof.any())
                open_order = not day_proof.any() and not month_proof.any()
            ok, got, clock, _, _ = _fields(sub, pattern, first)
            zoned = ok & clock & (tz != "UTC")
            local[rows[zoned]] = got[zoned]
            utc[rows[ok & ~zoned]] = got[ok & ~zoned]
            continue
        got = pd.to_datetime(
            pd.Series(sub, dtype=STRING), format=fmt, errors="coerce", utc=kind == "zoned"
        )
        if kind == "zoned":
            got = got.dt.tz_localize(None)
        target = local if kind == "local" and tz != "UTC" else utc
        target[rows] = np.asarray(got, dtype="M8[us]")
    known = ~np.isnat(local)
    if known.any():
        utc[known] = _localise(local[known], tz)
    times = pd.Series(pd.DatetimeIndex(utc).tz_localize("UTC"), index=values.index, dtype=TIME)
    return times, int(present - (~np.isnat(utc)).sum()), open_order


def to_utc(values: pd.Series, tz: str | None = None) -> tuple[pd.Series, int]:
    """Parse exported times to UTC; returns the times and how many were unreadable.

    Values with a zone (``Z``, ``+01:00``) keep it; zone-less date-times are local to
    ``tz`` (default: the ``local_zone``, Europe/Oslo); plain dates are midnight UTC.
    """
    times, bad, _ = read_times(values, tz)
    return times, bad


def _plural(n: int, one: str) -> str:
    return f"{n} {one if n == 1 else one + 's'}"


def parse_times(
    frame: pd.DataFrame,
    headers: Mapping[str, str],
    problems: list[str],
    columns: Iterable[str],
    tz: str | None = None,
) -> None:
    """Convert each present ``columns`` in place to UTC times, counting unreadable ones
    and saying where day and month order had to be taken from the file's locale."""
    norwegian = any(NORWEGIAN_HEADERS.search(str(h)) for h in headers.values())
    for col in columns:
        if col in frame.columns:
            frame[col], bad, open_order = read_times(frame[col], tz, dayfirst=norwegian)
            if bad:
                problems.append(f"{_plural(bad, 'row')} with unreadable dates in '{headers[col]}'")
            if open_order:
                locale = "day first (Norwegian headers)" if norwegian else "month first"
                problems.append(
                    f"'{headers[col]}': day and month order ambiguous, read as {locale}"
                )
