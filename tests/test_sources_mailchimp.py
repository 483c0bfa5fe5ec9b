"""Mailchimp audience exports: the three statuses told apart by their header."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ropa.sources import load_file

COMMON = (
    "Email Address,First Name,Last Name,Address,Phone Number,MEMBER_RATING,OPTIN_TIME,"
    "OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,"
    "LAST_CHANGED,LEID,EUID,NOTES,TAGS"
)
ROW = (
    'kari@example.no,Kari,Nordmann,"Storgata 1\nOslo",+47 912 34 567,2,'
    "2025-01-05 09:00:00,192.0.2.10,2025-01-05 09:05:10,192.0.2.10,59.9139,10.7522,1,2,"
    'Europe/Oslo,NO,Oslo,2026-03-01 12:00:00,123456,abc123,,"News, Events"'
)
EMPTY = "ola@example.no,,,,,2,,,,,,,,,,,,2026-03-02 12:00:00,123457,abc124,,"


def write(tmp_path: Path, name: str, header: str, *rows: str) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("extra_header", "extra_cells", "kind", "time_col", "expected"),
    [
        ("", "", "newsletter_subscribed", "optin_time", "2025-01-05 09:00:00"),
        (
            ",UNSUB_TIME,UNSUB_CAMPAIGN_TITLE,UNSUB_CAMPAIGN_ID,UNSUB_REASON",
            ",2026-04-01 07:30:00,Spring news,c1,I no longer want these emails",
            "newsletter_unsubscribed",
            "unsub_time",
            "2026-04-01 07:30:00",
        ),
        (
            ",CLEAN_TIME,CLEAN_CAMPAIGN_TITLE,CLEAN_CAMPAIGN_ID",
            ",2026-08-01 23:15:00,Summer news,c2",
            "newsletter_cleaned",
            "clean_time",
            "2026-08-01 23:15:00",
        ),
    ],
)
def test_each_status_export_is_its_own_kind(
    tmp_path: Path, extra_header: str, extra_cells: str, kind: str, time_col: str, expected: str
) -> None:
    empty = EMPTY + ("," * extra_header.count(","))
    path = write(
        tmp_path, "members_export_1a2b3c.csv", COMMON + extra_header, ROW + extra_cells, empty
    )
    src = load_file(path, tmp_path)
    assert src.kind == kind
    assert src.activity == "newsletter"
    f = src.frame
    assert f["_row"].tolist() == [1, 2]  # the address holds a line break, still one record
    assert f.loc[0, "address"] == "Storgata 1\nOslo"
    # Mailchimp times are UTC already: no shift
    assert f.loc[0, time_col] == pd.Timestamp(expected, tz="UTC")
    assert str(f["optin_time"].dtype) == "datetime64[us, UTC]"
    assert pd.isna(f.loc[1, "optin_time"])
    assert str(f["latitude"].dtype) == "double[pyarrow]"
    assert f.loc[0, "latitude"] == pytest.approx(59.9139)
    assert f.loc[0, "longitude"] == pytest.approx(10.7522)
    assert pd.isna(f.loc[1, "latitude"])
    assert f.loc[0, "tags"] == "News, Events"
    assert f["optin_ip"].dtype == pd.StringDtype("pyarrow")
    assert src.problems == []


def test_unreadable_coordinates_are_counted(tmp_path: Path) -> None:
    bad = ROW.replace("59.9139", "north")
    src = load_file(write(tmp_path, "s.csv", COMMON, bad), tmp_path)
    assert pd.isna(src.frame.loc[0, "latitude"])
    assert src.problems == ["1 row with unreadable numbers in 'LATITUDE'"]


def test_merge_fields_the_loader_does_not_know_are_kept(tmp_path: Path) -> None:
    path = write(tmp_path, "s.csv", COMMON + ",Birthday,Fødselsnummer", ROW + ",05/17,01019912345")
    src = load_file(path, tmp_path)
    assert src.frame.loc[0, "Fødselsnummer"] == "01019912345"
    assert src.headers["Birthday"] == "Birthday"
