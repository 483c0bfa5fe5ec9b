"""The sample exports: deterministic, every format, every rule planted with its near miss.

The manifest is the ground truth other tests compare audit findings against, so these
tests read the written files back with plain readers (csv, openpyxl, json, pyarrow), not
with ropa's loaders, and check the manifest against them.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest
from stdnum.no import fodselsnummer

from ropa_samples import write_samples

AS_OF = date(2026, 9, 30)
RULES = (
    "RET-VISITOR",
    "RET-INQUIRY",
    "RET-CUSTOMER",
    "RET-PROSPECT",
    "RET-B2B",
    "SPECIAL-NO-CONSENT",
    "SPECIAL-KEPT",
    "CONSENT-MISSING",
    "UNSUB-RESIDUE",
    "CLEANED-KEPT",
    "CRM-MARKETING-AFTER-OPTOUT",
    "COOKIE-NO-CONSENT",
    "ANALYTICS-IDENTIFIABLE",
    "RET-ANALYTICS",
    "REQUEST-OVERDUE",
    "ERASURE-NOT-DONE",
    "UNDECLARED-DATA",
    "UNMAPPED-COLUMN",
)
WINDOW_RULES = (
    "RET-VISITOR",
    "RET-INQUIRY",
    "RET-CUSTOMER",
    "RET-PROSPECT",
    "RET-B2B",
    "SPECIAL-KEPT",
    "CLEANED-KEPT",
    "RET-ANALYTICS",
    "REQUEST-OVERDUE",
)
SUBSCRIBED = "mailchimp/subscribed_members_export_2026-09-30.csv"
UNSUBSCRIBED = "mailchimp/unsubscribed_members_export_2026-09-30.csv"
CLEANED = "mailchimp/cleaned_members_export_2026-09-30.csv"
HUBSPOT_EN = "hubspot/hubspot-crm-exports-all-contacts-2026-09-30.csv"
HUBSPOT_NO = "hubspot/kontakter-bedrift-2026-09-30.csv"
EVENTBRITE = "eventbrite/report-attendees-2026-09-30.csv"
ENVOY = "envoy/entries-2026-09-30.csv"
LEGACY = "envoy/visitors-legacy-2025.xlsx"
FORMS = "forms/contact-form-entries.csv"
JSONL = "ga4/events_20260901.jsonl"
PARQUET = "ga4/events_flat.parquet"
REQUESTS = "requests/rights-requests.csv"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("samples")
    write_samples(path)
    return path


@pytest.fixture(scope="module")
def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def records(out: Path, rel: str, info: dict) -> list[dict]:
    """The data rows of a written file as dicts of text (row 1 = first after the header)."""
    path = out / rel
    if info["format"] == "csv":
        text = path.read_bytes().decode(info["encoding"])
        return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=info["delimiter"]))
    if info["format"] == "xlsx":
        rows = list(openpyxl.load_workbook(path, read_only=True).worksheets[0].values)
        return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    if info["format"] == "jsonl":
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return pq.read_table(path).to_pylist()


def cell(out: Path, manifest: dict, rel: str, row: int, column: str) -> object:
    return records(out, rel, manifest["files"][rel])[row - 1][column]


def planted(manifest: dict, rule: str, source: str | None = None) -> list[dict]:
    return [
        p for p in manifest["planted"] if p["rule_id"] == rule and source in (None, p["source"])
    ]


def near_misses(manifest: dict, rule: str, source: str | None = None) -> list[dict]:
    return [
        p for p in manifest["near_misses"] if p["rule_id"] == rule and source in (None, p["source"])
    ]


# ---------------------------------------------------------------------- determinism


def test_same_seed_writes_byte_identical_files(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    write_samples(first)
    write_samples(second)
    names = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_another_seed_writes_other_rows_with_the_same_plants(
    tmp_path: Path, manifest: dict
) -> None:
    other = write_samples(tmp_path, seed=8)
    assert other["files"].keys() == manifest["files"].keys()
    assert {p["rule_id"] for p in other["planted"]} == set(RULES)
    assert len(other["planted"]) == len(manifest["planted"])


def test_rewriting_with_another_audit_date_removes_the_old_files(tmp_path: Path) -> None:
    write_samples(tmp_path)
    write_samples(tmp_path, as_of=date(2026, 12, 31), scale=0.1)
    assert not (tmp_path / HUBSPOT_EN).exists()
    assert (tmp_path / "hubspot/hubspot-crm-exports-all-contacts-2026-12-31.csv").exists()


# ---------------------------------------------------------------------- files and manifest


def test_manifest_is_sorted_json_with_the_documented_shape(out: Path, manifest: dict) -> None:
    text = (out / "manifest.json").read_text(encoding="utf-8")
    assert text == json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert (manifest["as_of"], manifest["seed"], manifest["scale"]) == ("2026-09-30", 7, 1.0)
    for entry in manifest["planted"] + manifest["near_misses"]:
        assert set(entry) == {"rule_id", "source", "row", "column", "note"}
        column_level = entry["rule_id"] in ("UNDECLARED-DATA", "UNMAPPED-COLUMN")
        assert (entry["row"] is None) == column_level
        assert (entry["column"] is None) != column_level


def test_every_file_in_the_manifest_exists_with_its_row_count(out: Path, manifest: dict) -> None:
    assert len(manifest["files"]) == 12
    for rel, info in manifest["files"].items():
        assert len(records(out, rel, info)) == info["rows"], rel
    total = sum(info["rows"] for info in manifest["files"].values())
    assert 3_000 <= total <= 8_000


def test_planted_rows_point_inside_their_files(manifest: dict) -> None:
    for entry in manifest["planted"] + manifest["near_misses"]:
        assert entry["source"] in manifest["files"]
        if entry["row"] is not None:
            assert 1 <= entry["row"] <= manifest["files"][entry["source"]]["rows"]


def test_encodings_delimiters_and_bom_are_as_the_vendors_write_them(out: Path) -> None:
    assert (out / EVENTBRITE).read_bytes().startswith(b"\xef\xbb\xbfOrder #,")
    norwegian = (out / HUBSPOT_NO).read_bytes()
    assert norwegian.startswith("Post-ID;Fornavn;".encode("cp1252"))
    assert "Markedsføringskontakt".encode("cp1252") in norwegian
    assert (out / FORMS).read_bytes().startswith(b"Entry Id\tDate Created\t")
    header = (out / SUBSCRIBED).read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith(
        "Email Address,First Name,Last Name,Address,Phone Number,MEMBER_RATING"
    )


def test_a_message_with_a_line_break_is_still_one_record(out: Path, manifest: dict) -> None:
    rows = records(out, FORMS, manifest["files"][FORMS])
    assert any("\n" in r["Message"] for r in rows)
    physical = (out / FORMS).read_bytes().count(b"\r\n")
    assert physical == len(rows) + 1  # CRLF ends each record; the break inside is LF


def test_ga4_jsonl_is_nested_and_parquet_flat(out: Path, manifest: dict) -> None:
    event = records(out, JSONL, manifest["files"][JSONL])[0]
    assert {p["key"] for p in event["event_params"]} >= {"page_location", "ga_session_id"}
    assert set(event["privacy_info"]) == {"analytics_storage", "ads_storage"}
    assert set(event["device"]["web_info"]) == {"browser"}
    names = pq.read_schema(out / PARQUET).names
    for name in (
        "privacy_info.analytics_storage",
        "collected_traffic_source.gclid",
        "geo.country",
        "device.category",
        "event_params.page_location",
    ):
        assert name in names


# ---------------------------------------------------------------------- planted violations


def test_every_rule_has_a_planted_row_or_column(manifest: dict) -> None:
    assert {p["rule_id"] for p in manifest["planted"]} == set(RULES)


@pytest.mark.parametrize("rule", WINDOW_RULES)
def test_every_day_window_rule_has_a_near_miss(manifest: dict, rule: str) -> None:
    assert near_misses(manifest, rule)


def test_rules_are_planted_in_each_applicable_source(manifest: dict) -> None:
    def sources(rule: str) -> set[str]:
        return {p["source"] for p in planted(manifest, rule)}

    assert sources("CONSENT-MISSING") == {SUBSCRIBED, HUBSPOT_EN, HUBSPOT_NO}
    assert sources("RET-CUSTOMER") == {HUBSPOT_EN, HUBSPOT_NO, EVENTBRITE}
    assert sources("RET-PROSPECT") == {HUBSPOT_EN, HUBSPOT_NO}
    assert sources("RET-B2B") == {HUBSPOT_EN}  # the Norwegian export has no Lead Status
    assert sources("CRM-MARKETING-AFTER-OPTOUT") == {HUBSPOT_EN, HUBSPOT_NO}
    assert sources("RET-VISITOR") == {ENVOY, LEGACY}
    assert sources("COOKIE-NO-CONSENT") == sources("ANALYTICS-IDENTIFIABLE") == {JSONL, PARQUET}
    erasure = sources("ERASURE-NOT-DONE")
    assert len(erasure) >= 6 and UNSUBSCRIBED not in erasure and REQUESTS not in erasure


def test_visitor_signed_in_90_days_ago_is_kept_and_91_is_flagged(out: Path, manifest: dict) -> None:
    def age(entry: dict) -> int:
        signed_in = cell(out, manifest, ENVOY, entry["row"], "Signed in time (UTC)")
        return (AS_OF - datetime.fromisoformat(str(signed_in)).date()).days

    assert {age(e) for e in near_misses(manifest, "RET-VISITOR", ENVOY)} == {90}
    assert min(age(e) for e in planted(manifest, "RET-VISITOR", ENVOY)) == 91


def test_ended_business_contact_active_90_days_ago_is_kept_and_91_is_flagged(
    out: Path, manifest: dict
) -> None:
    rows = records(out, HUBSPOT_EN, manifest["files"][HUBSPOT_EN])

    def age(entry: dict) -> int:
        r = rows[entry["row"] - 1]
        assert r["Lead Status"] in {"Former customer", "Former supplier", "Left company"}
        last = str(r["Last Activity Date"] or r["Create Date"])
        return (AS_OF - datetime.fromisoformat(last).date()).days

    assert {age(e) for e in near_misses(manifest, "RET-B2B") if "exactly" in e["note"]} == {90}
    # 91 days; 200 days by the create date; 90 days at Oslo 00:30 is 91 days in UTC
    assert sorted(age(e) for e in planted(manifest, "RET-B2B")) == [90, 91, 200]
    # appended after every other row: no other row moved
    assert min(e["row"] for e in planted(manifest, "RET-B2B")) > max(
        e["row"]
        for e in manifest["planted"]
        if e["source"] == HUBSPOT_EN
        and e["rule_id"] not in ("RET-B2B", "UNDECLARED-DATA")
        and e["row"] is not None
    )


def test_request_answered_in_30_days_is_kept_and_31_is_flagged(out: Path, manifest: dict) -> None:
    rows = records(out, REQUESTS, manifest["files"][REQUESTS])

    def took(entry: dict) -> int:
        r = rows[entry["row"] - 1]
        end = date.fromisoformat(r["completed"]) if r["completed"] else AS_OF
        return (end - date.fromisoformat(r["received"])).days

    assert {took(e) for e in near_misses(manifest, "REQUEST-OVERDUE")} == {30}
    assert min(took(e) for e in planted(manifest, "REQUEST-OVERDUE")) == 31


def test_erasure_is_flagged_across_a_case_and_whitespace_difference(
    out: Path, manifest: dict
) -> None:
    row = next(p["row"] for p in planted(manifest, "ERASURE-NOT-DONE", HUBSPOT_NO))
    assert cell(out, manifest, HUBSPOT_NO, row, "E-post") == "Ola.Hansen@Eksempel.no "


def test_unsubscribed_rows_hold_only_the_suppression_minimum_unless_planted(
    out: Path, manifest: dict
) -> None:
    flagged = {p["row"] for p in planted(manifest, "UNSUB-RESIDUE")}
    residue = (
        "First Name",
        "Last Name",
        "Address",
        "Phone Number",
        "OPTIN_IP",
        "CONFIRM_IP",
        "LATITUDE",
        "LONGITUDE",
    )
    for i, r in enumerate(records(out, UNSUBSCRIBED, manifest["files"][UNSUBSCRIBED]), start=1):
        assert any(r[h].strip() for h in residue) == (i in flagged), i


def test_undeclared_columns_hold_data(out: Path, manifest: dict, tmp_path: Path) -> None:
    small = write_samples(tmp_path, scale=0)
    for m, folder in ((manifest, out), (small, tmp_path)):
        for entry in planted(m, "UNDECLARED-DATA"):
            rows = records(folder, entry["source"], m["files"][entry["source"]])
            assert any(str(r[entry["column"]] or "").strip() for r in rows), entry


def test_health_words_appear_only_in_declared_or_planted_columns(out: Path, manifest: dict) -> None:
    health = re.compile(r"allerg|gluten|laktose|cøliaki|halal|kosher|vegan|vegetar|nøtt", re.I)
    by_value = {
        (p["source"], p["column"])
        for p in planted(manifest, "UNDECLARED-DATA")
        if "health_and_medical (by value)" in p["note"]
    }
    declared = {(EVENTBRITE, "Dietary requirements"), (EVENTBRITE, "Allergies")}
    assert {(FORMS, "Message"), (SUBSCRIBED, "NOTES")} <= by_value
    for rel, info in manifest["files"].items():
        if info["format"] != "csv":
            continue
        for r in records(out, rel, info):
            for column, value in r.items():
                if health.search(value or ""):
                    assert (rel, column) in by_value | declared, (rel, column, value)


def test_national_ids_are_valid_synthetic_h_numbers(out: Path, manifest: dict) -> None:
    values = [
        r["Fødselsnummer"]
        for r in records(out, HUBSPOT_NO, manifest["files"][HUBSPOT_NO])
        if r["Fødselsnummer"]
    ]
    assert len(values) == 3
    assert all(fodselsnummer.is_valid(v) and int(v[2:4]) > 40 for v in values)


def test_persons_appear_in_several_sources(out: Path, manifest: dict) -> None:
    persons = manifest["persons"]
    assert len(persons) >= 5 and all(len(p["sources"]) >= 2 for p in persons)
    kari = next(p for p in persons if p["email"] == "kari.nordmann@example.no")
    row = kari["sources"][FORMS][0]
    assert cell(out, manifest, FORMS, row, "Email") == "  Kari.Nordmann@Example.no "
    assert len(kari["sources"]) >= 4


# ---------------------------------------------------------------------- scale


def test_scale_10_writes_about_ten_times_the_rows_quickly(tmp_path: Path, manifest: dict) -> None:
    started = time.perf_counter()
    big = write_samples(tmp_path, scale=10)
    assert time.perf_counter() - started < 60
    for rel, info in manifest["files"].items():
        if rel == LEGACY:  # a closed archive, not scaled
            assert big["files"][rel]["rows"] == info["rows"]
            continue
        assert 7 * info["rows"] <= big["files"][rel]["rows"] <= 10 * info["rows"], rel
    total = sum(f["rows"] for f in manifest["files"].values())
    assert 9.5 * total <= sum(f["rows"] for f in big["files"].values()) <= 10 * total
    assert {(p["rule_id"], p["source"]) for p in big["planted"]} == {
        (p["rule_id"], p["source"]) for p in manifest["planted"]
    }
