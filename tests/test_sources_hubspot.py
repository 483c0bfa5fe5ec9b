"""HubSpot contacts: English comma UTF-8 and Norwegian semicolon cp1252 load alike."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ropa.errors import SourceError
from ropa.sources import load_file

EN = (
    "Record ID,First Name,Last Name,Email,Lifecycle Stage,Create Date,Last Activity Date,"
    "Marketing contact status,Legal basis for processing contact's data,"
    "Unsubscribed from all email,Associated Company\n"
    "101,Kari,Nordmann,kari@example.no,Customer,2026-01-15 10:00,2026-07-01 10:00,"
    'Marketing contact,Legitimate interest,false,"Fjord AS\nAvd. Bergen"\n'
    "102,Ola,Hansen,ola@example.no,Marketing Qualified Lead,2026-03-02 08:30,,"
    "Non-marketing contact,,Yes,\n"
    "103,Per,Berg,per@example.no,Sales Qualified Lead,2025-11-30 23:59,2026-08-01 00:00,"
    "Set to non-marketing on next update,Freely given consent,No,Nordlys\n"
    "104,Åse,Øvrebø,ase@example.no,Other,2026-02-01 12:00,,,,,\n"
)
NO = (
    "Post-ID;Fornavn;Etternavn;E-post;Livssyklusfase;Opprettelsesdato;"
    "Dato for siste aktivitet;Status for markedsføringskontakt;"
    "Juridisk grunnlag for behandling av kontaktens data;Avmeldt fra all e-post;"
    "Tilknyttet selskap\n"
    "101;Kari;Nordmann;kari@example.no;Kunde;15.01.2026 10:00;01.07.2026 10:00;"
    'Markedsføringskontakt;Legitimate interest;Nei;"Fjord AS\nAvd. Bergen"\n'
    "102;Ola;Hansen;ola@example.no;Markedsføringskvalifisert lead;02.03.2026 08:30;;"
    "Ikke-markedsføringskontakt;;Ja;\n"
    "103;Per;Berg;per@example.no;Salgskvalifisert lead;30.11.2025 23:59;01.08.2026 00:00;"
    "Set to non-marketing on next update;Freely given consent;Nei;Nordlys\n"
    "104;Åse;Øvrebø;ase@example.no;Annet;01.02.2026 12:00;;;;;\n"
)


@pytest.fixture
def english(tmp_path: Path) -> Path:
    path = tmp_path / "hubspot-contacts.csv"
    path.write_text(EN, encoding="utf-8")
    return path


@pytest.fixture
def norwegian(tmp_path: Path) -> Path:
    path = tmp_path / "eksport" / "kontakter.csv"
    path.parent.mkdir()
    path.write_bytes(NO.encode("cp1252"))
    return path


def test_english_export_is_read_into_canonical_columns(english: Path) -> None:
    src = load_file(english, english.parent)
    assert (src.kind, src.activity, src.encoding, src.delimiter) == (
        "crm",
        "customers",
        "utf-8",
        ",",
    )
    f = src.frame
    assert list(f.columns) == [
        "record_id",
        "first_name",
        "last_name",
        "email",
        "lifecycle_stage",
        "create_time",
        "last_activity_time",
        "marketing_contact",
        "legal_basis",
        "unsubscribed_all",
        "company",
        "_source",
        "_row",
    ]
    assert str(f["email"].dtype) == "string"
    assert f["email"].dtype == pd.StringDtype("pyarrow")
    assert str(f["create_time"].dtype) == "datetime64[us, UTC]"
    assert str(f["marketing_contact"].dtype) == "bool[pyarrow]"
    assert f["_row"].dtype == "int64"
    assert f["_row"].tolist() == [1, 2, 3, 4]  # the quoted line break stays in record 1
    assert f.loc[0, "company"] == "Fjord AS\nAvd. Bergen"
    assert f.loc[0, "create_time"] == pd.Timestamp("2026-01-15 09:00", tz="UTC")
    assert f.loc[0, "last_activity_time"] == pd.Timestamp("2026-07-01 08:00", tz="UTC")
    assert f["lifecycle_stage"].tolist() == [
        "customer",
        "marketingqualifiedlead",
        "salesqualifiedlead",
        "other",
    ]
    assert f["marketing_contact"].tolist() == [True, False, True, pd.NA]
    assert f["unsubscribed_all"].tolist() == [False, True, False, pd.NA]
    assert f["_source"].tolist() == ["hubspot-contacts.csv"] * 4
    assert src.headers["create_time"] == "Create Date"
    assert src.problems == []


def test_norwegian_semicolon_cp1252_equals_english_comma_utf8(
    english: Path, norwegian: Path, tmp_path: Path
) -> None:
    en = load_file(english, tmp_path)
    no = load_file(norwegian, tmp_path)
    assert no.kind == "crm"
    assert (no.encoding, no.delimiter) == ("cp1252", ";")
    assert no.rel == "eksport/kontakter.csv"
    assert no.headers["email"] == "E-post"
    cols = [c for c in en.frame.columns if c != "_source"]
    pd.testing.assert_frame_equal(en.frame[cols], no.frame[cols])
    assert no.frame.loc[3, "last_name"] == "Øvrebø"


def test_utf8_bom_header_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(EN.encode("utf-8-sig"))
    src = load_file(path, tmp_path)
    assert src.encoding == "utf-8-sig"
    assert src.frame.columns[0] == "record_id"
    assert src.headers["record_id"] == "Record ID"


def test_unreadable_dates_and_labels_are_counted_not_quoted(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "Record ID,Email,Lifecycle Stage,Create Date,Marketing contact status\n"
        "1,a@example.no,Leverandør,soon,Maybe\n"
        "2,b@example.no,lead,yesterday,marketing contact\n",
        encoding="utf-8",
    )
    src = load_file(path, tmp_path)
    assert src.frame["create_time"].isna().all()
    assert src.frame["lifecycle_stage"].tolist() == ["leverandør", "lead"]
    assert src.frame["marketing_contact"].tolist() == [pd.NA, True]
    assert "2 rows with unreadable dates in 'Create Date'" in src.problems
    assert "1 row with an unrecognised value in 'Marketing contact status'" in src.problems
    assert "1 row with an unrecognised stage in 'Lifecycle Stage'" in src.problems
    text = " ".join(src.problems)
    assert "soon" not in text and "Maybe" not in text and "Leverand" not in text


def test_internal_lifecycle_values_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    stages = [
        "subscriber",
        "lead",
        "marketingqualifiedlead",
        "salesqualifiedlead",
        "opportunity",
        "customer",
        "evangelist",
        "other",
        "Abonnent",
        "Salgsmulighet",
        " Evangelist ",
    ]
    rows = "".join(f"{i},x{i}@example.no,{s}\n" for i, s in enumerate(stages))
    path.write_text("Record ID,Email,Lifecycle Stage\n" + rows, encoding="utf-8")
    got = load_file(path, tmp_path).frame["lifecycle_stage"].tolist()
    assert got == stages[:8] + ["subscriber", "opportunity", "evangelist"]


FIXTURES = Path(__file__).resolve().parent / "fixtures" / "hubspot"
CREATED = ["2025-02-11 08:15", "2026-03-30 14:45", "2024-10-01 09:00"]  # UTC
ACTIVITY = ["2026-05-04 11:20", None, "2026-08-19 06:05"]


def utc_times(values: list[str | None]) -> list[object]:
    return [pd.NaT if v is None else pd.Timestamp(v, tz="UTC") for v in values]


def test_default_view_without_lifecycle_or_legal_basis_loads_as_crm() -> None:
    src = load_file(FIXTURES / "default-view.csv", FIXTURES)
    assert (src.kind, src.rows) == ("crm", 3)
    assert list(src.frame.columns) == [
        "record_id", "first_name", "last_name", "email", "phone", "contact_owner",
        "Primary Associated Company ID", "last_activity_time", "lead_status",
        "marketing_contact", "create_time", "company", "_source", "_row",
    ]  # fmt: skip
    f = src.frame
    assert "lifecycle_stage" not in f.columns and "legal_basis" not in f.columns
    assert f["create_time"].tolist() == utc_times(CREATED)
    assert f["last_activity_time"].tolist() == utc_times(ACTIVITY)
    assert f["marketing_contact"].tolist() == [True, False, True]
    assert f["record_id"].tolist() == ["51", "52", "53"]
    assert src.problems == []  # absent columns are simply absent


def test_norwegian_header_variants_load_with_canonical_columns() -> None:
    src = load_file(FIXTURES / "norwegian-variants.csv", FIXTURES)
    assert (src.kind, src.rows, src.encoding, src.delimiter) == ("crm", 3, "cp1252", ";")
    f = src.frame
    assert src.headers["create_time"] == "Opprettet dato"
    assert src.headers["lead_status"] == "Lead-status"
    assert src.headers["contact_owner"] == "Kontaktens eier"
    assert src.headers["lifecycle_stage"] == "Livssyklusstadium"
    assert f["create_time"].tolist() == utc_times(CREATED)
    assert f["last_activity_time"].tolist() == utc_times(ACTIVITY)
    assert f["lifecycle_stage"].tolist() == ["customer", "lead", "subscriber"]
    assert f["marketing_contact"].tolist() == [True, False, True]
    assert f.loc[2, "last_name"] == "Ødegård"
    assert "Primær tilknyttet selskaps-ID" in f.columns
    assert src.problems == []


def test_internal_property_names_load_with_canonical_columns() -> None:
    src = load_file(FIXTURES / "internal-names.csv", FIXTURES)
    assert (src.kind, src.rows) == ("crm", 4)
    assert list(src.frame.columns) == [
        "record_id", "first_name", "last_name", "email", "phone", "contact_owner",
        "associatedcompanyid", "last_activity_time", "lead_status", "marketing_contact",
        "create_time", "lastmodifieddate", "lifecycle_stage", "legal_basis",
        "unsubscribed_all", "_source", "_row",
    ]  # fmt: skip
    f = src.frame
    assert f["create_time"].tolist() == utc_times([*CREATED, "2026-09-02 07:30"])
    stages = ["customer", "lead", "marketingqualifiedlead", "subscriber"]
    assert f["lifecycle_stage"].tolist() == stages
    assert f["marketing_contact"].tolist() == [True, False, True, False]
    assert f["unsubscribed_all"].tolist() == [False, True, pd.NA, False]
    assert f["legal_basis"].notna().tolist() == [True, False, True, False]
    assert src.problems == []


@pytest.mark.parametrize(
    "create_header", ["Create Date", "CREATE DATE", "create_date", "Opprettelsesdato", "createdate"]
)
def test_header_matching_ignores_case_spacing_and_punctuation(
    tmp_path: Path, create_header: str
) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        f"record id,Lead status,{create_header}\n1,Open,2026-01-15 10:00\n", encoding="utf-8"
    )
    src = load_file(path, tmp_path)
    assert src.kind == "crm"
    assert src.frame["create_time"].tolist() == utc_times(["2026-01-15 09:00"])


def test_hubspot_columns_without_a_record_id_are_unknown_and_say_what_is_missing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "Email,Lead Status,Contact owner,Create Date\nkari@example.no,Open,Mari,2026-01-15\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError) as err:
        load_file(path, tmp_path)
    assert err.value.message.endswith("closest: crm (HubSpot), missing 'Record ID'")
    assert "kari" not in err.value.message


def test_a_record_id_with_shared_columns_only_is_not_hubspot(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "Record ID,First Name,Last Name,Email,Phone Number,Company\n1,Kari,N,k@example.no,,\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError, match="too few of its distinctive columns"):
        load_file(path, tmp_path)
