"""Dates as they come: formats inferred per column, day/month order from the whole column,
Excel serials, epoch magnitudes, and zone-less times in the policy's timezone."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from ropa.sources.common import STRING, parse_times, to_utc
from ropa.sources.dates import local_zone, read_times
from ropa.sources.folder import load_file

HERE = Path(__file__).resolve().parent
REAL = next(
    (p / "shared" / "real-exports" for p in Path(__file__).resolve().parents[2:4]
     if (p / "shared" / "real-exports").is_dir()),
    Path(__file__).resolve().parents[2] / "shared" / "real-exports",
)  # fmt: skip


def utc(*values: str | None) -> list[pd.Timestamp]:
    return [pd.NaT if v is None else pd.Timestamp(v, tz="UTC") for v in values]


def read(values: list[str | None], tz: str = "UTC", **kw: bool) -> tuple[list, int, bool]:
    times, bad, open_order = read_times(pd.Series(values, dtype=STRING), tz, **kw)
    return times.tolist(), bad, open_order


def test_iso_with_and_without_zone_and_dotted_dates() -> None:
    got, bad, _ = read(
        ["2026-05-03T14:22:10+02:00", "2026-05-03 14:22", "2026-05-03", "3.5.2026 14:22",
         "03.05.26", "3.5.2026"]
    )  # fmt: skip
    assert got == utc(
        "2026-05-03 12:22:10", "2026-05-03 14:22", "2026-05-03", "2026-05-03 14:22",
        "2026-05-03", "2026-05-03",
    )  # fmt: skip
    assert bad == 0


def test_us_dates_with_two_and_four_digit_years_and_am_pm() -> None:
    got, bad, open_order = read(
        ["11/29/24 22:28", "3/4/2025 1:05 PM", "3/4/2025 12:05 am", "3/4/2025 12:00 PM",
         "12/31/1999", "1/2/70 13:00 PM"]
    )  # fmt: skip
    assert got == utc(
        "2024-11-29 22:28", "2025-03-04 13:05", "2025-03-04 00:05", "2025-03-04 12:00",
        "1999-12-31", None,
    )  # fmt: skip
    assert bad == 1  # 13 PM is no time
    assert open_order is False  # 11/29 proves month first


def test_a_first_field_above_12_proves_day_first_for_the_whole_column() -> None:
    got, _, open_order = read(["29/11/2024", "3/4/2025"])
    assert got == utc("2024-11-29", "2025-04-03")
    assert open_order is False


def test_ambiguous_column_follows_the_locale_and_is_reported() -> None:
    assert read(["3/4/2025", "5/6/2025"])[0] == utc("2025-03-04", "2025-05-06")
    got, _, open_order = read(["3/4/2025", "5/6/2025"], dayfirst=True)
    assert got == utc("2025-04-03", "2025-06-05") and open_order is True
    frame = pd.DataFrame({"t": pd.Series(["3/4/2025"], dtype=STRING)})
    problems: list[str] = []
    parse_times(frame, {"t": "Bestillingsdato"}, problems, ["t"], tz="UTC")
    assert frame["t"].tolist() == utc("2025-04-03")
    assert problems == [
        "'Bestillingsdato': day and month order ambiguous, read as day first (Norwegian headers)"
    ]
    problems = []
    parse_times(frame.assign(t=pd.Series(["3/4/2025"], dtype=STRING)),
                {"t": "Order Date"}, problems, ["t"], tz="UTC")  # fmt: skip
    assert problems == ["'Order Date': day and month order ambiguous, read as month first"]


def test_two_digit_years_pivot_like_strptime() -> None:
    got, _, _ = read(["01.01.00", "01.01.68", "01.01.69", "01.01.99"])
    assert got == utc("2000-01-01", "2068-01-01", "1969-01-01", "1999-01-01")


def test_epoch_seconds_ms_and_us_by_magnitude() -> None:
    got, bad, _ = read(["1700000000", "1700000000000", "1700000000000000", "1700000000.5", "42"])
    second = "2023-11-14 22:13:20"
    assert got == utc(second, second, second, "2023-11-14 22:13:20.5", None)
    assert bad == 1  # too small to be any of them (and not an Excel serial)


def test_excel_serials_are_days_since_1899_12_30_local_time() -> None:
    got, _, _ = read(["45000", "45000.5"], tz="Europe/Oslo")
    assert got == utc("2023-03-15", "2023-03-15 11:00")  # a whole serial is a date


def test_xlsx_number_serial_and_date_cells(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Order #", "Order Date", "First Name", "Last Name", "Email", "Event Date"])
    sheet.append([1, 45000.5, "Pat", "Doe", "pat@example.com", datetime(2024, 12, 15, 19, 0)])
    sheet.append([2, 45001, "Sam", "Roe", "sam@example.com", datetime(2024, 12, 16)])
    sheet["F3"].number_format = "yyyy-mm-dd"
    path = tmp_path / "attendees.xlsx"
    book.save(path)
    src = load_file(path, tmp_path, kind="registrations")
    assert src.frame["order_time"].tolist() == utc("2023-03-15 11:00", "2023-03-16")
    assert src.frame["event_time"].tolist() == utc("2024-12-15 18:00", "2024-12-16")
    assert not [p for p in src.problems if "date" in p]


def test_us_eventbrite_fixture_rows_and_utc_times(tmp_path: Path) -> None:
    path = HERE / "fixtures" / "dates" / "eventbrite-us.csv"
    src = load_file(path, path.parent, kind="registrations")
    f = src.frame
    assert f["_row"].tolist() == [1, 2, 3]
    assert f["order_time"].tolist() == utc(
        "2024-11-29 21:28", "2025-03-04 12:05", "2024-11-30 23:05"
    )  # Oslo: UTC+1 in winter
    assert f["event_time"].tolist() == utc("2024-12-15 18:00", "2024-12-15 18:00",
                                           "2024-12-14 23:30")  # fmt: skip
    assert not [p for p in src.problems if "date" in p]


def test_policy_timezone_changes_zone_less_times() -> None:
    path = HERE / "fixtures" / "dates" / "eventbrite-us.csv"
    got = load_file(path, path.parent, kind="registrations", tz="America/New_York").frame
    assert got["order_time"].tolist()[0] == pd.Timestamp("2024-11-30 03:28", tz="UTC")
    assert load_file(path, path.parent, kind="registrations", tz="UTC").frame[
        "order_time"
    ].tolist()[0] == pd.Timestamp("2024-11-29 22:28", tz="UTC")
    with local_zone("UTC"):
        assert to_utc(pd.Series(["2026-01-05 10:00"], dtype=STRING))[0].tolist() == utc(
            "2026-01-05 10:00"
        )
    assert to_utc(pd.Series(["2026-01-05 10:00"], dtype=STRING))[0].tolist() == utc(
        "2026-01-05 09:00"
    )  # no policy: Europe/Oslo


def test_audit_reads_zone_less_times_in_the_policy_timezone(tmp_path: Path) -> None:
    from ropa.sources.loader import ExportReader, open_export

    path = HERE / "fixtures" / "dates" / "eventbrite-us.csv"
    export = open_export(path, path.parent, "registrations")
    export.tz = "UTC"
    batch = next(b for b in ExportReader(export) if not isinstance(b, str))
    assert batch.frame["order_time"].tolist()[0] == pd.Timestamp("2024-11-29 22:28", tz="UTC")


def _real_files() -> list[Path]:
    if not REAL.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"real exports missing: {REAL}")
        pytest.skip(f"real exports not beside the repo: {REAL}")
    return sorted(p for p in REAL.rglob("*") if p.is_file() and p.suffix != ".md")


def test_every_date_in_the_real_exports_is_read() -> None:
    for path in _real_files():
        kind = "registrations" if path.parent.name == "eventbrite" else None
        try:
            src = load_file(path, REAL, kind=kind)
        except Exception as exc:  # not recognised (yet): no dates read from it
            assert path.parent.name == "other", f"{path.name}: {exc}"
            continue
        assert not [p for p in src.problems if "date" in p], (path.name, src.problems)
        times = [c for c in src.frame.columns if str(src.frame[c].dtype).startswith("datetime")]
        assert times, path.name
        if path.parent.name == "eventbrite":
            assert src.frame["order_time"].notna().all()
            assert src.frame["order_time"].iloc[0] == pd.Timestamp("2024-11-29 21:28", tz="UTC")


def test_detail_dates_are_the_utc_calendar_date_however_the_times_are_held() -> None:
    """``rules.values.iso`` (the date in a finding's detail): arrow times are cast by
    arrow, numpy times formatted by pandas; both give the UTC date of each instant,
    before 1970, on a leap day and at the last microsecond of a day; null stays null."""
    import pyarrow as pa

    from ropa.rules.values import iso

    stamps = ["1969-12-31 23:59:59.999999", "2024-02-29 00:00", "2026-09-30 23:59:59.999999",
              "0001-01-01", "9999-12-31 12:00", None]  # fmt: skip
    want = ["1969-12-31", "2024-02-29", "2026-09-30", "0001-01-01", "9999-12-31", None]
    instants = [None if s is None else pd.Timestamp(s, tz="UTC") for s in stamps]
    arrow = pd.Series(pd.arrays.ArrowExtensionArray(pa.array(instants, pa.timestamp("us", "UTC"))))
    naive = pd.Series(pd.arrays.ArrowExtensionArray(pa.array(
        [None if s is None else pd.Timestamp(s) for s in stamps], pa.timestamp("us"))))  # fmt: skip
    numpy = pd.Series(instants[1:3] + [None], dtype="datetime64[ns, UTC]")
    for times, expected in ((arrow, want), (naive, want), (numpy, [*want[1:3], None])):
        got = iso(times.set_axis(range(10, 10 + len(times))))
        assert str(got.dtype) == str(STRING) and list(got.index) == list(range(10, 10 + len(times)))
        assert [None if pd.isna(v) else v for v in got] == expected
