"""Coverage (DESIGN.md, "Coverage"): every record is flagged, checked clean or counted
not evaluable with a reason, and the figures add up whatever the audit sees."""

from __future__ import annotations

import csv
import shutil
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from ropa.audit import DATA_MAP, run_audit, write_outputs
from ropa.coverage import COVERAGE_COLUMNS
from ropa.policy import load_policy
from ropa.rules import ALL_RULES, rules_for

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
FILES = sorted(p.relative_to(SAMPLES).as_posix() for p in SAMPLES.rglob("*") if p.is_file())
EXPORTS = [f for f in FILES if f != "manifest.json"]
POLICY = load_policy()
COLUMN_RULES = frozenset(r.id for r in rules_for(DATA_MAP))


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROPA_KEY", "coverage-test")


def check_invariants(result) -> None:
    cov = result.coverage
    assert list(cov.columns) == list(COVERAGE_COLUMNS)
    assert (cov["checked"] + cov["not_evaluable"] == cov["rows"]).all()
    assert (cov["flagged"] <= cov["checked"]).all()
    assert (cov["checked"] >= 0).all() and (cov["not_evaluable"] >= 0).all()
    # a reason exactly where something could not be judged
    assert ((cov["reason"] != "") == (cov["not_evaluable"] > 0)).all()
    # sorted by rule then source, one row per (rule, source)
    keys = list(zip(cov["rule_id"], cov["source"], strict=True))
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    # one row for every (rule, source) the rule applies to, with the source's records
    sources = {s.rel: s for s in result.inventory.sources}
    expected = {
        (rule.id, rel)
        for rel, src in sources.items()
        for rule in ALL_RULES
        if src.kind in rule.kinds
    }
    row_level = {k for k in keys if k[0] not in COLUMN_RULES}
    assert row_level == expected
    for rec in cov[~cov["rule_id"].isin(COLUMN_RULES)].itertuples(index=False):
        assert rec.rows == sources[rec.source].rows, (rec.rule_id, rec.source)
    # flagged is the findings' own count
    findings = result.findings
    for rec in cov.itertuples(index=False):
        mine = findings[(findings["rule_id"] == rec.rule_id) & (findings["source"] == rec.source)]
        if rec.rule_id in COLUMN_RULES:
            assert rec.flagged == mine["column"].nunique()
        else:
            assert rec.flagged == len(mine) == mine["row"].nunique()
    # every finding of a checked rule is counted in some coverage row
    counted = findings[findings["rule_id"] != "POLICY-GAP"]
    assert int(cov["flagged"].sum()) <= len(counted)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    chosen=st.sets(st.sampled_from(EXPORTS), min_size=1),
    shift=st.integers(min_value=-800, max_value=400),
)
def test_coverage_adds_up_on_any_subset_of_the_samples(
    tmp_path_factory: pytest.TempPathFactory, chosen: set[str], shift: int
) -> None:
    folder = tmp_path_factory.mktemp("subset")
    for rel in chosen:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(SAMPLES / rel, folder / rel)
    result = run_audit(folder, as_of=date(2026, 9, 30) + timedelta(days=shift), policy=POLICY)
    check_invariants(result)


def test_coverage_csv_on_the_samples_follows_the_contract(tmp_path: Path) -> None:
    result = run_audit(SAMPLES, as_of=date(2026, 9, 30), policy=POLICY)
    check_invariants(result)
    write_outputs(result, tmp_path)
    with (tmp_path / "coverage.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(COVERAGE_COLUMNS)
    assert len(rows) == len(result.coverage)
    by_key = {(r["rule_id"], r["source"]): r for r in rows}
    # GA4 events carry no e-mail: erasure cannot be matched there, and says so
    ga4 = by_key[("ERASURE-NOT-DONE", "ga4/events_flat.parquet")]
    assert ga4["checked"] == "0" and ga4["not_evaluable"] == ga4["rows"] != "0"
    assert ga4["reason"] == "no e-mail column to match erased subjects"
    # visitors who left no e-mail are counted, not silently passed
    envoy = by_key[("ERASURE-NOT-DONE", "envoy/entries-2026-09-30.csv")]
    entries = pd.read_csv(SAMPLES / "envoy" / "entries-2026-09-30.csv", dtype=str)
    no_email = int(entries["Your Email Address"].fillna("").str.strip().eq("").sum())
    assert no_email > 0
    assert envoy["not_evaluable"] == str(no_email)
    assert envoy["reason"] == f"{no_email} rows without an e-mail address"
    # the data map counts columns
    hub = by_key[("UNDECLARED-DATA", "hubspot/hubspot-crm-exports-all-contacts-2026-09-30.csv")]
    assert hub["kind"] == "data_map" and hub["not_evaluable"] == "0"


def test_a_rule_whose_needs_are_missing_reports_every_row_not_evaluable(tmp_path: Path) -> None:
    for rel in ("hubspot/hubspot-crm-exports-all-contacts-2026-09-30.csv",):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(SAMPLES / rel, tmp_path / rel)
    result = run_audit(tmp_path, as_of=date(2026, 9, 30), policy=POLICY)
    check_invariants(result)
    cov = result.coverage.set_index("rule_id")
    erasure = cov.loc["ERASURE-NOT-DONE"]
    assert erasure["checked"] == 0 and erasure["reason"] == "no rights-request log"
    assert not (result.findings["rule_id"] == "ERASURE-NOT-DONE").any()
    status = {s.rule_id: s for s in result.rules}
    assert status["RET-PROSPECT"].coverage == "full"
    assert status["RET-VISITOR"].checked is False  # no visitors export: no coverage row
    assert "RET-VISITOR" not in cov.index


def test_a_hubspot_default_view_is_crm_and_says_what_it_could_not_check(tmp_path: Path) -> None:
    """The default contacts view has no Lifecycle Stage and no legal basis: the
    retention rules judge no row, CONSENT-MISSING no marketing contact, and each says
    which column it missed (never "0 findings" as if it had looked)."""
    fixture = ROOT / "tests" / "fixtures" / "hubspot" / "default-view.csv"
    (tmp_path / "hubspot").mkdir()
    shutil.copy2(fixture, tmp_path / "hubspot" / "contacts.csv")
    result = run_audit(tmp_path, as_of=date(2026, 9, 30), policy=POLICY)
    check_invariants(result)
    (source,) = result.inventory.sources
    assert source.kind == "crm"
    with fixture.open(newline="", encoding="utf-8") as fh:
        records = list(csv.DictReader(fh))
    marketing = sum(r["Marketing contact status"] == "Marketing contact" for r in records)
    assert 0 < marketing < len(records)
    cov = result.coverage.set_index("rule_id")
    for rule_id in ("RET-PROSPECT", "RET-CUSTOMER"):
        row = cov.loc[rule_id]
        assert (row["rows"], row["checked"], row["flagged"]) == (len(records), 0, 0)
        assert row["reason"] == "no 'Lifecycle Stage' column"
    consent = cov.loc["CONSENT-MISSING"]
    assert consent["not_evaluable"] == marketing
    assert consent["checked"] == len(records) - marketing and consent["flagged"] == 0
    assert consent["reason"] == "no 'Legal basis for processing contact's data' column"
    status = {s.rule_id: s for s in result.rules}
    assert status["RET-PROSPECT"].coverage == status["RET-CUSTOMER"].coverage == "not evaluable"
    assert status["CONSENT-MISSING"].coverage == "partial"
    found = set(result.findings["rule_id"])
    assert not found & {"RET-PROSPECT", "RET-CUSTOMER", "CONSENT-MISSING"}
