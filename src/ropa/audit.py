"""One audit: load the exports, map them, derive the rule columns, run the suites, and
turn the unexpected rows into findings. How exports are read (batches, read-ahead,
rule columns) lives in reading.py.

``run_audit`` returns an ``AuditResult`` (no files written); ``write_outputs`` writes
findings.csv / findings.parquet, the workbook and, on request, GX Data Docs
(``ropa.write``). Checking a frame is ``ropa.check``; every export in turn,
``ropa.check_exports``. The same
inputs, policy, audit date and suites give the same findings with either engine.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from ropa.backends import Engine, backend
from ropa.check import (
    DATA_MAP,
    POLICY_GAP,
    batches,
    check_frame,
    context_for,
    data_map_frame,
    derive,
    gap_findings,
)
from ropa.check_exports import check_exports
from ropa.coverage import NONE, CoverageTally, rule_coverage
from ropa.enums import NotChecked
from ropa.exceptions import apply_exceptions, open_findings
from ropa.findings import (
    combine_findings,
)
from ropa.identity import add_finding_ids
from ropa.mapping.datamap import data_map_from_profiles
from ropa.reading import (
    BATCH_ROWS,
    ReadExport,
    find_exports,
    read_export,
)
from ropa.result import AuditResult, RuleStatus
from ropa.rules import ALL_RULES, CONTEXT_READS, rules_for
from ropa.sources.base import Inventory
from ropa.write import write_data_docs, write_outputs

log = logging.getLogger(__name__)


def _statuses(
    present: set[str],
    suites: Mapping[str, Mapping[str, Any]],
    findings: pd.DataFrame,
    coverage: pd.DataFrame,
) -> list[RuleStatus]:
    counts = findings["rule_id"].value_counts()
    open_counts = open_findings(findings)["rule_id"].value_counts()
    in_suites = {
        e["meta"]["rule_id"]
        for kind, suite in suites.items()
        if kind in present
        for e in suite["expectations"]
    }
    statuses = []
    for rule in ALL_RULES:
        missing_needs = [k for k in rule.needs if k not in present]
        checked, reason = True, ""
        if not any(k in present for k in rule.kinds):
            if rule.kinds == (DATA_MAP,):
                checked, reason = False, NotChecked.NO_EXPORTS.value
            else:
                checked, reason = False, NotChecked.NO_EXPORT.format(kinds=" or ".join(rule.kinds))
        elif missing_needs and not rule.runs_without_needs:
            checked, reason = False, NotChecked.NO_EXPORT.format(kinds=" or ".join(missing_needs))
        elif rule.id not in in_suites:
            checked, reason = False, NotChecked.NO_EXPECTATION.value
        elif missing_needs:
            reason = NotChecked.PARTLY.format(kinds=" or ".join(missing_needs))
        judged = rule_coverage(coverage, rule.id) if checked else None
        rows = coverage[coverage["rule_id"] == rule.id]
        statuses.append(
            RuleStatus(
                rule_id=rule.id,
                severity=rule.severity,
                activity=rule.activity,
                policy_ref=rule.policy_ref,
                description=rule.description,
                checked=checked,
                reason=reason,
                findings=int(counts.get(rule.id, 0)),
                accepted=int(counts.get(rule.id, 0)) - int(open_counts.get(rule.id, 0)),
                coverage=judged or NONE,
                not_evaluable=int(rows["not_evaluable"].sum()),
            )
        )
    return statuses


def run_audit(
    data_dir: Path | str,
    *,
    as_of: date,
    policy: Any = None,
    policy_path: Path | str | None = None,
    engine: str = "duckdb",
    progress: Any = None,
    suites_dir: Path | str | None = None,
    batch_rows: int = BATCH_ROWS,
    exceptions: list[Any] | None = None,
    earlier: list[Any] | None = None,
) -> AuditResult:
    """Check every record in ``data_dir`` against the policy as of ``as_of``.

    One export at a time: read, profile for the data map, keep only the columns the
    rules read, check. Analytics exports are read in batches of ``batch_rows`` events
    and keep nothing but their findings, so memory does not grow with the number of
    events. The exports that give the cross-source facts (request log, newsletter
    unsubscribes) are read first.
    """
    from ropa.policy import load_policy
    from ropa.policy.gaps import policy_gaps
    from ropa.progress import step
    from ropa.suites import load_suites

    engine = Engine.parse(engine).value
    # The engine, and the SQL compiler its plans need, are loaded before the first
    # reading thread starts: loading a large library beside threads that read files
    # takes ten times as long (measured: DuckDB's 1.2 s instead of 0.1 s).
    backend(Engine(engine).backend)
    import ibis.backends.sql.compilers  # noqa: F401

    if policy is None:
        policy = load_policy(Path(policy_path) if policy_path else None)
    suites, notes = load_suites(suites_dir, policy)
    for note in notes:
        log.info("suites: %s", note)
    inventory, exports = find_exports(Path(data_dir))
    for export in exports:  # zone-less times are local to the policy's timezone
        export.tz = getattr(policy, "timezone", None)

    first: dict[str, ReadExport] = {}
    for export in exports:
        if export.kind in CONTEXT_READS:  # the cross-source facts come first
            with step(progress, f"reading {export.rel}"):
                got = read_export(export, inventory, batch_rows)
            if got is not None:
                first[export.rel] = got
    ctx = context_for(
        Inventory(inventory.data_dir, [r.source for r in first.values()]), as_of, policy
    )

    coverage = CoverageTally()
    parts, profiles = check_exports(
        exports, first, inventory, (ctx, suites, engine, coverage), batch_rows, progress
    )
    data_map = data_map_from_profiles(profiles, policy)
    _count_columns(coverage, data_map)
    if len(data_map):
        with step(progress, "checking data map"):
            parts.append(
                check_frame(data_map_frame(data_map), DATA_MAP, ctx, suites[DATA_MAP], engine)
            )
    gaps = policy_gaps(policy)
    parts.append(gap_findings(gaps))
    findings = add_finding_ids(combine_findings(parts), {s.rel: s.kind for s in inventory.sources})

    findings, exception_table = apply_exceptions(findings, exceptions or [], as_of)
    present = {s.kind for s in inventory.sources} | ({DATA_MAP} if len(data_map) else set())
    column_rules = frozenset(r.id for r in rules_for(DATA_MAP))
    coverage_table = coverage.frame(findings, column_rules)
    return AuditResult(
        data_dir=Path(data_dir),
        as_of=as_of,
        policy=policy,
        policy_path=str(policy_path) if policy_path else _policy_name(policy),
        engine=engine,
        inventory=inventory,
        data_map=data_map,
        findings=findings,
        gaps=gaps,
        rules=_statuses(present, suites, findings, coverage_table),
        coverage=coverage_table,
        exceptions=exception_table,
        **_comparison(findings, as_of, earlier or []),
    )


def _comparison(findings: pd.DataFrame, as_of: date, earlier: list[Any]) -> dict[str, Any]:
    """changes / change_counts / trend / compared_with for AuditResult (none without
    earlier audits)."""
    from ropa.compare import change_counts, compare_findings, previous, trend

    if not earlier:
        return {}
    prev = previous(earlier, as_of)
    changes = compare_findings(findings, prev)
    return {
        "changes": changes,
        "change_counts": change_counts(changes, findings),
        "trend": trend(earlier, as_of, findings),
        "compared_with": prev.as_of,
    }


def _count_columns(coverage: CoverageTally, data_map: pd.DataFrame) -> None:
    """Column-level rules judge every column of every source in the data map."""
    if not len(data_map):
        return
    kinds = data_map.groupby("source", sort=True)["column"].nunique()
    for source, columns in kinds.items():
        for rule in rules_for(DATA_MAP):
            coverage.add_columns(rule.id, str(source), DATA_MAP, int(columns))


def _policy_name(policy: Any) -> str:
    return str(getattr(policy, "file_name", None) or "policy.yaml")


# ropa.audit is the entry point notebooks and scripts import from.
__all__ = [
    "DATA_MAP",
    "POLICY_GAP",
    "batches",
    "check_exports",
    "check_frame",
    "context_for",
    "data_map_frame",
    "derive",
    "gap_findings",
    "run_audit",
    "write_data_docs",
    "write_outputs",
]
