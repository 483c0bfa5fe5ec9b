"""Eventbrite attendee reports: custom questions recognised by meaning."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ropa.sources import load_file

HEADER = (
    "Order #,Order Date,First Name,Last Name,Email,Quantity,Ticket Type,Attendee #,"
    "Attendee Status,Event Name,Event ID,Event Date,Total Paid,"
    "Do you have any dietary requirements?,Allergies,"
    "Do you consent to us storing your dietary and allergy information?,"
    "Trenger du tilrettelegging av helsemessige grunner?,Billing information"
)
ROWS = [
    "1001,2026-05-03 14:22:10+02:00,Kari,Nordmann,kari@example.no,1,Standard,1,Attending,"
    "Metier Summit,42,2026-06-12,1500,Vegetarian,Nuts,Yes,,Invoice",
    "1002,2026-05-04 09:00,Ola,Hansen,ola@example.no,1,Early bird,2,Attending,"
    'Metier Summit,42,2026-06-12 09:00,0,"Halal,\nno pork",,No,Rullestol,Card',
]


def load(tmp_path: Path, header: str = HEADER, rows: list[str] = ROWS):
    path = tmp_path / "report.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return load_file(path, tmp_path)


def test_custom_questions_get_canonical_names_consent_first(tmp_path: Path) -> None:
    src = load(tmp_path)
    assert src.kind == "registrations"
    f = src.frame
    assert f.loc[0, "dietary"] == "Vegetarian"
    assert f.loc[1, "dietary"] == "Halal,\nno pork"
    assert f.loc[0, "allergy"] == "Nuts"
    assert f["special_consent"].tolist() == ["Yes", "No"]
    assert src.headers["special_consent"].startswith("Do you consent")
    assert f.loc[1, "special_other"] == "Rullestol"
    assert "Billing information" in f.columns  # "information" is not "mat"
    assert f["_row"].tolist() == [1, 2]


def test_order_and_event_dates_become_utc(tmp_path: Path) -> None:
    f = load(tmp_path).frame
    assert f["order_time"].tolist() == [
        pd.Timestamp("2026-05-03 12:22:10", tz="UTC"),
        pd.Timestamp("2026-05-04 07:00", tz="UTC"),  # zone-less: Oslo summer time
    ]
    # a plain event date stays on its day; a zone-less date-time is Oslo time
    assert f["event_time"].tolist() == [
        pd.Timestamp("2026-06-12 00:00", tz="UTC"),
        pd.Timestamp("2026-06-12 07:00", tz="UTC"),
    ]
    assert str(f["event_time"].dtype) == "datetime64[us, UTC]"


def test_norwegian_questions_and_a_second_dietary_question(tmp_path: Path) -> None:
    header = (
        "Order #,Email,Ticket Type,Matpreferanser,Kosthold (annet),Allergier,"
        "Samtykker du til lagring av opplysninger om kost og allergier?,"
        "Totalkostnad"
    )
    src = load(tmp_path, header, ["1,a@example.no,Standard,Vegansk,Ingen,Gluten,Ja,100"])
    f = src.frame
    assert f.loc[0, "dietary"] == "Vegansk"
    assert f.loc[0, "dietary_2"] == "Ingen"
    assert f.loc[0, "allergy"] == "Gluten"
    assert f.loc[0, "special_consent"] == "Ja"
    assert f.loc[0, "Totalkostnad"] == "100"
    assert src.headers["dietary_2"] == "Kosthold (annet)"
