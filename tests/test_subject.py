"""`ropa subject` and the commands that check nothing read exports as the audit does:
analytics batch by batch, keeping no event they do not need."""

from __future__ import annotations

import json
from pathlib import Path

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
ANALYTICS_ROWS = {"ga4/events_20260901.jsonl": 510, "ga4/events_flat.parquet": 2037}


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
    assert analytics[-1] == 510 and max(analytics[:-1]) <= 100 and len(analytics) > 21
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
