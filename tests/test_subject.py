"""`ropa subject` and the commands that check nothing read exports as the audit does:
analytics batch by batch, keeping no event they do not need."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from ropa import subject as subject_module
from ropa.mapping import build_data_map
from ropa.policy import load_policy
from ropa.reading import read_folder
from ropa.sources import describe, load_folder
from ropa.subject import find_subject, search_folder

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
POLICY = load_policy(None)
ANALYTICS_ROWS = {
    rel: info["rows"]
    for rel, info in json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))[
        "files"
    ].items()
    if info["kind"] == "analytics"
}


def _persons() -> list[dict]:
    return json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))["persons"]


def test_read_folder_in_small_batches_gives_what_reading_whole_gives() -> None:
    whole = load_folder(SAMPLES, tz=POLICY.timezone)
    read = read_folder(SAMPLES, tz=POLICY.timezone, batch_rows=100)
    assert [s.rel for s in read.inventory.sources] == [s.rel for s in whole.sources]
    for got, want in zip(read.inventory.sources, whole.sources, strict=True):
        assert len(got.frame) == 0  # no rows kept: counts and spans say what there was
        assert describe(got) | {"columns": 0} == describe(want) | {"columns": 0}
    counts = {s.rel: s.rows for s in read.inventory.sources if s.kind == "analytics"}
    assert counts == ANALYTICS_ROWS
    pd.testing.assert_frame_equal(read.data_map(POLICY), build_data_map(whole, POLICY))


def test_read_folder_with_rows_keeps_every_row_except_analytics() -> None:
    read = read_folder(SAMPLES, rows=True, batch_rows=100)
    for src in read.inventory.sources:
        assert len(src.frame) == (0 if src.kind == "analytics" else src.rows), src.rel


def test_subject_search_reads_analytics_in_batches_and_keeps_only_the_subjects_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[bool, int]] = []
    select = subject_module.Wanted.select

    def spy(self: subject_module.Wanted, frame: pd.DataFrame) -> pd.DataFrame:
        seen.append(("event_timestamp" in frame.columns, len(frame)))
        return select(self, frame)

    monkeypatch.setattr(subject_module.Wanted, "select", spy)
    person = max(_persons(), key=lambda p: len(p["sources"]))
    report = search_folder(SAMPLES, email=person["email"], policy=POLICY, batch_rows=100)
    analytics = sorted(n for is_ga4, n in seen if is_ga4)
    assert sum(analytics) == sum(ANALYTICS_ROWS.values())
    # the Parquet export in batches of 100 events; JSONL is batched by bytes (64 MiB)
    jsonl = ANALYTICS_ROWS["ga4/events_20260901.jsonl"]
    assert analytics[-1] == jsonl and max(analytics[:-1]) <= 100 and len(analytics) > 21
    found = {m.source: m.rows for m in report.matches}
    assert found == {src: sorted(rows) for src, rows in person["sources"].items()}
    assert all(len(m.records) == len(m.rows) for m in report.matches)


def test_streamed_search_finds_what_the_in_memory_search_finds() -> None:
    whole = load_folder(SAMPLES, tz=POLICY.timezone)
    data_map = build_data_map(whole, POLICY)
    for person in _persons()[:4]:
        a = search_folder(SAMPLES, email=person["email"], policy=POLICY, batch_rows=64)
        b = find_subject(whole, email=person["email"], data_map=data_map)
        assert a.searched_sources == b.searched_sources
        assert [(m.source, m.rows, m.categories) for m in a.matches] == [
            (m.source, m.rows, m.categories) for m in b.matches
        ]
        assert [m.records for m in a.matches] == [m.records for m in b.matches]


# -- identifiers inside text and URLs ---------------------------------------------------


def _planted(source: str, note: str) -> list[int]:
    planted = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))["planted"]
    return sorted(p["row"] for p in planted if p["source"] == source and note in p["note"])


def _jsonl_event(source: str, row: int) -> dict:
    lines = (SAMPLES / source).read_text(encoding="utf-8").splitlines()
    return json.loads(lines[row - 1])


def _param(event: dict, key: str) -> str:
    return next(p["value"]["string_value"] for p in event["event_params"] if p["key"] == key)


def test_subject_whose_email_is_only_in_a_ga4_url_is_found_on_the_samples(
    tmp_path: Path,
) -> None:
    source = "ga4/events_20260901.jsonl"
    (row,) = _planted(source, "URL-encoded e-mail in page_location")
    location = _param(_jsonl_event(source, row), "page_location")
    assert "%40" in location  # written URL-encoded
    (email,) = parse_qs(urlsplit(location).query)["email"]
    # nowhere else: in no other file, in no form, and no person of the manifest
    for path in SAMPLES.rglob("*"):
        if path.is_file() and path.name != "manifest.json" and path.suffix != ".parquet":
            text = path.read_bytes().decode("utf-8", errors="replace").casefold()
            if path.relative_to(SAMPLES).as_posix() != source:
                assert email not in text and email.replace("@", "%40") not in text, path
    assert email not in {p["email"] for p in _persons()}

    out = tmp_path / "subject.json"
    proc = _ropa("subject", str(SAMPLES), "--email", email.upper(), "--export", str(out))
    assert proc.returncode == 0, proc.stderr
    assert source in proc.stdout and email not in proc.stdout.casefold()
    doc = json.loads(out.read_text(encoding="utf-8"))
    both = _planted(source, "e-mail in page_location")  # URL-encoded, and written plain
    assert {m["source"]: m["rows"] for m in doc["found_in"]} == {source: both}
    assert doc["erasure"]["delete"] == [{"source": source, "rows": both}]


def test_phone_number_url_encoded_in_a_ga4_referrer_is_found_on_the_samples() -> None:
    source = "ga4/events_20260901.jsonl"
    (row,) = _planted(source, "URL-encoded phone number in page_referrer")
    referrer = _param(_jsonl_event(source, row), "page_referrer")
    number = referrer.rsplit("=", 1)[1]
    assert number.startswith("%2B47")
    report = search_folder(SAMPLES, phone=number.replace("%2B", "+"), policy=POLICY)
    assert {m.source: m.rows for m in report.matches} == {source: [row]}


def _ropa(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ropa", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "ROPA_KEY": "subject-test", "COLUMNS": "200"},
        timeout=600,
        check=False,
    )


def _ga4_csv(folder: Path, locations: list[str]) -> None:
    header = (
        "event_date,event_timestamp,event_name,user_pseudo_id,"
        "event_params.page_location,privacy_info.analytics_storage\n"
    )
    rows = [
        f"20260105,{1767607200000000 + i},page_view,123.{i},{url},Yes\n"
        for i, url in enumerate(locations)
    ]
    (folder / "ga4").mkdir(parents=True, exist_ok=True)
    (folder / "ga4" / "events.csv").write_text(header + "".join(rows), encoding="utf-8")


def test_email_inside_urls_is_found_decoded_and_whole(tmp_path: Path) -> None:
    _ga4_csv(
        tmp_path,
        [
            "https://x.no/?email=kari.nordmann%40example.no",  # 1
            "https://x.no/?e=kari.nordmann%2Bnews%40example.no",  # 2: another address
            "https://x.no/?next=%2Fbekreft%3Femail%3DKari.Nordmann%2540Example.no",  # 3: twice
            "https://x.no/?u=xkari.nordmann%40example.no",  # 4: a longer address
            "https://x.no/?u=kari.nordmann%40example.no.evil",  # 5: another domain
            "https://x.no/kurs?utm_source=nordmann&utm_medium=example",  # 6: words only
            "https://x.no/mailto:kari.nordmann@example.no",  # 7
        ],
    )
    found = search_folder(tmp_path, email="kari.nordmann@example.no")
    assert [(m.source, m.rows) for m in found.matches] == [("ga4/events.csv", [1, 3, 7])]
    plus = search_folder(tmp_path, email="Kari.Nordmann+news@example.no")
    assert [m.rows for m in plus.matches] == [[2]]
    record = found.matches[0].records[0]
    assert record["event_params.page_location"] == "https://x.no/?email=kari.nordmann%40example.no"


def test_identifiers_in_free_text_of_every_source_are_found(tmp_path: Path) -> None:
    (tmp_path / "forms.csv").write_text(
        "Entry Id,Date Created,Name (First),Name (Last),Email,Phone,Message,User IP,Source Url\n"
        '1,2026-01-15 10:00:00,Ola,Hansen,ola@example.no,,"Gjelder min kollega: '
        'Kari.Nordmann@Example.no, tlf 912 34 567.",,\n'
        "2,2026-01-16 10:00:00,Per,Dahl,per@example.no,,Ingen andre her (912 34 56),,\n"
        "3,2026-01-17 10:00:00,Kari,Nordmann,,+47 912 34 567,Hei,,https://x.no/?tel=%2B4791234567\n",
        encoding="utf-8",
    )
    _ga4_csv(tmp_path, ["https://x.no/kontakt?telefon=%2B47%20912%2034%20567", "https://x.no/"])
    by_email = search_folder(tmp_path, email="kari.nordmann@example.no")
    assert [(m.source, m.rows) for m in by_email.matches] == [("forms.csv", [1])]
    by_phone = search_folder(tmp_path, phone="91234567")
    assert [(m.source, m.rows) for m in by_phone.matches] == [
        ("forms.csv", [1, 3]),
        ("ga4/events.csv", [1]),
    ]
    inv = load_folder(tmp_path)  # the in-memory search finds the same
    assert [(m.source, m.rows) for m in find_subject(inv, phone="+4791234567").matches] == [
        (m.source, m.rows) for m in by_phone.matches
    ]


def test_the_kinds_kept_on_erasure_are_the_kinds_erasure_not_done_leaves_out() -> None:
    """One list (``sources.canonical.KEEP_ON_ERASURE``): what ``ropa subject`` keeps is
    exactly what ERASURE-NOT-DONE does not check, and every other kind is checked."""
    from ropa.rules import RULES_BY_ID
    from ropa.sources.canonical import KINDS

    kept = set(subject_module.KEEP_ON_ERASURE)
    assert kept == {"requests", "newsletter_unsubscribed"}
    assert kept <= set(KINDS)
    checked = set(RULES_BY_ID["ERASURE-NOT-DONE"].kinds)
    assert checked == set(KINDS) - kept
