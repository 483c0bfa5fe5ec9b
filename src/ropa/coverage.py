"""Coverage: for every rule and source, how many records the rule could judge.

DESIGN.md, "Coverage": one row per (rule, source) where the rule applies to the
source's kind, ``rule_id, source, kind, rows, checked, flagged, not_evaluable, reason``.
``checked`` + ``not_evaluable`` = ``rows``; ``flagged`` <= ``checked``; the reason names
columns, never values. Column-level rules (the data map) count columns. The audit
tallies a source batch by batch (``CoverageTally.add``) and takes ``flagged`` from the
findings at the end (``CoverageTally.frame``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ropa.catalogue import catalogue
from ropa.enums import Coverage
from ropa.rules.base import Unjudged
from ropa.sources.common import plural

if TYPE_CHECKING:
    from ropa.result import AuditResult

COVERAGE_COLUMNS = (
    "rule_id", "source", "kind", "rows", "checked", "flagged", "not_evaluable", "reason",
)  # fmt: skip
# Rules checked in the Summary and on the console: every source fully, some rows, none.
FULL, PARTIAL, NONE = Coverage.FULL, Coverage.PARTIAL, Coverage.NONE


@dataclass
class _Counts:
    kind: str
    rows: int = 0
    checked: int = 0
    reasons: dict[str, int] = field(default_factory=dict)  # reason -> rows (-1: whole file)


class CoverageTally:
    """Counts per (rule, source), added batch by batch."""

    def __init__(self) -> None:
        self._counts: dict[tuple[str, str], _Counts] = {}

    def add(
        self, rule_id: str, source: str, kind: str, judged: pd.Series, gaps: list[Unjudged]
    ) -> None:
        gap_counts = [(gap.reason, int(gap.rows.sum()), gap.counted) for gap in gaps]
        self.add_counts(rule_id, source, kind, len(judged), int(judged.sum()), gap_counts)

    def add_counts(
        self,
        rule_id: str,
        source: str,
        kind: str,
        rows: int,
        checked: int,
        gaps: list[tuple[str, int, bool]],
    ) -> None:
        """``add`` from counts the engine computed: (reason, rows, counted) per gap."""
        counts = self._counts.setdefault((rule_id, source), _Counts(kind))
        counts.rows += rows
        counts.checked += checked
        for reason, n, counted in gaps:
            if n and not counted:
                counts.reasons[reason] = -1
            elif n:
                counts.reasons[reason] = counts.reasons.get(reason, 0) + n

    def add_columns(self, rule_id: str, source: str, kind: str, columns: int) -> None:
        """A column-level rule judged ``columns`` columns of ``source``."""
        counts = self._counts.setdefault((rule_id, source), _Counts(kind))
        counts.rows += columns
        counts.checked += columns

    def forget(self, source: str) -> None:
        """Drop what was counted for ``source`` (its reader starts the file again)."""
        for key in [k for k in self._counts if k[1] == source]:
            del self._counts[key]

    def frame(self, findings: pd.DataFrame, column_rules: frozenset[str]) -> pd.DataFrame:
        """The coverage table, sorted by rule then source; ``flagged`` from ``findings``
        (records, or for ``column_rules`` the columns, with a finding of the rule)."""
        flagged = _flagged(findings, column_rules)
        rows = []
        for (rule_id, source), c in sorted(self._counts.items()):
            not_evaluable = c.rows - c.checked
            reasons = [r if n < 0 else f"{plural(n, 'row')} {r}" for r, n in c.reasons.items()]
            rows.append(
                {
                    "rule_id": rule_id,
                    "source": source,
                    "kind": c.kind,
                    "rows": c.rows,
                    "checked": c.checked,
                    "flagged": flagged.get((rule_id, source), 0),
                    "not_evaluable": not_evaluable,
                    "reason": "; ".join(reasons) if not_evaluable else "",
                }
            )
        table = pd.DataFrame(rows, columns=list(COVERAGE_COLUMNS))
        for column in ("rows", "checked", "flagged", "not_evaluable"):
            table[column] = table[column].astype("int64")
        return table


def _flagged(findings: pd.DataFrame, column_rules: frozenset[str]) -> dict[tuple[str, str], int]:
    if not len(findings):
        return {}
    # only the four columns read: a mask over the whole frame would copy every finding
    keys = findings[["rule_id", "source", "row", "column"]]
    of_columns = keys["rule_id"].isin(column_rules)
    by_row = keys.loc[~of_columns & keys["row"].notna(), ["rule_id", "source", "row"]]
    counts = by_row.groupby(["rule_id", "source"], observed=True)["row"].nunique().to_dict()
    by_column = keys.loc[of_columns, ["rule_id", "source", "column"]]
    counts.update(
        by_column.groupby(["rule_id", "source"], observed=True)["column"].nunique().to_dict()
    )
    return {(str(r), str(s)): int(n) for (r, s), n in counts.items()}


def empty_coverage() -> pd.DataFrame:
    return CoverageTally().frame(pd.DataFrame(), frozenset())


def rule_coverage(coverage: pd.DataFrame, rule_id: str) -> str | None:
    """FULL, PARTIAL or NONE for a rule over every source it applies to; None when no
    source of its kinds was loaded."""
    rows = coverage[coverage["rule_id"] == rule_id]
    if rows.empty:
        return None
    if int(rows["checked"].sum()) == 0 and int(rows["rows"].sum()) > 0:
        return NONE
    return PARTIAL if int(rows["not_evaluable"].sum()) else FULL


def rules_checked(result: AuditResult, lang: str = "en") -> str:
    """ "12 fully, 2 partly, 1 not evaluable, 2 not checked (of 17)"."""
    counts: dict[str, int] = {FULL: 0, PARTIAL: 0, NONE: 0, Coverage.NOT_CHECKED: 0}
    for status in result.rules:
        counts[status.coverage if status.checked else Coverage.NOT_CHECKED] += 1
    return catalogue(lang)(
        "summary.rules_checked_value",
        full=counts[FULL],
        partly=counts[PARTIAL],
        none=counts[NONE],
        unchecked=counts[Coverage.NOT_CHECKED],
        total=len(result.rules),
    )


def write_coverage(coverage: pd.DataFrame, out_dir: Path) -> Path:
    """``OUT_DIR/coverage.csv`` (no personal data: rule, file, counts, column names)."""
    from ropa.findings import write_table_csv

    return write_table_csv(coverage, out_dir / "coverage.csv")
