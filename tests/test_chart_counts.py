"""Every chart's over-the-limit (or per-severity) count equals the rule's findings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ropa import notebook as nb
from ropa.audit import run_audit
from ropa.report import chart_data
from ropa.report.tables import activity_severity_counts

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"


@pytest.fixture(scope="module")
def result():
    return run_audit(SAMPLES, as_of=date(2026, 9, 30))


@pytest.mark.parametrize("kind", sorted(chart_data.AGE_COLUMNS))
def test_retention_chart_over_limit_equals_findings(result, kind: str) -> None:
    rule_id = chart_data.AGE_COLUMNS[kind][0]
    ages = chart_data.rule_ages(result, kind)
    flagged = result.findings[result.findings["rule_id"] == rule_id]
    assert int(ages["over_limit"].sum()) == len(flagged) > 0
    over = ages[ages["over_limit"]]
    assert set(zip(over["source"], over["row"].astype(int), strict=True)) == set(
        zip(flagged["source"], flagged["row"].astype(int), strict=True)
    )
    limit = chart_data.retention_limit(result, kind)
    assert int((nb.retention_ages(result, kind) > limit).sum()) == len(flagged)


def test_activity_chart_counts_equal_findings(result) -> None:
    table = activity_severity_counts(result.findings)  # what both charts draw
    assert int(table.to_numpy().sum()) == len(result.findings)
    by_severity = result.findings["severity"].value_counts()
    for severity, n in by_severity.items():
        assert int(table[severity].sum()) == n


def test_top_findings_cover_the_most_severe_rules(result) -> None:
    top = nb.top_findings(result, 15)
    counts = result.findings.groupby(["rule_id", "severity"]).size()
    critical = set(result.findings.loc[result.findings["severity"] == "critical", "rule_id"])
    assert critical <= set(top["rule_id"])
    assert top.groupby("rule_id").size().max() <= 2
    for key, n in top.groupby(["rule_id", "severity"])["of rule"].first().items():
        assert n == counts[key]


def test_heatmap_red_cells_are_the_undeclared_data_findings(result) -> None:
    grid = chart_data.data_map_grid(result.data_map)
    red = {(src, cat) for src, row in grid.iterrows() for cat, v in row.items() if v == 2}
    flagged = result.findings[result.findings["rule_id"] == "UNDECLARED-DATA"]
    found = {
        (src, cat.strip())
        for src, detail in zip(flagged["source"], flagged["detail"], strict=True)
        for cat in detail.removeprefix("holds ").split(", not declared")[0].split(", ")
    }
    assert red == found and len(red) > 5
