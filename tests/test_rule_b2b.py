"""RET-B2B on exports it has never seen: HubSpot contacts written here with the headers
HubSpot gives them (the default view, and the internal property names), run through
``ropa audit`` as a user runs it. Flagged rows, near misses at exactly the grace window
and rows that cannot be judged are counted in coverage.csv, never silently clean."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from tests.test_hostile_inputs import run_ropa

AS_OF = "2026-09-30"  # 91 days before: 2026-07-01; 90 days: 2026-07-02
DEFAULT_VIEW = [
    "Record ID", "First Name", "Last Name", "Email", "Phone Number", "Contact owner",
    "Primary Associated Company ID", "Last Activity Date", "Lead Status",
    "Marketing contact status", "Create Date", "Associated Company",
]  # fmt: skip
INTERNAL = ["hs_object_id", "email", "lifecyclestage", "notes_last_updated", "createdate"]
NO_MARKER = ["Record ID", "Email", "Last Activity Date", "Create Date", "Marketing contact status"]


def _contact(i: int, status: str, last: str, created: str) -> list[str]:
    return [
        str(i), "Kari", "Nordmann", f"kontakt{i}@firma.example", f"+47 912 34 {i:03d}", "Per",
        "8001", last, status, "Non-marketing contact", created, "Firma AS",
    ]  # fmt: skip


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict], list[dict]]:
    root = tmp_path_factory.mktemp("b2b")
    data = root / "exports"
    data.mkdir()
    _write(data / "hubspot-crm-exports-all-contacts-2026-09-30.csv", DEFAULT_VIEW, [
        _contact(1, "Former customer", "2026-07-01 12:00", "2021-02-01 09:00"),  # 91 days
        _contact(2, "Former customer", "2026-07-02 12:00", "2021-02-01 09:00"),  # 90: kept
        _contact(3, "Left company", "", "2026-03-14 09:00"),  # created 200 days before
        _contact(4, "Left company", "", ""),  # no date: not evaluable
        _contact(5, "Open", "2019-01-10 12:00", "2018-01-10 12:00"),
        _contact(6, "", "2019-01-10 12:00", "2018-01-10 12:00"),
        _contact(7, "Tidligere leverandør", "2026-07-02 00:30", "2020-01-10 12:00"),  # UTC 1 July
    ])  # fmt: skip
    _write(data / "contacts-internal-names.csv", INTERNAL, [
        ["11", "a11@firma.example", "Former Customer", "2026-07-01 12:00", "2020-01-01 10:00"],
        ["12", "a12@firma.example", "former_customer", "2026-07-02 12:00", "2020-01-01 10:00"],
        ["13", "a13@firma.example", "customer", "2019-07-01 12:00", "2019-01-01 10:00"],
    ])  # fmt: skip
    _write(data / "contacts-no-status.csv", NO_MARKER, [
        ["21", "b21@firma.example", "2019-07-01 12:00", "2019-01-01 10:00", "Marketing contact"],
        ["22", "b22@firma.example", "2026-09-01 12:00", "2019-01-01 10:00", "Marketing contact"],
    ])  # fmt: skip
    out = root / "out"
    proc = run_ropa("audit", str(data), "--as-of", AS_OF, "--out", str(out))
    assert proc.returncode in (0, 1), proc.stderr
    seen = proc.stdout + proc.stderr + (out / "findings.csv").read_text(encoding="utf-8")
    assert "Nordmann" not in seen and "@firma.example" not in seen  # no personal values
    with (out / "findings.csv").open(encoding="utf-8", newline="") as handle:
        findings = [r for r in csv.DictReader(handle) if r["rule_id"] == "RET-B2B"]
    with (out / "coverage.csv").open(encoding="utf-8", newline="") as handle:
        coverage = [r for r in csv.DictReader(handle) if r["rule_id"] == "RET-B2B"]
    return findings, coverage


def _flagged(findings: list[dict], source: str) -> list[int]:
    return sorted(int(r["row"]) for r in findings if r["source"] == source)


def _coverage(coverage: list[dict], source: str) -> tuple:
    (row,) = [r for r in coverage if r["source"] == source]
    keys = ("rows", "checked", "flagged", "not_evaluable")
    return (*(int(row[k]) for k in keys), row["reason"])


def test_the_default_view_flags_ended_contacts_past_91_days(audited: tuple) -> None:
    findings, coverage = audited
    source = "hubspot-crm-exports-all-contacts-2026-09-30.csv"
    assert _flagged(findings, source) == [1, 3, 7]
    assert _coverage(coverage, source) == (
        7,
        6,
        3,
        1,
        "1 row without a last activity or create date",
    )
    by_row = {int(r["row"]): r for r in findings if r["source"] == source}
    assert by_row[1]["detail"] == (
        "business relationship ended ('Lead Status'), last activity 2026-07-01, "
        "91 days before audit date, limit 90"
    )
    assert by_row[3]["detail"].startswith(
        "business relationship ended ('Lead Status'), created 2026-03-14, 200 days"
    )
    assert {r["severity"] for r in findings} == {"medium"}
    assert {r["activity"] for r in findings} == {"business_contacts"}


def test_a_custom_lifecycle_stage_marks_the_end_with_internal_names(audited: tuple) -> None:
    findings, coverage = audited
    assert _flagged(findings, "contacts-internal-names.csv") == [1]
    assert _coverage(coverage, "contacts-internal-names.csv") == (3, 3, 1, 0, "")


def test_an_export_without_a_marker_is_not_evaluable_not_clean(audited: tuple) -> None:
    findings, coverage = audited
    assert _flagged(findings, "contacts-no-status.csv") == []
    assert _coverage(coverage, "contacts-no-status.csv") == (2, 0, 0, 2, "no 'Lead Status' column")
