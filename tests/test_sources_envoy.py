"""Envoy visitor logs: current and legacy headers, CSV and XLSX; times already UTC."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from ropa.sources import load_file


def test_current_csv_headers(tmp_path: Path) -> None:
    path = tmp_path / "entries.csv"
    path.write_text(
        "Your Full Name,Your Email Address,Your Company,Signed in time (UTC),"
        "Signed out time (UTC),Host,Purpose of visit,Private notes,Location\n"
        "Kari Nordmann,kari@example.no,Fjord AS,2026-06-01 08:15:00,2026-06-01T10:00:00Z,"
        'Per Berg,Meeting,"Came early,\nwaited in lobby",Oslo HQ\n'
        "Ola Hansen,,,2026-01-03 07:00:00,,Per Berg,Interview,,Oslo HQ\n",
        encoding="utf-8",
    )
    src = load_file(path, tmp_path)
    assert src.kind == "visitors"
    f = src.frame
    assert f["signed_in_time"].tolist() == [
        pd.Timestamp("2026-06-01 08:15", tz="UTC"),
        pd.Timestamp("2026-01-03 07:00", tz="UTC"),
    ]
    assert f.loc[0, "signed_out_time"] == pd.Timestamp("2026-06-01 10:00", tz="UTC")
    assert pd.isna(f.loc[1, "signed_out_time"])
    assert f.loc[0, "private_notes"] == "Came early,\nwaited in lobby"
    assert f["_row"].tolist() == [1, 2]


def test_xlsx_with_legacy_snake_case_headers(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "your_full_name",
            "your_email_address",
            "your_phone_number",
            "signed_in_time_utc",
            "signed_out_time_utc",
            "host",
            "purpose_of_visit",
            "private_notes",
        ]
    )
    ws.append(
        [
            "Kari Nordmann",
            "kari@example.no",
            4791234567,
            datetime(2026, 6, 1, 8, 15),
            datetime(2026, 6, 1, 10, 0),
            "Per",
            "Meeting",
            None,
        ]
    )
    ws.append([None] * 8)  # an empty row is skipped but still counted
    ws.append(
        [
            "Ola Hansen",
            None,
            None,
            "2026-01-03 07:00:00",
            None,
            "Per",
            "Interview",
            "allergic to cats",
        ]
    )
    path = tmp_path / "visitors.xlsx"
    wb.save(path)
    before = path.read_bytes()

    src = load_file(path, tmp_path)
    assert (src.kind, src.file_format, src.encoding) == ("visitors", "xlsx", None)
    f = src.frame
    assert f["_row"].tolist() == [1, 3]  # sheet rows 2 and 4: the row below the header is 1
    assert f["signed_in_time"].tolist() == [
        pd.Timestamp("2026-06-01 08:15", tz="UTC"),
        pd.Timestamp("2026-01-03 07:00", tz="UTC"),
    ]
    assert f.loc[0, "phone"] == "4791234567"
    assert f["phone"].dtype == pd.StringDtype("pyarrow")
    assert src.headers["signed_in_time"] == "signed_in_time_utc"
    assert path.read_bytes() == before
