"""Every rule's YAML cases (src/ropa/rules/cases/<RULE-ID>.yaml), run with both engines.

Each case builds a frame the way a loader would (canonical columns, times converted to
UTC with zone-less HubSpot / contact-form / Eventbrite times read as Oslo local time),
runs the kind's suite built from the packaged policy and asserts exactly which rows
(or, for the data map, which columns) the rule flags.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from ropa.audit import check_frame, data_map_frame
from ropa.coverage import CoverageTally
from ropa.policy import load_policy
from ropa.rules import ALL_RULES, RULES_BY_ID, build_context
from ropa.sources.common import to_utc
from ropa.suites import build_suite

CASES_DIR = Path(__file__).resolve().parents[1] / "src" / "ropa" / "rules" / "cases"
LOCAL_TIME_KINDS = {"crm", "inquiries", "registrations"}
BOOLEANS = {"marketing_contact", "unsubscribed_all"}
FLOATS = {"latitude", "longitude"}
INTS = {"event_timestamp"}
POLICY = load_policy()


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROPA_KEY", "test-key-not-secret")


def frame_of(kind: str, rows: list[dict[str, Any]], source: str | None = None) -> pd.DataFrame:
    """A loader-shaped frame from YAML rows (all values given as text)."""
    columns = sorted({c for row in rows for c in row})
    data: dict[str, pd.Series] = {}
    index = pd.RangeIndex(len(rows))
    for col in columns:
        raw = pd.Series([row.get(col) for row in rows], index=index, dtype=object)
        if kind == "data_map":
            data[col] = raw.astype("boolean" if col == "declared" else "string[pyarrow]")
        elif col.endswith("_time"):
            tz = POLICY.timezone if kind in LOCAL_TIME_KINDS else "UTC"
            data[col], bad = to_utc(raw.astype("string[pyarrow]"), tz)
            assert bad == 0, f"unreadable time in case column {col}"
        elif col in BOOLEANS:
            data[col] = raw.astype("bool[pyarrow]")
        elif col in FLOATS:
            data[col] = pd.to_numeric(raw).astype("double[pyarrow]")
        elif col in INTS:
            data[col] = pd.to_numeric(raw).astype("int64[pyarrow]")
        else:
            data[col] = raw.map(lambda v: None if v is None else str(v)).astype("string[pyarrow]")
    frame = pd.DataFrame(data, index=index)
    if kind == "data_map":
        return data_map_frame(frame)
    frame["_source"] = pd.Series(source or f"{kind}.csv", index=index, dtype="string[pyarrow]")
    frame["_row"] = range(1, len(rows) + 1)
    return frame


def load_cases() -> list[Any]:
    params = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert spec["rule"] == path.stem, f"{path.name} names rule {spec['rule']}"
        for case in spec["cases"]:
            as_of = case.get("as_of", spec["as_of"])
            params.append(
                pytest.param(spec["rule"], as_of, case, id=f"{spec['rule']}: {case['name']}")
            )
    return params


CASES = load_cases()


def run_case(
    rule_id: str, as_of: date, case: dict[str, Any], engine: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the rule's findings, its coverage row) for one case."""
    kind = case["kind"]
    context = {k: [frame_of(k, rows)] for k, rows in (case.get("context") or {}).items()}
    ctx = build_context(as_of, POLICY, context)
    frame = frame_of(kind, case["rows"])
    tally = CoverageTally()
    findings = check_frame(frame, kind, ctx, build_suite(POLICY, kind), engine, coverage=tally)
    findings = findings[findings["rule_id"] == rule_id]
    coverage = tally.frame(findings, frozenset({"UNDECLARED-DATA", "UNMAPPED-COLUMN"}))
    return findings, coverage[coverage["rule_id"] == rule_id]


def unjudged_rows(rule_id: str, as_of: date, case: dict[str, Any]) -> list[int]:
    """The ``_row``s the rule says it cannot judge in the case's rows."""
    kind = case["kind"]
    context = {k: [frame_of(k, rows)] for k, rows in (case.get("context") or {}).items()}
    ctx = build_context(as_of, POLICY, context)
    frame = frame_of(kind, case["rows"])
    unjudged = pd.Series(False, index=frame.index)
    for gap in RULES_BY_ID[rule_id].evaluable(frame, kind, ctx):
        unjudged |= gap.rows.astype(bool)
    return sorted(int(r) for r in frame.loc[unjudged, "_row"])


@pytest.mark.parametrize("engine", ["pandas", "gx"])
@pytest.mark.parametrize(("rule_id", "as_of", "case"), CASES)
def test_rule_case(rule_id: str, as_of: date, case: dict[str, Any], engine: str) -> None:
    found, coverage = run_case(rule_id, as_of, case, engine)
    if case["kind"] in RULES_BY_ID[rule_id].kinds and case["kind"] != "data_map":
        # Every row is flagged, checked clean or not evaluable (with a reason).
        expected = case.get("not_evaluable", [])
        assert unjudged_rows(rule_id, as_of, case) == sorted(expected), case["name"]
        assert not set(expected) & {int(r) for r in found["row"]}, "flagged an unjudged row"
        (cov,) = coverage.to_dict("records")
        assert cov["rows"] == len(case["rows"])
        assert cov["not_evaluable"] == len(expected)
        assert cov["checked"] + cov["not_evaluable"] == cov["rows"]
        assert cov["flagged"] == len(found) <= cov["checked"]
        assert bool(cov["reason"]) == bool(expected)
        if "reason" in case:
            assert cov["reason"] == case["reason"]
    if "flagged_columns" in case:
        assert found["row"].isna().all()
        assert sorted(found["column"]) == sorted(case["flagged_columns"])
    else:
        assert sorted(int(r) for r in found["row"]) == sorted(case["flagged"]), case["name"]
        # A record counts once per rule.
        assert not found["row"].duplicated().any()
    assert found["detail"].notna().all() and (found["detail"].str.len() > 0).all()


def test_every_rule_has_cases_with_a_flagged_row_and_a_clean_near_miss() -> None:
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for param in CASES:
        rule_id, _, case = param.values
        by_rule.setdefault(rule_id, []).append(case)
    assert set(by_rule) == {r.id for r in ALL_RULES}
    for rule_id, cases in by_rule.items():
        flagged = sum(len(c.get("flagged", c.get("flagged_columns", []))) for c in cases)
        rows = sum(len(c["rows"]) for c in cases)
        assert flagged >= 1, f"{rule_id} has no flagged row"
        assert rows > flagged, f"{rule_id} has no clean row"
        assert any(
            "near miss" in c["name"] or "kept" in c["name"] or "not flagged" in c["name"]
            for c in cases
        ), f"{rule_id} names no clean near miss"


def test_case_kinds_are_kinds_the_rule_checks_or_shows_as_exempt() -> None:
    for param in CASES:
        rule_id, _, case = param.values
        rule = RULES_BY_ID[rule_id]
        if case["kind"] not in rule.kinds:
            assert case["flagged"] == [], f"{rule_id} cannot flag {case['kind']}"
