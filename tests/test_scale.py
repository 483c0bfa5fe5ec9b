"""The audit at scale gives the same answers as the audit of small files.

Analytics exports are read in bounded batches, loaders parse times with a fixed-width
fast path, the data map is profiled batch by batch, rules see only the columns they
declare (text read as dictionaries stays categorical) and files are read ahead in
background threads. None of that may change a finding, a data-map row or a note on
the Sources sheet: these tests run the same inputs both ways.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest

from ropa import reading as reading_module
from ropa.audit import derive, run_audit
from ropa.findings import FINDING_COLUMNS, write_findings
from ropa.mapping import build_data_map
from ropa.mapping.datamap import data_map_from_profiles
from ropa.mapping.profile import SourceProfile
from ropa.policy import load_policy
from ropa.prefetch import Prefetch
from ropa.reading import rule_frame
from ropa.rules import build_context, rule_columns
from ropa.sources import load_folder, stream as stream_module
from ropa.sources.common import STRING, to_utc
from ropa.sources.loader import merge_counts
from ropa_samples import write_samples

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
AS_OF = date(2026, 9, 30)
POLICY = load_policy()


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROPA_KEY", "test-key-not-secret")


def _same(a: Any, b: Any) -> None:
    pd.testing.assert_frame_equal(a.findings, b.findings)
    pd.testing.assert_frame_equal(a.data_map, b.data_map)

    def sources(result: Any) -> list[tuple]:
        return [
            (s.rel, s.kind, s.rows, s.encoding, s.problems, s.headers)
            for s in result.inventory.sources
        ]

    assert sources(a) == sources(b)
    assert [(k.rel, k.reason) for k in a.inventory.skipped] == [
        (k.rel, k.reason) for k in b.inventory.skipped
    ]


# -- batches ---------------------------------------------------------------------------


def test_tiny_batches_give_the_same_audit_as_one_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = run_audit(SAMPLES, as_of=AS_OF, batch_rows=10**9)
    monkeypatch.setattr(stream_module, "JSONL_CHUNK_BYTES", 4096)  # many JSONL chunks too
    tiny = run_audit(SAMPLES, as_of=AS_OF, batch_rows=97)
    _same(whole, tiny)


@pytest.fixture(scope="module")
def sized(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A few thousand rows per kind, GA4 as flattened CSV and as Parquet."""
    out = tmp_path_factory.mktemp("sized")
    rows = {"crm": 4000, "newsletter_subscribed": 3000, "visitors": 2000, "analytics": 30_000}
    return out, write_samples(out, rows=rows, analytics_formats=("csv", "parquet"))


def test_batched_audit_of_sized_exports_flags_exactly_the_planted_rows(sized: tuple) -> None:
    out, manifest = sized
    result = run_audit(out, as_of=AS_OF, batch_rows=7_000)
    found = {
        (r, s, int(n))
        for r, s, n in zip(
            result.findings["rule_id"], result.findings["source"], result.findings["row"],
            strict=True,
        )
        if pd.notna(n)
    }  # fmt: skip
    planted = {(e["rule_id"], e["source"], e["row"]) for e in manifest["planted"] if e["row"]}
    assert found == planted
    assert {s.rel: s.rows for s in result.inventory.sources} == {
        rel: info["rows"] for rel, info in manifest["files"].items()
    }


def test_the_data_map_of_a_batched_audit_is_the_data_map_of_the_loaded_files(
    sized: tuple,
) -> None:
    out, _ = sized
    batched = run_audit(out, as_of=AS_OF, batch_rows=7_000)
    whole = build_data_map(load_folder(out), POLICY)
    pd.testing.assert_frame_equal(batched.data_map, whole)


def test_a_csv_that_turns_out_cp1252_after_the_first_batch_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Invalid UTF-8 in the last rows: the first batches are dropped and the file is read
    again as cp1252; nothing is counted twice, though the findings of the first pass's
    batches were being made when it restarted (every other event is past retention)."""
    header = "event_date,event_timestamp,event_name,user_pseudo_id,page_location\n"
    day = {0: ("20260901", 1788220800000000), 1: ("20240901", 1725148800000000)}
    N = 30_000  # 2 MB: read in blocks of 1 MB, so batches are checked before the error
    monkeypatch.setenv("ROPA_MAX_LINE_MB", "1")
    lines = [
        f"{day[i % 2][0]},{day[i % 2][1] + i},page_view,1.{i},https://www.metier.no/kurs/{i}\n"
        for i in range(N)
    ]
    data = (header + "".join(lines)).encode("utf-8") + (
        "20260901,1788220900000000,page_view,9.9,https://www.metier.no/kurs/Åpen\n"
    ).encode("cp1252")
    (tmp_path / "ga4").mkdir()
    (tmp_path / "ga4" / "events.csv").write_bytes(data)
    batched = run_audit(tmp_path, as_of=AS_OF, batch_rows=500)
    whole = run_audit(tmp_path, as_of=AS_OF, batch_rows=10**9)
    _same(batched, whole)
    assert batched.inventory.sources[0].rows == N + 1
    assert batched.inventory.sources[0].encoding == "cp1252"
    retention = batched.findings[batched.findings["rule_id"] == "RET-ANALYTICS"]
    assert sorted(retention["row"]) == list(range(2, N + 1, 2))


def test_a_source_profile_fed_in_batches_equals_the_profile_of_the_whole(tmp_path: Path) -> None:
    inventory = load_folder(SAMPLES)
    for source in inventory.sources:
        whole = SourceProfile(source.rel, source.kind, source.activity)
        whole.add(source.frame, source.headers)
        parts = SourceProfile(source.rel, source.kind, source.activity)
        for start in range(0, max(len(source.frame), 1), 37):
            parts.add(source.frame.iloc[start : start + 37], source.headers)
        pd.testing.assert_frame_equal(
            data_map_from_profiles([whole], POLICY), data_map_from_profiles([parts], POLICY)
        )


def test_batch_notes_are_summed() -> None:
    notes = [
        ["2 rows with an unreadable timestamp in 'event_timestamp'", "duplicate header 'x'"],
        ["1 row with an unreadable timestamp in 'event_timestamp'", "duplicate header 'x'"],
    ]
    assert merge_counts(notes) == [
        "3 rows with an unreadable timestamp in 'event_timestamp'",
        "duplicate header 'x'",
    ]


# -- what rules see ----------------------------------------------------------------------


def _cases() -> list[Any]:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "rule_cases", Path(__file__).with_name("test_rules_cases.py")
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = []
    for param in module.CASES:
        rule_id, as_of, case = param.values
        if case["kind"] == "data_map":
            continue
        context = {k: [module.frame_of(k, rows)] for k, rows in (case.get("context") or {}).items()}
        out.append(
            pytest.param(
                case["kind"],
                module.frame_of(case["kind"], case["rows"]),
                build_context(as_of, POLICY, context),
                id=f"{rule_id}: {case['name']}",
            )
        )
    return out


CASES = _cases()


@pytest.mark.parametrize(("kind", "frame", "ctx"), CASES)
def test_rules_read_only_the_columns_they_declare(kind: str, frame: pd.DataFrame, ctx: Any) -> None:
    narrow = frame[rule_columns(kind, list(frame.columns))]
    pd.testing.assert_frame_equal(derive(narrow, kind, ctx), derive(frame, kind, ctx))


@pytest.mark.parametrize(("kind", "frame", "ctx"), CASES)
def test_text_read_as_a_dictionary_gives_the_same_derived_columns(
    kind: str, frame: pd.DataFrame, ctx: Any
) -> None:
    """The audit hands Parquet dictionary text to the rules as categoricals."""
    lazy = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == STRING:
            arr = pa.array(frame[column].array).dictionary_encode()
            lazy[column] = pd.Series(pd.arrays.ArrowExtensionArray(arr), index=frame.index)
    narrow = rule_frame(lazy, kind)
    assert any(isinstance(t, pd.CategoricalDtype) for t in narrow.dtypes) or not any(
        frame[c].dtype == STRING for c in narrow.columns
    )
    expected = derive(frame[rule_columns(kind, list(frame.columns))], kind, ctx)
    pd.testing.assert_frame_equal(derive(narrow, kind, ctx), expected)


# -- times ---------------------------------------------------------------------------------


@pytest.mark.parametrize("tz", ["Europe/Oslo", "UTC"])
def test_fixed_width_times_read_as_the_patterns_read_them(
    tz: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Canonical values take the integer fast path; the rest (and, here, everything) the
    class patterns and pandas. Both ways give the same times and the same count of
    unreadable values."""
    import ropa.sources.dates as dates

    values = [
        "2026-01-05 10:00", "2026-01-05 10:00:59", "2026-01-05", "05.01.2026 10:00",
        "05.01.2026 10:00:59", "05.01.2026", "5.1.2026 10:00", "2024-02-29 12:00",
        "2026-02-29 12:00", "2026-02-30", "2026-13-01", "2026-01-05 24:00",
        "2026-01-05 10:00:60", "0000-01-01", "0001-01-01", "2026-1-5", "2026-03-29 02:30",
        "2026-10-25 02:30", " 2026-01-05 ", "2026-01-05T10:00:00Z", "", None, "abc",
        "2026-01-05 10:00\n", "2026/01/05", "99.99.2026",
    ]  # fmt: skip
    series = pd.Series(values * 50, dtype=STRING)
    fast, fast_bad = to_utc(series, tz)
    monkeypatch.setattr(dates, "_LAYOUTS", ())
    slow, slow_bad = to_utc(series, tz)
    pd.testing.assert_series_equal(fast, slow)
    assert fast_bad == slow_bad
    assert pd.isna(fast[values.index("2026-02-30")])
    assert fast[values.index("2026-01-05 10:00:60")] == pd.Timestamp("2026-01-05 10:01", tz=tz)


# -- outputs and threads ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chunk", "distinct_from"), [(7, 10_000), (100_000, 1)], ids=["per-row", "per-distinct-value"]
)
def test_findings_csv_written_in_chunks_is_one_to_csv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int, distinct_from: int
) -> None:
    """Chunked, and with repeating text quoted once per distinct value (as it is from
    10,000 findings on), findings.csv holds pandas' bytes, hostile details included."""
    import ropa.findings as findings_module

    findings = run_audit(SAMPLES, as_of=AS_OF).findings
    hostile = ["a, b", 'say "no"', "two\nlines", "cr\rinside", "", ' "', ",", None]
    findings = findings.assign(
        detail=pd.Series(
            [hostile[i % len(hostile)] for i in range(len(findings))], dtype=STRING
        ).where(findings.index % 3 > 0, findings["detail"].astype(STRING).to_numpy())
    )
    monkeypatch.setattr(findings_module, "CSV_CHUNK_ROWS", chunk)
    monkeypatch.setattr(findings_module, "_DISTINCT_FROM", distinct_from)
    path, _ = write_findings(findings, tmp_path)
    whole = findings[FINDING_COLUMNS].to_csv(index=False, lineterminator="\n")
    assert path.read_bytes() == whole.encode("utf-8")
    assert b'"a, b"' in path.read_bytes() and b'"say ""no"""' in path.read_bytes()


def test_prefetch_hands_on_items_in_order_and_raises_where_they_failed() -> None:
    def items() -> Any:
        yield from range(5)
        raise ValueError("broken")

    got = []
    with pytest.raises(ValueError, match="broken"):
        for item in Prefetch(items()):
            got.append(item)
    assert got == [0, 1, 2, 3, 4]


def test_a_reader_dropped_half_way_stops_its_thread() -> None:
    produced = []

    def items() -> Any:
        for i in range(1000):
            produced.append(i)
            yield i

    ahead = Prefetch(items())
    for item in ahead:
        if item == 2:
            break
    ahead.close()
    assert len(produced) < 10


def test_analytics_sources_keep_no_rows_after_the_audit() -> None:
    result = run_audit(SAMPLES, as_of=AS_OF)
    for source in result.inventory.sources:
        if source.kind in reading_module.STREAMED:
            assert len(source.frame) == 0 and source.rows > 0
        else:
            assert len(source.frame) == source.rows
            assert set(source.frame.columns) <= set(source.headers) | {"_row"}


def test_manifest_of_the_committed_samples_is_unchanged() -> None:
    manifest = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))
    assert "rows" not in manifest and "analytics_formats" not in manifest
