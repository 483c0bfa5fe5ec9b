"""The result of one audit run, handed from ropa.audit to the report writers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from ropa.enums import Coverage
from ropa.policy.model import Policy
from ropa.sources.base import Inventory


@dataclass
class RuleStatus:
    """Whether a rule ran, and if not, why ("not checked: no visitors export")."""

    rule_id: str
    severity: str
    activity: str
    policy_ref: str
    description: str
    checked: bool
    reason: str = ""
    findings: int = 0
    accepted: int = 0  # of ``findings``, those an active exception accepts
    # Over every source it applies to: "full", "partial" or "not evaluable"
    # (ropa.coverage), and how many records (columns) it could not judge.
    coverage: str = Coverage.NONE.value
    not_evaluable: int = 0


@dataclass
class AuditResult:
    data_dir: Path
    as_of: date
    policy: Policy
    policy_path: str
    engine: str
    inventory: Inventory
    data_map: pd.DataFrame
    findings: pd.DataFrame  # FINDING_COLUMNS, sorted
    gaps: pd.DataFrame  # ropa.policy.gaps.policy_gaps(policy)
    rules: list[RuleStatus] = field(default_factory=list)
    # ropa.coverage.COVERAGE_COLUMNS: per (rule, source) rows, checked, flagged, why not
    coverage: pd.DataFrame = field(default_factory=lambda: _no_coverage())
    # ropa.exceptions.EXCEPTION_COLUMNS: every exception given, its status and matches
    exceptions: pd.DataFrame = field(default_factory=lambda: _no_exceptions())
    # With earlier audits (--compare / --history; ropa.compare): the changes against the
    # latest earlier one, per-rule new/persisting/fixed/accepted, open findings per rule
    # per audit date, and that earlier audit's date. None without earlier audits.
    changes: pd.DataFrame | None = None
    change_counts: pd.DataFrame | None = None
    trend: pd.DataFrame | None = None
    compared_with: date | None = None


def _no_coverage() -> pd.DataFrame:
    from ropa.coverage import empty_coverage

    return empty_coverage()


def _no_exceptions() -> pd.DataFrame:
    from ropa.exceptions import EXCEPTION_COLUMNS

    return pd.DataFrame(columns=list(EXCEPTION_COLUMNS))
