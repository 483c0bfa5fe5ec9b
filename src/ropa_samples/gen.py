"""Shared machinery of the sample generators: the file record, vectorised draws, formats.

Bulk columns are pyarrow string arrays built with numpy draws and arrow compute kernels
(no Python loop per row, no Python string objects), so ``scale=1000`` writes millions of
rows in seconds. Planted rows are a small fixed list of dicts keyed by header; ``scatter``
(random order) or ``merge`` (exports sorted by time) slot them in among the bulk rows
without gathering the bulk columns row by row.

Every frame carries two bookkeeping columns that are never written: ``_note`` (why a row
was planted) and ``_near`` (``RULE-ID: why`` entries, ``|``-separated, for rows that sit
exactly at a limit and must not be flagged).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ropa_samples.frames import (
    ANALYTICS_FORMATS,
    META,
    TEXT,
    Plan,
    SampleFile,
    count,
    frame_of,
    insert,
    joined_bytes,
    merge,
    near,
    planted_frame,
    scatter,
    text_times,
)
from ropa_samples.vocab import FIRST_NAMES, LAST_NAMES, MAIL_DOMAINS, mail_local

STYLES = {
    "iso_s": "%Y-%m-%d %H:%M:%S",
    "iso_m": "%Y-%m-%d %H:%M",
    "no_m": "%d.%m.%Y %H:%M",
    "date": "%Y-%m-%d",
}


def const(value: str | None, n: int) -> pa.Array:
    return pa.nulls(n, TEXT) if value is None else pa.repeat(pa.scalar(value, TEXT), n)


def sparse(mask: np.ndarray, make: Any) -> pa.Array:
    """Null except where ``mask``; ``make(k)`` draws the k values (cheap for rare values)."""
    k = int(np.count_nonzero(mask))
    return pc.replace_with_mask(pa.nulls(len(mask), TEXT), pa.array(mask), make(k).cast(TEXT))


def take(values: Sequence[Any], idx: np.ndarray) -> pa.Array:
    """``values[idx]`` as text (None in ``values`` -> null)."""
    return pc.take(pa.array(list(values), TEXT), pa.array(idx))


def pick(rng: np.random.Generator, values: Sequence[Any], n: int) -> pa.Array:
    return take(values, rng.integers(0, len(values), n))


def chance(rng: np.random.Generator, p: Any, n: int) -> np.ndarray:
    return rng.random(n) < p


def where(mask: np.ndarray, a: Any, b: Any) -> pa.Array:
    """``a`` where ``mask`` else ``b``; str/None are broadcast."""

    def arg(v: Any) -> Any:
        return pa.scalar(v, TEXT) if v is None or isinstance(v, str) else v

    return pc.if_else(pa.array(mask), arg(a), arg(b))


def blank(values: pa.Array, empty: np.ndarray) -> pa.Array:
    """``values`` with "" where ``empty`` is true."""
    return where(empty, "", values)


def cat(*parts: Any) -> pa.Array:
    """Element-wise concatenation of text arrays and str constants."""
    args = [pa.scalar(p, TEXT) if isinstance(p, str) else p for p in parts]
    return pc.binary_join_element_wise(*args, pa.scalar("", TEXT))


def num(values: np.ndarray, width: int = 0) -> pa.Array:
    """Integers as text, zero-padded to ``width``."""
    text = pa.array(np.asarray(values, dtype=np.int64)).cast(TEXT)
    return pc.utf8_lpad(text, width=width, padding="0") if width else text


def decimals(values: np.ndarray, places: int) -> pa.Array:
    return pc.round(pa.array(np.asarray(values, dtype=float)), places).cast(TEXT)


def digits(rng: np.random.Generator, n: int, width: int, first: str = "123456789") -> pa.Array:
    """Random digit strings of ``width`` whose first digit is drawn from ``first``."""
    return cat(pick(rng, list(first), n), num(rng.integers(0, 10 ** (width - 1), n), width - 1))


def chars(rng: np.random.Generator, n: int, width: int, alphabet: str) -> pa.Array:
    """Random strings of ``width`` characters from ``alphabet`` (one numpy draw)."""
    table = np.array(list(alphabet), dtype="<U1")
    drawn = np.ascontiguousarray(table[rng.integers(0, len(table), (n, width))])
    return pa.array(drawn.view(f"<U{width}").ravel()).cast(TEXT)


def hexes(rng: np.random.Generator, n: int, width: int) -> pa.Array:
    return chars(rng, n, width, "0123456789abcdef")


def letters_id(rng: np.random.Generator, n: int, width: int) -> pa.Array:
    """gclid-like ids from consonants, '_' and '-': no digit runs that look like phone
    numbers and no vowels, so no random id spells a health word ("vegan", "halal")."""
    return chars(rng, n, width, "BCDFGHJKLMNPQRSTVWXZbcdfghjkmnpqrstvwxz_-")


def mobiles(rng: np.random.Generator, n: int) -> pa.Array:
    """Norwegian mobile numbers: 8 digits starting 4 or 9, bare."""
    return digits(rng, n, 8, first="49")


def phones(rng: np.random.Generator, n: int, styles: Sequence[str]) -> pa.Array:
    """Mobile numbers written, per row, in one of the styles "+47 912 34 567" (intl_spaced),
    "+4791234567" (intl), "91234567" (bare)."""
    b = mobiles(rng, n)
    part = {
        k: pc.utf8_slice_codeunits(b, s, e)
        for k, (s, e) in {"a": (0, 3), "b": (3, 5), "c": (5, 8)}.items()
    }
    forms = {
        "intl_spaced": cat("+47 ", part["a"], " ", part["b"], " ", part["c"]),
        "intl": cat("+47", b),
        "bare": b,
    }
    choice = rng.integers(0, len(styles), n)
    out = forms[styles[0]]
    for k, style in enumerate(styles[1:], start=1):
        out = where(choice == k, forms[style], out)
    return out


@dataclass
class People:
    """Bulk persons: names and e-mails. Each gets a unique number (``offset`` + i) in its
    e-mail, so bulk addresses never collide with each other or with the planted persons
    (whose addresses carry no digits)."""

    first: pa.Array
    last: pa.Array
    email: pa.Array

    @property
    def full(self) -> pa.Array:
        return cat(self.first, " ", self.last)


def people(rng: np.random.Generator, n: int, offset: int) -> People:
    fi = rng.integers(0, len(FIRST_NAMES), n)
    li = rng.integers(0, len(LAST_NAMES), n)
    fl = take([mail_local(x) for x in FIRST_NAMES], fi)
    ll = take([mail_local(x) for x in LAST_NAMES], li)
    number = num(np.arange(offset, offset + n) + 1)
    local = where(
        chance(rng, 0.75, n),
        cat(fl, ".", ll, number),
        cat(pc.utf8_slice_codeunits(fl, 0, 1), ll, number),
    )
    return People(
        take(FIRST_NAMES, fi), take(LAST_NAMES, li), cat(local, "@", pick(rng, MAIL_DOMAINS, n))
    )


# ---------------------------------------------------------------------- time


def day(d: date) -> np.datetime64:
    return np.datetime64(d.isoformat(), "D")


def times(
    rng: np.random.Generator,
    n: int,
    as_of: date,
    days_ago: tuple[int, int],
    hours: tuple[int, int] = (7, 21),
    step: int = 60,
) -> np.ndarray:
    """Timestamps (datetime64[s]) on a day ``days_ago[0]..days_ago[1]`` before ``as_of``
    (inclusive), at a time in ``[hours[0], hours[1])``, in multiples of ``step`` seconds."""
    ago = rng.integers(days_ago[0], days_ago[1] + 1, n)
    dates = day(as_of) - ago.astype("timedelta64[D]")
    slots = rng.integers(hours[0] * 3600 // step, hours[1] * 3600 // step, n) * step
    return dates.astype("datetime64[s]") + slots.astype("timedelta64[s]")


def fmt_times(ts: np.ndarray, style: str, empty: np.ndarray | None = None) -> pa.Array:
    """Format datetime64 values; NaT or ``empty`` -> ""."""
    iso = pa.array(ts.astype("datetime64[s]")).cast(TEXT)  # "YYYY-MM-DD HH:MM:SS"

    def s(a: int, b: int) -> pa.Array:
        return pc.utf8_slice_codeunits(iso, a, b)

    out = {
        "iso_s": iso,
        "iso_m": s(0, 16),
        "date": s(0, 10),
        "no_m": cat(s(8, 10), ".", s(5, 7), ".", s(0, 4), " ", s(11, 16)),
    }[style]
    out = pc.fill_null(out, "")
    return out if empty is None else blank(out, empty)


def fmt_one(dt: datetime | None, style: str) -> str:
    return "" if dt is None else dt.strftime(STYLES[style])


def at(as_of: date, days_ago: int, hh: int = 12, mm: int = 0, ss: int = 0) -> datetime:
    """The wall-clock time ``hh:mm:ss`` on the day ``days_ago`` before ``as_of``."""
    d = pd.Timestamp(as_of) - pd.Timedelta(days=days_ago)
    return datetime(d.year, d.month, d.day, hh, mm, ss)


def minus_months(d: date, months: int) -> date:
    """Calendar months back, clamped to the month's end (31 March - 1 month = 28/29 Feb)."""
    result = pd.Timestamp(d) - pd.DateOffset(months=months)
    return result.date()


# The frame helpers live in ropa_samples.frames; the generators call them as gen.<name>.
__all__ = [
    "ANALYTICS_FORMATS",
    "META",
    "Plan",
    "SampleFile",
    "count",
    "TEXT",
    "frame_of",
    "insert",
    "joined_bytes",
    "merge",
    "near",
    "planted_frame",
    "scatter",
    "text_times",
]
