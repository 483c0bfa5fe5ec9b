"""Walking a data folder: what is read, what is listed as not read and why, sources.yaml."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from ropa.errors import SourceError
from ropa.sources import describe, load_file, load_folder
from ropa.sources.sources_yaml import load_sources_yaml

CRM = (
    "Record ID,First Name,Email,Lifecycle Stage,Create Date\n"
    "1,Kari,kari@example.no,Lead,2026-01-15 10:00\n"
    "2,Ola,ola@example.no,Customer,2026-07-01 10:00\n"
)
REQUESTS = (
    "request_id,received,type,subject_email,status,completed\nR-1,2026-08-01,access,a@b.no,open,\n"
)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    (root / "crm").mkdir(parents=True)
    (root / "crm" / "contacts.csv").write_text(CRM, encoding="utf-8")
    (root / "b-requests.csv").write_text(REQUESTS, encoding="utf-8")
    (root / "notes.csv").write_text("colour,size\nred,4\n", encoding="utf-8")
    (root / "people.csv").write_text("kari@example.no,Kari,Nordmann\n", encoding="utf-8")
    (root / "empty.csv").write_bytes(b"")
    (root / "report.pdf").write_bytes(b"%PDF-1.4")
    (root / "fake.xlsx").write_bytes(b"not a zip")
    (root / "manifest.json").write_text("{}", encoding="utf-8")
    (root / ".hidden.csv").write_text(CRM, encoding="utf-8")
    (root / ".git").mkdir()
    (root / ".git" / "x.csv").write_text(CRM, encoding="utf-8")
    return root


def test_every_file_is_loaded_or_listed_with_a_value_free_reason(data: Path) -> None:
    inv = load_folder(data)
    assert [s.rel for s in inv.sources] == ["b-requests.csv", "crm/contacts.csv"]
    assert [s.kind for s in inv.sources] == ["requests", "crm"]
    skipped = {s.rel: s.reason for s in inv.skipped}
    assert skipped == {
        "empty.csv": "empty file",
        "fake.xlsx": "xlsx is not a zip file (password-protected or not Excel?)",
        "notes.csv": "header matches no known export (2 columns, none of them a known header)",
        "people.csv": "header matches no known export "
        "(the first line looks like data, not a header)",
        "report.pdf": "unsupported file type '.pdf'",
    }
    assert all("kari" not in r.casefold() for r in skipped.values())


def test_loading_is_deterministic_and_never_changes_the_input(data: Path) -> None:
    def digest() -> dict[str, str]:
        return {
            str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(data.rglob("*"))
            if p.is_file()
        }

    before = digest()
    a, b = load_folder(data), load_folder(data)
    assert [s.rel for s in a.sources] == [s.rel for s in b.sources]
    for x, y in zip(a.sources, b.sources, strict=True):
        pd.testing.assert_frame_equal(x.frame, y.frame)
    assert digest() == before


def test_missing_or_non_folder_data_dir_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="does not exist"):
        load_folder(tmp_path / "nope")
    (tmp_path / "file.csv").write_text(CRM, encoding="utf-8")
    with pytest.raises(SourceError, match="not a folder"):
        load_folder(tmp_path / "file.csv")


def test_load_file_raises_the_reason_for_an_unknown_file(data: Path) -> None:
    with pytest.raises(SourceError) as err:
        load_file(data / "notes.csv", data)
    assert err.value.path == "notes.csv"
    assert "header matches no known export" in err.value.message


def test_describe_gives_the_date_range_of_the_main_time_column(data: Path) -> None:
    src = load_file(data / "crm" / "contacts.csv", data)
    info = describe(src)
    assert info["time_column"] == "create_time"
    assert (str(info["date_min"]), str(info["date_max"])) == ("2026-01-15", "2026-07-01")
    assert info["rows"] == 2 and info["kind"] == "crm" and info["delimiter"] == ","


def test_describe_survives_a_time_no_python_date_holds(data: Path) -> None:
    """A broken export may hold a time in year 10000: the Sources sheet and ``ropa
    sources`` show no date for it instead of failing the audit."""
    src = load_file(data / "crm" / "contacts.csv", data)
    late = pd.Timestamp(253402300800000000, unit="us", tz="UTC")  # 10000-01-01
    src.time_spans = {"create_time": (pd.Timestamp("2026-01-15", tz="UTC"), late)}
    info = describe(src)
    assert (str(info["date_min"]), info["date_max"]) == ("2026-01-15", None)


def test_sources_yaml_pins_a_kind_and_maps_columns(tmp_path: Path) -> None:
    (tmp_path / "kunder").mkdir()
    (tmp_path / "kunder" / "liste.csv").write_text(
        "Nr;Epost adresse;Fase;Registrert\n7;kari@example.no;Kunde;15.01.2026 10:00\n",
        encoding="utf-8",
    )
    (tmp_path / "old.csv").write_text(CRM, encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(
        "files:\n"
        '  "kunder/liste.csv":\n'
        "    kind: crm\n"
        "    columns:\n"
        '      "Nr": record_id\n'
        '      "Epost adresse": email\n'
        '      "Fase": lifecycle_stage\n'
        '      "Registrert": create_time\n'
        "ignore:\n"
        '  - "old*.csv"\n',
        encoding="utf-8",
    )
    inv = load_folder(tmp_path)
    assert [s.rel for s in inv.skipped] == ["old.csv"]
    assert inv.skipped[0].reason == "ignored by sources.yaml"
    (src,) = inv.sources
    assert src.kind == "crm"
    assert src.frame.loc[0, "email"] == "kari@example.no"
    assert src.frame.loc[0, "lifecycle_stage"] == "customer"
    assert src.frame.loc[0, "create_time"] == pd.Timestamp("2026-01-15 09:00", tz="UTC")
    assert src.headers["email"] == "Epost adresse"


@pytest.mark.parametrize("entry", ["../../etc/passwd", "/etc/passwd", "a/../../x.csv"])
def test_sources_yaml_entries_outside_the_folder_are_rejected_unread(
    tmp_path: Path, entry: str
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "contacts.csv").write_text(CRM, encoding="utf-8")
    (data / "sources.yaml").write_text(f'files:\n  "{entry}":\n    kind: crm\n', encoding="utf-8")
    inv = load_folder(data)
    assert [s.rel for s in inv.sources] == ["contacts.csv"]
    (bad,) = inv.skipped
    assert bad.rel == "sources.yaml"
    assert "outside the data folder" in bad.reason or "relative" in bad.reason
    with pytest.raises(SourceError, match="sources.yaml"):
        load_sources_yaml(data, strict=True)


def test_sources_yaml_unknown_kind_or_column_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text(CRM, encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(
        'files:\n  "a.csv":\n    kind: crm\n    columns: {"First Name": shoe_size}\n',
        encoding="utf-8",
    )
    inv = load_folder(tmp_path)
    assert [s.rel for s in inv.sources] == ["a.csv"]  # detected from its header instead
    assert "'shoe_size' is not a column of kind crm" in inv.skipped[0].reason


def test_duplicate_headers_keep_both_columns(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text(
        "Record ID,Email,Lifecycle Stage,Email\n1,a@example.no,Lead,b@example.no\n",
        encoding="utf-8",
    )
    src = load_file(path, tmp_path)
    assert src.frame.loc[0, "email"] == "a@example.no"
    assert src.frame.loc[0, "Email.1"] == "b@example.no"
    assert src.headers["Email.1"] == "Email"
    assert src.problems == ["duplicate column header 'Email' (copy kept as 'Email.1')"]


def test_ragged_rows_fall_back_and_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text(
        CRM + "3,Per,per@example.no\n4,Åse,ase@example.no,Lead,2026-01-01,x\n", encoding="utf-8"
    )
    src = load_file(path, tmp_path)
    assert src.frame["_row"].tolist() == [1, 2, 3, 4]
    assert pd.isna(src.frame.loc[2, "lifecycle_stage"])
    assert src.frame.loc[3, "Unnamed: 5"] == "x"
    assert src.problems == [
        "1 row with fewer fields than the header",
        "1 row with more fields than the header (kept as 'Unnamed: n')",
    ]


def test_tab_separated_and_excel_sep_hint(tmp_path: Path) -> None:
    (tmp_path / "a.tsv").write_text(CRM.replace(",", "\t"), encoding="utf-8")
    (tmp_path / "b.csv").write_text("sep=;\n" + CRM.replace(",", ";"), encoding="cp1252")
    a = load_file(tmp_path / "a.tsv", tmp_path)
    b = load_file(tmp_path / "b.csv", tmp_path)
    assert (a.delimiter, b.delimiter) == ("\t", ";")
    cols = ["record_id", "email", "lifecycle_stage", "create_time", "_row"]
    pd.testing.assert_frame_equal(a.frame[cols], b.frame[cols])
    assert b.frame["_row"].tolist() == [1, 2]


def test_progress_gets_one_step_per_file(data: Path) -> None:
    from contextlib import contextmanager

    seen: list[str] = []

    class Recorder:
        @contextmanager
        def step(self, description: str):
            seen.append(description)
            yield

    load_folder(data, progress=Recorder())
    assert seen == sorted(seen)
    assert "crm/contacts.csv" in seen and "notes.csv" in seen
    assert not any(s.startswith(".") or s == "manifest.json" for s in seen)


def test_mixed_utf8_and_cp1252_lines_are_both_read_right(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        "Record ID,First Name,Email,Lifecycle Stage\n1,Bjørn,b@example.no,Lead\n".encode()
        + "2,Åse,a@example.no,Lead\n".encode("cp1252")
    )
    src = load_file(path, tmp_path)
    assert src.frame["first_name"].tolist() == ["Bjørn", "Åse"]
    assert src.encoding == "utf-8+cp1252"
    assert src.problems == ["mixed UTF-8 and cp1252 text (each part read as what it is)"]


def test_links_leading_out_of_the_folder_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.csv"
    outside.write_text(CRM, encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "link.csv").symlink_to(outside)
    inv = load_folder(data)
    assert inv.sources == []
    assert [(s.rel, s.reason) for s in inv.skipped] == [
        ("link.csv", "link points outside the data folder")
    ]


def test_an_unknown_file_is_described_by_shape_never_by_its_cells(tmp_path: Path) -> None:
    """A headerless export (its first line is a person) or a sheet with a cover line:
    the reason counts columns and quotes only headers ropa knows, never a cell."""
    (tmp_path / "people.csv").write_text(
        "Kari Nordmann,Storgata 1,Oslo\nOla Hansen,Kirkeveien 2,Bergen\n", encoding="utf-8"
    )
    (tmp_path / "members.csv").write_text(
        "email,Kari Nordmann,status\nx@example.no,1,active\n", encoding="utf-8"
    )
    inv = load_folder(tmp_path)
    reasons = {s.rel: s.reason for s in inv.skipped}
    assert reasons["people.csv"] == (
        "header matches no known export (3 columns, none of them a known header)"
    )
    assert reasons["members.csv"] == (
        "header matches no known export (3 columns; known: 'email', 'status'; 1 not known)"
    )
    for reason in reasons.values():
        assert "Kari" not in reason and "Storgata" not in reason and "Oslo" not in reason
