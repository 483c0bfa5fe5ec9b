"""UNDECLARED-DATA: an activity processes only the data categories the policy declares.

Runs on the data map (one row per source x column x category), not on records; a
finding names the column, never a value. A column without a single value
(``non_empty_share`` 0) stays in the data map but holds no data, so it is never flagged.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ropa.findings import make_findings
from ropa.rules import expr as X
from ropa.rules.base import Context, Rule
from ropa.rules.values import text


class UndeclaredData(Rule):
    """Column holds a personal-data category its activity does not declare."""

    id = "UNDECLARED-DATA"
    order = 160
    name = "data_map.undeclared_category"
    policy_ref = "Art. 30(1)(c)"
    severity = "medium"
    activity = "all"
    kinds = ("data_map",)
    reads = ()  # the data map's own columns

    def columns(self, t: Any, kind: str, ctx: Context) -> dict[str, Any]:
        declared = t["declared"].cast("boolean") if "declared" in t.columns else X.null("boolean")
        empty = X.number(t, "non_empty_share").fill_null(-1.0) == 0  # unknown: not empty
        applies = X.present(X.text(t, "category")) & ~empty
        return {"declared": X.only_where(declared, applies)}

    def expectations(self, policy: Any) -> list[dict[str, Any]]:
        return [
            self.expect_in(
                "declared",
                [True],
                "every personal-data category found in a column is declared by its activity",
            )
        ]

    def detail(self, rows: pd.DataFrame, kind: str, ctx: Context) -> pd.Series:
        return (
            "holds "
            + text(rows, "category")
            + " (by "
            + text(rows, "detected_by").fillna("name")
            + "), not declared by activity "
            + text(rows, "activity")
        )

    def to_findings(self, rows: pd.DataFrame, kind: str, ctx: Context) -> pd.DataFrame:
        """One finding per (source, column), naming every undeclared category."""
        per_row = pd.DataFrame(
            {
                "source": text(rows, "source"),
                "column": text(rows, "column"),
                "activity": text(rows, "activity"),
                "category": text(rows, "category"),
            }
        )
        grouped = (
            per_row.sort_values(["source", "column", "category"], kind="stable")
            .groupby(["source", "column"], sort=True, dropna=False)
            .agg(activity=("activity", "first"), categories=("category", lambda c: ", ".join(c)))
            .reset_index()
        )
        refs = _activity_refs(ctx.policy)
        detail = (
            "holds "
            + grouped["categories"]
            + ", not declared by activity "
            + grouped["activity"].fillna("?")
        )
        return make_findings(
            rule=self,
            activity=grouped["activity"],
            policy_ref=grouped["activity"].map(refs).fillna(self.policy_ref),
            source=grouped["source"],
            row=None,
            column=grouped["column"],
            subject_key=None,
            detail=detail,
        )


def _activity_refs(policy: Any) -> dict[str, str]:
    """Activity id -> policy section, so the finding cites the clause that declares."""
    refs: dict[str, str] = {}
    for key, activity in (getattr(policy, "activities", None) or {}).items():
        section = getattr(activity, "section", None)
        if section:
            refs[str(key)] = str(section)
    return refs


rule = UndeclaredData()
