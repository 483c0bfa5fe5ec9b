"""The audit on the sample exports finds exactly what the generator planted.

The sample generator evaluates DESIGN.md's rule table independently (ropa_samples.truth)
and lists every (rule, source, row) and column-level (UNDECLARED-DATA / UNMAPPED-COLUMN,
source, column) finding the audit must report, and the near misses it must not.
Precision and recall must both be 1.0, with either engine, and the findings file must be
the same bytes every run.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from ropa.audit import run_audit
from ropa.findings import write_findings
from ropa.result import AuditResult
from ropa.rules import ALL_RULES


@pytest.fixture(scope="module", autouse=True)
def _key() -> Any:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ROPA_KEY", "test-key-not-secret")
        yield


@pytest.fixture(scope="module")
def manifest(samples: Path) -> dict[str, Any]:
    return json.loads((samples / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def as_of(manifest: dict[str, Any]) -> date:
    return date.fromisoformat(manifest["as_of"])


@pytest.fixture(scope="module")
def audit(samples: Path, as_of: date) -> AuditResult:
    return run_audit(samples, as_of=as_of)


@pytest.fixture(scope="module")
def audit_gx(samples: Path, as_of: date) -> AuditResult:
    return run_audit(samples, as_of=as_of, engine="gx")


def _record_set(findings: pd.DataFrame) -> set[tuple[str, str, int]]:
    rows = findings[findings["row"].notna()]
    return {
        (r, s, int(n)) for r, s, n in zip(rows["rule_id"], rows["source"], rows["row"], strict=True)
    }


def _column_set(findings: pd.DataFrame) -> set[tuple[str, str, str]]:
    cols = findings[findings["rule_id"].isin(["UNDECLARED-DATA", "UNMAPPED-COLUMN"])]
    return set(zip(cols["rule_id"], cols["source"], cols["column"], strict=True))


def test_every_sample_file_is_read(audit: AuditResult, manifest: dict[str, Any]) -> None:
    loaded = {s.rel: s.kind for s in audit.inventory.sources}
    assert loaded == {rel: info["kind"] for rel, info in manifest["files"].items()}


def test_audit_flags_exactly_the_planted_rows(audit: AuditResult, manifest: dict[str, Any]) -> None:
    planted = {
        (e["rule_id"], e["source"], e["row"]) for e in manifest["planted"] if e["row"] is not None
    }
    found = _record_set(audit.findings)
    assert found - planted == set(), "flagged rows the generator did not plant"
    assert planted - found == set(), "planted rows the audit missed"


def test_audit_flags_exactly_the_planted_undeclared_columns(
    audit: AuditResult, manifest: dict[str, Any]
) -> None:
    planted = {
        (e["rule_id"], e["source"], e["column"]) for e in manifest["planted"] if e["row"] is None
    }
    assert _column_set(audit.findings) == planted


def test_near_misses_are_not_flagged(audit: AuditResult, manifest: dict[str, Any]) -> None:
    found = _record_set(audit.findings) | {(r, s, c) for r, s, c in _column_set(audit.findings)}
    near = {
        (e["rule_id"], e["source"], e["row"] if e["row"] is not None else e["column"])
        for e in manifest["near_misses"]
    }
    assert near and not (near & found)


def test_every_rule_is_checked_and_fires_on_the_samples(audit: AuditResult) -> None:
    assert [s.rule_id for s in audit.rules] == [r.id for r in ALL_RULES]
    for status in audit.rules:
        assert status.checked, status
        assert status.findings > 0, status.rule_id


def test_both_engines_give_identical_findings_on_the_samples(
    audit: AuditResult, audit_gx: AuditResult
) -> None:
    pd.testing.assert_frame_equal(audit.findings, audit_gx.findings)


def test_findings_csv_is_byte_identical_across_runs(
    audit: AuditResult, samples: Path, as_of: date, tmp_path: Path
) -> None:
    again = run_audit(samples, as_of=as_of)
    first, _ = write_findings(audit.findings, tmp_path / "one")
    second, _ = write_findings(again.findings, tmp_path / "two")
    assert first.read_bytes() == second.read_bytes()


def test_no_planted_persons_value_is_in_the_findings(
    audit: AuditResult, manifest: dict[str, Any], tmp_path: Path
) -> None:
    csv_path, _ = write_findings(audit.findings, tmp_path)
    text = csv_path.read_text(encoding="utf-8").casefold()
    assert manifest["persons"]
    for person in manifest["persons"]:
        assert person["email"].casefold() not in text
        assert person["name"].casefold() not in text


def test_rules_without_their_export_say_not_checked(
    samples: Path, as_of: date, manifest: dict[str, Any], tmp_path: Path
) -> None:
    only = tmp_path / "only-newsletter"
    for rel, info in manifest["files"].items():
        if info["kind"].startswith("newsletter_"):
            (only / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(samples / rel, only / rel)
    result = run_audit(only, as_of=as_of)
    status = {s.rule_id: s for s in result.rules}
    assert not status["RET-VISITOR"].checked
    assert status["RET-VISITOR"].reason == "not checked: no visitors export"
    assert status["RET-CUSTOMER"].reason == "not checked: no crm or registrations export"
    assert status["ERASURE-NOT-DONE"].reason == "not checked: no requests export"
    assert status["CLEANED-KEPT"].checked and status["UNSUB-RESIDUE"].checked
    assert status["CONSENT-MISSING"].checked
    assert set(result.findings["rule_id"]) <= {
        "CONSENT-MISSING", "UNSUB-RESIDUE", "CLEANED-KEPT", "UNDECLARED-DATA", "POLICY-GAP",
    }  # fmt: skip
