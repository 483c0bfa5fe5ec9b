"""Contact-form and ticket exports: zone-less times are Oslo local time."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ropa.sources import load_file


def test_gravity_forms_export(tmp_path: Path) -> None:
    path = tmp_path / "contact-form.csv"
    path.write_text(
        "Entry Id,Date Created,Name (First),Name (Last),Email,Phone,Message,Last Updated,"
        "User IP,Source Url\n"
        '17,2026-01-15 10:00:00,Kari,Nordmann,kari@example.no,,"Hei,\nkan dere ringe meg?",'
        "2026-07-01 10:00:00,192.0.2.1,https://metier.no/kontakt\n"
        "18,2025-09-01 12:00:00,Ola,Hansen,ola@example.no,+4791234567,Tilbud?,,,\n",
        encoding="utf-8",
    )
    src = load_file(path, tmp_path)
    assert (src.kind, src.activity) == ("inquiries", "inquiries")
    f = src.frame
    assert f.loc[0, "created_time"] == pd.Timestamp("2026-01-15 09:00", tz="UTC")
    assert f.loc[0, "updated_time"] == pd.Timestamp("2026-07-01 08:00", tz="UTC")
    assert pd.isna(f.loc[1, "updated_time"])
    assert f.loc[0, "message"] == "Hei,\nkan dere ringe meg?"
    assert f["_row"].tolist() == [1, 2]
    assert {"first_name", "last_name", "user_ip", "source_url"} <= set(f.columns)


def test_ticket_export_with_iso_times(tmp_path: Path) -> None:
    path = tmp_path / "tickets.csv"
    path.write_text(
        "Id,Subject,Description,Requester,Requester email,Created at,Updated at\n"
        "5,Faktura,Feil beløp,Kari,kari@example.no,"
        "2026-01-05T10:00:00Z,2026-01-06T10:00:00+01:00\n",
        encoding="utf-8",
    )
    src = load_file(path, tmp_path)
    assert src.kind == "inquiries"
    f = src.frame
    assert f.loc[0, "created_time"] == pd.Timestamp("2026-01-05 10:00", tz="UTC")
    assert f.loc[0, "updated_time"] == pd.Timestamp("2026-01-06 09:00", tz="UTC")
    assert f.loc[0, "full_name"] == "Kari"
