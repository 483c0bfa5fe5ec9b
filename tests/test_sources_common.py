"""Shared parsing: times to UTC (Oslo local, zones, DST), header names, labels."""

from __future__ import annotations

import pandas as pd
import pytest

from ropa.sources.common import STRING, TIME, to_utc, unique_names


def utc(values: list[str | None], tz: str = "Europe/Oslo") -> tuple[list[str | None], int]:
    times, bad = to_utc(pd.Series(values, dtype=STRING), tz)
    assert times.dtype == TIME
    return [None if pd.isna(t) else t.isoformat() for t in times], bad


def test_oslo_winter_and_summer_times_convert_to_utc() -> None:
    got, bad = utc(["2026-01-15 10:00", "2026-07-01 10:00", "15.01.2026 10:00"])
    assert got == [
        "2026-01-15T09:00:00+00:00",
        "2026-07-01T08:00:00+00:00",
        "2026-01-15T09:00:00+00:00",
    ]
    assert bad == 0


def test_times_with_a_zone_keep_it() -> None:
    got, _ = utc(["2026-01-05T10:00:00Z", "2026-01-05T10:00:00+01:00", "2026-05-03 14:22:10+02:00"])
    assert got == [
        "2026-01-05T10:00:00+00:00",
        "2026-01-05T09:00:00+00:00",
        "2026-05-03T12:22:10+00:00",
    ]


def test_plain_dates_stay_on_their_calendar_day() -> None:
    got, _ = utc(["2026-06-12", "12.06.2026"])
    assert got == ["2026-06-12T00:00:00+00:00", "2026-06-12T00:00:00+00:00"]


def test_dst_gap_and_repeated_hour_never_become_nat() -> None:
    got, bad = utc(["2026-03-29 02:30", "2026-10-25 02:30"])
    # spring: 02:30 does not exist, moved to 03:00 CEST; autumn: first (CEST) reading
    assert got == ["2026-03-29T01:00:00+00:00", "2026-10-25T00:30:00+00:00"]
    assert bad == 0


def test_unreadable_times_are_null_and_counted_empty_ones_are_not() -> None:
    got, bad = utc(["not a date", "", None, "2026-13-45 10:00", " 2026-01-15 10:00 "])
    assert got[:4] == [None, None, None, None]
    assert got[4] == "2026-01-15T09:00:00+00:00"
    assert bad == 2


def test_utc_zone_leaves_clock_time_alone() -> None:
    got, _ = utc(["2026-06-01 08:15:00", "2026-06-01T08:15:00"], tz="UTC")
    assert got == ["2026-06-01T08:15:00+00:00", "2026-06-01T08:15:00+00:00"]


@pytest.mark.parametrize(
    ("headers", "names", "problems"),
    [
        (["Email", "Name"], ["Email", "Name"], 0),
        (["Email", "Email", "Email"], ["Email", "Email.1", "Email.2"], 2),
        (["\ufeffRecord ID", ""], ["Record ID", "Unnamed: 1"], 0),
    ],
)
def test_unique_names(headers: list[str], names: list[str], problems: int) -> None:
    got, raw, notes = unique_names(headers)
    assert got == names
    assert len(raw) == len(headers)
    assert len(notes) == problems


def test_every_blank_test_agrees_with_str_strip() -> None:
    """``blank`` is the one test of "blank": the loaders, the rules (``present``) and the
    data map (``non_empty``, ``count_filled``) all say what ``str.strip() == ""`` says."""
    import pyarrow as pa

    from ropa.mapping.detectors import non_empty
    from ropa.mapping.text_values import count_filled
    from ropa.rules.values import present
    from ropa.sources.common import blank

    values = ["", " ", "\t\n", "\u00a0", "\u2003", "\u3000", "\u200b", " a ", "x", None]
    expected = [v is None or v.strip() == "" for v in values]
    for dtype in (STRING, object, "category"):
        s = pd.Series(values, dtype=dtype)
        assert blank(s).tolist() == expected
        assert (~present(s)).tolist() == expected
    s = pd.Series(values, dtype=STRING)
    assert (~non_empty(s)).tolist() == expected
    assert count_filled(pa.array(values)) == expected.count(False)
    assert count_filled(pa.array(values).dictionary_encode()) == expected.count(False)
